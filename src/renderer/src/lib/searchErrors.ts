// A search the core refused, said in the window's language from its code and values; an
// unknown code keeps the core's English sentence.
import type { ErrorData } from '../../../shared/errors'
import { t, type MessageKey } from './i18n.svelte'

const KEYS: Record<string, MessageKey> = {
  'query-unclosed-quote': 'queryUnclosedQuote',
  'query-bad-date': 'queryBadDate',
  'query-impossible-date': 'queryImpossibleDate',
  'query-unknown-value': 'queryUnknownValue',
  'query-missing-value': 'queryMissingValue',
  'query-excluded-in-or': 'queryExcludedInOr',
  'query-nothing-to-search': 'queryNothingToSearch',
  'query-unsearchable': 'queryUnsearchable',
  'search-too-many-hits': 'searchTooManyHits'
}

const UNKNOWN_NAME: Record<string, MessageKey> = {
  category: 'queryUnknownCategory',
  tag: 'queryUnknownTag',
  collection: 'queryUnknownCollection'
}

function keyOf(error: ErrorData): MessageKey | undefined {
  if (error.code === 'query-or-missing-term')
    return error.params.side === 'right' ? 'queryOrAfter' : 'queryOrBothSides'
  if (error.code === 'query-unknown-name') return UNKNOWN_NAME[String(error.params.field)]
  return KEYS[error.code]
}

export function searchErrorText(error: ErrorData): string {
  const key = keyOf(error)
  return key === undefined ? error.message : t(key, error.params)
}
