// The category tree's first expanded state: big trees start at their top level (each open
// branch is DOM for the whole session), small ones fully open.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { beforeEach, describe, expect, it } from 'vitest'
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

const mount = (nodes: CategoryNode[]): void => {
  render(CategoryTree, { nodes, totalCount: 1, selected: null, onselect: () => {} })
}

beforeEach(() => i18n.set('en'))

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
