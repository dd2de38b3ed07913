// `gleaner boilerplate`: the lines learned as each source's boilerplate (repeated at the head or
// tail of its articles), and switching one off for its source (its text stays in the source's
// articles) or on again — the same change as the reader's "Keep this text", undoable.
import { parseCommandArgs } from '../args'
import type { CliCommand } from '../command'

const usage = `Usage: gleaner boilerplate [list] [--source NAME] [--json]
       gleaner boilerplate keep SOURCE EDGE HASH     (stop removing the line: EDGE is head or tail)
       gleaner boilerplate remove SOURCE EDGE HASH   (remove it again)
Lists the lines Gleaner learned as a source's boilerplate: lines repeated at the head or tail
of at least 3 of the source's articles. 'keep' and 'remove' re-clean the source's articles.`

export const boilerplateCommand: CliCommand = {
  name: 'boilerplate',
  summary: 'list or switch the lines learned as each source’s boilerplate',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { json: { type: 'boolean' }, source: { type: 'string' } },
      usage
    )
    const [sub = 'list', source, edge, hash] = positionals
    const service = ctx.service()
    if (sub === 'list') {
      const lines = await service.sourceBoilerplate(values.source ?? null)
      if (values.json) ctx.out(JSON.stringify(lines, null, 2))
      else if (!lines.length) ctx.out('No boilerplate learned yet.')
      else
        for (const l of lines)
          ctx.out(
            `${l.source}\t${l.edge}\t${l.hash}\t${l.on ? 'removed' : 'kept'}\t${l.articles} articles\t${l.text}`
          )
      return 0
    }
    if (
      (sub === 'keep' || sub === 'remove') &&
      source &&
      hash &&
      (edge === 'head' || edge === 'tail')
    ) {
      await service.setSourceBoilerplate(source, edge, hash, sub === 'remove')
      ctx.out(`${sub === 'keep' ? 'Kept' : 'Removing'} that line in ${source}'s articles.`)
      return 0
    }
    ctx.err(usage)
    return 2
  }
}
