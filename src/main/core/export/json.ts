// JSON export: a W3C Web Annotation AnnotationCollection (one AnnotationPage holding every
// annotation) that other annotation tools can read, with the articles themselves alongside
// under a Gleaner term so positions can be resolved against the exported text.
import type { ExportAnnotation, ExportBundle } from '../../../shared/export-types'

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld'
const GLEANER_NS = 'urn:gleaner:vocab#'

export const articleIri = (id: number): string => `urn:gleaner:article:${id}`
export const annotationIri = (id: number): string => `urn:gleaner:annotation:${id}`

function annotationJson(a: ExportAnnotation, articleId: number): Record<string, unknown> {
  const body: Record<string, unknown>[] = []
  if (a.note)
    body.push({ type: 'TextualBody', purpose: 'commenting', value: a.note, format: 'text/plain' })
  for (const t of a.tags) body.push({ type: 'TextualBody', purpose: 'tagging', value: t })
  const selector: Record<string, unknown>[] = []
  if (a.exact) {
    selector.push({
      type: 'TextQuoteSelector',
      exact: a.exact,
      ...(a.prefix !== undefined ? { prefix: a.prefix } : {}),
      ...(a.suffix !== undefined ? { suffix: a.suffix } : {})
    })
  }
  if (a.start !== undefined && a.end !== undefined) {
    selector.push({ type: 'TextPositionSelector', start: a.start, end: a.end })
  }
  const target: Record<string, unknown> = { source: articleIri(articleId) }
  if (selector.length > 0) target.selector = selector
  return {
    id: annotationIri(a.id),
    type: 'Annotation',
    motivation: a.exact ? 'highlighting' : 'commenting',
    created: a.createdAt,
    modified: a.updatedAt,
    ...(body.length > 0 ? { body } : {}),
    target,
    'gleaner:color': a.color
  }
}

export function renderJson(bundle: ExportBundle): Record<string, unknown> {
  const items = bundle.articles.flatMap((e) =>
    e.annotations.map((a) => annotationJson(a, e.article.id))
  )
  const stamp = bundle.generatedAt.replace(/[^0-9]/g, '')
  return {
    '@context': [ANNO_CONTEXT, { gleaner: GLEANER_NS }],
    id: `urn:gleaner:export:${stamp}`,
    type: 'AnnotationCollection',
    label: bundle.title,
    generated: bundle.generatedAt,
    generator: { id: 'urn:gleaner:app', type: 'Software', name: 'Gleaner' },
    total: items.length,
    first: {
      id: `urn:gleaner:export:${stamp}:page1`,
      type: 'AnnotationPage',
      startIndex: 0,
      items
    },
    'gleaner:articles': bundle.articles.map((e) => {
      const a = e.article
      return {
        id: articleIri(a.id),
        title: a.title,
        author: a.author,
        source: a.source,
        url: a.url,
        publishedAt: a.publishedAt,
        categories: a.categoryPath,
        tags: a.tags,
        itemNote: e.itemNote ?? null,
        cleaningVersion: a.cleaningVersion,
        text: a.cleanText,
        html: a.cleanHtml
      }
    })
  }
}
