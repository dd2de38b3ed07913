import { parseCommandArgs, parseId } from '../args'
import type { CliCommand } from '../command'

const usage = `Usage: gleaner reclean [--all | <id>…] [--json]
Rebuilds articles from the original files kept in the library with the current cleaner.
  (no arguments)  every article cleaned by an older cleaner version
  --all           every article
  <id>…           these articles`

export const recleanCommand: CliCommand = {
  name: 'reclean',
  summary: 're-clean articles from their kept originals',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { all: { type: 'boolean' }, json: { type: 'boolean' } },
      usage
    )
    if (values.all && positionals.length)
      throw new Error(`give either --all or ids, not both\n${usage}`)
    const ids = positionals.length ? positionals.map((p) => parseId(p)) : null
    const result = await ctx.service().reclean(ids, Boolean(values.all))
    if (values.json) {
      ctx.out(JSON.stringify(result, null, 2))
      return 0
    }
    ctx.out(
      `Re-cleaned ${result.total} articles: ${result.changed} changed, ${result.unchanged} unchanged, ${result.failed.length} failed`
    )
    for (const f of result.failed) ctx.out(`  failed: #${f.id}: ${f.reason}`)
    return 0
  }
}
