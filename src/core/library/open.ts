// Opening a library file. Before anything can write to it:
// 1. a restore killed part-way is finished, and what killed backups and restores left is
//    removed (backup/restore.ts, backup/leftovers.ts);
// 2. the file is looked at read-only: a library from a newer Gleaner is refused with its bytes
//    untouched (switching it to WAL, as opening it normally does, would change it), and a
//    damaged one (integrity.ts) is opened read-only, with what was found;
// 3. import runs left unfinished by a process that died are marked aborted, when no other
//    process has the library open (so none of them can still be running);
// 4. only then is it opened for writing: WAL, foreign keys, migrations.
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { GleanerError } from '../../shared/errors'
import { removeDeadLeftovers } from '../backup/leftovers'
import { recoverInterruptedRestore } from '../backup/restore'
import { abortOrphanedRuns } from './import-runs'
import { checkPlan, isCorruptionError, lookAtHeader, runChecks } from './integrity'
import { withSoleAccess } from './lock'
import { MIGRATIONS, migrate } from './migrations'
import { BUSY_TIMEOUT_MS } from './write-tx'

export type Db = Database.Database

export interface OpenedLibrary {
  db: Db
  /** What made the library read-only (SQLite's findings); null when it opened for writing. */
  damage: string[] | null
  /** The quick_check statements still to run (in the background, or done already: empty). */
  deferredChecks: string[]
  /** What was repaired on the way in, in sentences for the user. */
  notes: string[]
}

export interface OpenOptions {
  /**
   * 'open' (default): the checks that take milliseconds now, the rest left in `deferredChecks`
   * for the caller to run in the background; 'full': every check now, before returning.
   */
  check?: 'open' | 'full'
}

export function newerLibrary(path: string, version: number): GleanerError {
  return new GleanerError(
    'library-newer',
    `The library ${path} was written by a newer Gleaner (schema ${version}; this version knows ${MIGRATIONS.length}). Update Gleaner to open it.`,
    { path, schema: version, known: MIGRATIONS.length }
  )
}

/** Opens a damaged library so that nothing can write to it. */
function openReadOnly(path: string): Db {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  db.pragma('query_only = ON')
  return db
}

const inode = (path: string): number | null => (existsSync(path) ? statSync(path).ino : null)

/** Opens (creating if needed) a library file; see the steps above. */
export function openLibrary(path: string, opts: OpenOptions = {}): OpenedLibrary {
  if (path === ':memory:') {
    const db = new Database(path)
    db.pragma('foreign_keys = ON')
    migrate(db)
    return { db, damage: null, deferredChecks: [], notes: [] }
  }
  mkdirSync(dirname(path), { recursive: true })
  const notes = recoverInterruptedRestore(path)
  const removed = removeDeadLeftovers(path)
  if (removed.length)
    notes.push(`Removed ${removed.length} files left by interrupted backups or restores.`)

  const look = lookAtHeader(path)
  if (look.problems.length)
    return { db: openReadOnly(path), damage: look.problems, deferredChecks: [], notes }
  if (!look.walHasContent && look.userVersion !== null && look.userVersion > MIGRATIONS.length)
    throw newerLibrary(path, look.userVersion)

  let deferred: string[] = []
  if (!look.fresh) {
    const found = inspect(path, opts.check ?? 'open')
    if (found.damage)
      return { db: openReadOnly(path), damage: found.damage, deferredChecks: [], notes }
    deferred = found.deferred
    if (found.unfinishedRuns > 0) {
      const now = new Date().toISOString()
      let aborted = 0
      withSoleAccess(path, (db) => (aborted = abortOrphanedRuns(db, now)))
      if (aborted)
        notes.push(`Marked ${aborted} import runs aborted: the process running them had died.`)
    }
  }

  // A restore renames its copy over this path. A process that opened the old file just before
  // (and waited for the restore's lock) would write into the file kept aside: if the path names
  // another file once the lock is ours, open again.
  for (let attempt = 0; ; attempt++) {
    const before = inode(path)
    const db = new Database(path)
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
      db.pragma('journal_mode = WAL')
      db.pragma('foreign_keys = ON')
      // WAL with NORMAL is durable across application crashes; only an OS crash can lose the last commit.
      db.pragma('synchronous = NORMAL')
      migrate(db)
      if (before !== null && inode(path) !== before && attempt < 3) {
        db.close()
        continue
      }
      return { db, damage: null, deferredChecks: deferred, notes }
    } catch (e) {
      db.close()
      if (isCorruptionError(e))
        return { db: openReadOnly(path), damage: [(e as Error).message], deferredChecks: [], notes }
      throw e
    }
  }
}

interface Inspection {
  damage: string[] | null
  deferred: string[]
  unfinishedRuns: number
}

/** The read-only look of step 2. */
function inspect(path: string, check: 'open' | 'full'): Inspection {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > MIGRATIONS.length) throw newerLibrary(path, version)
    // Schema version 0 with tables in it: another program's database (a mistyped --library).
    // Migrating would add Gleaner's tables to it.
    if (
      version === 0 &&
      db
        .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .get()
    )
      throw new GleanerError(
        'not-a-library',
        `${path} is an SQLite database of another program, not a Gleaner library; Gleaner will not add its tables to it.`,
        { path }
      )
    const plan = checkPlan(db)
    const problems = runChecks(
      db,
      check === 'full' ? [...plan.atOpen, ...plan.deferred] : plan.atOpen
    )
    if (problems.length) return { damage: problems, deferred: [], unfinishedRuns: 0 }
    const runs = db
      .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'import_runs'")
      .get()
      ? (
          db.prepare('SELECT count(*) AS n FROM import_runs WHERE finished_at IS NULL').get() as {
            n: number
          }
        ).n
      : 0
    return { damage: null, deferred: check === 'full' ? [] : plan.deferred, unfinishedRuns: runs }
  } catch (e) {
    if (isCorruptionError(e))
      return { damage: [(e as Error).message], deferred: [], unfinishedRuns: 0 }
    throw e
  } finally {
    db.close()
  }
}

/**
 * Opens a library for writing, as tools and tests below the service do. A damaged library is
 * refused (`library-corrupt`) instead of opened read-only, since callers here mean to write.
 */
export function openLibraryDb(path: string): Db {
  const opened = openLibrary(path, { check: 'full' })
  if (opened.damage) {
    opened.db.close()
    throw libraryCorrupt(path, opened.damage)
  }
  return opened.db
}

/** The error for a damaged library: SQLite's first finding, and how many there were. */
export function libraryCorrupt(path: string, problems: readonly string[]): GleanerError {
  return new GleanerError(
    'library-corrupt',
    `The library ${path} is damaged (${problems[0] ?? 'SQLite reported corruption'}${problems.length > 1 ? `, and ${problems.length - 1} more problems` : ''}). Gleaner has opened it read-only so that nothing more is written to it; restore a backup with \`gleaner restore FILE\`.`,
    { path, problem: problems[0] ?? '', count: problems.length }
  )
}
