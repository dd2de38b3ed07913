import { parseCommandArgs, parseId } from '../args'
import type { CliCommand, CliContext } from '../command'
import {
  addToCollection,
  createCollection,
  deleteCollection,
  listCollections,
  removeFromCollection,
  renameCollection,
  requireCollectionByName,
  searchQueryResolver
} from '../../core/collections'

const usage = `Usage: gleaner collections [list] [--json]
       gleaner collections create NAME [--query SEARCH]
       gleaner collections add NAME ID…
       gleaner collections remove NAME ID…
       gleaner collections rename OLD NEW
       gleaner collections delete NAME
Collections are named, ordered sets of articles; with --query, a saved search (smart collection).`

function ids(args: string[]): number[] {
  if (args.length === 0) throw new Error(`no article ids given\n${usage}`)
  return args
    .flatMap((a) => a.split(','))
    .filter(Boolean)
    .map((a) => parseId(a))
}

function need(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') throw new Error(`missing ${what}\n${usage}`)
  return value
}

function report(ctx: CliContext, json: boolean | undefined, data: unknown, line: string): void {
  ctx.out(json ? JSON.stringify(data, null, 2) : line)
}

export const collectionsCommand: CliCommand = {
  name: 'collections',
  summary: 'list, create, fill, rename and delete collections',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { json: { type: 'boolean' }, query: { type: 'string' } },
      usage
    )
    const [sub = 'list', ...rest] = positionals
    const db = ctx.db()
    const json = values.json
    switch (sub) {
      case 'list': {
        const all = listCollections(db, searchQueryResolver(db))
        if (json) {
          ctx.out(JSON.stringify(all, null, 2))
          return 0
        }
        for (const c of all) {
          const kind = c.query === null ? '' : `  (search: ${c.query})`
          ctx.out(`${String(c.itemCount ?? '?').padStart(6)}  ${c.name}${kind}`)
        }
        ctx.out(`${all.length} collection${all.length === 1 ? '' : 's'}`)
        return 0
      }
      case 'create': {
        const c = createCollection(db, need(rest.join(' '), 'NAME'), values.query ?? null)
        report(
          ctx,
          json,
          c,
          `Created collection “${c.name}” (id ${c.id})${c.query ? ` for the search ${c.query}` : ''}.`
        )
        return 0
      }
      case 'add': {
        const [name, ...idArgs] = rest
        const c = requireCollectionByName(db, need(name, 'NAME'))
        const r = addToCollection(db, c.id, ids(idArgs))
        const already =
          r.alreadyPresent.length > 0 ? `; already in it: ${r.alreadyPresent.join(', ')}` : ''
        report(ctx, json, r, `Added ${r.added.length} article(s) to “${c.name}”${already}.`)
        return 0
      }
      case 'remove': {
        const [name, ...idArgs] = rest
        const c = requireCollectionByName(db, need(name, 'NAME'))
        const removed = removeFromCollection(db, c.id, ids(idArgs))
        report(ctx, json, { removed }, `Removed ${removed} article(s) from “${c.name}”.`)
        return 0
      }
      case 'rename': {
        const [oldName, newName] = rest
        if (rest.length !== 2)
          throw new Error(`rename takes OLD and NEW (quote names with spaces)\n${usage}`)
        const c = requireCollectionByName(db, need(oldName, 'OLD'))
        const renamed = renameCollection(db, c.id, need(newName, 'NEW'))
        report(ctx, json, renamed, `Renamed “${c.name}” to “${renamed.name}”.`)
        return 0
      }
      case 'delete': {
        const c = requireCollectionByName(db, need(rest.join(' '), 'NAME'))
        const snapshot = deleteCollection(db, c.id)
        report(
          ctx,
          json,
          snapshot,
          `Deleted collection “${c.name}” (${snapshot.items.length} items; the articles stay).`
        )
        return 0
      }
      default:
        throw new Error(`unknown subcommand '${sub}'\n${usage}`)
    }
  }
}
