// Full-text search over the library (see cjk.ts for how Chinese is indexed).
export {
  syncSearchIndex,
  indexImportedArticles,
  ensureSearchIndexCurrent,
  rebuildSearchIndex
} from './indexer'
export { searchArticles, searchArticleIds, planSearch, forceFilterStrategyForTests } from './search'
export type { FilterStrategy } from './search'
export { addSynonym, removeSynonym, listSynonyms } from './synonyms'
export { parseQuery } from './query-parser'
export { SearchQueryError } from './errors'
export type { ParsedQuery, QueryItem } from './query-parser'
