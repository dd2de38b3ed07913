import { resolve } from 'node:path'
import { parseCommandArgs } from '../args'
import type { CliCommand } from '../command'
import { backupLibrary, defaultBackupPath } from '../../core/backup/backup'
import {
  readBackupSettings,
  writeBackupSettings,
  type BackupSettings
} from '../../core/backup/schedule'

const usage = `Usage: gleaner backup [--out FILE]
       gleaner backup schedule [on|off] [--every HOURS] [--keep N] [--json]
Writes a consistent copy of the library (SQLite VACUUM INTO) while it stays usable.
  --out FILE   where to write it (default: backups/gleaner-backup-<time>.db beside the library)
'schedule' shows or changes the backups the app and the web preview make while open (default:
on, every 24 hours, keeping the newest 7 in backups/ as gleaner-auto-<time>.db).`

function describe(s: BackupSettings): string {
  return s.enabled
    ? `Scheduled backups: on, every ${s.everyHours} hours, keeping the newest ${s.keep}.`
    : 'Scheduled backups: off.'
}

function number(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n))
    throw new Error(`--${name} must be a number, got '${text}'`)
  return n
}

export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'write a consistent copy of the library; show or set the backup schedule',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        out: { type: 'string' },
        every: { type: 'string' },
        keep: { type: 'string' },
        json: { type: 'boolean' }
      },
      usage
    )
    if (positionals[0] === 'schedule') {
      const state = positionals[1]
      if (positionals.length > 2 || (state !== undefined && state !== 'on' && state !== 'off')) {
        ctx.err(usage)
        return 2
      }
      const db = ctx.db()
      let settings = readBackupSettings(db)
      const every = number(values.every, 'every')
      const keep = number(values.keep, 'keep')
      if (state !== undefined || every !== undefined || keep !== undefined) {
        settings = writeBackupSettings(db, {
          enabled: state === undefined ? settings.enabled : state === 'on',
          everyHours: every ?? settings.everyHours,
          keep: keep ?? settings.keep
        })
      }
      ctx.out(values.json ? JSON.stringify(settings) : describe(settings))
      return 0
    }
    if (positionals.length) {
      ctx.err(usage)
      return 2
    }
    const out = values.out ? resolve(values.out) : defaultBackupPath(ctx.libraryPath)
    const r = backupLibrary(ctx.db(), out)
    ctx.out(`Backed up ${ctx.libraryPath} to ${r.path} (${(r.bytes / 1024).toFixed(0)} KB)`)
    return 0
  }
}
