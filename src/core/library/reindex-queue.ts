// Re-indexing after category and tag edits. Each article's search document holds its category
// and tag words, so an edit re-indexes the articles it touched (about 0.8 ms each: the body is
// segmented again). A small edit is re-indexed at once; a big one — renaming a category that
// holds 30,000 articles would take ~25 s — goes in slices between other work, so the window
// keeps answering meanwhile. Only free-text matches of category and tag words lag while it
// runs: the `category:` and `tag:` filters read the tables, which are already up to date.
//
// What waits is stored in the library (search_reindex_pending), and each slice is re-indexed
// and crossed off in one transaction: after a crash, the next start finishes the job.
import type { Statement } from 'better-sqlite3'
import type { Db } from './open'
import { writeTx } from './write-tx'

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
  /** Resume work left waiting by an earlier session (default true; not on a read-only library). */
  resume?: boolean
  /**
   * A slice run between other work failed (the library turned out damaged, say): the queue
   * stops, the work stays recorded for the next start, and this hears why. Without it the
   * error would be thrown from a timer, with no caller to catch it.
   */
  onError?: (e: unknown) => void
}

/** Starts the queue; work left waiting by an earlier session (a crash) resumes at once. */
export function createReindexQueue(
  db: Db,
  sync: (db: Db, articleIds: number[]) => void,
  opts: ReindexOptions = {}
): ReindexQueue {
  const immediate = opts.immediate ?? 500
  const slice = opts.slice ?? 100
  // Prepared at first use: a library SQLite cannot read (opened read-only as damaged) must
  // still let the service start.
  let prepared:
    | {
        add: Statement<[number]>
        remove: Statement<[number]>
        next: Statement<[number], { article_id: number }>
        count: Statement<[], { n: number }>
      }
    | undefined
  const statements = (): NonNullable<typeof prepared> =>
    (prepared ??= {
      add: db.prepare<[number]>(
        'INSERT OR IGNORE INTO search_reindex_pending (article_id) VALUES (?)'
      ),
      remove: db.prepare<[number]>('DELETE FROM search_reindex_pending WHERE article_id = ?'),
      next: db.prepare<[number], { article_id: number }>(
        'SELECT article_id FROM search_reindex_pending ORDER BY article_id LIMIT ?'
      ),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM search_reindex_pending')
    })
  let timer: NodeJS.Immediate | null = null
  let waiters: (() => void)[] = []
  const pendingCount = (): number => (db.open ? (statements().count.get()?.n ?? 0) : 0)

  const settle = (): void => {
    if (pendingCount() > 0) return
    const done = waiters
    waiters = []
    for (const w of done) w()
  }

  /** Re-indexes up to n waiting articles and crosses them off, atomically; false when none. */
  const runSlice = (n: number): boolean => {
    const q = statements()
    const ids = q.next.all(n).map((r) => r.article_id)
    if (ids.length === 0) return false
    writeTx(db, () => {
      sync(db, ids)
      for (const id of ids) q.remove.run(id)
    })
    return true
  }

  const step = (): void => {
    timer = null
    if (!db.open) {
      settle()
      return
    }
    let more: boolean
    try {
      more = runSlice(slice)
    } catch (e) {
      if (!opts.onError) throw e
      opts.onError(e)
      return
    }
    if (more) timer = setImmediate(step)
    else settle()
  }

  if ((opts.resume ?? true) && pendingCount() > 0) timer = setImmediate(step)

  return {
    add(articleIds) {
      if (articleIds.length === 0) return
      if (articleIds.length <= immediate) {
        // Indexing reads the current tables, so these need not wait behind a big edit.
        const q = statements()
        writeTx(db, () => {
          sync(db, [...articleIds])
          for (const id of articleIds) q.remove.run(id)
        })
        settle()
        return
      }
      const q = statements()
      writeTx(db, () => {
        for (const id of articleIds) q.add.run(id)
      })
      timer ??= setImmediate(step)
    },
    flush() {
      if (timer) clearImmediate(timer)
      timer = null
      if (db.open) while (runSlice(Math.max(slice, 1000)));
      settle()
    },
    get pending() {
      return pendingCount()
    },
    idle() {
      return pendingCount() === 0 ? Promise.resolve() : new Promise((done) => waiters.push(done))
    }
  }
}
