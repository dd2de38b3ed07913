// Full-text search over the library (see cjk.ts for how Chinese is indexed).
export {
  syncSearchIndex,
  indexImportedArticles,
  ensureSearchIndexCurrent,
  rebuildSearchIndex,
  rebuildSearchIndexInSlices,
  searchIndexCurrent
} from './indexer'
export {
  searchArticles,
  searchArticleIds,
  countSearchHits,
  planSearch,
  forceFilterStrategyForTests,
  ALL_HITS_MAX
} from './search'
export type { FilterStrategy, AllHitsOptions } from './search'
export { clearOrderCache } from './order-cache'
export { addSynonym, removeSynonym, listSynonyms } from './synonyms'
export { parseQuery } from './query-parser'
export { SearchQueryError, SearchTooBroadError } from './search-errors'
export type { ParsedQuery, QueryItem } from './query-parser'
