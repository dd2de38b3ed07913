import { resolve } from 'node:path'
import { parseCommandArgs } from '../args'
import type { CliCommand } from '../command'
import { backupEntries } from '../../core/backup/backup'
import { backupsDirOf } from '../../core/backup/leftovers'
import { restoreLibrary } from '../../core/backup/restore'

const usage = `Usage: gleaner restore FILE
       gleaner restore --list [--json]
Replaces the library with the backup FILE after checking it (integrity, references, Gleaner's
tables and indexes). The library it replaces is kept beside it as <library>.replaced-<time>.
Refused while the library is open in the app, the web preview or another gleaner command.
--list shows the backups found in the library's backups folder, newest first.`

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: 'replace the library with a checked backup (the old one is kept aside)',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { list: { type: 'boolean' }, json: { type: 'boolean' } },
      usage
    )
    if (values.list) {
      const backups = backupEntries(backupsDirOf(ctx.libraryPath))
      if (values.json) ctx.out(JSON.stringify(backups, null, 2))
      else if (backups.length === 0) ctx.out(`No backups in ${backupsDirOf(ctx.libraryPath)}.`)
      else
        for (const b of backups)
          ctx.out(`${b.createdAt}  ${(b.bytes / 1024).toFixed(0).padStart(9)} KB  ${b.path}`)
      return 0
    }
    const file = positionals[0]
    if (!file || positionals.length > 1) {
      ctx.err(usage)
      return 2
    }
    // Deliberately never opens the service: the library file is about to be swapped.
    const r = restoreLibrary(ctx.libraryPath, resolve(file))
    ctx.out(`Restored ${ctx.libraryPath} from ${r.restoredFrom}`)
    if (r.keptAside) ctx.out(`The replaced library is kept at ${r.keptAside}`)
    return 0
  }
}
