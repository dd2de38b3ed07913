import { parseCommandArgs, parseId } from '../args'
import type { CliCommand } from '../command'

const usage = `Usage: gleaner tag [list] [--json]
       gleaner tag add TAG ID…
       gleaner tag remove TAG ID…
       gleaner tag rename OLD NEW
       gleaner tag delete TAG
Lists tags with their article counts; tags articles (ids as printed by list and search, separated
by spaces or commas); renames or deletes a tag everywhere (renaming onto an existing tag merges
the two). 'gleaner search tag:NAME' lists a tag's articles.`

function ids(args: string[]): number[] {
  const list = args
    .flatMap((a) => a.split(','))
    .filter(Boolean)
    .map((a) => parseId(a))
  if (list.length === 0) throw new Error(`no article ids given\n${usage}`)
  return list
}

function need(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') throw new Error(`missing ${what}\n${usage}`)
  return value
}

export const tagCommand: CliCommand = {
  name: 'tag',
  summary: 'list tags; add or remove a tag on articles; rename or delete a tag',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } }, usage)
    const [sub = 'list', first, ...rest] = positionals
    const service = ctx.service()
    const report = (data: unknown, line: string): void =>
      ctx.out(values.json ? JSON.stringify(data) : line)
    switch (sub) {
      case 'list': {
        const tags = await service.tags()
        if (values.json) ctx.out(JSON.stringify(tags, null, 2))
        else for (const t of tags) ctx.out(`${String(t.count).padStart(6)}  ${t.tag}`)
        return 0
      }
      case 'add': {
        const tag = need(first, 'TAG')
        const added = await service.addTag(ids(rest), tag)
        report({ tag, added }, `Tagged ${added.length} article(s) “${tag}”.`)
        return 0
      }
      case 'remove': {
        const tag = need(first, 'TAG')
        const removed = await service.removeTag(ids(rest), tag)
        report({ tag, removed }, `Removed “${tag}” from ${removed.length} article(s).`)
        return 0
      }
      case 'rename': {
        const from = need(first, 'OLD')
        const to = need(rest[0], 'NEW')
        await service.renameTag(from, to)
        report({ from, to }, `Renamed tag “${from}” to “${to}”.`)
        return 0
      }
      case 'delete': {
        const tag = need(first, 'TAG')
        const had = await service.deleteTag(tag)
        report({ tag, articleIds: had }, `Deleted tag “${tag}” from ${had.length} article(s).`)
        return 0
      }
      default:
        throw new Error(`unknown subcommand '${sub}'\n${usage}`)
    }
  }
}
