import type { CategoryNode } from '../../shared/types'
import { parseCommandArgs } from '../args'
import type { CliCommand } from '../command'

const usage = `Usage: gleaner categories [--json]
Prints the category tree with article counts (counts include sub-categories).`

export const categoriesCommand: CliCommand = {
  name: 'categories',
  summary: 'print the category tree with counts',
  usage,
  async run(args, ctx) {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' } }, usage)
    const tree = await ctx.service().categories()
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
