import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseCommandArgs } from '../args'
import type { CliCommand } from '../command'
import { restoreLibrary } from '../../main/core/backup/backup'

const usage = `Usage: gleaner restore FILE
Replaces the library with the backup FILE after checking the backup's integrity.
The library it replaces is kept beside it as <library>.replaced-<time>. Close the app first.`

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: 'replace the library with a checked backup (the old one is kept aside)',
  usage,
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, usage)
    const file = positionals[0]
    if (!file || positionals.length > 1) {
      ctx.err(usage)
      return 2
    }
    const from = resolve(file)
    if (!existsSync(from)) {
      ctx.err(`gleaner restore: no such file ${from}`)
      return 1
    }
    // Deliberately never opens the service: the library file is about to be swapped.
    const r = restoreLibrary(ctx.libraryPath, from)
    ctx.out(`Restored ${ctx.libraryPath} from ${r.restoredFrom}`)
    if (r.keptAside) ctx.out(`The replaced library is kept at ${r.keptAside}`)
    return 0
  }
}
