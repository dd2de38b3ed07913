// gleaner search <query> [--limit N] [--offset N] [--sort relevance|date-desc|date-asc] [--json]
import { parseArgs } from 'node:util'
import type { SearchSort } from '../../shared/search-types'
import type { CliCommand } from '../command'
import type { Segment } from '../terminal'

const usage = `Usage: gleaner search <query> [--limit N] [--offset N] [--sort relevance|date-desc|date-asc] [--json]
Prints matching articles, best first: id, date, title and a passage with the matches marked,
then which of how many. --limit (1–500, default 20) and --offset page through every hit, each
exactly once, in a stable order; --json prints the page with its total and offset.

Query language:
  上海 加速器            all of these (Chinese matches any text containing the characters)
  "城市软实力"           an exact phrase (no synonyms)
  上海 -进博会           exclude a word
  上海 OR 北京           either
  title: author: source: category: tag: collection:   in that field / category (and below)
  after:2021-07-01 before:2022   published on/after, before (UTC; YYYY, YYYY-MM or YYYY-MM-DD)
  has:annotation  is:unread  is:read  is:starred
Words starting with '-' are part of the query; put options before '--' to be safe.`

const OPTIONS = {
  limit: { type: 'string' },
  offset: { type: 'string' },
  sort: { type: 'string' },
  json: { type: 'boolean' }
} as const

/** Splits options from the query: '-进博会' is a query word, not an option. */
function splitArgs(args: string[]): { optionArgs: string[]; queryWords: string[] } {
  const optionArgs: string[] = []
  const queryWords: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--') {
      queryWords.push(...args.slice(i + 1))
      break
    }
    const name = /^--([a-z]+)(=.*)?$/u.exec(a)?.[1]
    if (name && name in OPTIONS) {
      optionArgs.push(a)
      const takesValue = OPTIONS[name as keyof typeof OPTIONS].type === 'string'
      if (takesValue && !a.includes('=') && i + 1 < args.length) optionArgs.push(args[++i]!)
      continue
    }
    if (/^--[a-z]/u.test(a)) throw new Error(`Unknown option '${a}'.\n${usage}`)
    queryWords.push(a)
  }
  return { optionArgs, queryWords }
}

function wholeNumber(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} must be a whole number, got '${text}'`)
  return n
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" }
const decode = (html: string): string =>
  html.replace(/&(amp|lt|gt|quot|#39);/gu, (_, e: string) => ENTITIES[e] ?? '')

/** snippetHtml (text with <mark> around matches) → line segments, the matches highlighted. */
export function snippetSegments(html: string): Segment[] {
  return html
    .split(/(<mark>.*?<\/mark>)/su)
    .filter((part) => part !== '')
    .map((part) =>
      part.startsWith('<mark>') && part.endsWith('</mark>')
        ? { mark: decode(part.slice('<mark>'.length, -'</mark>'.length)) }
        : decode(part)
    )
}

export const searchCommand: CliCommand = {
  name: 'search',
  readsOnly: true,
  summary: 'full-text search (Chinese and English, filters, phrases)',
  usage,
  async run(args, ctx) {
    const { optionArgs, queryWords } = splitArgs(args)
    let values: { limit?: string; offset?: string; sort?: string; json?: boolean }
    try {
      values = parseArgs({ args: optionArgs, options: OPTIONS, allowPositionals: false }).values
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${usage}`, { cause: e })
    }
    const query = queryWords.join(' ')
    if (query.trim() === '') {
      ctx.err(`gleaner search: what should I search for?\n${usage}`)
      return 2
    }
    const limit = wholeNumber(values.limit, 'limit', 20)
    if (limit < 1 || limit > 500) throw new Error(`--limit must be from 1 to 500, got ${limit}`)
    const sort = (values.sort ?? 'relevance') as SearchSort
    if (!['relevance', 'date-desc', 'date-asc'].includes(sort)) {
      throw new Error(`--sort must be relevance, date-desc or date-asc, got '${values.sort}'`)
    }
    const result = await ctx
      .service()
      .search(query, { limit, offset: wholeNumber(values.offset, 'offset', 0), sort })
    if (values.json) {
      ctx.out(JSON.stringify(result, null, 2))
      return result.error ? 2 : 0
    }
    if (result.error) {
      ctx.err(`gleaner search: ${result.error}`)
      return 2
    }
    for (const h of result.items) {
      const date = h.publishedAt?.slice(0, 10) ?? '          '
      ctx.out([`${String(h.id).padStart(6)}  ${date}  `, ...snippetSegments(h.titleHtml)])
      ctx.out(['        ', ...snippetSegments(h.snippetHtml)])
    }
    const shown =
      result.total === 0
        ? 'No articles match.'
        : result.items.length === 0
          ? `No articles past ${result.offset}: ${result.total} match.`
          : `${result.offset + 1}–${result.offset + result.items.length} of ${result.total} articles (${result.sort})`
    ctx.out(shown)
    return 0
  }
}
