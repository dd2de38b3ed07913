// `gleaner entities`: the people, organisations and places (or the keywords) named across the
// library, with how many live articles name each — the left pane's facets.
import { ENTITY_KINDS, type TermKind } from '../../shared/story-types'
import { parseCommandArgs, parseId } from '../args'
import type { CliCommand } from '../command'
import { table } from '../table'

const KINDS: readonly TermKind[] = [...ENTITY_KINDS, 'keyword']

const usage = `Usage: gleaner entities [--kind ${KINDS.join('|')}] [--limit N] [--json]
Lists the named entities of the library's articles (people, organisations, places; or with
--kind keyword, their keywords), most articles first, with how many articles name each
(deleted ones not counted). Search them with entity:NAME or keyword:WORD.`

const isKind = (v: string): v is TermKind => (KINDS as readonly string[]).includes(v)

export const entitiesCommand: CliCommand = {
  name: 'entities',
  readsOnly: true,
  summary: 'list the people, organisations and places (or keywords) with article counts',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { json: { type: 'boolean' }, kind: { type: 'string' }, limit: { type: 'string' } },
      usage
    )
    if (positionals.length) throw new Error(`unexpected argument '${positionals[0]}'\n${usage}`)
    const kind = values.kind ?? null
    if (kind !== null && !isKind(kind))
      throw new Error(`--kind must be one of ${KINDS.join(', ')}, not '${kind}'`)
    const limit = values.limit === undefined ? 50 : parseId(values.limit, 'limit')
    const terms = await ctx.service().termFacets(kind, limit)
    if (values.json) {
      ctx.out(JSON.stringify(terms, null, 2))
      return 0
    }
    if (terms.length === 0) {
      ctx.out(kind === 'keyword' ? 'No keywords yet.' : 'No entities yet.')
      return 0
    }
    for (const line of table(
      [{ header: 'articles', align: 'right' }, { header: 'kind' }, { header: 'term' }],
      terms.map((t) => [t.count, t.kind, t.term])
    ))
      ctx.out(line)
    return 0
  }
}
