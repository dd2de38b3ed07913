// Library backups: a compact, consistent copy made with `VACUUM INTO` while the library stays
// open. Checking and restoring are in check.ts and restore.ts, the schedule in schedule.ts.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { GleanerError } from '../../shared/errors'
import type { BackupEntry } from '../../shared/types'
import type { Db } from '../library/open'
import { syncFile, syncFolder } from './durable'
import { backupsDirOf } from './leftovers'

export interface BackupResult {
  path: string
  bytes: number
}

/** Backups a person made (`gleaner backup`); never removed by Gleaner. */
export const BACKUP_PREFIX = 'gleaner-backup-'
/** Backups the schedule made (schedule.ts); the oldest are pruned to the number kept. */
export const SCHEDULED_PREFIX = 'gleaner-auto-'

/** 20261130-004512-123: sortable, and safe in file names everywhere. */
export function timestamp(d: Date = new Date()): string {
  const iso = d.toISOString()
  return `${iso.slice(0, 10).replace(/-/gu, '')}-${iso.slice(11, 19).replace(/:/gu, '')}-${iso.slice(20, 23)}`
}

/** The moment in a name made by `timestamp` (backup names carry it); null if there is none. */
export function timeInName(name: string): Date | null {
  const m = /(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-(\d{3})/u.exec(name)
  if (!m) return null
  const [, y, mo, d, h, mi, sec, ms] = m.map(Number) as number[]
  const date = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, sec, ms))
  return Number.isNaN(date.getTime()) ? null : date
}

/** A backup's name in `dir` for this moment, with a suffix if that name is taken. */
export function backupPathIn(dir: string, d: Date = new Date()): string {
  const base = join(dir, `${BACKUP_PREFIX}${timestamp(d)}`)
  let out = `${base}.db`
  for (let i = 1; existsSync(out); i++) out = `${base}-${i}.db`
  return out
}

export function defaultBackupPath(libraryPath: string, d: Date = new Date()): string {
  return backupPathIn(backupsDirOf(libraryPath), d)
}

export function backupExists(path: string): GleanerError {
  return new GleanerError('file-exists', `${path} already exists; choose another name`, { path })
}

/** Where a backup is written before it is whole: the pid lets a later start remove it if we die. */
export const partialPathOf = (outFile: string): string => `${outFile}.partial-${process.pid}`

/**
 * Moves a finished partial backup into place: flushed first, so a power cut cannot leave a
 * backup that has its final name but not its bytes.
 */
export function completeBackup(partial: string, outFile: string): BackupResult {
  syncFile(partial)
  renameSync(partial, outFile)
  syncFolder(dirname(outFile))
  return { path: outFile, bytes: statSync(outFile).size }
}

/**
 * Writes a consistent copy of the open library to `outFile` (which must not exist), under a
 * temporary name first, so a crash never leaves a half backup that looks whole. Synchronous:
 * for the command line; the app's scheduled backups run on a worker thread (schedule.ts).
 */
export function backupLibrary(db: Db, outFile: string): BackupResult {
  if (existsSync(outFile)) throw backupExists(outFile)
  mkdirSync(dirname(outFile), { recursive: true })
  const partial = partialPathOf(outFile)
  rmSync(partial, { force: true })
  try {
    db.prepare('VACUUM INTO ?').run(partial)
    return completeBackup(partial, outFile)
  } catch (e) {
    rmSync(partial, { force: true })
    throw e
  }
}

/** The backups in `dir` whose names start with one of `prefixes`, oldest first (by name's time). */
export function listBackups(
  dir: string,
  prefixes: readonly string[] = [BACKUP_PREFIX, SCHEDULED_PREFIX]
): string[] {
  if (!existsSync(dir)) return []
  const when = (name: string): string =>
    name.slice(prefixes.find((p) => name.startsWith(p))?.length ?? 0)
  return readdirSync(dir)
    .filter((n) => prefixes.some((p) => n.startsWith(p)) && n.endsWith('.db'))
    .sort((a, b) => (when(a) < when(b) ? -1 : when(a) > when(b) ? 1 : 0))
    .map((n) => join(dir, n))
}

/** The same, newest first, with what a person choosing one wants to see. */
export function backupEntries(dir: string): BackupEntry[] {
  return listBackups(dir)
    .reverse()
    .map((path) => {
      const s = statSync(path)
      return { path, createdAt: s.mtime.toISOString(), bytes: s.size }
    })
}
