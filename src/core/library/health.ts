// Whether the open library may be written to, kept for the life of a service. It starts from
// what openLibrary found, runs the checks it left for later on a worker thread, and turns to
// read-only for good when either those checks or SQLite itself (SQLITE_CORRUPT, SQLITE_NOTADB
// from any call) report damage: the connection is set query_only, so nothing at all can write
// through it any more, whatever path a write takes.
import type { ErrorData } from '../../shared/errors'
import { errorData } from '../../shared/errors'
import type { LibraryDamage } from '../../shared/types'
import { backupEntries } from '../backup/backup'
import { backupsDirOf } from '../backup/leftovers'
import { checkPlan, isCorruptionError } from './integrity'
import { libraryCorrupt, type Db, type OpenedLibrary } from './open'
import { runInWorker, type WorkerJob } from './sqlite-worker'

export interface LibraryHealth {
  readonly damaged: boolean
  /**
   * Settles when the checks left for the background have answered (or could not run). Writes
   * wait for it, so nothing is written into a library that has not passed every check.
   */
  readonly checked: Promise<void>
  /** The error a refused write gets while the library is damaged. */
  error(): Error
  /** Damage as LibraryInfo reports it; null while the library is sound. */
  report(): LibraryDamage | null
  /**
   * Looks at an error from a call: SQLite reporting damage turns the library read-only and
   * comes back as `library-corrupt`; a refused write on a damaged library likewise; any other
   * error comes back as it was.
   */
  noteError(e: unknown): unknown
  /**
   * Runs a read (or start-up work) that a damaged library may fail: SQLite reporting damage
   * turns the library read-only and gives `fallback`; other errors are thrown.
   */
  readOr<T>(read: () => T, fallback: T): T
  close(): void
}

const MAX_REPORTED = 20

export interface HealthOptions {
  /** Called once, when the library turns out to be damaged while open. */
  onDamage?: () => void
}

export function watchLibraryHealth(
  db: Db,
  libraryPath: string,
  opened: Pick<OpenedLibrary, 'damage' | 'deferredChecks'>,
  opts: HealthOptions = {}
): LibraryHealth {
  let problems: string[] | null = opened.damage ? [...opened.damage] : null
  let job: WorkerJob | null = null
  let closed = false

  const markDamaged = (found: readonly string[]): void => {
    const first = problems === null
    problems = [...(problems ?? []), ...found.filter((p) => !problems?.includes(p))]
    if (!first) return
    try {
      if (db.open && !db.readonly) db.pragma('query_only = ON')
    } catch {
      // A connection SQLite can no longer read still refuses writes: they fail the same way.
    }
    opts.onDamage?.()
  }

  /** quick_check on a worker thread; what it finds is added to the damage. */
  const check = (statements: readonly string[]): Promise<void> => {
    if (closed || statements.length === 0) return Promise.resolve()
    job = runInWorker(
      libraryPath,
      statements.map((sql) => [sql] as const)
    )
    return job.done
      .then(
        (results) => {
          const found = results.flat().flatMap((row) => {
            const line = (row as unknown[])[0]
            return line === 'ok' ? [] : [String(line)]
          })
          if (found.length) markDamaged(found)
        },
        (e: unknown) => {
          if (isCorruptionError(e)) markDamaged([(e as Error).message])
          // Otherwise (stopped, no worker threads here) the run-time watch below still holds.
        }
      )
      .finally(() => {
        job = null
      })
  }

  const checked = check(opened.deferredChecks)

  const health: LibraryHealth = {
    get damaged() {
      return problems !== null
    },
    checked,
    error: () => libraryCorrupt(libraryPath, problems ?? []),
    report() {
      if (problems === null) return null
      const dir = backupsDirOf(libraryPath)
      const error: ErrorData = errorData(health.error())
      return {
        error,
        problems: problems.slice(0, MAX_REPORTED),
        backups: backupEntries(dir),
        backupsDir: dir
      }
    },
    noteError(e) {
      if (isCorruptionError(e)) {
        const wasSound = problems === null
        markDamaged([(e as Error).message])
        // SQLite stops at the first bad page: a full look says what else is wrong, for the report.
        if (wasSound && !job && db.open) {
          try {
            const plan = checkPlan(db)
            void check([...plan.atOpen, ...plan.deferred])
          } catch {
            // The schema itself is unreadable; the error above says so already.
          }
        }
        return health.error()
      }
      if (problems !== null && (e as { code?: unknown } | null)?.code === 'SQLITE_READONLY')
        return health.error()
      return e
    },
    readOr(read, fallback) {
      try {
        return read()
      } catch (e) {
        if (health.noteError(e) === e) throw e
        return fallback
      }
    },
    close() {
      closed = true
      job?.cancel()
    }
  }
  return health
}
