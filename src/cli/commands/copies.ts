// `gleaner copies <id>`: the article's copy group — the same story republished by other outlets —
// with who published first, each copy's outlet, date and similarity, and (--diff) the paragraphs
// each copy changed against the first report.
import type { ArticleCopies, CopyMember } from '../../shared/story-types'
import { parseCommandArgs, parseId } from '../args'
import type { CliCommand, CliContext } from '../command'
import { table } from '../table'

const usage = `Usage: gleaner copies <id> [--diff] [--json]
Lists the copies of an article: the articles Gleaner found to be the same story republished
(near-duplicates from other outlets), oldest first, the first report marked "first". For each: its
source, the outlet it credits (来源：…, 据…报道), its date and how much of its text it shares
with the first report. --diff adds, for each copy, the paragraphs it added (+) or left out (-)
against the first report. --json prints the copy group as the API returns it (null: none).`

const day = (iso: string | null): string | null => iso?.slice(0, 10) ?? null

function memberRow(m: CopyMember): (string | number | null)[] {
  return [
    m.id,
    day(m.publishedAt),
    m.source,
    m.outlet,
    m.first ? 'first' : `${Math.round(m.similarity * 100)}%`,
    m.title
  ]
}

function printDiffs(copies: ArticleCopies, ctx: CliContext): void {
  for (const m of copies.members) {
    if (m.first) continue
    const changed = m.diff.filter((p) => p.kind !== 'same')
    ctx.out('')
    ctx.out(
      changed.length === 0
        ? `${m.id} (${m.source ?? m.outlet ?? '—'}): same paragraphs as the first report`
        : `${m.id} (${m.source ?? m.outlet ?? '—'}) against the first report:`
    )
    for (const p of changed) ctx.out(`${p.kind === 'added' ? '+' : '-'} ${p.text}`)
  }
}

export const copiesCommand: CliCommand = {
  name: 'copies',
  readsOnly: true,
  summary: 'list an article’s copies from other outlets (who published first)',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { json: { type: 'boolean' }, diff: { type: 'boolean' } },
      usage
    )
    const id = parseId(positionals[0])
    const service = ctx.service()
    const copies = await service.getCopies(id)
    if (!copies && !(await service.getArticle(id))) {
      ctx.err(`gleaner copies: no article with id ${id}`)
      return 1
    }
    if (values.json) {
      ctx.out(JSON.stringify(copies, null, 2))
      return 0
    }
    if (!copies) {
      ctx.out(`Article ${id} has no copies.`)
      return 0
    }
    const first = copies.members.find((m) => m.first)
    ctx.out(
      `${copies.members.length} articles tell the same story` +
        (copies.origin ? `; origin: ${copies.origin}` : '') +
        (first ? `; first report: ${first.id}` : '')
    )
    ctx.out('')
    for (const line of table(
      [
        { header: 'id', align: 'right' },
        { header: 'date' },
        { header: 'source' },
        { header: 'credits' },
        { header: 'similar', align: 'right' },
        { header: 'title' }
      ],
      copies.members.map(memberRow)
    ))
      ctx.out(line)
    if (values.diff) printDiffs(copies, ctx)
    return 0
  }
}
