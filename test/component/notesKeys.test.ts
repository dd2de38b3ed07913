// The keys of the notes view and of the reader's selection, from the one command table: a list
// key acts on the list that is shown (the notes, never the hidden article list), and the
// reader's keys act only while it has something selected. And the notes view's filters as the
// query they make.
import { describe, expect, it } from 'vitest'
import { commandForKey, type CommandHost } from '../../src/renderer/src/lib/commands'
import type { Middle } from '../../src/renderer/src/lib/scope.svelte'
import { isFiltered, NO_FILTER, notesQuery } from '../../src/renderer/src/lib/notesFilter'

/** A host answering with `state` that records every action run ("name args"). */
function host(state: {
  middle: Middle
  selection?: boolean
  attaching?: boolean
  article?: boolean
}): { host: CommandHost; ran: string[] } {
  const ran: string[] = []
  const answers: Partial<Record<keyof CommandHost, () => unknown>> = {
    middle: () => state.middle,
    inCollection: () => false,
    hasPicks: () => false,
    hasTargets: () => true,
    articleOpen: () => state.article ?? false,
    readerSelection: () => state.selection ?? false,
    readerAttaching: () => (state.selection ?? false) && (state.attaching ?? false),
    readerBusy: () => (state.selection ?? false) || (state.attaching ?? false)
  }
  const h = new Proxy({} as CommandHost, {
    get: (_target, name: string) =>
      answers[name as keyof CommandHost] ??
      ((...args: unknown[]) => void ran.push([name, ...args].join(' ')))
  })
  return { host: h, ran }
}

const run = (key: string, h: CommandHost): string | undefined => {
  const command = commandForKey(key, h)
  command?.run(h)
  return command?.id
}

describe('keys over the notes view', () => {
  it('move and open in the notes while they are shown, and never reach the article list', () => {
    for (const middle of ['notes', 'review'] as const) {
      const { host: h, ran } = host({ middle })
      expect(run('j', h)).toBe('nextNote')
      expect(run('ArrowUp', h)).toBe('previousNote')
      expect(run('Enter', h)).toBe('openNote')
      // Article-list keys have nothing to act on here.
      expect(run('s', h)).toBeUndefined()
      expect(run('x', h)).toBeUndefined()
      expect(run('Delete', h)).toBeUndefined()
      expect(ran).toEqual(['moveNote 1', 'moveNote -1', 'openNote'])
    }
    const { host: list } = host({ middle: 'list' })
    expect(run('j', list)).toBe('nextArticle')
    expect(run('Enter', list)).toBe('openArticle')
  })

  it('Shift+N and Shift+R show the notes and the review list from anywhere', () => {
    const { host: h, ran } = host({ middle: 'list' })
    expect(run('Shift+n', h)).toBe('showNotes')
    expect(run('Shift+r', h)).toBe('showReview')
    expect(ran).toEqual(['showNotes', 'showReview'])
  })
})

describe('keys over the reader’s selection', () => {
  it('1–5 highlight and Enter attaches only while text is selected', () => {
    const { host: idle } = host({ middle: 'list', article: true })
    expect(run('2', idle)).toBeUndefined()
    expect(run('Enter', idle)).toBe('openArticle')
    expect(run('h', idle)).toBe('findInArticle')
    const { host: selected, ran } = host({ middle: 'notes', article: true, selection: true })
    expect(run('2', selected)).toBe('highlightGreen')
    expect(run('5', selected)).toBe('highlightPurple')
    // Enter still opens the note under the cursor: nothing waits to be attached.
    expect(run('Enter', selected)).toBe('openNote')
    expect(run('Escape', selected)).toBe('dismissReader')
    expect(ran).toEqual(['highlight green', 'highlight purple', 'openNote', 'dismissReader'])
    const { host: attaching } = host({ middle: 'notes', selection: true, attaching: true })
    expect(run('Enter', attaching)).toBe('attachSelection')
  })

  it('leave keys typed in a field alone', () => {
    const { host: h } = host({ middle: 'notes', article: true, selection: true })
    expect(commandForKey('2', h, true)).toBeUndefined()
    expect(commandForKey('h', h, true)).toBeUndefined()
    expect(commandForKey('j', h, true)).toBeUndefined()
  })
})

describe('the notes filter as a query', () => {
  it('sends only what is set; days are whole local days', () => {
    expect(notesQuery(NO_FILTER)).toEqual({ sort: 'newest' })
    expect(isFiltered(NO_FILTER)).toBe(false)
    const q = notesQuery({
      ...NO_FILTER,
      colors: ['green'],
      tag: '场馆',
      collectionId: 3,
      from: '2024-03-01',
      to: '2024-03-31',
      text: '  会展 ',
      sort: 'article'
    })
    expect(q).toEqual({
      colors: ['green'],
      tag: '场馆',
      collectionId: 3,
      from: new Date(2024, 2, 1).toISOString(),
      to: new Date(2024, 3, 1).toISOString(),
      text: '会展',
      sort: 'article'
    })
    expect(notesQuery({ ...NO_FILTER, from: 'not a day' })).toEqual({ sort: 'newest' })
    expect(isFiltered({ ...NO_FILTER, text: ' ' })).toBe(false)
    expect(isFiltered({ ...NO_FILTER, to: '2024-01-01' })).toBe(true)
  })
})
