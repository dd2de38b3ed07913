// The article list pages rows from the core as the user scrolls: only the pages near the
// viewport are held, each a frozen array in a plain Map (not deep $state), so a 100k-article
// library never becomes 100k reactive proxies. Rows ask for their index; pages load on demand.
import type { GleanerApi } from '../../../shared/api'
import { errorData, type ErrorData } from '../../../shared/errors'
import type { ArticlePage, ArticleQuery, ArticleSummary } from '../../../shared/types'

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

export type ListQuery = Omit<ArticleQuery, 'offset' | 'limit'>

export class ArticlePager {
  /** Rows matching the query (the whole list length the virtualizer sees). */
  total = $state(0)
  /** Bumped whenever any page arrives or a row changes, so visible rows re-read. */
  version = $state(0)
  loaded = $state(false)
  /** Why the list could not load (a query that cannot be understood), as the core said it. */
  error: ErrorData | null = $state.raw(null)

  // Deliberately not SvelteMap/SvelteSet: rows re-read through `version`, one signal for all.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pages = new Map<number, ArticleSummary[]>()
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pending = new Set<number>()
  /** Pages holding only their first FIRST_ROWS rows (more exist). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #partial = new Set<number>()
  /** Pages wanted but not yet requested, most recent last. */
  #queue: number[] = []
  #inFlight = 0
  #generation = 0
  #query: ListQuery = {}
  #api: Pick<GleanerApi, 'listArticles'>
  /** A first page asked for before the app was built (see prefetch), used once. */
  #primed: { key: string; page: Promise<ArticlePage> } | null = null
  readonly #library: Pick<GleanerApi, 'listArticles'>
  /** The query seed() filled in, until the first reset() (which then has nothing to fetch). */
  #seeded: string | null = null

  constructor(api: Pick<GleanerApi, 'listArticles'>) {
    this.#api = api
    this.#library = api
  }

  /**
   * Asks the library for the first rows of `query` now, before the app that will show them is
   * built; the first reset() with the same query uses this answer instead of asking again.
   */
  prefetch(query: ListQuery): void {
    const page = this.#library.listArticles({ ...query, offset: 0, limit: FIRST_ROWS })
    // A failure surfaces when reset() uses the answer; until then it is not unhandled.
    page.catch(() => undefined)
    this.#primed = { key: JSON.stringify(query), page }
  }

  /**
   * Starts with the first rows of `query` already known: the page the window was first drawn
   * with (prerendered, see prerender.ts). The first reset() with the same query keeps them.
   */
  seed(query: ListQuery, page: ArticlePage): void {
    this.#query = query
    this.#pages.set(0, Object.freeze(page.items.slice()) as ArticleSummary[])
    if (page.items.length < page.total && page.items.length < PAGE_SIZE) this.#partial.add(0)
    this.total = page.total
    this.loaded = true
    this.version++
    this.#seeded = JSON.stringify(query)
  }

  get query(): ListQuery {
    return this.#query
  }

  /**
   * Start over with a new query; resolves once the first page is in. `source` pages from
   * something other than the whole library (a collection); omitted, the library.
   */
  async reset(query: ListQuery, source?: Pick<GleanerApi, 'listArticles'>): Promise<void> {
    const seeded = this.#seeded
    this.#seeded = null
    if (seeded !== null && !source && seeded === JSON.stringify(query)) return
    this.#api = source ?? this.#library
    this.#query = query
    this.#generation++
    this.#pages.clear()
    this.#pending.clear()
    this.#partial.clear()
    this.#queue = []
    this.loaded = false
    this.error = null
    await this.#load(0, FIRST_ROWS)
  }

  /** Re-read the current query (after an import or an edit) keeping nothing stale. */
  refresh(): Promise<void> {
    return this.reset(this.#query, this.#api)
  }

  /** The row at index, or undefined while its page loads (the row shows a placeholder). */
  row(index: number): ArticleSummary | undefined {
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

  /** Rows are immutable: replace one after starring/reading and let visible rows re-read. */
  patch(id: number, change: Partial<ArticleSummary>): void {
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
      const primed = this.#primed
      this.#primed = null
      const result =
        primed &&
        page === 0 &&
        limit === FIRST_ROWS &&
        this.#api === this.#library &&
        primed.key === JSON.stringify(this.#query)
          ? await primed.page
          : await this.#api.listArticles({ ...this.#query, offset: page * PAGE_SIZE, limit })
      if (generation !== this.#generation) return
      this.#pages.set(page, Object.freeze(result.items) as ArticleSummary[])
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
