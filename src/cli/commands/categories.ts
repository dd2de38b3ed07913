import type { CategoryNode } from '../../shared/types'
import { parseCommandArgs } from '../args'
import type { CliCommand, CliContext } from '../command'
import { findCategoryId } from '../../core/library/category-edit'
import { parseCategoryPath } from '../../shared/category-path'

const usage = `Usage: gleaner categories [list] [--json]
       gleaner categories rename PATH NEW-NAME
       gleaner categories delete PATH
       gleaner categories merge PATH INTO-PATH
Prints the category tree with article counts (counts include sub-categories), or edits it.
PATH is a category path joined by '/' or '›', e.g. 金融/新浪财经. Deleting a category leaves its
articles (and those of the categories below it) without a category; merging moves its articles
and sub-categories into INTO-PATH, merging sub-categories of the same name.`

function categoryId(ctx: CliContext, text: string | undefined): number {
  if (text === undefined || text.trim() === '') throw new Error(`missing PATH\n${usage}`)
  const path = parseCategoryPath(text)
  const id = findCategoryId(ctx.db(), path)
  if (id === null) throw new Error(`there is no category ${path.join(' › ')}`)
  return id
}

export const categoriesCommand: CliCommand = {
  name: 'categories',
  summary: 'print the category tree with counts; rename, delete or merge categories',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } }, usage)
    const [sub = 'list', ...rest] = positionals
    const service = ctx.service()
    switch (sub) {
      case 'list':
        break
      case 'rename': {
        const [from, ...name] = rest
        const id = categoryId(ctx, from)
        if (name.length === 0) throw new Error(`missing NEW-NAME\n${usage}`)
        const path = await service.renameCategory(id, name.join(' '))
        ctx.out(values.json ? JSON.stringify({ path }) : `Renamed to ${path.join(' › ')}.`)
        return 0
      }
      case 'delete': {
        const snapshot = await service.deleteCategory(categoryId(ctx, rest.join(' ')))
        const articles = new Set(snapshot.links.flatMap((l) => l.articleIds)).size
        const root = snapshot.categories[0]?.path ?? []
        ctx.out(
          values.json
            ? JSON.stringify(snapshot)
            : `Deleted ${root.join(' › ')} (${snapshot.categories.length} categories); ${articles} articles have no category now.`
        )
        return 0
      }
      case 'merge': {
        const [from, into, ...extra] = rest
        if (extra.length) throw new Error(`too many arguments (quote paths with spaces)\n${usage}`)
        const sourceId = categoryId(ctx, from)
        const path = await service.mergeCategory(sourceId, categoryId(ctx, into))
        ctx.out(values.json ? JSON.stringify({ path }) : `Merged into ${path.join(' › ')}.`)
        return 0
      }
      default:
        throw new Error(`unknown subcommand '${sub}'\n${usage}`)
    }
    const tree = await service.categories()
    if (values.json) {
      ctx.out(JSON.stringify(tree, null, 2))
      return 0
    }
    const print = (nodes: CategoryNode[], depth: number): void => {
      for (const n of nodes) {
        ctx.out(`${'  '.repeat(depth)}${n.name} (${n.count})`)
        print(n.children, depth + 1)
      }
    }
    print(tree, 0)
    return 0
  }
}
