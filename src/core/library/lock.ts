// Holding a library file for this process alone, through SQLite's own locks, so anything that
// has it open is seen: the app, the web preview, a `gleaner` command, or the sqlite3 shell.
//
// In WAL mode every open connection keeps a SHARED lock on the database file for as long as it
// is open, not only during a transaction. `BEGIN EXCLUSIVE` does not see them (in WAL mode it
// only excludes other writers: checked, it succeeds while another process has the library
// open); a connection in `locking_mode = EXCLUSIVE` does: its first read must take the file's
// EXCLUSIVE lock, which fails with SQLITE_BUSY while anyone else holds SHARED. Switching that
// connection to `journal_mode = MEMORY` folds the WAL into the file and deletes it, so the file
// alone is the whole library, and leaves no journal file behind whose name could later be taken
// for the journal of another file at the same path.
import { rmSync } from 'node:fs'
import Database from 'better-sqlite3'
import { GleanerError } from '../../shared/errors'
import { isCorruptionError } from './integrity'

export interface ExclusiveHold {
  /** The holding connection (rollback mode now, still EXCLUSIVE): nobody else can open the file. */
  readonly db: Database.Database
  /** Lets go: closes the connection. Safe to call after the file was renamed. */
  release(): void
}

/** How long to wait for another process's brief look at the file (its own start-up checks). */
const WAIT_MS = 1000

export function libraryInUse(path: string): GleanerError {
  return new GleanerError(
    'library-in-use',
    `The library ${path} is open in another program (Gleaner, its web preview or a gleaner command). Close it and try again.`,
    { path }
  )
}

/**
 * Runs `work` on a connection that has the library to itself (WAL mode kept), if no other
 * process has it open; returns false without running it otherwise. For start-up chores that
 * are only safe when nobody else is working in the library.
 */
export function withSoleAccess(path: string, work: (db: Database.Database) => void): boolean {
  const db = new Database(path, { fileMustExist: true })
  try {
    db.pragma('busy_timeout = 0')
    db.pragma('locking_mode = EXCLUSIVE')
    try {
      db.prepare('SELECT count(*) FROM sqlite_schema').get()
    } catch (e) {
      if ((e as { code?: unknown }).code === 'SQLITE_BUSY') return false
      throw e
    }
    work(db)
    return true
  } finally {
    db.close()
  }
}

/**
 * Takes the library for this process alone, or throws `library-in-use`. Returns null when the
 * file is too damaged for SQLite to read its first page: no program can be using it then.
 */
export function holdExclusively(path: string): ExclusiveHold | null {
  const db = new Database(path, { fileMustExist: true })
  try {
    db.pragma(`busy_timeout = ${WAIT_MS}`)
    db.pragma('locking_mode = EXCLUSIVE')
    db.prepare('SELECT count(*) FROM sqlite_schema').get()
    db.pragma('journal_mode = MEMORY')
    // The lock taken by the read above is already EXCLUSIVE in WAL mode; this makes sure of it
    // whatever mode the file was in.
    db.exec('BEGIN EXCLUSIVE; COMMIT')
  } catch (e) {
    db.close()
    if ((e as { code?: unknown }).code === 'SQLITE_BUSY') throw libraryInUse(path)
    if (isCorruptionError(e)) return null
    throw e
  }
  // The WAL index is SQLite's scratch file; with the WAL gone and the file ours it is stale.
  rmSync(`${path}-shm`, { force: true })
  return { db, release: () => db.close() }
}
