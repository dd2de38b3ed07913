// Re-indexing after category and tag edits. Each article's search document holds its category
// and tag words, so an edit re-indexes the articles it touched (about 0.8 ms each: the body is
// segmented again). A small edit is re-indexed at once; a big one — renaming a category that
// holds 30,000 articles would take ~25 s — goes in slices between other work, so the window
// keeps answering meanwhile. Only free-text matches of category and tag words lag while it
// runs: the `category:` and `tag:` filters read the tables, which are already up to date.
import type { Db } from './open'

export interface ReindexQueue {
  /** Re-indexes these articles: now when few, else in slices from the next turn of the event loop. */
  add(articleIds: readonly number[]): void
  /** Re-indexes everything still waiting, now (before the library closes). */
  flush(): void
  /** Articles still waiting. */
  readonly pending: number
  /** Resolves when nothing is waiting. */
  idle(): Promise<void>
}

export interface ReindexOptions {
  /** Edits touching at most this many articles are re-indexed before the call returns. */
  immediate?: number
  /** Articles re-indexed per slice (~0.8 ms each) before yielding to other work. */
  slice?: number
}

export function createReindexQueue(
  db: Db,
  sync: (db: Db, articleIds: number[]) => void,
  opts: ReindexOptions = {}
): ReindexQueue {
  const immediate = opts.immediate ?? 500
  const slice = opts.slice ?? 100
  const pending = new Set<number>()
  let timer: NodeJS.Immediate | null = null
  let waiters: (() => void)[] = []

  const settle = (): void => {
    if (pending.size > 0) return
    const done = waiters
    waiters = []
    for (const w of done) w()
  }

  const take = (n: number): number[] => {
    const ids: number[] = []
    for (const id of pending) {
      if (ids.length >= n) break
      ids.push(id)
    }
    for (const id of ids) pending.delete(id)
    return ids
  }

  const step = (): void => {
    timer = null
    if (!db.open) {
      pending.clear()
      settle()
      return
    }
    sync(db, take(slice))
    if (pending.size > 0) timer = setImmediate(step)
    else settle()
  }

  return {
    add(articleIds) {
      if (articleIds.length === 0) return
      if (articleIds.length <= immediate) {
        // Indexing reads the current tables, so these need not wait behind a big edit.
        for (const id of articleIds) pending.delete(id)
        sync(db, [...articleIds])
        settle()
        return
      }
      for (const id of articleIds) pending.add(id)
      timer ??= setImmediate(step)
    },
    flush() {
      if (timer) clearImmediate(timer)
      timer = null
      if (pending.size > 0 && db.open) sync(db, take(pending.size))
      pending.clear()
      settle()
    },
    get pending() {
      return pending.size
    },
    idle() {
      return pending.size === 0 ? Promise.resolve() : new Promise((done) => waiters.push(done))
    }
  }
}
