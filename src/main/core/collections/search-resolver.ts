// Smart collections are saved searches; this runs one through the search engine, all pages.
import type { Db } from '../library/open'
import { searchArticles } from '../search'
import type { QueryResolver } from './collections'

const PAGE = 500
/** A saved search that matches more than this is almost surely not a briefing; stop there. */
export const SMART_COLLECTION_LIMIT = 10_000

export function searchQueryResolver(db: Db): QueryResolver {
  return (query) => {
    const ids: number[] = []
    for (let offset = 0; offset < SMART_COLLECTION_LIMIT; offset += PAGE) {
      const page = searchArticles(db, query, { limit: PAGE, offset, sort: 'relevance' })
      if (page.error) throw new Error(`The search “${query}” cannot be run: ${page.error}`)
      ids.push(...page.items.map((h) => h.id))
      if (page.items.length < PAGE || ids.length >= page.total) break
    }
    return ids
  }
}
