// The left pane's context menus and the bulk bar's tagging, over a real imported library: the
// menu's keyboard behaviour (WAI-ARIA menu pattern), inline rename through the real core, delete,
// merge into a chosen category, the collections menu, and adding/removing a tag.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import { tick } from 'svelte'
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import type { CategoryNode } from '../../src/shared/types'
import type { CollectionSummary } from '../../src/shared/export-types'
import CategoryTree from '../../src/renderer/src/components/CategoryTree.svelte'
import BulkBar from '../../src/renderer/src/components/BulkBar.svelte'
import CollectionList from '../../src/renderer/src/components/CollectionList.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { movedPath } from '../../src/renderer/src/lib/taxonomy'
import { categoryTree } from '../../src/core/library/categories'
import { renameCategory } from '../../src/core/library/category-edit'
import { IMPORT_TIMEOUT_MS, openRealLibrary, type RealLibrary } from './realLibrary'

let library: RealLibrary

beforeAll(() => {
  i18n.set('en')
  library = openRealLibrary()
}, IMPORT_TIMEOUT_MS)
afterAll(() => library.dispose())

const names = (): (string | null | undefined)[] =>
  screen.getAllByRole('treeitem').map((item) => item.querySelector('.name')?.textContent)
const itemNamed = (name: string): HTMLElement => {
  const found = screen
    .getAllByRole('treeitem')
    .find((item) => item.querySelector('.name')?.textContent === name)
  if (!found) throw new Error(`no tree item ${name}`)
  return found
}

describe('the category context menu', () => {
  it('opens on right-click as a keyboard-operable menu and gives focus back on Escape', async () => {
    const nodes = categoryTree(library.db)
    render(CategoryTree, {
      nodes,
      totalCount: 1,
      selected: null,
      onselect: () => {},
      onrename: async () => null,
      ondelete: () => {},
      onmerge: () => {}
    })
    const item = itemNamed('新浪财经')
    expect(item.getAttribute('aria-haspopup')).toBe('menu')
    // All articles is not a category: no menu there.
    expect(itemNamed('All articles').getAttribute('aria-haspopup')).toBeNull()
    await fireEvent.contextMenu(item, { clientX: 20, clientY: 40 })
    const menu = screen.getByRole('menu')
    const entries = within(menu).getAllByRole('menuitem')
    expect(entries.map((e) => e.textContent?.trim())).toEqual([
      'Rename…',
      'Merge into…',
      'Delete category'
    ])
    await waitFor(() => expect(document.activeElement).toBe(entries[0]))
    await fireEvent.keyDown(menu, { key: 'ArrowDown' })
    expect(document.activeElement).toBe(entries[1])
    await fireEvent.keyDown(menu, { key: 'ArrowUp' })
    await fireEvent.keyDown(menu, { key: 'ArrowUp' })
    // Wraps around to the last item.
    expect(document.activeElement).toBe(entries[2])
    await fireEvent.keyDown(menu, { key: 'Home' })
    expect(document.activeElement).toBe(entries[0])
    await fireEvent.keyDown(menu, { key: 'Escape' })
    expect(screen.queryByRole('menu')).toBeNull()
    expect(document.activeElement).toBe(item)
  })

  it('renames inline from Shift+F10 through the real core, and the tree shows the new path', async () => {
    onTestFinished(() => {
      const renamed = categoryTree(library.db)[0]?.children[0]
      if (renamed && renamed.name !== '新浪财经') renameCategory(library.db, renamed.id, '新浪财经')
    })
    const onrename = vi.fn(async (node: CategoryNode, name: string) => {
      const edit = renameCategory(library.db, node.id, name)
      return edit.path
    })
    const { rerender } = render(CategoryTree, {
      nodes: categoryTree(library.db),
      totalCount: 1,
      selected: null,
      onselect: () => {},
      onrename,
      ondelete: () => {},
      onmerge: () => {}
    })
    const item = itemNamed('新浪财经')
    await fireEvent.click(item)
    await fireEvent.keyDown(item, { key: 'F10', shiftKey: true })
    const menu = screen.getByRole('menu')
    await waitFor(() => expect(document.activeElement?.getAttribute('role')).toBe('menuitem'))
    await fireEvent.keyDown(menu, { key: 'Enter' })
    expect(screen.queryByRole('menu')).toBeNull()
    const input = await screen.findByRole('textbox', { name: 'New name for “新浪财经”' })
    await waitFor(() => expect(document.activeElement).toBe(input))
    await fireEvent.input(input, { target: { value: '新浪' } })
    await fireEvent.keyDown(input, { key: 'Enter' })
    await waitFor(() => expect(onrename).toHaveBeenCalledTimes(1))
    expect(onrename.mock.calls[0]?.[1]).toBe('新浪')
    // The app reloads the tree after an edit; the renamed branch keeps its open state.
    await rerender({ nodes: categoryTree(library.db) })
    expect(names()).toEqual(['All articles', '金融', '新浪', '新浪财经－国內'])
    expect(categoryTree(library.db)[0]?.children[0]?.children[0]?.path).toEqual([
      '金融',
      '新浪',
      '新浪财经－国內'
    ])
    await waitFor(() => expect(document.activeElement).toBe(itemNamed('新浪')))
    // Escape in the field cancels without calling the core.
    await fireEvent.keyDown(itemNamed('新浪'), { key: 'F2' })
    const again = await screen.findByRole('textbox')
    await fireEvent.input(again, { target: { value: 'ignored' } })
    await fireEvent.keyDown(again, { key: 'Escape' })
    expect(screen.queryByRole('textbox')).toBeNull()
    expect(onrename).toHaveBeenCalledTimes(1)
  })

  it('deletes, and merges into a chosen category that is not inside the source', async () => {
    const ondelete = vi.fn()
    const onmerge = vi.fn()
    render(CategoryTree, {
      nodes: categoryTree(library.db),
      totalCount: 1,
      selected: null,
      onselect: () => {},
      onrename: async () => null,
      ondelete,
      onmerge
    })
    await fireEvent.contextMenu(itemNamed('新浪财经－国內'))
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Delete category' }))
    expect(ondelete).toHaveBeenCalledTimes(1)
    expect(ondelete.mock.calls[0]?.[0].path).toEqual(['金融', '新浪财经', '新浪财经－国內'])
    // The Delete key on a focused category does the same, and stops there (the app's own
    // Delete shortcut would delete the list's articles).
    const outer = vi.fn()
    window.addEventListener('keydown', outer)
    await fireEvent.click(itemNamed('金融'))
    await fireEvent.keyDown(itemNamed('金融'), { key: 'Delete' })
    window.removeEventListener('keydown', outer)
    expect(ondelete).toHaveBeenCalledTimes(2)
    expect(ondelete.mock.calls[1]?.[0].path).toEqual(['金融'])
    expect(outer).not.toHaveBeenCalled()

    await fireEvent.contextMenu(itemNamed('新浪财经'))
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Merge into…' }))
    const chooser = screen.getByRole('combobox', { name: 'Merge “新浪财经” into' })
    const options = within(chooser)
      .getAllByRole('option')
      .map((o) => o.textContent)
    // Neither itself nor its own sub-category is offered.
    expect(options).toEqual(['Choose a category…', '金融'])
    const merge = screen.getByRole('button', { name: 'Merge' })
    expect((merge as HTMLButtonElement).disabled).toBe(true)
    await fireEvent.change(chooser, { target: { value: '金融' } })
    await fireEvent.click(merge)
    expect(onmerge).toHaveBeenCalledTimes(1)
    expect(onmerge.mock.calls[0]?.[0].name).toBe('新浪财经')
    expect(onmerge.mock.calls[0]?.[1].path).toEqual(['金融'])
    expect(screen.queryByRole('combobox')).toBeNull()
  })

  it('has no menu when the tree is not editable', async () => {
    render(CategoryTree, {
      nodes: categoryTree(library.db),
      totalCount: 1,
      selected: null,
      onselect: () => {}
    })
    await fireEvent.contextMenu(itemNamed('金融'))
    expect(screen.queryByRole('menu')).toBeNull()
  })

  it('follows a selection into a renamed, merged or deleted branch', () => {
    const sel = ['金融', '新浪财经', '新浪财经－国內']
    expect(movedPath(sel, ['金融', '新浪财经'], ['金融', '新浪'])).toEqual([
      '金融',
      '新浪',
      '新浪财经－国內'
    ])
    expect(movedPath(sel, ['金融', '新浪财经'], null)).toBeNull()
    expect(movedPath(sel, ['金融', '雪球'], ['金融', 'x'])).toBe(sel)
  })
})

describe('the collections menu', () => {
  it('offers New collection, which moves focus to the name field', async () => {
    render(CollectionList, {
      collections: [],
      selectedId: null,
      onselect: () => {},
      oncreate: vi.fn()
    })
    const section = screen.getByRole('region', { name: 'Collections' })
    await fireEvent.contextMenu(section)
    const item = screen.getByRole('menuitem', { name: 'New collection…' })
    await fireEvent.click(item)
    expect(screen.queryByRole('menu')).toBeNull()
    await tick()
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'New collection…' }))
    )
  })
})

describe('a collection’s context menu', () => {
  const collections: CollectionSummary[] = [
    { id: 1, name: '进博会简报', query: null, createdAt: '2026-11-29T00:00:00Z', itemCount: 2 },
    { id: 2, name: '周报', query: null, createdAt: '2026-11-29T00:00:00Z', itemCount: 0 }
  ]
  const mount = () => {
    const handlers = {
      onrename: vi.fn(async () => {}),
      ondelete: vi.fn(),
      onexport: vi.fn()
    }
    render(CollectionList, {
      collections,
      selectedId: null,
      onselect: () => {},
      oncreate: () => {},
      ...handlers
    })
    return handlers
  }

  it('opens on right-click with Rename…, Export…, Delete and runs each on that collection', async () => {
    const { ondelete, onexport } = mount()
    const item = screen.getByRole('button', { name: /进博会简报/u })
    expect(item.getAttribute('aria-haspopup')).toBe('menu')
    await fireEvent.contextMenu(item, { clientX: 10, clientY: 10 })
    const menu = screen.getByRole('menu', { name: 'Actions for collection “进博会简报”' })
    expect(
      within(menu)
        .getAllByRole('menuitem')
        .map((e) => e.textContent?.trim())
    ).toEqual(['Rename…', 'Export…', 'Delete collection', 'New collection…'])
    await fireEvent.click(within(menu).getByRole('menuitem', { name: 'Export…' }))
    expect(onexport).toHaveBeenCalledWith(collections[0])
    await fireEvent.contextMenu(screen.getByRole('button', { name: /周报/u }))
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Delete collection' }))
    expect(ondelete).toHaveBeenCalledWith(collections[1])
    expect(ondelete).toHaveBeenCalledTimes(1)
  })

  it('opens from the keyboard (Shift+F10, the Menu key) and renames inline', async () => {
    const { onrename } = mount()
    const item = screen.getByRole('button', { name: /周报/u })
    item.focus()
    await fireEvent.keyDown(item, { key: 'ContextMenu' })
    let menu = screen.getByRole('menu', { name: 'Actions for collection “周报”' })
    await fireEvent.keyDown(menu, { key: 'Escape' })
    expect(screen.queryByRole('menu')).toBeNull()
    expect(document.activeElement).toBe(item)
    await fireEvent.keyDown(item, { key: 'F10', shiftKey: true })
    menu = screen.getByRole('menu', { name: 'Actions for collection “周报”' })
    await waitFor(() => expect(document.activeElement?.textContent?.trim()).toBe('Rename…'))
    await fireEvent.keyDown(menu, { key: 'Enter' })
    const input = await screen.findByRole('textbox', { name: 'New name for collection “周报”' })
    await waitFor(() => expect(document.activeElement).toBe(input))
    await fireEvent.input(input, { target: { value: ' 每周简报 ' } })
    await fireEvent.keyDown(input, { key: 'Enter' })
    await waitFor(() => expect(onrename).toHaveBeenCalledWith(collections[1], '每周简报'))
    // Escape cancels a rename without calling back; F2 starts one.
    const again = screen.getByRole('button', { name: /周报/u })
    await fireEvent.keyDown(again, { key: 'F2' })
    const field = await screen.findByRole('textbox', { name: 'New name for collection “周报”' })
    await fireEvent.input(field, { target: { value: 'ignored' } })
    await fireEvent.keyDown(field, { key: 'Escape' })
    expect(screen.queryByRole('textbox', { name: /New name/u })).toBeNull()
    expect(onrename).toHaveBeenCalledTimes(1)
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('button', { name: /周报/u }))
    )
  })

  it('Delete on a focused collection deletes it (the app offers Undo)', async () => {
    const { ondelete } = mount()
    const item = screen.getByRole('button', { name: /进博会简报/u })
    await fireEvent.keyDown(item, { key: 'Delete' })
    expect(ondelete).toHaveBeenCalledWith(collections[0])
  })
})

describe('bulk tagging', () => {
  it('adds or removes a typed tag on the picked articles, and Escape closes the field', async () => {
    const ontag = vi.fn()
    render(BulkBar, {
      count: 2,
      collections: [],
      oncollect: () => {},
      tags: ['重点', '待审'],
      ontag,
      onread: () => {},
      onstar: () => {},
      ondelete: () => {},
      onclear: () => {}
    })
    const open = screen.getByRole('button', { name: 'Tag…' })
    expect(open.getAttribute('aria-expanded')).toBe('false')
    await fireEvent.click(open)
    expect(open.getAttribute('aria-expanded')).toBe('true')
    const field = screen.getByRole('combobox', { name: 'Tag name' })
    await waitFor(() => expect(document.activeElement).toBe(field))
    // Existing tags are suggested.
    const list = document.getElementById(field.getAttribute('list') ?? '')
    expect([...(list?.querySelectorAll('option') ?? [])].map((o) => o.value)).toEqual([
      '重点',
      '待审'
    ])
    const add = screen.getByRole('button', { name: 'Add tag' })
    expect((add as HTMLButtonElement).disabled).toBe(true)
    await fireEvent.input(field, { target: { value: ' 重点 ' } })
    await fireEvent.click(add)
    expect(ontag).toHaveBeenLastCalledWith('重点', true)
    expect(screen.queryByRole('combobox', { name: 'Tag name' })).toBeNull()

    await fireEvent.click(open)
    const again = screen.getByRole('combobox', { name: 'Tag name' })
    await fireEvent.input(again, { target: { value: '待审' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Remove tag' }))
    expect(ontag).toHaveBeenLastCalledWith('待审', false)

    await fireEvent.click(open)
    await fireEvent.keyDown(screen.getByRole('combobox', { name: 'Tag name' }), { key: 'Escape' })
    expect(screen.queryByRole('combobox', { name: 'Tag name' })).toBeNull()
    await waitFor(() => expect(document.activeElement).toBe(open))
    expect(ontag).toHaveBeenCalledTimes(2)
  })
})
