// JSON export: the annotation engine's W3C Web Annotation AnnotationCollection (one embedded
// AnnotationPage), so there is one serialiser for W3C JSON in Gleaner, plus the articles
// themselves under a Gleaner term, so positions can be resolved against the exported text.
import type { Annotation, AnnotationColor } from '../../shared/annotation-types'
import type { ExportAnnotation, ExportBundle } from '../../shared/export-types'
import { articleIriFor, toW3CCollection } from '../annotations'
import { safeHttpUrl } from './urls'

export { ANNO_CONTEXT } from '../annotations'

function toAnnotation(a: ExportAnnotation, articleId: number, cleaningVersion: number): Annotation {
  const placed = a.exact !== '' && a.start !== undefined && a.end !== undefined
  return {
    id: a.id,
    articleId,
    selectors: placed
      ? {
          quote: {
            type: 'TextQuoteSelector',
            exact: a.exact,
            prefix: a.prefix ?? '',
            suffix: a.suffix ?? ''
          },
          position: { type: 'TextPositionSelector', start: a.start as number, end: a.end as number }
        }
      : null,
    exact: a.exact === '' ? null : a.exact,
    // The serialiser writes the colour as given; the exporter's colours are a superset of the palette.
    color: a.color as AnnotationColor,
    note: a.note,
    tags: a.tags,
    cleaningVersion: placed ? cleaningVersion : null,
    anchorStatus: a.anchorStatus ?? 'anchored',
    createdAt: a.createdAt,
    updatedAt: a.updatedAt
  }
}

export function renderJson(bundle: ExportBundle): Record<string, unknown> {
  const iris = new Map(
    bundle.articles.map((e) => [e.article.id, articleIriFor(e.article.id, e.article.url)])
  )
  const annotations = bundle.articles.flatMap((e) =>
    e.annotations.map((a) => toAnnotation(a, e.article.id, e.article.cleaningVersion))
  )
  const stamp = bundle.generatedAt.replace(/[^0-9]/g, '')
  const collection = toW3CCollection(annotations, (id) => iris.get(id) ?? articleIriFor(id, null), {
    id: `urn:gleaner:export:${stamp}`,
    label: bundle.title
  })
  return {
    ...collection,
    generated: bundle.generatedAt,
    generator: { id: 'urn:gleaner:app', type: 'Software', name: 'Gleaner' },
    'gleaner:articles': bundle.articles.map((e) => {
      const a = e.article
      return {
        id: iris.get(a.id),
        articleId: a.id,
        title: a.title,
        author: a.author,
        source: a.source,
        url: safeHttpUrl(a.url),
        publishedAt: a.publishedAt,
        categories: a.categoryPath,
        tags: a.tags,
        keywords: e.keywords ?? [],
        entities: e.entities ?? [],
        itemNote: e.itemNote ?? null,
        cleaningVersion: a.cleaningVersion,
        text: a.cleanText,
        html: a.cleanHtml
      }
    })
  }
}
