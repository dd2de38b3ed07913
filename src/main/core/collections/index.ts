export * from './collections'
export { CollectionError } from './errors'
export type { CollectionErrorCode } from './errors'
