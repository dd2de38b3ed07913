import type { TrashedArticle } from '../../shared/types'
import { parseCommandArgs, parseId } from '../args'
import type { CliCommand, CliContext } from '../command'

const usage = `Usage: gleaner trash [list] [--json]
       gleaner trash restore ID…
       gleaner trash empty [ID…] [--yes] [--json]
Deleted articles wait in the trash, newest deletion first: restore them (undoable, like a delete),
or empty the trash — every article in it, or only these ids — which removes them for good, with
their highlights, notes and places in collections, and the original files no other article came
from. Emptying cannot be undone: it asks first on a terminal, and elsewhere needs --yes.`

function ids(args: string[]): number[] {
  return args
    .flatMap((a) => a.split(','))
    .filter(Boolean)
    .map((a) => parseId(a))
}

/** Every article in the trash (the API pages at most 1,000 at a time). */
async function wholeTrash(ctx: CliContext): Promise<TrashedArticle[]> {
  const all: TrashedArticle[] = []
  for (;;) {
    const page = await ctx.service().listTrash({ offset: all.length, limit: 1000 })
    all.push(...page.items)
    if (page.items.length === 0 || all.length >= page.total) return all
  }
}

const size = (bytes: number): string =>
  bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`

export const trashCommand: CliCommand = {
  name: 'trash',
  summary: 'list, restore or empty the deleted articles',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { json: { type: 'boolean' }, yes: { type: 'boolean' } },
      usage
    )
    const [sub = 'list', ...rest] = positionals
    const service = ctx.service()
    switch (sub) {
      case 'list': {
        const items = await wholeTrash(ctx)
        if (values.json) {
          ctx.out(JSON.stringify(items, null, 2))
          return 0
        }
        if (items.length === 0) ctx.out('The trash is empty.')
        for (const a of items)
          ctx.out(
            `${String(a.id).padStart(6)}  ${a.deletedAt.slice(0, 16).replace('T', ' ')}  ${a.title}`
          )
        return 0
      }
      case 'restore': {
        const list = ids(rest)
        if (list.length === 0) throw new Error(`no article ids given\n${usage}`)
        const back = await service.restoreArticles(list)
        if (values.json) ctx.out(JSON.stringify({ restored: back }))
        else ctx.out(`Restored ${back.length} article(s).`)
        return 0
      }
      case 'empty': {
        const list = rest.length ? ids(rest) : null
        if (!values.yes) {
          const n = list ? list.length : (await service.listTrash({ limit: 1 })).total
          if (n === 0) {
            ctx.out('The trash is empty.')
            return 0
          }
          const question = `Remove ${list ? `${n} article(s)` : `all ${n} article(s) in the trash`} for good? This cannot be undone. [y/N] `
          if (!ctx.ask)
            throw new Error(
              `not emptying the trash: this removes articles for good and cannot be undone; run it in a terminal to be asked, or add --yes`
            )
          if (!/^y(es)?$/iu.test((await ctx.ask(question)).trim())) {
            ctx.out('Nothing removed.')
            return 0
          }
        }
        const result = await service.emptyTrash(list)
        if (values.json) ctx.out(JSON.stringify(result))
        else
          ctx.out(
            `Removed ${result.ids.length} article(s) for good, and ${result.originals} original file(s) (${size(result.originalBytes)}).`
          )
        return 0
      }
      default:
        throw new Error(`unknown subcommand '${sub}'\n${usage}`)
    }
  }
}
