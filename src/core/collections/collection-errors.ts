// Errors users see verbatim (UI toasts, CLI stderr), with stable codes for programs.
import { errorKind } from '../../shared/errors'
export type CollectionErrorCode =
  | 'invalid-name'
  | 'duplicate-name'
  | 'not-found'
  // Missing things start with 'no-' (the web preview answers them with 404).
  | 'no-article'
  | 'no-collection-item'
  | 'smart-collection'
  | 'invalid-snapshot'

export class CollectionError extends errorKind<CollectionErrorCode>('CollectionError') {}
