import type { Statement } from 'better-sqlite3'
import type { Db } from './open'

const cache = new WeakMap<Db, Map<string, Statement>>()

/**
 * A prepared statement for this connection, prepared once. The import writer runs the same
 * few statements for every article; preparing them each time was a large share of its cost.
 */
export function stmt<P extends unknown[] | object = unknown[], R = unknown>(
  db: Db,
  sql: string
): Statement<P, R> {
  let byDb = cache.get(db)
  if (!byDb) {
    byDb = new Map()
    cache.set(db, byDb)
  }
  let s = byDb.get(sql)
  if (!s) {
    s = db.prepare(sql)
    byDb.set(sql, s)
  }
  return s as unknown as Statement<P, R>
}
