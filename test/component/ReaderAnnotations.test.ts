// The reader's tags and annotations in the app, over the real service in a child process: the
// article's editor line and tags (completed from existing tags, removed with Backspace, undone),
// a highlight's tags in its editor, a fuzzy anchor drawn apart until confirmed (and undone),
// highlights needing review listed with their old words, to re-attach or delete, the review
// list in the left pane.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  onTestFinished,
  vi
} from 'vitest'
import type { GleanerApi, GleanerBridge } from '../../src/shared/api'
import type { Annotation } from '../../src/shared/annotation-types'
import App from '../../src/renderer/src/App.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { getArticle, listArticles } from '../../src/core/library/articles'
import { childBridge } from '../helpers/childBridge'
import { CORPUS } from '../helpers/corpus'
import { IMPORT_TIMEOUT_MS, openRealLibrary, SEED, type RealLibrary } from './realLibrary'

const SEED_TITLE = '第四届进博会：提升城市软实力与服务保障进博会双促进'
const PHRASE = '国家会展中心（上海）'

let library: RealLibrary
/** Article ids in the list's order (newest first). */
let order: number[]
let seed: number
let others: number[]

beforeAll(() => {
  i18n.set('en')
  library = openRealLibrary([SEED, `${CORPUS}/rsshub/新媒体/虎嗅`])
  order = listArticles(library.db, { sort: 'date-desc' }).items.map((a) => a.id)
  seed = listArticles(library.db, { sort: 'date-desc' }).items.find(
    (a) => a.title === SEED_TITLE
  )!.id
  others = order.filter((id) => id !== seed)
}, IMPORT_TIMEOUT_MS)
afterAll(() => library.dispose())

// Each test starts from a library without annotations, with 进博会 on one other article.
beforeEach(() => {
  library.db.exec('DELETE FROM annotations; DELETE FROM article_tags; DELETE FROM tags;')
  library.db.prepare(`INSERT INTO tags (name) VALUES ('进博会')`).run()
  library.db
    .prepare(
      `INSERT INTO article_tags (article_id, tag_id) SELECT ?, id FROM tags WHERE name = '进博会'`
    )
    .run(others[0])
  // jsdom has no layout: the virtualized lists only need the observer to exist, and scrolling
  // (into view, to a row) has nothing to move.
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe(): void {}
      unobserve(): void {}
      disconnect(): void {}
    }
  )
  Element.prototype.scrollTo = () => {}
  Element.prototype.scrollIntoView = () => {}
})
afterEach(() => {
  vi.unstubAllGlobals()
  delete (Element.prototype as Partial<Element>).scrollTo
  delete (Element.prototype as Partial<Element>).scrollIntoView
  i18n.set('en')
})

function service(): { bridge: GleanerBridge; api: GleanerApi } {
  const child = childBridge(library.path)
  onTestFinished(() => child.close())
  return { bridge: child.bridge, api: child.bridge.api }
}

const tagsOf = (id: number): string[] => getArticle(library.db, id)!.tags

async function highlightSeed(
  api: GleanerApi,
  extra: Partial<Annotation> = {}
): Promise<Annotation> {
  const text = getArticle(library.db, seed)!.cleanText
  const start = text.indexOf(PHRASE)
  return api.createAnnotation({
    articleId: seed,
    start,
    end: start + PHRASE.length,
    color: 'green',
    ...(extra.note ? { note: extra.note } : {}),
    ...(extra.tags ? { tags: extra.tags } : {})
  })
}

const key = (k: string, init: KeyboardEventInit = {}): Promise<boolean> =>
  fireEvent.keyDown(window, { key: k, ...init })

/** The app with the seed article open in the reader, reached with j and Enter. */
async function openSeed(bridge: GleanerBridge): Promise<HTMLElement> {
  render(App, { bridge, bridgeKind: 'http' })
  await screen.findByText(`${order.length} articles`, {}, { timeout: 10_000 })
  for (let i = 0; i <= order.indexOf(seed); i++) await key('j')
  await key('Enter')
  const reader = await screen.findByRole('region', { name: 'Reader' })
  await waitFor(
    () => expect(within(reader).getByRole('heading', { level: 1 }).textContent).toBe(SEED_TITLE),
    {
      timeout: 10_000
    }
  )
  return reader
}

const shadow = (): ShadowRoot => document.querySelector('.article-host')!.shadowRoot!
const marksOf = (id: number): HTMLElement[] =>
  [...shadow().querySelectorAll<HTMLElement>('mark[data-ids]')].filter((m) =>
    m.dataset['ids']!.split(' ').includes(String(id))
  )

describe('the article’s metadata and tags in the reader', () => {
  it('shows the editor line and edits the tags: completion, Enter, Backspace, Undo', async () => {
    const { bridge } = service()
    const reader = await openSeed(bridge)
    expect(reader.querySelector('header')!.textContent).toContain('Editor: 王翔')
    const field = within(reader).getByRole('combobox', { name: 'Tags of this article' })
    // The library's tags load after the first page: completion offers them once they are in.
    await waitFor(async () => {
      await fireEvent.input(field, { target: { value: '进' } })
      expect(within(reader).getByRole('option', { name: '#进博会' })).toBeTruthy()
    })
    await fireEvent.keyDown(field, { key: 'ArrowDown' })
    expect(field.getAttribute('aria-activedescendant')).toBe(
      within(reader).getByRole('option', { name: '#进博会' }).id
    )
    await fireEvent.keyDown(field, { key: 'Enter' })
    await waitFor(() => expect(tagsOf(seed)).toEqual(['进博会']))
    await within(reader).findByText('#进博会')
    // A new name typed whole, with Enter.
    await fireEvent.input(field, { target: { value: '场馆' } })
    await fireEvent.keyDown(field, { key: 'Enter' })
    await waitFor(() => expect(tagsOf(seed)).toEqual(['场馆', '进博会']))
    // Backspace in the empty field removes the last chip.
    await within(reader).findByRole('button', { name: 'Remove tag “场馆”' })
    await fireEvent.keyDown(field, { key: 'Backspace' })
    await waitFor(() => expect(tagsOf(seed).length).toBe(1))
    const removed = tagsOf(seed).includes('场馆') ? '进博会' : '场馆'
    // Undo from the toast puts it back, and the reader shows it again.
    const toast = await screen.findByText(new RegExp(`Removed “${removed}” from 1 article`))
    await fireEvent.click(within(toast.parentElement!).getByRole('button', { name: 'Undo' }))
    await waitFor(() => expect(tagsOf(seed)).toEqual(['场馆', '进博会']))
    await within(reader).findByRole('button', { name: `Remove tag “${removed}”` })
  })

  it('says it in Chinese too', async () => {
    i18n.set('zh')
    const { bridge } = service()
    render(App, { bridge, bridgeKind: 'http' })
    await screen.findByText(`${order.length} 篇文章`, {}, { timeout: 10_000 })
    for (let i = 0; i <= order.indexOf(seed); i++) await key('j')
    await key('Enter')
    const reader = await screen.findByRole('region', { name: '阅读' })
    await waitFor(() =>
      expect(reader.querySelector('header')!.textContent).toContain('责任编辑：王翔')
    )
    expect(within(reader).getByRole('combobox', { name: '本文标签' })).toBeTruthy()
  })
})

describe('a highlight’s note and tags', () => {
  it('are edited together in the highlight’s editor and saved as one change', async () => {
    const { bridge, api } = service()
    const a = await highlightSeed(api)
    const reader = await openSeed(bridge)
    await waitFor(() => expect(marksOf(a.id).length).toBeGreaterThan(0))
    await fireEvent.click(marksOf(a.id)[0]!)
    const editor = await screen.findByRole('dialog', { name: 'Edit highlight' })
    await fireEvent.input(within(editor).getByRole('textbox', { name: 'Note' }), {
      target: { value: '城市服务保障的场馆' }
    })
    const tags = within(editor).getByRole('combobox', { name: 'Tags of this highlight' })
    for (const tag of ['场馆', '上海']) {
      await fireEvent.input(tags, { target: { value: tag } })
      await fireEvent.keyDown(tags, { key: 'Enter' })
    }
    // Nothing is saved before Save.
    expect((await api.listAnnotations(seed))[0]!.tags).toEqual([])
    await fireEvent.click(within(editor).getByRole('button', { name: 'Save' }))
    await waitFor(async () =>
      expect(await api.listAnnotations(seed)).toMatchObject([
        { id: a.id, note: '城市服务保障的场馆', tags: ['场馆', '上海'] }
      ])
    )
    const item = reader.querySelector(`[data-annotation-id="${a.id}"]`) as HTMLElement
    await waitFor(() => expect(item.textContent).toContain('#场馆'))
    // Removed with its ×, then Save.
    await fireEvent.click(marksOf(a.id)[0]!)
    const again = await screen.findByRole('dialog', { name: 'Edit highlight' })
    await fireEvent.click(within(again).getByRole('button', { name: 'Remove tag “上海”' }))
    await fireEvent.click(within(again).getByRole('button', { name: 'Save' }))
    await waitFor(async () => expect((await api.listAnnotations(seed))[0]!.tags).toEqual(['场馆']))
    // One change each, undoable: the undo restores the two tags.
    const last = (await api.undoState()).undo!
    expect(last.op).toBe('updateAnnotation')
    await api.undo()
    expect((await api.listAnnotations(seed))[0]!.tags).toEqual(['场馆', '上海'])
  })
})

describe('a highlight a fuzzy match moved', () => {
  it('is drawn dashed with ≈, explained, and stays so until confirmed (undoably)', async () => {
    const { bridge, api } = service()
    const a = await highlightSeed(api)
    library.db.prepare(`UPDATE annotations SET anchor_status = 'fuzzy' WHERE id = ?`).run(a.id)
    const reader = await openSeed(bridge)
    await waitFor(() => expect(marksOf(a.id).length).toBeGreaterThan(0))
    const marks = marksOf(a.id)
    expect(marks.every((m) => m.dataset['status'] === 'fuzzy')).toBe(true)
    expect(marks.at(-1)!.hasAttribute('data-fuzzy-end')).toBe(true)
    expect(marks[0]!.title).toContain('Approximate place')
    const item = reader.querySelector(`[data-annotation-id="${a.id}"]`) as HTMLElement
    expect(item.textContent).toContain('≈ Approximate place')
    expect(item.textContent).toContain('Gleaner found a close match')
    await fireEvent.click(within(item).getByRole('button', { name: 'Confirm place' }))
    await waitFor(async () =>
      expect((await api.listAnnotations(seed))[0]!.anchorStatus).toBe('anchored')
    )
    await waitFor(() => expect(marksOf(a.id)[0]!.dataset['status']).toBeUndefined())
    expect(reader.textContent).not.toContain('Approximate place')
    // Ctrl+Z takes the confirmation back: marked as approximate again.
    await waitFor(async () => expect((await api.undoState()).undo?.op).toBe('confirmAnnotation'))
    await key('z', { ctrlKey: true })
    await waitFor(() => expect(marksOf(a.id)[0]?.dataset['status']).toBe('fuzzy'))
    expect((await api.listAnnotations(seed))[0]!.anchorStatus).toBe('fuzzy')
  })
})

describe('highlights that need review', () => {
  it('are listed apart with their old words, wait for a selection to re-attach to, or are deleted', async () => {
    const { bridge, api } = service()
    const a = await highlightSeed(api, { note: '场馆' })
    library.db
      .prepare(`UPDATE annotations SET anchor_status = 'needs-review' WHERE id = ?`)
      .run(a.id)
    const reader = await openSeed(bridge)
    const section = await within(reader).findByRole('region', { name: 'Needs review (1)' })
    expect(section.textContent).toContain(`Was: “${PHRASE}”`)
    expect(section.textContent).toContain('场馆')
    // Not drawn in the text: its words are not known to be there.
    expect(marksOf(a.id)).toEqual([])
    const reattach = within(section).getByRole('button', { name: 'Re-attach to selection' })
    await fireEvent.click(reattach)
    expect(reattach.getAttribute('aria-pressed')).toBe('true')
    expect(within(section).getByRole('status').textContent).toContain('Select the passage')
    // Escape gives up waiting.
    await key('Escape')
    await waitFor(() => expect(reattach.getAttribute('aria-pressed')).toBe('false'))
    await fireEvent.click(within(section).getByRole('button', { name: 'Delete' }))
    await waitFor(async () => expect(await api.listAnnotations(seed)).toEqual([]))
    await waitFor(() =>
      expect(within(reader).queryByRole('region', { name: /Needs review/ })).toBeNull()
    )
  })

  it('are counted in the left pane; the review list opens the article ready to re-attach', async () => {
    const { bridge, api } = service()
    const a = await highlightSeed(api)
    library.db
      .prepare(`UPDATE annotations SET anchor_status = 'needs-review' WHERE id = ?`)
      .run(a.id)
    render(App, { bridge, bridgeKind: 'http' })
    const views = await screen.findByRole('region', { name: 'Views' })
    const entry = await within(views).findByRole(
      'button',
      { name: /^Needs review/ },
      { timeout: 10_000 }
    )
    expect(entry.textContent).toContain('1')
    await fireEvent.click(entry)
    await screen.findByRole('listbox', { name: 'Highlights needing review' })
    await screen.findByText('1 highlight or note')
    // Enter goes to the first: the article opens with its Re-attach button focused and waiting.
    await key('j')
    await key('Enter')
    const reader = await screen.findByRole('region', { name: 'Reader' })
    await waitFor(() =>
      expect(within(reader).getByRole('heading', { level: 1 }).textContent).toBe(SEED_TITLE)
    )
    const reattach = await within(reader).findByRole('button', { name: 'Re-attach to selection' })
    await waitFor(() => expect(document.activeElement).toBe(reattach))
    expect(reattach.getAttribute('aria-pressed')).toBe('true')
  })
})
