// An annotation's author and its "both versions kept" flag in a team library, as the reader's
// annotation list and the notes view show them: read from a real library through the core's
// own queries, with the row's author and conflict set as a team sync writes them (m14 columns);
// a personal library's annotation shows neither.
import { render, screen } from '@testing-library/svelte'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import AnnotationList from '../../src/renderer/src/components/AnnotationList.svelte'
import NoteRow from '../../src/renderer/src/components/NoteRow.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { createArticleNote, listAnnotations } from '../../src/core/annotations/repository'
import { queryAnnotations } from '../../src/core/annotations/list'
import { listArticles } from '../../src/core/library/articles'
import { openRealLibrary, type RealLibrary } from './realLibrary'

let library: RealLibrary
let articleId: number
let teamNote: number
let ownNote: number

beforeAll(() => {
  library = openRealLibrary()
  articleId = listArticles(library.db, {}).items[0]!.id
  teamNote = createArticleNote(library.db, {
    articleId,
    note: '李伟：数字待核实\n---\n张敏：已核实'
  }).id
  ownNote = createArticleNote(library.db, { articleId, note: '个人笔记' }).id
  library.db
    .prepare(`UPDATE annotations SET author = 'li_wei', conflict = 1 WHERE id = ?`)
    .run(teamNote)
}, 180_000)
afterAll(() => library?.dispose())

const noop = (): void => {}

describe('an annotation’s author', () => {
  it('the reader’s list names who made it and flags a note kept in both versions, in both languages', async () => {
    i18n.set('en')
    const items = listAnnotations(library.db, articleId)
    const view = render(AnnotationList, {
      items,
      reattaching: null,
      onshow: noop,
      onconfirm: noop,
      onreattach: noop,
      ondelete: noop
    })
    const team = document.querySelector(`[data-annotation-id="${teamNote}"]`)!
    const own = document.querySelector(`[data-annotation-id="${ownNote}"]`)!
    expect(team.textContent).toContain('by li_wei')
    expect(team.textContent).toContain('Edited by two people at once: both versions kept')
    expect(own.textContent).not.toContain('by ')
    expect(own.textContent).not.toContain('both versions kept')
    i18n.set('zh')
    await screen.findByText('li_wei 标注')
    expect(team.textContent).toContain('两人同时修改：两个版本均已保留')
    view.unmount()
  })

  it('the notes view’s row names the author too', () => {
    i18n.set('en')
    const item = queryAnnotations(library.db, {}).items.find((a) => a.id === teamNote)!
    const view = render(NoteRow, { item, index: 0, total: 1, current: false, onclick: noop })
    expect(screen.getByText('by li_wei')).toBeTruthy()
    expect(screen.getByText(/both versions kept/)).toBeTruthy()
    view.unmount()
  })
})
