// Library backup, check and restore. A backup is a compact, consistent copy made with
// `VACUUM INTO` while the library stays open; a restore verifies the copy before it replaces
// anything and keeps the replaced library aside, so no step can lose the only good copy.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  copyFileSync
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { MIGRATIONS } from '../library/migrations'
import type { Db } from '../library/open'

export interface BackupResult {
  path: string
  bytes: number
}

export interface CheckResult {
  ok: boolean
  /** integrity_check and foreign_key_check findings, one line each; empty when ok. */
  problems: string[]
  schemaVersion: number
  articles: number | null
}

export interface RestoreResult {
  restoredFrom: string
  /** Where the library that was replaced now is (null when there was none). */
  keptAside: string | null
}

const BACKUP_PREFIX = 'gleaner-backup-'

/** 20261130-004512-123: sortable, and safe in file names everywhere. */
export function timestamp(d: Date = new Date()): string {
  const iso = d.toISOString()
  return `${iso.slice(0, 10).replace(/-/gu, '')}-${iso.slice(11, 19).replace(/:/gu, '')}-${iso.slice(20, 23)}`
}

export function defaultBackupPath(libraryPath: string, d: Date = new Date()): string {
  return join(dirname(libraryPath), 'backups', `${BACKUP_PREFIX}${timestamp(d)}.db`)
}

/**
 * Writes a consistent copy of the open library to `outFile` (which must not exist). The copy
 * is written under a temporary name and renamed, so a crash never leaves a half backup that
 * looks whole.
 */
export function backupLibrary(db: Db, outFile: string): BackupResult {
  if (existsSync(outFile)) throw new Error(`${outFile} already exists; choose another name`)
  mkdirSync(dirname(outFile), { recursive: true })
  const partial = `${outFile}.partial-${process.pid}`
  rmSync(partial, { force: true })
  try {
    db.prepare('VACUUM INTO ?').run(partial)
    renameSync(partial, outFile)
  } catch (e) {
    rmSync(partial, { force: true })
    throw e
  }
  return { path: outFile, bytes: statSync(outFile).size }
}

/** Runs SQLite's integrity and foreign-key checks on a library file without changing it. */
export function checkLibraryFile(path: string): CheckResult {
  if (!existsSync(path)) throw new Error(`no library at ${path}`)
  let db: Database.Database
  try {
    db = new Database(path, { readonly: true, fileMustExist: true })
  } catch (e) {
    return {
      ok: false,
      problems: [`cannot open: ${(e as Error).message}`],
      schemaVersion: 0,
      articles: null
    }
  }
  try {
    return checkOpenDb(db)
  } finally {
    db.close()
  }
}

export function checkOpenDb(db: Database.Database): CheckResult {
  const problems: string[] = []
  let schemaVersion = 0
  let articles: number | null = null
  try {
    schemaVersion = db.pragma('user_version', { simple: true }) as number
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[]
    for (const row of integrity)
      if (row.integrity_check !== 'ok') problems.push(row.integrity_check)
    const fk = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]
    for (const row of fk.slice(0, 100))
      problems.push(`${row.table} row ${row.rowid} points to a missing ${row.parent} row`)
    if (fk.length > 100) problems.push(`… and ${fk.length - 100} more broken references`)
    const hasArticles = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles'")
      .get()
    if (hasArticles)
      articles = (db.prepare('SELECT COUNT(*) AS n FROM articles').get() as { n: number }).n
    else problems.push('not a Gleaner library (no articles table)')
  } catch (e) {
    problems.push((e as Error).message)
  }
  return { ok: problems.length === 0, problems, schemaVersion, articles }
}

/**
 * Replaces the library at `libraryPath` with `backupFile`. The library must not be open.
 * The backup is checked first (integrity, schema known to this version); the current library
 * is checkpointed and moved aside as `<name>.replaced-<time>`, never deleted.
 */
export function restoreLibrary(
  libraryPath: string,
  backupFile: string,
  now: Date = new Date()
): RestoreResult {
  const check = checkLibraryFile(backupFile)
  if (!check.ok)
    throw new Error(
      `backup ${backupFile} failed its check: ${check.problems.slice(0, 3).join('; ')}`
    )
  if (check.schemaVersion < 1 || check.schemaVersion > MIGRATIONS.length)
    throw new Error(
      `backup ${backupFile} has schema ${check.schemaVersion}; this Gleaner reads 1 to ${MIGRATIONS.length}`
    )
  // Copy first (same folder, so the final rename is atomic), then swap.
  const incoming = `${libraryPath}.restoring-${process.pid}`
  mkdirSync(dirname(libraryPath), { recursive: true })
  copyFileSync(backupFile, incoming)
  let keptAside: string | null = null
  if (existsSync(libraryPath)) {
    foldWal(libraryPath)
    keptAside = `${libraryPath}.replaced-${timestamp(now)}`
    renameSync(libraryPath, keptAside)
    for (const suffix of ['-wal', '-shm']) {
      // Anything left here could not be folded in: keep it with the file it belongs to.
      if (existsSync(libraryPath + suffix)) renameSync(libraryPath + suffix, keptAside + suffix)
    }
  }
  renameSync(incoming, libraryPath)
  return { restoredFrom: backupFile, keptAside }
}

/** Folds a library's WAL into its main file so the file alone is the whole library. */
function foldWal(path: string): void {
  try {
    const db = new Database(path, { fileMustExist: true })
    try {
      db.pragma('wal_checkpoint(TRUNCATE)')
    } finally {
      db.close()
    }
  } catch {
    // A damaged library cannot be checkpointed; its -wal/-shm files are moved aside with it.
  }
}

export interface BackupSchedule {
  stop(): void
  /** Makes a backup now (also what the timer calls) and prunes old ones. */
  runNow(): BackupResult
}

export interface ScheduleOptions {
  onBackup?: (r: BackupResult) => void
  onError?: (e: Error) => void
  now?: () => Date
}

/** Lists the scheduled backups in `dir`, oldest first. */
export function listBackups(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((n) => n.startsWith(BACKUP_PREFIX) && n.endsWith('.db'))
    .sort()
    .map((n) => join(dir, n))
}

/**
 * Backs the library up into `dir` every `everyMs`, keeping the newest `keep` backups. The timer
 * does not keep the process alive; a failed backup is reported and the schedule goes on.
 */
export function scheduleBackups(
  db: Db,
  dir: string,
  everyMs: number,
  keep: number,
  opts: ScheduleOptions = {}
): BackupSchedule {
  if (!(everyMs > 0)) throw new Error('backup interval must be positive')
  const keepN = Math.max(1, Math.floor(keep))
  const now = opts.now ?? (() => new Date())
  const runNow = (): BackupResult => {
    let out = join(dir, `${BACKUP_PREFIX}${timestamp(now())}.db`)
    for (let i = 1; existsSync(out); i++)
      out = join(dir, `${BACKUP_PREFIX}${timestamp(now())}-${i}.db`)
    const r = backupLibrary(db, out)
    const all = listBackups(dir)
    for (const old of all.slice(0, Math.max(0, all.length - keepN))) {
      if (basename(old) !== basename(out)) rmSync(old, { force: true })
    }
    opts.onBackup?.(r)
    return r
  }
  const timer = setInterval(() => {
    try {
      if (db.open) runNow()
    } catch (e) {
      opts.onError?.(e as Error)
    }
  }, everyMs)
  timer.unref()
  return { stop: () => clearInterval(timer), runNow }
}
