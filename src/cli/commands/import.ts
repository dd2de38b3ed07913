import { resolve } from 'node:path'
import type { ImportProgress } from '../../shared/types'
import { parseCommandArgs } from '../args'
import type { CliCommand } from '../command'
import { terminalSafe } from '../terminal'

const usage = `Usage: gleaner import <path…> [--json]
Imports files and folders (recursively) into the library.
  --json   print the run as JSON: { id, counts, results: [{ path, status, reason?, articleId? }] }`

function bar(p: ImportProgress): string {
  const width = 24
  const frac = p.total ? Math.min(1, p.done / p.total) : 0
  const fill = Math.round(frac * width)
  const name = p.currentPath.length > 40 ? '…' + p.currentPath.slice(-39) : p.currentPath
  // The bar's own CR and erase-line are the only controls it sends; the file name is made safe.
  return `\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${p.done} files, ${p.filesPerSecond}/s  ${terminalSafe(name)}\u001b[K`
}

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'import article files and folders',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } }, usage)
    if (!positionals.length) {
      ctx.err(usage)
      return 2
    }
    const service = ctx.service()
    // The progress bar goes to stderr so --json output stays clean.
    const showBar = Boolean(process.stderr.isTTY) && !values.json
    const off = showBar
      ? service.on('importProgress', (p) => process.stderr.write(bar(p)))
      : undefined
    // The core takes absolute paths only; on the command line, relative ones mean the
    // folder the command runs in.
    const run = await service.importPaths(positionals.map((p) => resolve(p)))
    off?.()
    if (showBar) process.stderr.write('\r\u001b[K')
    if (values.json) {
      ctx.out(JSON.stringify(run, null, 2))
      return 0
    }
    const c = run.counts
    ctx.out(
      `Imported ${c.imported}, updated ${c.updated}, duplicates ${c.duplicates}, unchanged ${c.unchanged}, in trash ${c.inTrash}, failed ${c.failed} (of ${c.total} files) into ${ctx.libraryPath}`
    )
    for (const r of run.results) {
      if (r.status === 'failed') ctx.out(`  failed: ${r.path}: ${r.reason ?? 'unknown reason'}`)
    }
    return 0
  }
}
