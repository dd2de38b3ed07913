// Copy groups as the article list reads them (core/analysis/copies.ts forms them): the
// condition that keeps one row per group in a view, and the badge on that row.
import type { CopyBadge } from '../../shared/story-types'
import type { Db } from './open'

/**
 * Badges for list rows standing for a copy group: how many other members the same view lists
 * (`inView` is the view's condition on alias b), and how many outlets the group spans.
 */
export function copyBadges(
  db: Db,
  ids: readonly number[],
  inView: { where: string; params: unknown[] }
): Map<number, CopyBadge> {
  const rows = db
    .prepare(
      `SELECT x.article_id AS id, COUNT(*) - 1 AS count,
              COUNT(DISTINCT COALESCE(b.source, g.outlet)) AS outlets
         FROM json_each(?) j
         -- The page's rows first (CROSS JOIN keeps the order): left to itself SQLite walked
         -- every grouped article's group and tested it against the page, 3.6 s at a million.
         CROSS JOIN article_analysis x ON x.article_id = j.value
         JOIN article_analysis g ON g.copy_group = x.copy_group
         JOIN articles b ON b.id = g.article_id
        WHERE x.copy_group IS NOT NULL AND ${inView.where}
        GROUP BY x.article_id HAVING COUNT(*) > 1`
    )
    .all(JSON.stringify(ids), ...inView.params) as { id: number; count: number; outlets: number }[]
  return new Map(rows.map((r) => [r.id, { count: r.count, outlets: r.outlets }]))
}

/**
 * The condition that keeps one row per copy group in a view: no earlier member of the row's
 * group is in the same view (`inView` on alias b).
 */
export function firstOfGroupSql(inView: { where: string; params: unknown[] }): {
  where: string
  params: unknown[]
} {
  // The later members of copy groups, found once (few: most articles are in no group) and
  // tested as a set. Asked per row instead (NOT EXISTS), the list's count looked up every
  // article's analysis row: 0.85 s against 0.39 s at a million articles.
  return {
    where: `a.id NOT IN (SELECT x.article_id FROM article_analysis x
       WHERE x.copy_group IS NOT NULL AND EXISTS (SELECT 1 FROM article_analysis g
         JOIN articles b ON b.id = g.article_id
        WHERE g.copy_group = x.copy_group AND g.order_key < x.order_key AND ${inView.where}))`,
    params: inView.params
  }
}
