// The article list's pager (pager.svelte.ts): pages of a list query from the library, or of
// search hits through another source, with the first rows asked for before the app is built or
// already drawn in the prerendered frame.
import type { GleanerApi } from '../../../shared/api'
import type { ArticlePage, ArticleQuery, ArticleSummary } from '../../../shared/types'
import { FIRST_ROWS, Pager } from './pager.svelte'

export { FIRST_ROWS, PAGE_SIZE } from './pager.svelte'

export type ListQuery = Omit<ArticleQuery, 'offset' | 'limit'>

export class ArticlePager extends Pager<ArticleSummary> {
  #query: ListQuery = {}
  #api: Pick<GleanerApi, 'listArticles'>
  /** A first page asked for before the app was built (see prefetch), used once. */
  #primed: { key: string; page: Promise<ArticlePage> } | null = null
  readonly #library: Pick<GleanerApi, 'listArticles'>
  /** The query seed() filled in, until the first reset() (which then has nothing to fetch). */
  #seeded: string | null = null

  constructor(api: Pick<GleanerApi, 'listArticles'>) {
    super()
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
    this.fill(page, (offset, limit) => this.#fetch(offset, limit))
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
    await this.start((offset, limit) => this.#fetch(offset, limit))
  }

  #fetch(offset: number, limit: number): Promise<ArticlePage> {
    const primed = this.#primed
    this.#primed = null
    if (
      primed &&
      offset === 0 &&
      limit === FIRST_ROWS &&
      this.#api === this.#library &&
      primed.key === JSON.stringify(this.#query)
    )
      return primed.page
    return this.#api.listArticles({ ...this.#query, offset, limit })
  }
}
