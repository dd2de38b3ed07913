// Hearing other processes: the CLI, `gleaner watch`, a second app or web preview on the same
// library file. SQLite's data_version changes for this connection exactly when another
// connection has committed, so polling it costs one pragma per tick; when it moves, the log's
// new rows (written by other sessions) are announced like this process's own changes. Commits
// with no row of their own (an import's batches, before its run is logged at the end) are
// announced as one 'external' change, at most once per quiet period.
import type { LibraryChange } from '../../shared/change-types'
import type { Db } from '../library/open'
import { changesSince, describeChange, lastSeq } from './log'
import { fullTouched } from './ops'

export interface ExternalWatch {
  /** Looks once now (tests, and before answering a window that asks for a refresh). */
  poll(): void
  stop(): void
}

export interface ExternalWatchOptions {
  /** How often to look (default 500 ms: changes reach other windows within a second). */
  intervalMs?: number
  /** Unlogged commits are announced at most this often (an import commits every ~150 ms). */
  quietMs?: number
}

export function watchExternalChanges(
  db: Db,
  session: string,
  announce: (change: LibraryChange) => void,
  opts: ExternalWatchOptions = {}
): ExternalWatch {
  const dataVersion = (): number => db.pragma('data_version', { simple: true }) as number
  // A damaged library (open read-only) may fail to read; it hears nothing then, and opens.
  const safely = <T>(read: () => T, fallback: T): T => {
    try {
      return read()
    } catch {
      return fallback
    }
  }
  let version = safely(dataVersion, 0)
  let seen = safely(() => lastSeq(db), 0)
  let lastUnlogged = 0
  let unloggedPending = false
  const quiet = opts.quietMs ?? 1000

  const announceUnlogged = (): void => {
    unloggedPending = false
    lastUnlogged = Date.now()
    announce({
      seq: seen,
      id: `external-${seen}-${lastUnlogged}`,
      op: 'external',
      actor: '',
      origin: 'cli',
      at: new Date(lastUnlogged).toISOString(),
      touched: fullTouched({ list: true, filing: true, collections: true }),
      summary: {},
      undoable: false,
      external: true
    })
  }

  const poll = (): void => safely(look, undefined)
  const look = (): void => {
    if (!db.open) return
    const v = dataVersion()
    if (v !== version) {
      version = v
      // This process's own rows are skipped by the query (they were announced when made).
      let rows = changesSince(db, seen, session)
      if (rows.length === 0) unloggedPending = true
      while (rows.length) {
        for (const row of rows) {
          seen = Math.max(seen, row.seq)
          announce({ ...describeChange(db, row), external: true })
        }
        rows = changesSince(db, seen, session)
      }
    }
    if (unloggedPending && Date.now() - lastUnlogged >= quiet) announceUnlogged()
  }

  const timer = setInterval(poll, opts.intervalMs ?? 500)
  timer.unref()
  return {
    poll,
    stop() {
      clearInterval(timer)
    }
  }
}
