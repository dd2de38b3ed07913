// The list's cursor and the articles picked for bulk actions, over whichever list is shown
// (articles, search hits, a collection): one selection model, so picking, ranges and bulk
// actions behave the same everywhere. Picks are ids (a user's picks are few); the cursor is
// an index into the shown list.
import { SvelteSet } from 'svelte/reactivity'
import type { ArticleSummary } from '../../../shared/types'

/** What the selection needs of a list: its length and its rows by index. */
export interface RowSource {
  readonly total: number
  row(index: number): ArticleSummary | undefined
  indexOf(id: number): number
}

/** Rows of pages not loaded are skipped in a range; a range this long is rare and bounded. */
export const MAX_RANGE = 5000

export class Selection {
  /** The keyboard cursor, -1 when none. */
  cursor = $state(-1)
  readonly picked = new SvelteSet<number>()
  #rows: () => RowSource

  constructor(rows: () => RowSource) {
    this.#rows = rows
  }

  /** A new list: nothing under the cursor, nothing picked. */
  reset(): void {
    this.cursor = -1
    this.picked.clear()
  }

  get rows(): RowSource {
    return this.#rows()
  }

  /** Moves the cursor (and drops picks: moving alone means "this one"). Returns the index. */
  moveTo(index: number, keepPicks = false): number {
    const total = this.rows.total
    if (total === 0) return -1
    const at = Math.max(0, Math.min(total - 1, index))
    if (!keepPicks) this.picked.clear()
    this.cursor = at
    return at
  }

  move(delta: number, keepPicks = false): number {
    return this.moveTo(
      this.cursor < 0 ? (delta > 0 ? 0 : this.rows.total - 1) : this.cursor + delta,
      keepPicks
    )
  }

  /** Ctrl/⌘-click or x: adds or drops one row; picking starts from the cursor row. */
  toggle(index: number): void {
    const row = this.rows.row(index)
    if (!row) return
    const cursorRow =
      this.picked.size === 0 && this.cursor >= 0 ? this.rows.row(this.cursor) : undefined
    if (cursorRow && cursorRow.id !== row.id) this.picked.add(cursorRow.id)
    if (this.picked.has(row.id)) this.picked.delete(row.id)
    else this.picked.add(row.id)
    this.cursor = index
  }

  /** Shift-click or Shift+j/k: picks every row from the cursor to `index`. */
  extendTo(index: number): void {
    const total = this.rows.total
    if (index < 0 || index >= total) return
    const from = this.cursor < 0 ? index : this.cursor
    const [lo, hi] = from <= index ? [from, index] : [index, from]
    for (let i = lo; i <= Math.min(hi, lo + MAX_RANGE); i++) {
      const id = this.rows.row(i)?.id
      if (id !== undefined) this.picked.add(id)
    }
    this.cursor = index
  }

  /** Picks these ids (Select all hits); the cursor stays. */
  pickAll(ids: readonly number[]): void {
    for (const id of ids) this.picked.add(id)
  }

  clear(): void {
    this.picked.clear()
  }

  /** The row under the cursor. */
  get current(): ArticleSummary | undefined {
    return this.cursor >= 0 ? this.rows.row(this.cursor) : undefined
  }

  /**
   * The articles an action applies to: the picked ones, else the cursor's, else `fallback`
   * (the open article) — always from the list on screen.
   */
  targets(fallback?: ArticleSummary | null): ArticleSummary[] {
    if (this.picked.size > 0) {
      const rows: ArticleSummary[] = []
      for (const id of this.picked) {
        const at = this.rows.indexOf(id)
        const row = at >= 0 ? this.rows.row(at) : undefined
        rows.push(row ?? ({ id, read: false, starred: false } as ArticleSummary))
      }
      return rows
    }
    const row = this.current ?? fallback ?? undefined
    return row ? [row] : []
  }

  isSelected(index: number, id: number | undefined): boolean {
    return this.picked.size > 0 ? id !== undefined && this.picked.has(id) : index === this.cursor
  }
}
