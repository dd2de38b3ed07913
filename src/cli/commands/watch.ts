import { resolve } from 'node:path'
import { parseCommandArgs } from '../args'
import type { CliCommand } from '../command'
import { watchFolder } from '../../core/watch/watch'

const usage = `Usage: gleaner watch <folder> [--no-initial]
Imports files as they appear in the folder (and below it), once they have finished copying.
Files already in the library (same bytes) are skipped. Subscribed feeds (gleaner feeds) are
polled on their schedule meanwhile. Stop with Ctrl-C.
  --no-initial   do not import what is already in the folder when watching starts`

export const watchCommand: CliCommand = {
  name: 'watch',
  summary: 'import files as they appear in a folder',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { 'no-initial': { type: 'boolean' } },
      usage
    )
    const dir = positionals[0]
    if (!dir || positionals.length > 1) {
      ctx.err(usage)
      return 2
    }
    const w = watchFolder(ctx.service(), resolve(dir), {
      initialImport: !values['no-initial'],
      onRun: (run) => {
        const c = run.counts
        if (c.imported || c.updated || c.failed)
          ctx.out(
            `imported ${c.imported}, updated ${c.updated}, failed ${c.failed} (of ${c.total})`
          )
        for (const r of run.results)
          if (r.status === 'failed') ctx.out(`  failed: ${r.path}: ${r.reason ?? ''}`)
      },
      onError: (e) => ctx.err(`watch: ${e.message}`)
    })
    ctx.out(`Watching ${w.dir} (Ctrl-C to stop)`)
    await new Promise<void>((done) => {
      const stop = (): void => {
        process.off('SIGINT', stop)
        process.off('SIGTERM', stop)
        done()
      }
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
    })
    await w.close()
    return 0
  }
}
