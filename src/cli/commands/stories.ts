// `gleaner stories`: the stories Gleaner clustered (articles about one event, told over days by
// several outlets), and one story's timeline — the same stories as the window's Stories view.
import type { ArticleTerm, StoryDetail, StorySummary } from '../../shared/story-types'
import { parseCommandArgs, parseId } from '../args'
import type { CliCommand, CliContext } from '../command'
import { table } from '../table'

const usage = `Usage: gleaner stories [list] [--followed] [--limit N] [--offset N] [--json]
       gleaner stories show <id> [--json]
Lists stories (articles about one event, from several outlets and days), latest activity first,
followed ones first: id, articles, outlets, first and last date, name (* followed). 'show' prints
a story's timeline: each article by date and outlet (copies of it folded in), its first report,
key entities and keywords. --json prints what the API returns.`

const day = (iso: string | null): string | null => iso?.slice(0, 10) ?? null

const span = (s: StorySummary): string | null =>
  s.firstAt && s.lastAt && day(s.firstAt) !== day(s.lastAt)
    ? `${day(s.firstAt)} – ${day(s.lastAt)}`
    : day(s.firstAt ?? s.lastAt)

const entityList = (terms: readonly ArticleTerm[]): string =>
  terms.map((t) => `${t.term} (${t.kind})`).join(', ')

function whole(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be a whole number ≥ 0`)
  return n
}

async function list(
  ctx: CliContext,
  values: { json?: boolean; followed?: boolean; limit?: string; offset?: string }
): Promise<number> {
  const limit = values.limit === undefined ? 50 : parseId(values.limit, 'limit')
  const offset = whole(values.offset, '--offset')
  const page = await ctx.service().listStories({
    limit,
    ...(offset === undefined ? {} : { offset }),
    ...(values.followed ? { followed: true } : {})
  })
  if (values.json) {
    ctx.out(JSON.stringify(page, null, 2))
    return 0
  }
  if (page.total === 0) {
    ctx.out(values.followed ? 'No followed stories.' : 'No stories yet.')
    return 0
  }
  for (const line of table(
    [
      { header: 'id', align: 'right' },
      { header: 'articles', align: 'right' },
      { header: 'outlets', align: 'right' },
      { header: 'dates' },
      { header: 'story' }
    ],
    page.items.map((s) => [
      s.id,
      s.articleCount,
      s.outletCount,
      span(s),
      `${s.followed ? '* ' : ''}${s.name}`
    ])
  ))
    ctx.out(line)
  ctx.out(
    page.items.length === 0
      ? `No stories from ${page.offset + 1} on; there are ${page.total}.`
      : `${page.offset + 1}–${page.offset + page.items.length} of ${page.total} stories`
  )
  return 0
}

function printStory(s: StoryDetail, ctx: CliContext): void {
  ctx.out(`${s.name}${s.followed ? '  (followed)' : ''}`)
  ctx.out(
    [
      `${s.articleCount} articles from ${s.outletCount} outlets`,
      span(s),
      `first report: ${s.firstArticleId}`
    ]
      .filter(Boolean)
      .join(' · ')
  )
  if (s.entities.length > 0) ctx.out(`Entities: ${entityList(s.entities)}`)
  if (s.keywords.length > 0) ctx.out(`Keywords: ${s.keywords.join(', ')}`)
  ctx.out('')
  for (const line of table(
    [
      { header: 'date' },
      { header: 'id', align: 'right' },
      { header: 'source' },
      { header: 'credits' },
      { header: 'copies', align: 'right' },
      { header: 'title' }
    ],
    s.timeline.map((e) => [
      day(e.publishedAt),
      e.articleId,
      e.source,
      e.outlet,
      e.copyCount,
      `${e.pinned ? '(pinned) ' : ''}${e.title}`
    ])
  ))
    ctx.out(line)
}

export const storiesCommand: CliCommand = {
  name: 'stories',
  readsOnly: true,
  summary: 'list stories (one event across outlets and days); show a story’s timeline',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        json: { type: 'boolean' },
        followed: { type: 'boolean' },
        limit: { type: 'string' },
        offset: { type: 'string' }
      },
      usage
    )
    const [sub = 'list', ...rest] = positionals
    if (sub === 'list') {
      if (rest.length) throw new Error(`too many arguments\n${usage}`)
      return list(ctx, values)
    }
    if (sub !== 'show') throw new Error(`unknown subcommand '${sub}'\n${usage}`)
    const id = parseId(rest[0], 'story id')
    const story = await ctx.service().getStory(id)
    if (!story) {
      ctx.err(`gleaner stories: no story with id ${id}`)
      return 1
    }
    if (values.json) ctx.out(JSON.stringify(story, null, 2))
    else printStory(story, ctx)
    return 0
  }
}
