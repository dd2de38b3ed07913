export * from './collections'
export { CollectionError } from './collection-errors'
export type { CollectionErrorCode } from './collection-errors'
export { searchQueryResolver, SMART_COLLECTION_LIMIT } from './search-resolver'
