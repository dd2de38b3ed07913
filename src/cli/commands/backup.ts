import { resolve } from 'node:path'
import { parseCommandArgs } from '../args'
import type { CliCommand } from '../command'
import { backupLibrary, defaultBackupPath } from '../../main/core/backup/backup'

const usage = `Usage: gleaner backup [--out FILE]
Writes a consistent copy of the library (SQLite VACUUM INTO) while it stays usable.
  --out FILE   where to write it (default: backups/gleaner-backup-<time>.db beside the library)`

export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'write a consistent copy of the library',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { out: { type: 'string' } }, usage)
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
