// The window's state modules on their own: what the middle pane shows for each left-pane choice
// and search (scope), picking over whichever list is shown (selection), and the command table
// (a key acts only where its list is on screen; Delete in a collection takes the article out of
// the collection; keys typed into a field stay the field's).
import { describe, expect, it } from 'vitest'
import type { ArticleSummary } from '../../src/shared/types'
import { Scope } from '../../src/renderer/src/lib/scope.svelte'
import { Selection, type RowSource } from '../../src/renderer/src/lib/selection.svelte'
import {
  COMMANDS,
  commandForKey,
  keyOf,
  runCommand,
  type CommandHost
} from '../../src/renderer/src/lib/commands'
import type { Middle } from '../../src/renderer/src/lib/scope.svelte'

describe('scope', () => {
  it('shows the list for a place, search hits for a query or a smart collection', () => {
    const scope = new Scope()
    expect(scope.middle).toBe('list')
    expect(scope.listQuery).toEqual({ sort: 'date-desc', collapseCopies: true })
    scope.choose({ kind: 'category', path: ['金融', '新浪财经'] })
    expect(scope.listQuery).toEqual({
      categoryPath: ['金融', '新浪财经'],
      sort: 'date-desc',
      collapseCopies: true
    })
    scope.query = '进博会'
    expect(scope.middle).toBe('search')
    // The search stays inside the selection until the chip is cleared.
    expect(scope.searchScope).toEqual({ categoryPath: ['金融', '新浪财经'] })
    scope.scoped = false
    expect(scope.searchScope).toBeUndefined()
    scope.query = ''
    scope.choose({ kind: 'collection', id: 7, name: '周报', query: 'tag:要闻' })
    expect(scope.middle).toBe('search')
    expect(scope.searchText).toBe('tag:要闻')
    scope.choose({ kind: 'problems' })
    expect(scope.middle).toBe('problems')
  })

  it('shows the notes, the trash or the import problems when chosen, clearing a query', () => {
    for (const kind of ['notes', 'review', 'trash', 'problems'] as const) {
      const scope = new Scope()
      scope.text = scope.query = '进博会'
      expect(scope.middle).toBe('search')
      scope.choose({ kind })
      expect(scope.middle).toBe(kind)
      expect(scope.text).toBe('')
      // Typed there, a query searches the whole library.
      scope.text = scope.query = '央行'
      expect(scope.middle).toBe('search')
      expect(scope.searchScope).toBeUndefined()
    }
  })

  it('opens a manual collection in its own order, and leaves that order behind elsewhere', () => {
    const scope = new Scope()
    scope.choose({ kind: 'collection', id: 3, name: '晨报', query: null })
    expect(scope.collectionId).toBe(3)
    expect(scope.listQuery).toEqual({ collectionId: 3, sort: 'position' })
    scope.choose({ kind: 'tag', tag: '要闻' })
    expect(scope.collectionId).toBeNull()
    expect(scope.listQuery).toEqual({ tag: '要闻', sort: 'date-desc', collapseCopies: true })
  })

  it('applies what the box holds when a place is chosen, not after the typing pause', () => {
    const scope = new Scope()
    scope.text = scope.query = '央行'
    // The box cleared and a collection chosen before the pause ends: its list, not hits that
    // the pause would replace under the user's next key.
    scope.text = ''
    scope.choose({ kind: 'collection', id: 3, name: '晨报', query: null })
    expect(scope.middle).toBe('list')
    // Typed but not yet searched: choosing a place searches it there at once.
    scope.text = '降准'
    scope.choose({ kind: 'tag', tag: '要闻' })
    expect(scope.middle).toBe('search')
    expect(scope.searchText).toBe('降准')
    expect(scope.searchScope).toEqual({ tag: '要闻' })
  })
})

function rows(ids: number[]): RowSource {
  const summaries = ids.map((id) => ({ id, read: false, starred: false }) as ArticleSummary)
  return {
    total: ids.length,
    row: (i) => summaries[i],
    indexOf: (id) => ids.indexOf(id)
  }
}

describe('selection', () => {
  it('picks from the cursor, by toggle and by range, and acts on picks before the cursor', () => {
    let list = rows([10, 11, 12, 13, 14])
    const selection = new Selection(() => list)
    selection.moveTo(1)
    expect(selection.targets().map((r) => r.id)).toEqual([11])
    selection.toggle(3)
    expect([...selection.picked]).toEqual([11, 13])
    selection.extendTo(4)
    expect([...selection.picked].sort()).toEqual([11, 13, 14])
    expect(
      selection
        .targets()
        .map((r) => r.id)
        .sort()
    ).toEqual([11, 13, 14])
    // A new list (search hits) starts with nothing picked.
    list = rows([20, 21])
    selection.reset()
    expect(selection.targets()).toEqual([])
    expect(selection.move(1)).toBe(0)
    expect(selection.current?.id).toBe(20)
  })
})

function host(
  middle: Middle,
  opts: Partial<{ inCollection: boolean; targets: boolean; story: boolean; picks: boolean }> = {}
) {
  const calls: string[] = []
  const record =
    (name: string) =>
    (...args: unknown[]): void =>
      void calls.push(args.length ? `${name}(${args.join(',')})` : name)
  const h: CommandHost = {
    middle: () => middle,
    inCollection: () => opts.inCollection ?? false,
    hasPicks: () => opts.picks ?? false,
    hasTargets: () => opts.targets ?? true,
    focusSearch: record('focusSearch'),
    move: record('move'),
    extend: record('extend'),
    togglePick: record('togglePick'),
    clearPicks: record('clearPicks'),
    selectAll: record('selectAll'),
    openCurrent: record('openCurrent'),
    toggleStar: record('toggleStar'),
    toggleRead: record('toggleRead'),
    deleteTargets: record('deleteTargets'),
    removeFromCollection: record('removeFromCollection'),
    moveInCollection: record('moveInCollection'),
    editItemNote: record('editItemNote'),
    collectTargets: record('collectTargets'),
    tagTargets: record('tagTargets'),
    undo: record('undo'),
    redo: record('redo'),
    toggleOriginal: record('toggleOriginal'),
    textSize: record('textSize'),
    importFiles: record('importFiles'),
    exportBriefing: record('exportBriefing'),
    showKeys: record('showKeys'),
    showDialog: record('showDialog'),
    articleOpen: () => false,
    readerSelection: () => false,
    readerAttaching: () => false,
    readerBusy: () => false,
    highlight: record('highlight'),
    attachSelection: record('attachSelection'),
    dismissReader: record('dismissReader'),
    findInArticle: record('findInArticle'),
    moveNote: record('moveNote'),
    openNote: record('openNote'),
    showNotes: record('showNotes'),
    showReview: record('showReview'),
    restoreTargets: record('restoreTargets'),
    deleteForever: record('deleteForever'),
    emptyTrash: record('emptyTrash'),
    storyShown: () => opts.story ?? false,
    renameStory: record('renameStory'),
    followStory: record('followStory'),
    splitStory: record('splitStory'),
    mergeStory: record('mergeStory')
  }
  return { h, calls }
}

const press = (key: string, h: CommandHost, typing = false): void =>
  commandForKey(key, h, typing)?.run(h)

describe('scope of stories, entities, keywords and copies', () => {
  it('lists a story as a timeline, oldest first, and goes back to newest first after it', () => {
    const scope = new Scope()
    scope.choose({ kind: 'story', id: 4, name: '进博会开幕' })
    expect(scope.listQuery).toEqual({ storyId: 4, sort: 'date-asc', collapseCopies: true })
    scope.text = scope.query = '上海'
    expect(scope.searchScope).toEqual({ storyId: 4 })
    scope.text = scope.query = ''
    scope.choose({ kind: 'entity', term: '新华社' })
    expect(scope.listQuery).toEqual({ entity: '新华社', sort: 'date-desc', collapseCopies: true })
    scope.choose({ kind: 'keyword', term: '博览会' })
    scope.text = scope.query = '上海'
    expect(scope.searchScope).toEqual({ keyword: '博览会' })
  })

  it('folds copies only where the user asked and never inside a collection', () => {
    const scope = new Scope()
    scope.collapseCopies = false
    expect(scope.listQuery).toEqual({ sort: 'date-desc' })
    scope.collapseCopies = true
    scope.choose({ kind: 'view', view: 'following' })
    expect(scope.listQuery).toEqual({ view: 'following', sort: 'date-desc', collapseCopies: true })
    scope.choose({ kind: 'collection', id: 3, name: '晨报', query: null })
    expect(scope.listQuery).toEqual({ collectionId: 3, sort: 'position' })
  })
})

describe('the command table', () => {
  it("offers the story keys only while a story's timeline is shown, split only with picks", () => {
    const elsewhere = host('list')
    for (const key of ['F2', 'f', 'Shift+s', 'Shift+m']) press(key, elsewhere.h)
    expect(elsewhere.calls).toEqual([])
    const story = host('list', { story: true })
    for (const key of ['F2', 'f', 'Shift+s', 'Shift+m']) press(key, story.h)
    expect(story.calls).toEqual(['renameStory', 'followStory', 'mergeStory'])
    const picked = host('list', { story: true, picks: true })
    press('Shift+s', picked.h)
    expect(picked.calls).toEqual(['splitStory'])
    // Typing in a field, the letters are the field's.
    press('f', story.h, true)
    expect(story.calls).toEqual(['renameStory', 'followStory', 'mergeStory'])
  })

  it('acts on search hits like on the list, on the notes while they are shown, and on nothing hidden', () => {
    for (const middle of ['list', 'search'] as const) {
      const { h, calls } = host(middle)
      for (const key of ['j', 'Enter', 's', 'u', 'Delete']) press(key, h)
      expect(calls).toEqual(['move(1)', 'openCurrent', 'toggleStar', 'toggleRead', 'deleteTargets'])
    }
    for (const middle of ['notes', 'review'] as const) {
      const { h, calls } = host(middle)
      for (const key of ['j', 'Enter', 's', 'u', 'Delete', 'x']) press(key, h)
      expect(calls, middle).toEqual(['moveNote(1)', 'openNote'])
    }
    const { h, calls } = host('problems')
    for (const key of ['j', 'Enter', 's', 'u', 'Delete', 'x']) press(key, h)
    expect(calls).toEqual([])
  })

  it('in the trash, keys move and pick, r restores, Delete asks to remove for good, nothing edits', () => {
    const { h, calls } = host('trash')
    for (const key of ['j', 'x', 'Shift+j', 'r', 'Delete', 'Shift+Delete', 'Backspace'])
      press(key, h)
    for (const key of ['Enter', 'o', 's', 'u', 't', 'c', 'n', 'Alt+ArrowUp']) press(key, h)
    expect(calls).toEqual([
      'move(1)',
      'togglePick',
      'extend(1)',
      'restoreTargets',
      'deleteForever',
      'deleteForever',
      'deleteForever'
    ])
    expect(runCommand('emptyTrash', h)).toBe(true)
    expect(calls.at(-1)).toBe('emptyTrash')
    // With no row under the cursor and none picked, there is nothing to restore or remove.
    const none = host('trash', { targets: false })
    for (const key of ['r', 'Delete']) press(key, none.h)
    expect(none.calls).toEqual([])
    // Outside the trash its commands do nothing, and Delete moves articles to the trash.
    const list = host('list')
    press('r', list.h)
    expect(runCommand('emptyTrash', list.h)).toBe(false)
    expect(runCommand('restoreArticles', list.h)).toBe(false)
    press('Delete', list.h)
    expect(list.calls).toEqual(['deleteTargets'])
  })

  it('in a collection, Delete takes articles out of it; Shift+Delete deletes them', () => {
    const { h, calls } = host('list', { inCollection: true })
    press('Delete', h)
    press('Shift+Delete', h)
    press('Alt+ArrowUp', h)
    press('n', h)
    expect(calls).toEqual([
      'removeFromCollection',
      'deleteTargets',
      'moveInCollection(-1)',
      'editItemNote'
    ])
  })

  it('leaves a text field its own keys, except the Mod keys meant to work there', () => {
    const { h, calls } = host('list')
    for (const key of ['j', 's', 'Delete', 'Mod+z', 'Mod+a']) press(key, h, true)
    expect(calls).toEqual([])
    press('Mod+f', h, true)
    press('Mod+e', h, true)
    expect(calls).toEqual(['focusSearch', 'exportBriefing'])
  })

  it('runs menu commands by id only where they apply', () => {
    const { h, calls } = host('problems')
    expect(runCommand('toggleStar', h)).toBe(false)
    expect(runCommand('undo', h)).toBe(true)
    expect(calls).toEqual(['undo'])
  })

  it('names keys as the table writes them, and every command has a label and a unique key', () => {
    const event = (key: string, mods: Partial<KeyboardEvent> = {}) =>
      keyOf({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods })
    expect(event('J', { shiftKey: true })).toBe('Shift+j')
    expect(event('z', { ctrlKey: true, shiftKey: true })).toBe('Mod+Shift+z')
    expect(event('ArrowUp', { altKey: true })).toBe('Alt+ArrowUp')
    expect(event('?', { shiftKey: true })).toBe('?')
    // A key bound twice must be told apart by `when` (Delete: in a collection, in the trash, or
    // elsewhere): wherever the window is, at most one of its commands applies.
    const byKey = new Map<string, string[]>()
    for (const c of COMMANDS) for (const k of c.keys) byKey.set(k, [...(byKey.get(k) ?? []), c.id])
    const middles = ['list', 'search', 'problems', 'notes', 'review', 'trash'] as const
    for (const [key, ids] of byKey) {
      if (new Set(ids).size === 1) continue
      for (const middle of middles)
        for (const inCollection of [false, true]) {
          const { h } = host(middle, { inCollection })
          const applying = COMMANDS.filter((c) => c.keys.includes(key) && c.when(h))
          expect(
            new Set(applying.map((c) => c.id)).size,
            `${key} in ${middle}`
          ).toBeLessThanOrEqual(1)
        }
    }
  })
})
