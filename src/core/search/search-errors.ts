// What search refuses, as errors with stable codes (see shared/errors.ts): the window and the
// CLI say them in the user's language from `code` and `params`; `message` is the English.
import { errorKind, GleanerError } from '../../shared/errors'
import type { SearchQueryErrorCode } from '../../shared/search-types'

/** A query that cannot be run as typed; searchArticles returns it as data, never throws it. */
export class SearchQueryError extends errorKind<SearchQueryErrorCode>('SearchQueryError') {}

/**
 * Asked for every hit of a query that has more than the caller's bound. Thrown before any
 * ranking work, with the true total, so nothing is ever silently cut.
 */
export class SearchTooBroadError extends GleanerError {
  declare readonly code: 'search-too-many-hits'
  constructor(query: string, total: number, max: number) {
    super(
      'search-too-many-hits',
      `The search “${query}” matches ${total} articles; at most ${max} can be used at once. Narrow it down (a category, a date, another word).`,
      { query, total, max }
    )
    this.name = 'SearchTooBroadError'
  }
}
