import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { CategoryNode } from '../../src/shared/types'
import CategoryTree from '../../src/renderer/src/components/CategoryTree.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { IMPORT_TIMEOUT_MS, openRealLibrary, type RealLibrary } from './realLibrary'

let library: RealLibrary
let nodes: CategoryNode[]

beforeAll(async () => {
  i18n.set('en')
  library = openRealLibrary()
  nodes = await library.service.categories()
}, IMPORT_TIMEOUT_MS)
afterAll(() => library.dispose())

describe('CategoryTree', () => {
  it('shows All articles on top and the seed hierarchy with counts and levels', () => {
    render(CategoryTree, { nodes, totalCount: 1, selected: null, onselect: () => {} })
    const items = screen.getAllByRole('treeitem')
    expect(items.map((item) => item.querySelector('.name')?.textContent)).toEqual([
      'All articles',
      '金融',
      '新浪财经',
      '新浪财经－国內'
    ])
    expect(items.map((item) => item.getAttribute('aria-level'))).toEqual(['1', '1', '2', '3'])
    expect(items.map((item) => item.querySelector('.count')?.textContent)).toEqual([
      '1',
      '1',
      '1',
      '1'
    ])
    expect(items[0]!.getAttribute('aria-selected')).toBe('true')
  })

  it('selects a category by click with its full path', async () => {
    const onselect = vi.fn()
    render(CategoryTree, { nodes, totalCount: 1, selected: null, onselect })
    await fireEvent.click(screen.getByText('新浪财经－国內'))
    expect(onselect).toHaveBeenCalledWith(['金融', '新浪财经', '新浪财经－国內'])
    await fireEvent.click(screen.getByText('All articles'))
    expect(onselect).toHaveBeenLastCalledWith(null)
  })

  it('collapses and expands with the twisty and with arrow keys', async () => {
    render(CategoryTree, { nodes, totalCount: 1, selected: null, onselect: () => {} })
    const root = screen.getAllByRole('treeitem')[1]!
    expect(root.getAttribute('aria-expanded')).toBe('true')
    await fireEvent.click(within(root).getByRole('button', { name: 'Collapse' }))
    expect(screen.getAllByRole('treeitem')).toHaveLength(2)
    expect(root.getAttribute('aria-expanded')).toBe('false')
    await fireEvent.keyDown(root, { key: 'ArrowDown' })
    await fireEvent.keyDown(root, { key: 'ArrowRight' })
    // Reopened, the branch shows its children as they were (新浪财经 stayed expanded).
    expect(screen.getAllByRole('treeitem')).toHaveLength(4)
    expect(root.getAttribute('aria-expanded')).toBe('true')
  })

  it('walks the visible items with arrow keys and selects with Enter', async () => {
    const onselect = vi.fn()
    render(CategoryTree, { nodes, totalCount: 1, selected: null, onselect })
    const tree = screen.getByRole('tree')
    for (let i = 0; i < 3; i++) await fireEvent.keyDown(tree, { key: 'ArrowDown' })
    expect(document.activeElement?.textContent).toContain('新浪财经－国內')
    await fireEvent.keyDown(tree, { key: 'Enter' })
    expect(onselect).toHaveBeenCalledWith(['金融', '新浪财经', '新浪财经－国內'])
    await fireEvent.keyDown(tree, { key: 'ArrowLeft' })
    expect(document.activeElement?.querySelector('.name')?.textContent).toBe('新浪财经')
  })
})
