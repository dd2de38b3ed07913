// A clipped page into the library: imported through the import core like any captured item
// (same cleaning, dedupe, categories, report), then the user's selection becomes a highlight
// anchored in the cleaned text like any other, and the article joins the chosen collection.
import { GleanerError } from '../../shared/errors'
import type { Annotation, Selectors } from '../../shared/annotation-types'
import type { CaptureContext } from '../capture/context'
import { anchorSelectors, CONTEXT_CHARS, listAnnotations } from '../annotations'
import { findCollectionByName } from '../collections'
import type { SourceItem } from '../importer/sources'
import type { ClipAnswer, ClipRequest } from './request'

/**
 * The page with a <base href> when it has none, so its relative links and images resolve where
 * they did in the browser.
 */
export function withBase(html: string, url: string): string {
  if (/<base\s[^>]*href\s*=/iu.test(html)) return html
  const base = `<base href="${url.replace(/&/gu, '&amp;').replace(/"/gu, '&quot;')}">`
  const head = /<head(\s[^>]*)?>/iu.exec(html)
  if (head)
    return (
      html.slice(0, head.index + head[0].length) + base + html.slice(head.index + head[0].length)
    )
  return base + html
}

/** Page whitespace (indentation, line breaks of the source) as it reads: one space or newline. */
const squeeze = (s: string): string =>
  s.replace(/\s+/gu, (run) => (/[\n\r]/u.test(run) ? '\n' : ' '))

/** The selection as W3C quote selectors: the quote, and the context nearest to it. */
export function selectionSelectors(sel: NonNullable<ClipRequest['selection']>): Selectors {
  const prefix = squeeze(sel.prefix).trimStart()
  const suffix = squeeze(sel.suffix).trimEnd()
  return {
    quote: {
      type: 'TextQuoteSelector',
      exact: sel.exact.trim(),
      prefix: prefix.slice(-CONTEXT_CHARS),
      suffix: suffix.slice(0, CONTEXT_CHARS)
    }
  } as Selectors
}

const IMPORT_STATUSES = new Set(['imported', 'updated', 'duplicate', 'unchanged', 'in-trash'])

export async function takeClip(ctx: CaptureContext, req: ClipRequest): Promise<ClipAnswer> {
  const bytes = new TextEncoder().encode(withBase(req.html, req.url))
  const item: SourceItem = {
    kind: 'bytes',
    path: req.url,
    bytes,
    hints: {
      url: req.url,
      ...(req.title.trim() ? { title: req.title.trim() } : {}),
      ...(req.categoryPath?.length ? { categoryPath: req.categoryPath.map((s) => s.trim()) } : {})
    }
  }
  const run = await ctx.importItems([req.url], async function* () {
    yield item
  })
  const result = run.results[0]
  if (!result || !IMPORT_STATUSES.has(result.status) || result.articleId === undefined) {
    throw new GleanerError(
      'clip-not-imported',
      `the page was not imported: ${result?.reason ?? 'nothing came of it'}`,
      { url: req.url, reason: result?.reason ?? '' }
    )
  }
  const articleId = result.articleId
  const status = result.status as ClipAnswer['status']
  const notes: string[] = []
  const article = ctx.db
    .prepare('SELECT title, clean_text FROM articles WHERE id = ?')
    .get(articleId) as { title: string; clean_text: string }

  if (status === 'in-trash') {
    notes.push(`article #${articleId} is in the trash: restore it to highlight or collect it`)
    return {
      status,
      articleId,
      title: article.title,
      highlight: req.selection?.exact.trim() ? 'not-found' : 'none',
      highlightId: null,
      collection: req.collection ? { name: req.collection, outcome: 'not-found' } : null,
      notes
    }
  }

  let highlight: ClipAnswer['highlight'] = 'none'
  let highlightId: number | null = null
  if (req.selection && req.selection.exact.trim()) {
    const selectors = selectionSelectors(req.selection)
    const found = anchorSelectors(article.clean_text, selectors)
    if (found.method === 'failed') {
      highlight = 'not-found'
      notes.push(
        `the selected text is not in the cleaned article (${found.reason}); the page was kept without the highlight`
      )
    } else {
      const same = listAnnotations(ctx.db, articleId).find(
        (a) => a.selectors?.position.start === found.start && a.selectors.position.end === found.end
      )
      if (same) {
        highlight = 'existing'
        highlightId = same.id
      } else {
        const created = await ctx.onWriterQueue(() =>
          ctx.changes.run<Annotation>('createAnnotation', [
            { articleId, start: found.start, end: found.end }
          ])
        )
        highlight = 'anchored'
        highlightId = created.id
      }
    }
  }

  let collection: ClipAnswer['collection'] = null
  if (req.collection) {
    const target = findCollectionByName(ctx.db, req.collection)
    if (!target || target.query !== null) {
      collection = { name: req.collection, outcome: 'not-found' }
      notes.push(`there is no collection named “${req.collection}” to add the page to`)
    } else {
      const outcome = await ctx.onWriterQueue(() =>
        ctx.changes.run<{ added: number[] }>('addToCollection', [target.id, [articleId]])
      )
      collection = { name: target.name, outcome: outcome.added.length ? 'added' : 'already' }
    }
  }
  return { status, articleId, title: article.title, highlight, highlightId, collection, notes }
}
