// Ids of articles and annotations removed for good (emptying the trash) are never given out
// again. SQLite gives a new row the highest id + 1, so removing the newest article would hand
// its id to the next import; but the change log still names the removed one (the undo of its
// deletion, a tag added to it), and that undo must then find nothing and fail, not restore,
// tag or star the newer article that took its id.
import type { Db } from './open'

export type IdTable = 'articles' | 'annotations'

const KEY: Record<IdTable, string> = {
  articles: 'ids.articles.removedUpTo',
  annotations: 'ids.annotations.removedUpTo'
}

/** Records that ids up to `id` were removed for good from `table`. */
export function raiseIdFloor(db: Db, table: IdTable, id: number): void {
  db.prepare(
    `INSERT INTO settings (key, value) VALUES (?, ?)
       ON CONFLICT(key) DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`
  ).run(KEY[table], String(id))
}

/**
 * An SQL expression for a new row's id: above every id removed for good, or NULL (SQLite's own
 * choice, the highest id + 1) when that is above them already or nothing was removed.
 */
export function newIdSql(table: IdTable): string {
  return `(SELECT CASE WHEN f > coalesce((SELECT max(id) FROM ${table}), 0) THEN f + 1 END
             FROM (SELECT CAST(value AS INTEGER) AS f FROM settings WHERE key = '${KEY[table]}'))`
}
