// What search refuses, as errors with stable codes (see shared/errors.ts): the window and the
// CLI say them in the user's language from `code` and `params`; `message` is the English.
import { GleanerError, type ErrorParams } from '../../../shared/errors'
import type { SearchQueryErrorCode } from '../../../shared/search-types'

/** A query that cannot be run as typed; searchArticles returns it as data, never throws it. */
export class SearchQueryError extends GleanerError {
  declare readonly code: SearchQueryErrorCode
  constructor(code: SearchQueryErrorCode, message: string, params: ErrorParams = {}) {
    super(code, message, params)
    this.name = 'SearchQueryError'
  }
}
