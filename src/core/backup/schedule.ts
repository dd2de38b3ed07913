// Scheduled backups, run by the app and the web preview while they are open. "Daily" is
// measured from the newest backup on disk, not from when the app started: a timer of 24 hours
// would never fire for someone who opens the app each morning and closes it each evening. So a
// tick every few minutes asks decideBackup whether a backup is due; the copy itself runs on a
// worker thread (VACUUM INTO of a 1.35 GB library takes many seconds, which on the main thread
// would freeze the window). The setting lives in the library (settings table), default on:
// daily, keeping the newest 7. Only scheduled backups (gleaner-auto-*) are ever pruned; backups
// a person made (gleaner-backup-*) are theirs.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { GleanerError } from '../../shared/errors'
import type { BackupSettings, BackupStatus } from '../../shared/types'
import type { Db } from '../library/open'
import { runInWorker, type WorkerJob } from '../library/sqlite-worker'
import {
  completeBackup,
  listBackups,
  partialPathOf,
  SCHEDULED_PREFIX,
  timeInName,
  timestamp,
  type BackupResult
} from './backup'
import { backupsDirOf } from './leftovers'

export type { BackupSettings }

export const DEFAULT_BACKUP_SETTINGS: Readonly<BackupSettings> = {
  enabled: true,
  everyHours: 24,
  keep: 7
}

const SETTINGS_KEY = 'backups'
const MAX_HOURS = 24 * 366
const MAX_KEEP = 1000

function invalidSetting(what: string): GleanerError {
  return new GleanerError('invalid-setting', `Backup setting: ${what}.`, { what })
}

/** Checks a setting a person typed (CLI) or that was read back from the library. */
export function validBackupSettings(s: BackupSettings): BackupSettings {
  if (!(Number.isFinite(s.everyHours) && s.everyHours >= 1 && s.everyHours <= MAX_HOURS))
    throw invalidSetting(`the interval must be from 1 to ${MAX_HOURS} hours`)
  if (!(Number.isInteger(s.keep) && s.keep >= 1 && s.keep <= MAX_KEEP))
    throw invalidSetting(
      `the number of backups to keep must be a whole number from 1 to ${MAX_KEEP}`
    )
  return { enabled: s.enabled === true, everyHours: s.everyHours, keep: s.keep }
}

/** The library's setting; the default when none was saved (or what was saved is unusable). */
export function readBackupSettings(db: Db): BackupSettings {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(SETTINGS_KEY) as
    { value: string } | undefined
  if (!row) return { ...DEFAULT_BACKUP_SETTINGS }
  try {
    return validBackupSettings({
      ...DEFAULT_BACKUP_SETTINGS,
      ...(JSON.parse(row.value) as Partial<BackupSettings>)
    })
  } catch {
    return { ...DEFAULT_BACKUP_SETTINGS }
  }
}

/** The setting and what lies in the backups folder, for the window. */
export function backupStatusOf(db: Db, libraryPath: string): BackupStatus {
  const folder = backupsDirOf(libraryPath)
  const names = listBackups(folder)
  const times = names.map((n) => timeInName(n)?.getTime() ?? 0).filter((t) => t > 0)
  return {
    settings: readBackupSettings(db),
    folder,
    latest: times.length ? new Date(Math.max(...times)).toISOString() : null,
    count: names.length
  }
}

export function writeBackupSettings(db: Db, settings: BackupSettings): BackupSettings {
  const valid = validBackupSettings(settings)
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'
  ).run(SETTINGS_KEY, JSON.stringify(valid))
  return valid
}

export type BackupDecision =
  { backup: true } | { backup: false; why: 'off' | 'damaged' | 'not-due' | 'unchanged' }

export interface ScheduleFacts {
  settings: BackupSettings
  /** The library is damaged (read-only): a copy of it would push good backups out. */
  damaged: boolean
  now: Date
  /** When the newest scheduled backup was made (the time in its name); null when there is none. */
  newestBackupAt: Date | null
  /**
   * Whether the library file (or its WAL) changed after the newest backup was written, by the
   * files' own times; null when unknown (no backup yet).
   */
  changedSinceNewest: boolean | null
}

/** Whether a scheduled backup is due now. */
export function decideBackup(f: ScheduleFacts): BackupDecision {
  if (!f.settings.enabled) return { backup: false, why: 'off' }
  if (f.damaged) return { backup: false, why: 'damaged' }
  if (f.newestBackupAt === null) return { backup: true }
  const age = f.now.getTime() - f.newestBackupAt.getTime()
  // A backup "from the future" means the clock was set back: do not wait for it to catch up,
  // and do not trust file times against it either.
  if (age < 0) return { backup: true }
  if (age < f.settings.everyHours * 3_600_000) return { backup: false, why: 'not-due' }
  // Nothing new to keep: another copy would only push an older, different one out.
  if (f.changedSinceNewest === false) return { backup: false, why: 'unchanged' }
  return { backup: true }
}

/** Scheduled backups in `dir`, oldest first. */
export const listScheduledBackups = (dir: string): string[] => listBackups(dir, [SCHEDULED_PREFIX])

/** Which of the scheduled backups (oldest first) go, so that `keep` remain. */
export function backupsToPrune(oldestFirst: readonly string[], keep: number): string[] {
  return oldestFirst.slice(0, Math.max(0, oldestFirst.length - keep))
}

const mtimeOf = (path: string): Date | null => (existsSync(path) ? statSync(path).mtime : null)

export interface TickResult {
  decision: BackupDecision
  made?: BackupResult
  pruned?: string[]
}

export interface BackupSchedule {
  /** Decides and, when due, backs up and prunes (what each tick does). */
  tick(): Promise<TickResult>
  stop(): void
}

export interface ScheduleOptions {
  db: Db
  libraryPath: string
  isDamaged: () => boolean
  onBackup?: (r: BackupResult) => void
  onError?: (e: Error) => void
  now?: () => Date
  /** Wait before the first tick, so a backup does not compete with the app starting. */
  firstTickMs?: number
  tickMs?: number
}

/** Starts the ticks; the timers never keep the process alive. */
export function startBackupSchedule(opts: ScheduleOptions): BackupSchedule {
  const dir = backupsDirOf(opts.libraryPath)
  const now = opts.now ?? (() => new Date())
  let job: WorkerJob | null = null
  let running: Promise<TickResult> | null = null
  let stopped = false

  const facts = (): ScheduleFacts => {
    const newest = listScheduledBackups(dir).at(-1)
    const written = newest ? statSync(newest).mtimeMs : null
    const changed = [mtimeOf(opts.libraryPath), mtimeOf(`${opts.libraryPath}-wal`)]
    return {
      settings: readBackupSettings(opts.db),
      damaged: opts.isDamaged(),
      now: now(),
      newestBackupAt: newest ? (timeInName(basename(newest)) ?? statSync(newest).mtime) : null,
      changedSinceNewest:
        written === null ? null : changed.some((t) => t !== null && t.getTime() > written)
    }
  }

  const run = async (): Promise<TickResult> => {
    const f = facts()
    const decision = decideBackup(f)
    if (!decision.backup) return { decision }
    mkdirSync(dir, { recursive: true })
    const out = join(dir, `${SCHEDULED_PREFIX}${timestamp(f.now)}.db`)
    const partial = partialPathOf(out)
    rmSync(partial, { force: true })
    job = runInWorker(opts.libraryPath, [['VACUUM INTO ?', [partial]]])
    try {
      await job.done
    } catch (e) {
      rmSync(partial, { force: true })
      throw e
    } finally {
      job = null
    }
    const made = completeBackup(partial, out)
    const pruned = backupsToPrune(listScheduledBackups(dir), f.settings.keep).filter(
      (p) => p !== out
    )
    for (const p of pruned) rmSync(p, { force: true })
    opts.onBackup?.(made)
    return { decision, made, pruned }
  }

  const tick = (): Promise<TickResult> => {
    running ??= run().finally(() => {
      running = null
    })
    return running
  }
  const timedTick = (): void => {
    if (stopped || !opts.db.open) return
    tick().catch((e: unknown) => opts.onError?.(e instanceof Error ? e : new Error(String(e))))
  }
  const first = setTimeout(timedTick, opts.firstTickMs ?? 60_000)
  const every = setInterval(timedTick, opts.tickMs ?? 15 * 60_000)
  first.unref()
  every.unref()
  return {
    tick,
    stop() {
      stopped = true
      clearTimeout(first)
      clearInterval(every)
      job?.cancel()
    }
  }
}
