import { parseCategoryPath } from '../../shared/category-path'
import { parseCommandArgs } from '../args'
import type { CliCommand } from '../command'

const usage = `Usage: gleaner list [--category PATH] [--limit N] [--json]
Lists articles, newest first. PATH is a category path joined by '/' or '›', e.g. 金融/新浪财经.`

export const listCommand: CliCommand = {
  name: 'list',
  readsOnly: true,
  summary: 'list articles (optionally in a category)',
  usage,
  async run(args, ctx) {
    const { values } = parseCommandArgs(
      args,
      { category: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
      usage
    )
    const limit = values.limit ? Number(values.limit) : 1000
    if (!Number.isInteger(limit) || limit <= 0)
      throw new Error(`--limit must be a positive whole number`)
    const page = await ctx.service().listArticles({
      ...(values.category ? { categoryPath: parseCategoryPath(values.category) } : {}),
      limit
    })
    if (values.json) {
      ctx.out(JSON.stringify(page, null, 2))
      return 0
    }
    for (const a of page.items) {
      ctx.out(
        `${String(a.id).padStart(6)}  ${a.publishedAt?.slice(0, 10) ?? '          '}  ${a.title}`
      )
    }
    ctx.out(`${page.items.length} of ${page.total} articles`)
    return 0
  }
}
