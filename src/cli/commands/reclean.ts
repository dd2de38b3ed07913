import type { TaskProgress } from '../../shared/types'
import { parseCommandArgs, parseId } from '../args'
import type { CliCommand } from '../command'

const usage = `Usage: gleaner reclean [--all | <id>…] [--json]
Rebuilds articles from the original files kept in the library with the current cleaner.
  (no arguments)  every article cleaned by an older cleaner version
  --all           every article
  <id>…           these articles
Ctrl+C stops it between batches: what was re-cleaned stays, the rest keeps its old text.`

function bar(p: TaskProgress): string {
  const width = 24
  const frac = p.total ? Math.min(1, p.done / p.total) : 0
  const fill = Math.round(frac * width)
  // The bar's own CR and erase-line are the only controls it sends.
  return `\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] re-cleaned ${p.done} of ${p.total}\u001b[K`
}

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
    const service = ctx.service()
    // The progress bar goes to stderr so --json output stays clean.
    const showBar = Boolean(process.stderr.isTTY) && !values.json
    let taskId: number | null = null
    const off = service.on('taskProgress', (p) => {
      if (p.kind !== 'reclean') return
      taskId = p.taskId
      if (showBar && !p.finished) process.stderr.write(bar(p))
    })
    // Ctrl+C stops the run between batches instead of killing it in the middle of one.
    const stop = (): void => {
      if (taskId !== null) void service.cancelTask(taskId)
    }
    process.once('SIGINT', stop)
    let result
    try {
      result = await service.reclean(ids, Boolean(values.all))
    } finally {
      process.off('SIGINT', stop)
      off()
      if (showBar) process.stderr.write('\r\u001b[K')
    }
    if (values.json) {
      ctx.out(JSON.stringify(result, null, 2))
      return 0
    }
    const counts = `${result.changed} changed, ${result.unchanged} unchanged, ${result.failed.length} failed`
    const done = result.changed + result.unchanged + result.failed.length
    ctx.out(
      result.cancelled
        ? `Stopped after ${done} of ${result.total} articles: ${counts}`
        : `Re-cleaned ${result.total} articles: ${counts}`
    )
    for (const f of result.failed) ctx.out(`  failed: #${f.id}: ${f.reason}`)
    return 0
  }
}
