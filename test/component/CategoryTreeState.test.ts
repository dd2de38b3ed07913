// The category tree's first expanded state: big trees start at their top level (each open
// branch is DOM for the whole session), small ones fully open; with a persistKey the branches
// left open come back after a restart (a remount), by path.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CategoryNode } from '../../src/shared/types'
import CategoryTree from '../../src/renderer/src/components/CategoryTree.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'

/** `roots` top-level categories with `children` each: roots × (children + 1) nodes. */
function tree(roots: number, children: number): CategoryNode[] {
  let id = 0
  return Array.from({ length: roots }, (_, r) => ({
    id: ++id,
    name: `root${r}`,
    path: [`root${r}`],
    count: children,
    children: Array.from({ length: children }, (_, c) => ({
      id: ++id,
      name: `leaf${r}-${c}`,
      path: [`root${r}`, `leaf${r}-${c}`],
      count: 1,
      children: []
    }))
  }))
}

const mount = (nodes: CategoryNode[], persistKey?: string): void => {
  render(CategoryTree, {
    nodes,
    totalCount: 1,
    selected: null,
    onselect: () => {},
    ...(persistKey ? { persistKey } : {})
  })
}

const itemNamed = (name: string): HTMLElement => {
  const found = screen
    .getAllByRole('treeitem')
    .find((item) => item.querySelector('.name')?.textContent === name)
  if (!found) throw new Error(`no tree item ${name}`)
  return found
}
const shownNames = (): (string | null | undefined)[] =>
  screen.getAllByRole('treeitem').map((item) => item.querySelector('.name')?.textContent)

beforeEach(() => {
  i18n.set('en')
  localStorage.clear()
})
afterEach(() => localStorage.clear())

describe('CategoryTree expanded state', () => {
  it('opens a small tree fully and a big one at its top level only', () => {
    mount(tree(3, 4))
    expect(screen.getAllByRole('treeitem')).toHaveLength(1 + 3 * 5)
    cleanup()
    mount(tree(12, 6))
    // All articles and the 12 roots; none of the 72 leaves.
    expect(screen.getAllByRole('treeitem')).toHaveLength(13)
  })

  it('opens a branch of a big tree on demand', async () => {
    mount(tree(12, 6))
    const root3 = screen.getAllByRole('treeitem')[4]!
    await fireEvent.click(within(root3).getByRole('button', { name: 'Expand' }))
    expect(screen.getAllByRole('treeitem')).toHaveLength(13 + 6)
    expect(screen.getByText('leaf3-0')).toBeTruthy()
  })
})

describe('CategoryTree remembered state (persistKey)', () => {
  it('brings back the branches opened and closed by hand after a remount', async () => {
    mount(tree(12, 6), 'test-tree')
    // Nothing saved: the big tree's default (top level only), and the default is not saved.
    expect(screen.getAllByRole('treeitem')).toHaveLength(13)
    expect(localStorage.getItem('gleaner.tree.test-tree')).toBeNull()
    await fireEvent.click(within(itemNamed('root3')).getByRole('button', { name: 'Expand' }))
    await fireEvent.click(within(itemNamed('root7')).getByRole('button', { name: 'Expand' }))
    // The keyboard opens and closes too: root7 closed again with ArrowLeft.
    await fireEvent.click(itemNamed('root7'))
    await fireEvent.keyDown(itemNamed('root7'), { key: 'ArrowLeft' })
    await fireEvent.click(itemNamed('root9'))
    await fireEvent.keyDown(itemNamed('root9'), { key: 'ArrowRight' })
    expect(screen.getAllByRole('treeitem')).toHaveLength(13 + 12)
    cleanup()

    mount(tree(12, 6), 'test-tree')
    expect(screen.getAllByRole('treeitem')).toHaveLength(13 + 12)
    expect(itemNamed('root3').getAttribute('aria-expanded')).toBe('true')
    expect(itemNamed('root7').getAttribute('aria-expanded')).toBe('false')
    expect(itemNamed('root9').getAttribute('aria-expanded')).toBe('true')
    expect(shownNames()).toContain('leaf9-5')
    // Collapse one now; the next mount sees that too.
    await fireEvent.click(within(itemNamed('root3')).getByRole('button', { name: 'Collapse' }))
    cleanup()

    mount(tree(12, 6), 'test-tree')
    expect(itemNamed('root3').getAttribute('aria-expanded')).toBe('false')
    expect(itemNamed('root9').getAttribute('aria-expanded')).toBe('true')
    expect(screen.getAllByRole('treeitem')).toHaveLength(13 + 6)
  })

  it('remembers a small tree closed by hand instead of reopening it fully', async () => {
    mount(tree(3, 4), 'small')
    expect(screen.getAllByRole('treeitem')).toHaveLength(16)
    await fireEvent.click(within(itemNamed('root1')).getByRole('button', { name: 'Collapse' }))
    cleanup()
    mount(tree(3, 4), 'small')
    expect(screen.getAllByRole('treeitem')).toHaveLength(16 - 4)
    expect(itemNamed('root1').getAttribute('aria-expanded')).toBe('false')
  })

  it('keys by path: the state survives new ids, and vanished branches are dropped', async () => {
    mount(tree(12, 6), 'by-path')
    await fireEvent.click(within(itemNamed('root2')).getByRole('button', { name: 'Expand' }))
    cleanup()
    // Same paths, other ids (as after a delete and restore), and root2 gone from the next tree.
    const renumbered = tree(12, 6).map((root) => ({
      ...root,
      id: root.id + 1000,
      children: root.children.map((c) => ({ ...c, id: c.id + 1000 }))
    }))
    mount(renumbered, 'by-path')
    expect(itemNamed('root2').getAttribute('aria-expanded')).toBe('true')
    cleanup()
    mount(
      renumbered.filter((root) => root.name !== 'root2'),
      'by-path'
    )
    expect(screen.getAllByRole('treeitem')).toHaveLength(12)
  })

  it('keeps nothing for a tree without a persistKey (other instances, tests)', async () => {
    mount(tree(12, 6))
    await fireEvent.click(within(itemNamed('root3')).getByRole('button', { name: 'Expand' }))
    expect(localStorage.length).toBe(0)
    cleanup()
    mount(tree(12, 6))
    expect(screen.getAllByRole('treeitem')).toHaveLength(13)
  })

  it('ignores a broken saved value and opens the default way', () => {
    localStorage.setItem('gleaner.tree.broken', '{not json')
    mount(tree(3, 4), 'broken')
    expect(screen.getAllByRole('treeitem')).toHaveLength(16)
  })
})
