// Files a killed backup or restore leaves behind. Each temporary name carries the pid of the
// process writing it; once that process is gone nothing will finish or remove the file, so the
// next start does. A file whose pid is alive is left alone (it may be in use right now, or the
// pid was reused: then it waits for a later start).
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** True while a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')

/** SQLite's companions of a database file that a killed writer leaves too. */
const SIDECARS = '(?:-journal|-wal|-shm)?'

/** The folder scheduled and default backups go to, beside the library. */
export function backupsDirOf(libraryPath: string): string {
  return join(dirname(libraryPath), 'backups')
}

/** Temporary names beside the library: a restore's incoming copy and its intent being written. */
function libraryLeftover(libraryPath: string): RegExp {
  const base = escapeRe(basename(libraryPath))
  return new RegExp(`^${base}\\.(?:restoring-|restore-intent\\.json\\.tmp-)(\\d+)${SIDECARS}$`, 'u')
}

/** A backup written under a temporary name (backupLibrary). */
const PARTIAL_BACKUP = new RegExp(`\\.partial-(\\d+)${SIDECARS}$`, 'u')

function removeDead(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return []
  const removed: string[] = []
  for (const name of readdirSync(dir)) {
    const pid = pattern.exec(name)?.[1]
    if (pid === undefined || isProcessAlive(Number(pid))) continue
    rmSync(join(dir, name), { force: true })
    removed.push(join(dir, name))
  }
  return removed
}

/**
 * Removes what killed backups and restores left beside the library and in its backups folder;
 * returns the paths removed. Run after an interrupted restore was recovered (restore.ts), which
 * may still need its incoming copy.
 */
export function removeDeadLeftovers(libraryPath: string): string[] {
  return [
    ...removeDead(dirname(libraryPath), libraryLeftover(libraryPath)),
    ...removeDead(backupsDirOf(libraryPath), PARTIAL_BACKUP)
  ]
}

/** Incoming copies of killed restores beside the library, newest pid first (old-style recovery). */
export function deadRestoreCopies(libraryPath: string): string[] {
  const dir = dirname(libraryPath)
  if (!existsSync(dir)) return []
  const pattern = new RegExp(`^${escapeRe(basename(libraryPath))}\\.restoring-(\\d+)$`, 'u')
  return readdirSync(dir)
    .map((name) => ({ name, pid: pattern.exec(name)?.[1] }))
    .filter((f): f is { name: string; pid: string } => f.pid !== undefined)
    .filter((f) => !isProcessAlive(Number(f.pid)))
    .map((f) => join(dir, f.name))
}
