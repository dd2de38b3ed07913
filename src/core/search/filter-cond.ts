// The filters a search applies besides its words (query-language filters and the scope), in
// the two forms the planner in search.ts chooses between.
import type { Flag } from './query-parser'
import { foldScriptAndWidth } from './fold'

/**
 * One filter, in the two forms the planner chooses between. Both take `params`, in order.
 * - probe: a test of one candidate, cheap per candidate through an index keyed by article
 *   id: `$ID` is the candidate's id and `f.` its row in articles_search_filter. Null when
 *   there is no such test (text alternatives inside a filter's OR group).
 * - ids: the ids that satisfy it, read from the filter's own index, for `IN (...)`.
 */
export interface FilterCond {
  probe: string | null
  ids: string
  params: unknown[]
}

/** Conditions OR-ed together (e.g. `tag:a OR tag:b`); `negated` for `-tag:a`. */
export interface FilterGroup {
  conds: FilterCond[]
  negated: boolean
}

export const NOTHING: FilterCond = { probe: '0', ids: 'SELECT NULL WHERE 0', params: [] }

/** A link-table filter: `column IN (ids)` on `table`, probed by its (article_id, …) key. */
export function linkCond(table: string, column: string, ids: number[]): FilterCond {
  if (ids.length === 0) return NOTHING
  const list = ids.map(() => '?').join(', ')
  // Where the key starts with article_id, the probe seeks the candidate's few links and tests
  // each: '+' stops SQLite from seeking once per listed id instead (15 seeks per hit for a
  // category with 14 below it). collection_items' key starts with collection_id, so there
  // the seek is per listed collection (usually one).
  const plus = table === 'collection_items' ? '' : '+'
  return {
    probe: `EXISTS (SELECT 1 FROM ${table} WHERE ${plus}${column} IN (${list}) AND article_id = $ID)`,
    ids: `SELECT article_id FROM ${table} WHERE ${column} IN (${list})`,
    params: ids
  }
}

export function flagCond(flag: Flag): FilterCond {
  switch (flag) {
    case 'has:annotation':
      return {
        probe: 'EXISTS (SELECT 1 FROM annotations WHERE article_id = $ID)',
        ids: 'SELECT article_id FROM annotations',
        params: []
      }
    // 'starred IN (0, 1)' lets the (starred, read) index answer a test of read alone.
    case 'is:unread':
      return {
        probe: 'f.read = 0',
        ids: 'SELECT id FROM articles WHERE starred IN (0, 1) AND read = 0',
        params: []
      }
    case 'is:read':
      return {
        probe: 'f.read = 1',
        ids: 'SELECT id FROM articles WHERE starred IN (0, 1) AND read = 1',
        params: []
      }
    case 'is:starred':
      return {
        probe: 'f.starred = 1',
        ids: 'SELECT id FROM articles WHERE starred = 1',
        params: []
      }
  }
}

/**
 * Articles carrying a keyword or naming an entity (core/analysis/ stores them folded:
 * Simplified script, half-width letters; keywords lower-case), whichever way it is typed.
 */
export function termCond(field: 'entity' | 'keyword', value: string): FilterCond {
  const folded = foldScriptAndWidth(value.trim())
  const term = field === 'keyword' ? folded.toLowerCase() : folded
  // The (kind, term) index answers both: one seek per kind.
  const kind = field === 'keyword' ? "kind = 'keyword'" : "kind IN ('person', 'org', 'place')"
  return {
    probe: `EXISTS (SELECT 1 FROM article_terms WHERE article_id = $ID AND ${kind} AND term = ?)`,
    ids: `SELECT article_id FROM article_terms WHERE term = ? AND ${kind}`,
    params: [term]
  }
}

/** Articles of a story. */
export function storyCond(storyId: number): FilterCond {
  return {
    probe: 'EXISTS (SELECT 1 FROM article_analysis WHERE article_id = $ID AND story_id = ?)',
    ids: 'SELECT article_id FROM article_analysis WHERE story_id = ?',
    params: [storyId]
  }
}

/** Articles that arrived from a feed subscription (feed_items keeps which). */
export function feedCond(feedId: number): FilterCond {
  return {
    probe: 'EXISTS (SELECT 1 FROM feed_items WHERE article_id = $ID AND feed_id = ?)',
    ids: 'SELECT article_id FROM feed_items WHERE feed_id = ? AND article_id IS NOT NULL',
    params: [feedId]
  }
}

/** Articles of the stories the user follows. */
export const FOLLOWING: FilterCond = {
  probe: `EXISTS (SELECT 1 FROM article_analysis s JOIN stories t ON t.id = s.story_id
            WHERE s.article_id = $ID AND t.followed = 1)`,
  ids: `SELECT s.article_id FROM stories t JOIN article_analysis s ON s.story_id = t.id
         WHERE t.followed = 1`,
  params: []
}
