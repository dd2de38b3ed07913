import { parseCommandArgs, parseId } from '../args'
import type { CliCommand } from '../command'

const usage = `Usage: gleaner show <id> [--json]
Shows one article: metadata and clean text (--json: every field, including cleanHtml and meta).`

export const showCommand: CliCommand = {
  name: 'show',
  readsOnly: true,
  summary: 'show one article',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } }, usage)
    const id = parseId(positionals[0])
    const a = await ctx.service().getArticle(id)
    if (!a) {
      ctx.err(`gleaner show: no article with id ${id}`)
      return 1
    }
    if (values.json) {
      ctx.out(JSON.stringify(a, null, 2))
      return 0
    }
    ctx.out(a.title)
    ctx.out(
      [a.source ?? a.author, a.publishedAt, a.categoryPath.join(' › ')].filter(Boolean).join(' · ')
    )
    ctx.out('')
    ctx.out(a.cleanText)
    return 0
  }
}
