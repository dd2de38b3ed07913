import type { Annotation } from '../../shared/annotation-types'
import {
  articleIriFor,
  listAllAnnotations,
  listAnnotations,
  listNeedsReview,
  toW3CCollection
} from '../../core/annotations'
import type { Db } from '../../core/library/open'
import { parseCommandArgs, parseId } from '../args'
import type { CliCommand } from '../command'

const usage = `Usage: gleaner annotations [<articleId>] [--needs-review] [--json]
Lists annotations in text order (all articles, or one). Offsets are UTF-16 code units into
the article's clean text.
  --needs-review  only highlights that could not be re-anchored after the text changed
  --json          a W3C Web Annotation collection (JSON-LD)`

const QUOTE_CHARS = 60

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/gu, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

function describe(a: Annotation): string {
  const head = `#${a.id} article ${a.articleId}`
  const tags = a.tags.length ? ` [${a.tags.join(', ')}]` : ''
  const note = a.note ? ` — ${oneLine(a.note, QUOTE_CHARS)}` : ''
  if (!a.selectors) return `${head} note${note}${tags}`
  const { start, end } = a.selectors.position
  const status = a.anchorStatus === 'anchored' ? '' : ` ${a.anchorStatus.toUpperCase()}`
  return `${head} ${start}–${end} ${a.color ?? ''}${status} “${oneLine(a.selectors.quote.exact, QUOTE_CHARS)}”${note}${tags}`
}

function articleUrls(db: Db, ids: readonly number[]): Map<number, string | null> {
  const get = db.prepare<[number], { url: string | null }>('SELECT url FROM articles WHERE id = ?')
  return new Map(ids.map((id) => [id, get.get(id)?.url ?? null]))
}

export const annotationsCommand: CliCommand = {
  name: 'annotations',
  readsOnly: true,
  summary: 'list annotations (text or W3C JSON-LD)',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { json: { type: 'boolean' }, 'needs-review': { type: 'boolean' } },
      usage
    )
    if (positionals.length > 1) throw new Error(`give at most one article id\n${usage}`)
    const articleId = positionals[0] === undefined ? null : parseId(positionals[0])
    const db = ctx.db()
    let list = articleId === null ? listAllAnnotations(db) : listAnnotations(db, articleId)
    if (values['needs-review']) {
      const review = new Set(listNeedsReview(db).map((a) => a.id))
      list = list.filter((a) => review.has(a.id))
    }
    if (values.json) {
      const urls = articleUrls(db, [...new Set(list.map((a) => a.articleId))])
      const collection = toW3CCollection(list, (id) => articleIriFor(id, urls.get(id) ?? null), {
        label: articleId === null ? 'Gleaner annotations' : `Annotations of article ${articleId}`
      })
      ctx.out(JSON.stringify(collection, null, 2))
      return 0
    }
    if (list.length === 0) {
      ctx.out(values['needs-review'] ? 'No annotations need review.' : 'No annotations.')
      return 0
    }
    for (const a of list) ctx.out(describe(a))
    return 0
  }
}
