// Scheduled backups: when one is due (decideBackup), which are pruned, and the schedule itself
// making real backups of a real library on a worker thread, with the clock under the test's
// control, the setting read from the library, and the CLI that changes it.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { backupLibrary, defaultBackupPath } from '../../src/core/backup/backup'
import { checkLibraryFile } from '../../src/core/backup/check'
import { backupsDirOf } from '../../src/core/backup/leftovers'
import {
  DEFAULT_BACKUP_SETTINGS,
  backupsToPrune,
  decideBackup,
  readBackupSettings,
  startBackupSchedule,
  writeBackupSettings,
  type BackupSchedule,
  type ScheduleFacts
} from '../../src/core/backup/schedule'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { backupCommand } from '../../src/cli/commands/backup'
import type { CliContext } from '../../src/cli/command'
import { printable } from '../../src/cli/terminal'
import { SEED_FILE, tempDir } from '../helpers/corpus'

const HOUR = 3_600_000
const at = (h: number): Date => new Date(Date.UTC(2026, 0, 1) + h * HOUR)

describe('decideBackup', () => {
  const base: ScheduleFacts = {
    settings: { ...DEFAULT_BACKUP_SETTINGS },
    damaged: false,
    now: at(100),
    newestBackupAt: at(70),
    changedSinceNewest: true
  }
  const cases: [string, Partial<ScheduleFacts>, ReturnType<typeof decideBackup>][] = [
    ['due: a day since the last backup, changed since', {}, { backup: true }],
    ['the first backup', { newestBackupAt: null }, { backup: true }],
    [
      'the first backup, whatever the file times say',
      { newestBackupAt: null, changedSinceNewest: null },
      { backup: true }
    ],
    [
      'not due: the last backup is 23 hours old',
      { newestBackupAt: at(77) },
      { backup: false, why: 'not-due' }
    ],
    ['due at exactly the interval', { newestBackupAt: at(76) }, { backup: true }],
    [
      'nothing changed since the last backup',
      { changedSinceNewest: false },
      { backup: false, why: 'unchanged' }
    ],
    [
      'not due and unchanged: not due',
      { newestBackupAt: at(99), changedSinceNewest: false },
      { backup: false, why: 'not-due' }
    ],
    [
      'switched off',
      { settings: { ...DEFAULT_BACKUP_SETTINGS, enabled: false } },
      { backup: false, why: 'off' }
    ],
    [
      'a damaged library is never copied over good backups',
      { damaged: true, newestBackupAt: null },
      { backup: false, why: 'damaged' }
    ],
    [
      'every 6 hours',
      { settings: { enabled: true, everyHours: 6, keep: 3 }, newestBackupAt: at(93) },
      { backup: true }
    ],
    [
      'the clock was set back behind the last backup',
      { newestBackupAt: at(130), changedSinceNewest: false },
      { backup: true }
    ]
  ]
  for (const [name, facts, want] of cases) {
    it(name, () => expect(decideBackup({ ...base, ...facts })).toEqual(want))
  }
})

describe('backupsToPrune', () => {
  it('removes the oldest beyond the number kept', () => {
    expect(backupsToPrune(['a', 'b', 'c', 'd'], 2)).toEqual(['a', 'b'])
    expect(backupsToPrune(['a', 'b'], 2)).toEqual([])
    expect(backupsToPrune([], 1)).toEqual([])
  })
})

describe('the schedule on a real library', () => {
  let svc: GleanerService | undefined
  let schedule: BackupSchedule | undefined
  let cleanup: (() => void) | undefined
  afterEach(() => {
    schedule?.stop()
    svc?.close()
    cleanup?.()
  })

  async function open(): Promise<{ path: string; svc: GleanerService }> {
    const t = tempDir('gleaner-schedule-')
    cleanup = t.cleanup
    const path = join(t.dir, 'library.db')
    svc = createGleanerService({ libraryPath: path })
    await svc.importPaths([SEED_FILE])
    return { path, svc }
  }

  it('backs up when due and changed, keeps the newest N scheduled ones, and never touches a person’s own', async () => {
    const { path, svc: s } = await open()
    let hours = 0
    schedule = startBackupSchedule({
      db: s.db,
      libraryPath: path,
      isDamaged: () => s.health.damaged,
      now: () => at(hours),
      firstTickMs: 3_600_000
    })
    const own = backupLibrary(s.db, defaultBackupPath(path, at(-1))).path
    writeBackupSettings(s.db, { enabled: true, everyHours: 24, keep: 2 })

    const first = await schedule.tick()
    expect(first.decision).toEqual({ backup: true })
    expect(checkLibraryFile(first.made?.path as string).ok).toBe(true)
    expect(first.made?.path).toMatch(/backups\/gleaner-auto-20260101-000000-000\.db$/u)
    expect((await schedule.tick()).decision).toEqual({ backup: false, why: 'not-due' })
    hours = 25
    expect((await schedule.tick()).decision).toEqual({ backup: false, why: 'unchanged' })

    const made: string[] = [first.made?.path as string]
    for (const step of [1, 2, 3]) {
      await s.setStarred([1], step % 2 === 1)
      hours += 25
      const r = await schedule.tick()
      expect(r.decision, `step ${step}`).toEqual({ backup: true })
      made.push(r.made?.path as string)
    }
    const dir = backupsDirOf(path)
    // Two scheduled backups kept (the newest), the person's own untouched, nothing half-written.
    expect(readdirSync(dir).sort()).toEqual(
      [own, ...made.slice(-2)].map((p) => p.split('/').at(-1)).sort()
    )
  })

  it('makes no backup of a damaged library, nor while switched off', async () => {
    const { path, svc: s } = await open()
    let damaged = true
    schedule = startBackupSchedule({
      db: s.db,
      libraryPath: path,
      isDamaged: () => damaged,
      firstTickMs: 3_600_000
    })
    expect((await schedule.tick()).decision).toEqual({ backup: false, why: 'damaged' })
    damaged = false
    writeBackupSettings(s.db, { ...readBackupSettings(s.db), enabled: false })
    expect((await schedule.tick()).decision).toEqual({ backup: false, why: 'off' })
    expect(existsSync(backupsDirOf(path))).toBe(false)
  })

  it('its own timer makes the first backup without being asked', async () => {
    const { path, svc: s } = await open()
    schedule = startBackupSchedule({
      db: s.db,
      libraryPath: path,
      isDamaged: () => s.health.damaged,
      firstTickMs: 1
    })
    await expect
      .poll(() => (existsSync(backupsDirOf(path)) ? readdirSync(backupsDirOf(path)) : []), {
        timeout: 30_000
      })
      .toEqual([expect.stringMatching(/^gleaner-auto-[\d-]+\.db$/u)])
  })

  it('the setting through the API (the window): read with what is on disk, saved, ranges refused', async () => {
    const { path, svc } = await open()
    const first = await svc.backupStatus()
    expect(first).toEqual({
      settings: DEFAULT_BACKUP_SETTINGS,
      folder: backupsDirOf(path),
      latest: null,
      count: 0
    })
    const made = backupLibrary(svc.db, defaultBackupPath(path, at(5)))
    const saved = await svc.setBackupSettings({ enabled: true, everyHours: 168, keep: 3 })
    expect(saved.settings).toEqual({ enabled: true, everyHours: 168, keep: 3 })
    expect(saved.count).toBe(1)
    expect(saved.latest).toBe(at(5).toISOString())
    expect(existsSync(made.path)).toBe(true)
    expect(readBackupSettings(svc.db)).toEqual(saved.settings)
    for (const bad of [
      { enabled: true, everyHours: 0, keep: 3 },
      { enabled: true, everyHours: 24, keep: 0 },
      { enabled: true, everyHours: 24, keep: 2.5 }
    ])
      await expect(svc.setBackupSettings(bad)).rejects.toMatchObject({ code: 'invalid-setting' })
    expect(readBackupSettings(svc.db)).toEqual(saved.settings)
  })

  it('the setting: default on, daily, 7 kept; changed and shown by `gleaner backup schedule`', async () => {
    const { path, svc: s } = await open()
    expect(readBackupSettings(s.db)).toEqual({ enabled: true, everyHours: 24, keep: 7 })
    const out: string[] = []
    const ctx: CliContext = {
      libraryPath: path,
      service: () => s,
      db: () => s.db,
      out: (l) => out.push(printable(l, false)),
      err: (l) => out.push(l),
      isTTY: false
    }
    expect(await backupCommand.run(['schedule', 'off'], ctx)).toBe(0)
    expect(readBackupSettings(s.db).enabled).toBe(false)
    expect(await backupCommand.run(['schedule', 'on', '--every', '6', '--keep', '3'], ctx)).toBe(0)
    expect(readBackupSettings(s.db)).toEqual({ enabled: true, everyHours: 6, keep: 3 })
    expect(out.at(-1)).toBe('Scheduled backups: on, every 6 hours, keeping the newest 3.')
    await expect(backupCommand.run(['schedule', '--keep', '0'], ctx)).rejects.toMatchObject({
      code: 'invalid-setting'
    })
    // A setting damaged in the file falls back to the default instead of stopping backups.
    s.db.prepare("UPDATE settings SET value = '{\"everyHours\": -3}' WHERE key = 'backups'").run()
    expect(readBackupSettings(s.db)).toEqual(DEFAULT_BACKUP_SETTINGS)
  })
})
