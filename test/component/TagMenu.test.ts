// The tags list's context menu over a real imported library: Rename… (from the menu and F2)
// and Delete on a tag, opened by pointer or keyboard, through the real core; the views and
// sources lists (the same component without the handlers) have no menu; and in the app, a
// deleted tag comes back on the same articles with Undo.
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
import type { GleanerBridge } from '../../src/shared/api'
import type { SourceCount, TagCount } from '../../src/shared/types'
import App from '../../src/renderer/src/App.svelte'
import FilterList from '../../src/renderer/src/components/FilterList.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { listArticles, listSources, listTags } from '../../src/core/library/articles'
import { addTag, deleteTag, renameTag } from '../../src/core/library/tag-edit'
import { childBridge } from '../helpers/childBridge'
import { CORPUS } from '../helpers/corpus'
import { IMPORT_TIMEOUT_MS, openRealLibrary, SEED, type RealLibrary } from './realLibrary'

let library: RealLibrary
/** Live article ids, oldest id first. */
let ids: number[]

beforeAll(() => {
  i18n.set('en')
  library = openRealLibrary([SEED, `${CORPUS}/rsshub/新媒体/199IT/首页更新`])
  ids = listArticles(library.db, { sort: 'date-desc' })
    .items.map((a) => a.id)
    .sort((a, b) => a - b)
}, IMPORT_TIMEOUT_MS)
afterAll(() => library.dispose())

// Each test starts from the same tags: 重点 on two articles, 待审 on one.
beforeEach(() => {
  for (const { tag } of listTags(library.db)) deleteTag(library.db, tag)
  addTag(library.db, ids.slice(0, 2), '重点')
  addTag(library.db, ids.slice(2, 3), '待审')
})

/** Ids of the articles carrying a tag, as the core sees them. */
const tagged = (tag: string): number[] =>
  listArticles(library.db, { tag, sort: 'date-desc' })
    .items.map((a) => a.id)
    .sort((a, b) => a - b)

describe('the tags list’s context menu', () => {
  const mount = (): {
    onrename: ReturnType<typeof vi.fn<(tag: TagCount, name: string) => Promise<void>>>
    ondelete: ReturnType<typeof vi.fn<(tag: TagCount) => void>>
  } => {
    const handlers = {
      // What the app does: rename in the core, then reload the list.
      onrename: vi.fn(async (tag: TagCount, name: string) => {
        renameTag(library.db, tag.tag, name)
        await rerender({ items: listTags(library.db) })
      }),
      ondelete: vi.fn<(tag: TagCount) => void>()
    }
    const { rerender } = render(FilterList, {
      title: 'Tags',
      items: listTags(library.db),
      keyOf: (tg: unknown) => (tg as TagCount).tag,
      labelOf: (tg: unknown) => '#' + (tg as TagCount).tag,
      countOf: (tg: unknown) => (tg as TagCount).count,
      nameOf: (tg: unknown) => (tg as TagCount).tag,
      selectedKey: null,
      onselect: () => {},
      onrename: (tag: unknown, name: string) => handlers.onrename(tag as TagCount, name),
      ondelete: (tag: unknown) => handlers.ondelete(tag as TagCount)
    })
    return handlers
  }
  const tagButton = (tag: string): HTMLElement =>
    screen.getByRole('button', { name: new RegExp(`^#${tag}(\\s|$)`, 'u') })

  it('opens on right-click with Rename… and Delete, and gives focus back on Escape', async () => {
    const { ondelete } = mount()
    const item = tagButton('重点')
    expect(item.getAttribute('aria-haspopup')).toBe('menu')
    await fireEvent.contextMenu(item, { clientX: 10, clientY: 10 })
    const menu = screen.getByRole('menu', { name: 'Actions for “#重点”' })
    const entries = within(menu).getAllByRole('menuitem')
    expect(entries.map((e) => e.textContent?.trim())).toEqual(['Rename…', 'Delete'])
    await waitFor(() => expect(document.activeElement).toBe(entries[0]))
    await fireEvent.keyDown(menu, { key: 'Escape' })
    expect(screen.queryByRole('menu')).toBeNull()
    expect(document.activeElement).toBe(item)
    await fireEvent.contextMenu(tagButton('待审'))
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Delete' }))
    expect(ondelete).toHaveBeenCalledTimes(1)
    expect(ondelete.mock.calls[0]?.[0]).toEqual({ tag: '待审', count: 1 })
  })

  it('opens from the keyboard: the Menu key and Shift+F10', async () => {
    mount()
    const item = tagButton('待审')
    item.focus()
    await fireEvent.keyDown(item, { key: 'ContextMenu' })
    let menu = screen.getByRole('menu', { name: 'Actions for “#待审”' })
    await waitFor(() => expect(document.activeElement?.textContent?.trim()).toBe('Rename…'))
    await fireEvent.keyDown(menu, { key: 'ArrowDown' })
    expect(document.activeElement?.textContent?.trim()).toBe('Delete')
    await fireEvent.keyDown(menu, { key: 'Escape' })
    expect(screen.queryByRole('menu')).toBeNull()
    expect(document.activeElement).toBe(item)
    await fireEvent.keyDown(item, { key: 'F10', shiftKey: true })
    menu = screen.getByRole('menu', { name: 'Actions for “#待审”' })
    await fireEvent.keyDown(menu, { key: 'Tab' })
    expect(screen.queryByRole('menu')).toBeNull()
    // Without Shift, F10 is not the menu key.
    await fireEvent.keyDown(item, { key: 'F10' })
    expect(screen.queryByRole('menu')).toBeNull()
  })

  it('renames from the menu through the real core; the articles keep the tag under its new name', async () => {
    const { onrename } = mount()
    await fireEvent.keyDown(tagButton('重点'), { key: 'F10', shiftKey: true })
    const menu = screen.getByRole('menu')
    await waitFor(() => expect(document.activeElement?.getAttribute('role')).toBe('menuitem'))
    await fireEvent.keyDown(menu, { key: 'Enter' })
    const input = await screen.findByRole('textbox', { name: 'New name for “#重点”' })
    await waitFor(() => expect(document.activeElement).toBe(input))
    // It starts from the tag's name, not its label.
    expect((input as HTMLInputElement).value).toBe('重点')
    await fireEvent.input(input, { target: { value: ' 要闻 ' } })
    await fireEvent.keyDown(input, { key: 'Enter' })
    await waitFor(() => expect(onrename).toHaveBeenCalledTimes(1))
    expect(onrename.mock.calls[0]?.[1]).toBe('要闻')
    expect(tagged('要闻')).toEqual(ids.slice(0, 2))
    expect(tagged('重点')).toEqual([])
    // Focus follows the tag to its new name.
    await waitFor(() => expect(document.activeElement).toBe(tagButton('要闻')))
    expect(screen.queryByRole('button', { name: /^#重点/u })).toBeNull()
  })

  it('renames with F2, merges onto an existing tag, and Escape cancels', async () => {
    const { onrename } = mount()
    // Escape in the field cancels without calling back; focus goes back to the tag.
    await fireEvent.keyDown(tagButton('待审'), { key: 'F2' })
    let field = await screen.findByRole('textbox', { name: 'New name for “#待审”' })
    await fireEvent.input(field, { target: { value: 'ignored' } })
    await fireEvent.keyDown(field, { key: 'Escape' })
    expect(screen.queryByRole('textbox')).toBeNull()
    await waitFor(() => expect(document.activeElement).toBe(tagButton('待审')))
    // Leaving the name unchanged calls nothing either.
    await fireEvent.keyDown(tagButton('待审'), { key: 'F2' })
    field = await screen.findByRole('textbox', { name: 'New name for “#待审”' })
    await fireEvent.keyDown(field, { key: 'Enter' })
    expect(onrename).not.toHaveBeenCalled()
    // Renaming onto 重点 merges: every article that had either tag now has 重点.
    await fireEvent.keyDown(tagButton('待审'), { key: 'F2' })
    field = await screen.findByRole('textbox', { name: 'New name for “#待审”' })
    await fireEvent.input(field, { target: { value: '重点' } })
    await fireEvent.keyDown(field, { key: 'Enter' })
    await waitFor(() => expect(onrename).toHaveBeenCalledTimes(1))
    expect(tagged('重点')).toEqual(ids.slice(0, 3))
    await waitFor(() => expect(document.activeElement).toBe(tagButton('重点')))
    expect(within(tagButton('重点')).getByText('3')).toBeTruthy()
    expect(screen.queryByRole('button', { name: /^#待审/u })).toBeNull()
  })

  it('Delete on a focused tag deletes it and stops there (the app’s Delete deletes articles)', async () => {
    const { ondelete } = mount()
    const outer = vi.fn()
    window.addEventListener('keydown', outer)
    onTestFinished(() => window.removeEventListener('keydown', outer))
    await fireEvent.keyDown(tagButton('重点'), { key: 'Delete' })
    expect(ondelete).toHaveBeenCalledWith({ tag: '重点', count: 2 })
    expect(outer).not.toHaveBeenCalled()
    // Other keys still reach the app (its single-letter shortcuts).
    await fireEvent.keyDown(tagButton('重点'), { key: 's' })
    expect(outer).toHaveBeenCalledTimes(1)
  })
})

describe('lists without rename or delete (views, sources)', () => {
  it('have no menu, no F2 and no Delete', async () => {
    const outer = vi.fn()
    window.addEventListener('keydown', outer)
    onTestFinished(() => window.removeEventListener('keydown', outer))
    render(FilterList, {
      title: 'Sources',
      items: listSources(library.db),
      keyOf: (s: unknown) => (s as SourceCount).source,
      labelOf: (s: unknown) => (s as SourceCount).source,
      countOf: (s: unknown) => (s as SourceCount).count,
      selectedKey: null,
      onselect: () => {}
    })
    const items = within(screen.getByRole('region', { name: 'Sources' })).getAllByRole('button')
    expect(items.length).toBeGreaterThan(0)
    const item = items[0]!
    expect(item.getAttribute('aria-haspopup')).toBeNull()
    // The browser's own menu is left alone.
    expect(await fireEvent.contextMenu(item)).toBe(true)
    item.focus()
    await fireEvent.keyDown(item, { key: 'F10', shiftKey: true })
    await fireEvent.keyDown(item, { key: 'ContextMenu' })
    await fireEvent.keyDown(item, { key: 'F2' })
    expect(screen.queryByRole('menu')).toBeNull()
    expect(screen.queryByRole('textbox')).toBeNull()
    // Every key goes on to the app, as before.
    await fireEvent.keyDown(item, { key: 'Delete' })
    expect(outer).toHaveBeenCalledTimes(4)
  })
})

describe('tag edits in the app', () => {
  // jsdom has no layout: the article list's virtualizer only needs the observer to exist.
  beforeEach(() => {
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe(): void {}
        unobserve(): void {}
        disconnect(): void {}
      }
    )
  })
  afterEach(() => vi.unstubAllGlobals())
  /** The app over the real service (in a child process) on the test library. */
  const bridge = (): GleanerBridge => {
    const child = childBridge(library.path)
    onTestFinished(() => child.close())
    return child.bridge
  }
  const tagsList = async (): Promise<HTMLElement> =>
    screen.findByRole('region', { name: 'Tags' }, { timeout: 5000 })

  it('deletes the selected tag (back to All articles) and Undo puts it back on the same articles, announced in the toast', async () => {
    render(App, { bridge: bridge(), bridgeKind: 'http' })
    const tags = await tagsList()
    const item = within(tags).getByRole('button', { name: /^#重点/u })
    await fireEvent.click(item)
    await waitFor(() => expect(item.getAttribute('aria-current')).toBe('true'))
    await fireEvent.contextMenu(item)
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Delete' }))
    const toast = await screen.findByText('Deleted tag “重点” from 2 articles')
    expect(tagged('重点')).toEqual([])
    await waitFor(() => expect(within(tags).queryByRole('button', { name: /^#重点/u })).toBeNull())
    // Focus moves to the next tag instead of falling out of the pane.
    await waitFor(() =>
      expect(document.activeElement).toBe(within(tags).getByRole('button', { name: /^#待审/u }))
    )
    // The list went back to All articles.
    const views = screen.getByRole('region', { name: 'Views' })
    await waitFor(() =>
      expect(within(views).getByRole('button', { name: 'All' }).getAttribute('aria-current')).toBe(
        'true'
      )
    )
    await fireEvent.click(within(toast.parentElement!).getByRole('button', { name: 'Undo' }))
    await waitFor(() => expect(tagged('重点')).toEqual(ids.slice(0, 2)))
    // The toast now says what the undo did, and offers to redo it.
    await screen.findByText('Undid: Delete Tag')
    expect(screen.queryByText('Deleted tag “重点” from 2 articles')).toBeNull()
    // The tag is back in the list with its two articles.
    const back = await within(tags).findByRole('button', { name: /^#重点/u })
    await waitFor(() => expect(back.textContent).toContain('2'))
    expect(tagged('待审')).toEqual(ids.slice(2, 3))
  })

  it('renames the selected tag and keeps showing its articles under the new name', async () => {
    render(App, { bridge: bridge(), bridgeKind: 'http' })
    const tags = await tagsList()
    const item = within(tags).getByRole('button', { name: /^#重点/u })
    await fireEvent.click(item)
    await fireEvent.keyDown(item, { key: 'F2' })
    const field = await within(tags).findByRole('textbox', { name: 'New name for “#重点”' })
    await fireEvent.input(field, { target: { value: '要闻' } })
    await fireEvent.keyDown(field, { key: 'Enter' })
    const renamed = await within(tags).findByRole('button', { name: /^#要闻/u })
    await waitFor(() => expect(renamed.getAttribute('aria-current')).toBe('true'))
    expect(tagged('要闻')).toEqual(ids.slice(0, 2))
    await waitFor(() => expect(document.activeElement).toBe(renamed))
  })
})
