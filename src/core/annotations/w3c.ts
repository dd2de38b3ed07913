// Annotations as W3C Web Annotation JSON-LD (https://www.w3.org/TR/annotation-model/), for
// `gleaner annotations --json` and briefing exports. Highlights target the article's clean text
// with a TextQuoteSelector and a TextPositionSelector (offsets in UTF-16 code units, as in
// Hypothesis; the model leaves the unit open); article notes target the article itself.
import type { Annotation } from '../../shared/annotation-types'

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld'

/** Gleaner's own terms (colour, anchoring status, cleaning version), outside the W3C vocabulary. */
export const GLEANER_NS = 'urn:gleaner:annotation#'

export interface W3CAnnotationOptions {
  /** IRI for the annotation itself; default `urn:gleaner:annotation:<id>`. */
  id?: string
}

export interface W3CAnnotation {
  '@context': typeof ANNO_CONTEXT | [typeof ANNO_CONTEXT, Record<string, string>]
  id: string
  type: 'Annotation'
  motivation: 'highlighting' | 'commenting'
  created: string
  modified: string
  body?: Array<
    | { type: 'TextualBody'; value: string; format: 'text/plain'; purpose: 'commenting' }
    | { type: 'TextualBody'; value: string; purpose: 'tagging' }
  >
  target:
    | string
    | {
        source: string
        selector: [
          { type: 'TextQuoteSelector'; exact: string; prefix: string; suffix: string },
          { type: 'TextPositionSelector'; start: number; end: number }
        ]
      }
  'gleaner:color'?: string
  'gleaner:anchorStatus': string
  'gleaner:cleaningVersion'?: number
}

const EXTENSION_CONTEXT = { gleaner: GLEANER_NS }

export function toW3CAnnotation(
  a: Annotation,
  articleIri: string,
  opts: W3CAnnotationOptions = {}
): W3CAnnotation {
  const body: NonNullable<W3CAnnotation['body']> = []
  if (a.note.length > 0)
    body.push({ type: 'TextualBody', value: a.note, format: 'text/plain', purpose: 'commenting' })
  for (const tag of a.tags) body.push({ type: 'TextualBody', value: tag, purpose: 'tagging' })
  const out: W3CAnnotation = {
    '@context': [ANNO_CONTEXT, EXTENSION_CONTEXT],
    id: opts.id ?? `urn:gleaner:annotation:${a.id}`,
    type: 'Annotation',
    motivation: a.selectors ? 'highlighting' : 'commenting',
    created: a.createdAt,
    modified: a.updatedAt,
    target: a.selectors
      ? {
          source: articleIri,
          selector: [
            {
              type: 'TextQuoteSelector',
              exact: a.selectors.quote.exact,
              prefix: a.selectors.quote.prefix,
              suffix: a.selectors.quote.suffix
            },
            {
              type: 'TextPositionSelector',
              start: a.selectors.position.start,
              end: a.selectors.position.end
            }
          ]
        }
      : articleIri,
    'gleaner:anchorStatus': a.anchorStatus
  }
  if (body.length > 0) out.body = body
  if (a.color) out['gleaner:color'] = a.color
  if (a.cleaningVersion !== null) out['gleaner:cleaningVersion'] = a.cleaningVersion
  return out
}

export interface W3CCollection {
  '@context': [typeof ANNO_CONTEXT, Record<string, string>]
  id: string
  type: 'AnnotationCollection'
  label?: string
  total: number
  first?: { id: string; type: 'AnnotationPage'; startIndex: 0; items: W3CAnnotation[] }
}

/**
 * One AnnotationCollection holding every annotation in a single embedded page (the model's
 * paging is for servers; an export is one document). Items drop their own @context, as the
 * model allows inside a collection.
 */
export function toW3CCollection(
  annotations: readonly Annotation[],
  articleIri: (articleId: number) => string,
  opts: { id?: string; label?: string } = {}
): W3CCollection {
  const id = opts.id ?? 'urn:gleaner:annotations'
  const items = annotations.map((a) => {
    const { '@context': _ctx, ...rest } = toW3CAnnotation(a, articleIri(a.articleId))
    void _ctx
    return rest as W3CAnnotation
  })
  const out: W3CCollection = {
    '@context': [ANNO_CONTEXT, EXTENSION_CONTEXT],
    id,
    type: 'AnnotationCollection',
    total: items.length
  }
  if (opts.label !== undefined) out.label = opts.label
  if (items.length > 0)
    out.first = { id: `${id}/page/1`, type: 'AnnotationPage', startIndex: 0, items }
  return out
}

/** The IRI Gleaner uses for an article: its URL when known, else a stable URN. */
export function articleIriFor(articleId: number, url: string | null): string {
  return url && /^https?:\/\//i.test(url) ? url : `urn:gleaner:article:${articleId}`
}
