import { existsSync } from 'node:fs'
import { parseCommandArgs } from '../args'
import type { CliCommand } from '../command'
import { backupEntries } from '../../core/backup/backup'
import { checkLibraryFile } from '../../core/backup/check'
import { backupsDirOf } from '../../core/backup/leftovers'

const usage = `Usage: gleaner check [--json]
Runs SQLite's integrity and foreign-key checks on the library, and checks that it has every
table and index Gleaner creates, without changing it.
Exit code 0 when the library is sound, 1 when problems were found.`

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'verify the library file (integrity, references, schema)',
  usage,
  async run(args, ctx) {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' } }, usage)
    if (!existsSync(ctx.libraryPath)) {
      ctx.err(`gleaner check: no library at ${ctx.libraryPath}`)
      return 1
    }
    // Opened read-only and apart from the service: a damaged library must still be checkable.
    const r = checkLibraryFile(ctx.libraryPath)
    if (values.json) ctx.out(JSON.stringify(r, null, 2))
    else if (r.ok)
      ctx.out(`ok: ${ctx.libraryPath} (schema ${r.schemaVersion}, ${r.articles ?? 0} articles)`)
    else {
      ctx.out(`problems in ${ctx.libraryPath}:`)
      for (const p of r.problems) ctx.out(`  ${p}`)
      const newest = backupEntries(backupsDirOf(ctx.libraryPath))[0]
      ctx.out(
        newest
          ? `The newest backup is ${newest.path} (${newest.createdAt}); 'gleaner restore --list' lists them all.`
          : `No backups found in ${backupsDirOf(ctx.libraryPath)}.`
      )
    }
    return r.ok ? 0 : 1
  }
}
