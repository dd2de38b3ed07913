// Every hit of a search in its order, kept for the few searches asked last: paging deep into
// 90,000 hits (a virtual list scrolled to the end, `gleaner search --offset`, "all hits" for a
// bulk action) then costs one ranking of every hit, not one per page. An entry is valid only
// while the library is unchanged.
import type { Db } from '../library/open'
import { stmt } from '../library/statements'

/** Hits in order; `scores` only for relevance (bm25, lower is better). */
export interface HitOrder {
  ids: Float64Array
  scores: Float64Array | null
}

const MAX_ENTRIES = 4
/** Ids kept across all entries of one library: 16 bytes each with scores, 32 MB at most. */
const MAX_IDS = 2_000_000

interface Entry {
  stamp: string
  order: HitOrder
}

const caches = new WeakMap<Db, Map<string, Entry>>()

/**
 * Differs after any committed change: by another connection or process (data_version) or by
 * this one, triggers included (total_changes). Both are read without touching any table.
 */
function libraryStamp(db: Db): string {
  const version = db.pragma('data_version', { simple: true }) as number
  const changes = stmt<[], { n: number }>(db, 'SELECT total_changes() AS n').get()!.n
  return `${version}:${changes}`
}

function evict(cache: Map<string, Entry>): void {
  let held = 0
  for (const e of cache.values()) held += e.order.ids.length
  // Maps iterate in insertion order, and a hit re-inserts its entry: the first is the oldest.
  for (const [key, e] of cache) {
    if (cache.size <= MAX_ENTRIES && held <= MAX_IDS) break
    cache.delete(key)
    held -= e.order.ids.length
  }
}

/** The order for `key` as of now: cached, or made by `compute` (and kept if small enough). */
export function cachedOrder(db: Db, key: string, compute: () => HitOrder): HitOrder {
  let cache = caches.get(db)
  if (!cache) {
    cache = new Map()
    caches.set(db, cache)
  }
  const stamp = libraryStamp(db)
  const hit = cache.get(key)
  cache.delete(key)
  if (hit && hit.stamp === stamp) {
    cache.set(key, hit)
    return hit.order
  }
  const order = compute()
  if (order.ids.length <= MAX_IDS) {
    cache.set(key, { stamp, order })
    evict(cache)
  }
  return order
}

/** Forgets every cached order of this library (benchmarks measure cold searches). */
export function clearOrderCache(db: Db): void {
  caches.delete(db)
}
