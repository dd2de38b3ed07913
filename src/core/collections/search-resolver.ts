// Smart collections are saved searches; this runs one through the search engine: every hit,
// in relevance order, exactly once.
import type { Db } from '../library/open'
import { ALL_HITS_MAX, SearchQueryError, countSearchHits, searchArticleIds } from '../search'
import type { QueryResolver } from './collections'

/**
 * A saved search (or `export --query`) with more hits than this is refused with its true
 * total rather than cut: the same bound as an id list passed to the API, so "all hits" of
 * anything that resolves can be handed back to a bulk action.
 */
export const SMART_COLLECTION_LIMIT = ALL_HITS_MAX

export function searchQueryResolver(db: Db): QueryResolver {
  const resolve: QueryResolver = (query) =>
    searchArticleIds(db, query, { sort: 'relevance', max: SMART_COLLECTION_LIMIT })
  // Listing collections needs only how many; a saved search that no longer runs (its tag was
  // deleted) is shown without a count instead of failing the whole list.
  resolve.count = (query) => {
    try {
      return countSearchHits(db, query)
    } catch (e) {
      if (e instanceof SearchQueryError) return null
      throw e
    }
  }
  return resolve
}
