// A long list paged from the core as the user scrolls (the article list, all notes and
// highlights): only the pages near the viewport are held, each a frozen array in a plain Map
// (not deep $state), so 100k rows never become 100k reactive proxies. Rows ask for their
// index; pages load on demand, the latest wanted first.
import { errorData, type ErrorData } from '../../../shared/errors'

export const PAGE_SIZE = 100
/**
 * The first request after a reset asks for fewer rows: enough to fill a tall window, and a
 * quarter of the bytes to carry and decode before the list can paint. The rest of that page
 * comes when a row past them is wanted.
 */
export const FIRST_ROWS = 30
/** Pages kept in memory; older ones are dropped and re-fetched if scrolled back to. */
const MAX_PAGES = 30
/**
 * Page requests in flight at once, and waiting. Scrolling asks for every page it passes; only
 * the latest few are worth fetching (newest first), or a far jump waits behind pages the user
 * already left (the core answers one query at a time).
 */
const MAX_IN_FLIGHT = 2
const MAX_QUEUED = 3

/** What a page request returns: some rows and how many there are in all. */
export interface Page<Row> {
  total: number
  items: Row[]
}

export type FetchPage<Row> = (offset: number, limit: number) => Promise<Page<Row>>

const nothing = async (): Promise<Page<never>> => ({ total: 0, items: [] })

export class Pager<Row extends { id: number }> {
  /** Rows in the whole list (the length the virtualizer sees). */
  total = $state(0)
  /** Bumped whenever any page arrives or a row changes, so visible rows re-read. */
  version = $state(0)
  loaded = $state(false)
  /** Why the list could not load (a query that cannot be understood), as the core said it. */
  error: ErrorData | null = $state.raw(null)

  // Deliberately not SvelteMap/SvelteSet: rows re-read through `version`, one signal for all.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pages = new Map<number, Row[]>()
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pending = new Set<number>()
  /** Pages holding only their first FIRST_ROWS rows (more exist). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #partial = new Set<number>()
  /** Pages wanted but not yet requested, most recent last. */
  #queue: number[] = []
  #inFlight = 0
  #generation = 0
  #fetch: FetchPage<Row> = nothing

  /** Starts over, fetching pages with `fetch`; resolves once the first rows are in. */
  protected async start(fetch: FetchPage<Row>): Promise<void> {
    this.#fetch = fetch
    this.#generation++
    this.#pages.clear()
    this.#pending.clear()
    this.#partial.clear()
    this.#queue = []
    this.loaded = false
    this.error = null
    await this.#load(0, FIRST_ROWS)
  }

  /** Starts with the first page already known (what the window was first drawn with). */
  protected fill(first: Page<Row>, fetch: FetchPage<Row>): void {
    this.#fetch = fetch
    this.#pages.set(0, Object.freeze(first.items.slice()) as Row[])
    if (first.items.length < first.total && first.items.length < PAGE_SIZE) this.#partial.add(0)
    this.total = first.total
    this.loaded = true
    this.version++
  }

  /** Reads the same list again (after an import or an edit), keeping nothing stale. */
  refresh(): Promise<void> {
    return this.start(this.#fetch)
  }

  /** The row at index, or undefined while its page loads (the row shows a placeholder). */
  row(index: number): Row | undefined {
    void this.version
    const page = Math.floor(index / PAGE_SIZE)
    const rows = this.#pages.get(page)
    const at = index - page * PAGE_SIZE
    if (!rows || (at >= rows.length && this.#partial.has(page))) {
      this.#request(page)
      return undefined
    }
    return rows[at]
  }

  /** Rows are immutable: replace one after an edit and let visible rows re-read. */
  patch(id: number, change: Partial<Row>): void {
    for (const [page, rows] of this.#pages) {
      const at = rows.findIndex((row) => row.id === id)
      if (at < 0) continue
      const next = rows.slice()
      next[at] = { ...rows[at]!, ...change }
      this.#pages.set(page, next)
      this.version++
    }
  }

  indexOf(id: number): number {
    for (const [page, rows] of this.#pages) {
      const at = rows.findIndex((row) => row.id === id)
      if (at >= 0) return page * PAGE_SIZE + at
    }
    return -1
  }

  #request(page: number): void {
    if (this.#pending.has(page)) return
    const at = this.#queue.indexOf(page)
    if (at >= 0) this.#queue.splice(at, 1)
    this.#queue.push(page)
    if (this.#queue.length > MAX_QUEUED) this.#queue.splice(0, this.#queue.length - MAX_QUEUED)
    this.#pump()
  }

  #pump(): void {
    while (this.#inFlight < MAX_IN_FLIGHT && this.#queue.length > 0) {
      void this.#load(this.#queue.pop()!)
    }
  }

  async #load(page: number, limit = PAGE_SIZE): Promise<void> {
    if (this.#pending.has(page)) return
    this.#pending.add(page)
    this.#inFlight++
    const generation = this.#generation
    try {
      const result = await this.#fetch(page * PAGE_SIZE, limit)
      if (generation !== this.#generation) return
      this.#pages.set(page, Object.freeze(result.items) as Row[])
      if (limit < PAGE_SIZE && result.items.length === limit) this.#partial.add(page)
      else this.#partial.delete(page)
      this.#evict(page)
      this.total = result.total
      this.error = null
      this.loaded = true
      this.version++
    } catch (err) {
      if (generation === this.#generation) {
        this.error = errorData(err)
        this.total = 0
        this.loaded = true
      }
    } finally {
      if (generation === this.#generation) this.#pending.delete(page)
      this.#inFlight--
      this.#pump()
    }
  }

  #evict(near: number): void {
    if (this.#pages.size <= MAX_PAGES) return
    const far = [...this.#pages.keys()].sort((a, b) => Math.abs(b - near) - Math.abs(a - near))
    for (const page of far.slice(0, this.#pages.size - MAX_PAGES)) this.#pages.delete(page)
  }
}
