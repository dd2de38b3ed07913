import { ANNOTATION_COLORS, type AnnotationColor } from '../../shared/annotation-types'
import { createAnnotationFromQuote, createArticleNote } from '../../core/annotations'
import { parseCommandArgs, parseId } from '../args'
import type { CliCommand } from '../command'

const usage = `Usage: gleaner annotate <articleId> --quote TEXT [--note N] [--color C] [--tag T]… [--near OFFSET] [--json]
       gleaner annotate <articleId> --note N [--tag T]…        (a note on the whole article)
Highlights the passage of the article's clean text that equals TEXT exactly.
  --color   one of ${ANNOTATION_COLORS.join(', ')} (default yellow)
  --near    when TEXT occurs more than once: take the occurrence nearest this offset
            (UTF-16 offset into the clean text, as in 'gleaner annotations')`

function parseColor(c: string | undefined): AnnotationColor | undefined {
  if (c === undefined) return undefined
  if (!(ANNOTATION_COLORS as readonly string[]).includes(c)) {
    throw new Error(`colour must be one of ${ANNOTATION_COLORS.join(', ')} (got '${c}')`)
  }
  return c as AnnotationColor
}

export const annotateCommand: CliCommand = {
  name: 'annotate',
  summary: 'highlight a quote in an article, or note the article',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        quote: { type: 'string' },
        note: { type: 'string' },
        color: { type: 'string' },
        tag: { type: 'string', multiple: true },
        near: { type: 'string' },
        json: { type: 'boolean' }
      },
      usage
    )
    if (positionals.length !== 1) throw new Error(`give exactly one article id\n${usage}`)
    const articleId = parseId(positionals[0])
    const color = parseColor(values.color)
    const tags = values.tag ?? []
    let near: number | undefined
    if (values.near !== undefined) {
      near = Number(values.near)
      if (!Number.isInteger(near) || near < 0)
        throw new Error(`--near wants a non-negative offset (got '${values.near}')`)
    }
    const db = ctx.db()
    let created
    if (values.quote !== undefined) {
      created = createAnnotationFromQuote(db, articleId, values.quote, {
        tags,
        ...(values.note !== undefined && { note: values.note }),
        ...(color !== undefined && { color }),
        ...(near !== undefined && { near })
      })
    } else if (values.note !== undefined) {
      if (color !== undefined) throw new Error('--color applies to highlights (--quote) only')
      created = createArticleNote(db, { articleId, note: values.note, tags })
    } else {
      throw new Error(`give --quote (a highlight) or --note (an article note)\n${usage}`)
    }
    if (values.json) {
      ctx.out(JSON.stringify(created, null, 2))
      return 0
    }
    const where = created.selectors
      ? ` at ${created.selectors.position.start}–${created.selectors.position.end} (${created.color})`
      : ' (article note)'
    ctx.out(`Annotation #${created.id} on article ${articleId}${where}`)
    return 0
  }
}
