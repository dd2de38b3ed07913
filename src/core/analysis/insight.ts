// TEMPORARY stand-in on branch cliexp for the lead's insight.ts (same signature); deleted when
// main is merged. Until then no article has keywords or entities.
import type { Db } from '../library/open'
import type { ArticleInsight } from '../../shared/story-types'

export function insightsOf(_db: Db, _ids: readonly number[]): Map<number, ArticleInsight> {
  return new Map()
}
