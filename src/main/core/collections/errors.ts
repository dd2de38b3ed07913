// Errors users see verbatim (UI toasts, CLI stderr), with stable codes for programs.
export type CollectionErrorCode =
  | 'invalid-name'
  | 'duplicate-name'
  | 'not-found'
  | 'unknown-article'
  | 'not-in-collection'
  | 'smart-collection'

export class CollectionError extends Error {
  readonly code: CollectionErrorCode
  constructor(code: CollectionErrorCode, message: string) {
    super(message)
    this.name = 'CollectionError'
    this.code = code
  }
}
