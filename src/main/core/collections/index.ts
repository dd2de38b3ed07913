export * from './collections'
export { CollectionError } from './errors'
export type { CollectionErrorCode } from './errors'
export { searchQueryResolver, SMART_COLLECTION_LIMIT } from './search-resolver'
