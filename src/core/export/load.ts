// Reads what an export needs straight from the library tables: articles with their category
// path and tags, annotations (their W3C selectors), collection item notes, and each article's
// keywords and named entities (core/analysis).
import type { Db } from '../library/open'
import { termsOfArticles } from '../analysis/terms-store'
import type { ArticleDetail } from '../../shared/types'
import type { ExportAnnotation, ExportArticle, ExportBundle } from '../../shared/export-types'
import { collectionArticleIds, getCollection, type QueryResolver } from '../collections'
import { getArticle } from '../library/articles'
import { keptImagesOf } from '../images/store'
import { locateAnnotation } from './anchors'
import { parseJson, type AnnotationRow as StoredAnnotationRow } from '../annotations/repository'

/** The columns of an annotation an export reads. */
type AnnotationRow = Omit<StoredAnnotationRow, 'article_id' | 'cleaning_version'>

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Projects a stored annotation row onto the exporter's minimal shape. */
export function toExportAnnotation(row: AnnotationRow): ExportAnnotation {
  const selectors = parseJson(row.selectors_json, [])
  const ann: ExportAnnotation = {
    id: row.id,
    exact: row.exact ?? '',
    color: row.color ?? 'yellow',
    note: row.note ?? '',
    tags: (() => {
      const t = parseJson(row.tags_json, [])
      return Array.isArray(t) ? t.map(String) : []
    })(),
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
  if (
    row.anchor_status === 'anchored' ||
    row.anchor_status === 'fuzzy' ||
    row.anchor_status === 'needs-review'
  ) {
    ann.anchorStatus = row.anchor_status
  }
  for (const s of Array.isArray(selectors) ? selectors : []) {
    if (!isRecord(s)) continue
    if (s.type === 'TextQuoteSelector') {
      if (typeof s.exact === 'string' && ann.exact === '') ann.exact = s.exact
      if (typeof s.prefix === 'string') ann.prefix = s.prefix
      if (typeof s.suffix === 'string') ann.suffix = s.suffix
    } else if (s.type === 'TextPositionSelector') {
      if (typeof s.start === 'number' && typeof s.end === 'number') {
        ann.start = s.start
        ann.end = s.end
      }
    }
  }
  return ann
}

/** The article as ArticleDetail, or null when it does not exist or was deleted. */
export function loadArticleDetail(db: Db, id: number): ArticleDetail | null {
  return getArticle(db, id)
}

/** Annotations of an article in reading order: anchored ones by position, article notes last. */
export function loadArticleAnnotations(db: Db, article: ArticleDetail): ExportAnnotation[] {
  const rows = db
    .prepare(
      `SELECT id, selectors_json, exact, color, note, tags_json, anchor_status, created_at, updated_at
       FROM annotations WHERE article_id = ? ORDER BY id`
    )
    .all(article.id) as AnnotationRow[]
  const anns = rows.map(toExportAnnotation)
  const key = (a: ExportAnnotation): number =>
    locateAnnotation(article.cleanText, a)?.start ?? Number.MAX_SAFE_INTEGER
  return anns
    .map((a) => ({ a, k: key(a) }))
    .sort((x, y) => x.k - y.k || x.a.id - y.a.id)
    .map((x) => x.a)
}

/** Gives every article of the bundle its keywords and entities, read for all of them at once. */
function withTerms(db: Db, articles: ExportArticle[]): ExportArticle[] {
  const terms = termsOfArticles(
    db,
    articles.map((e) => e.article.id)
  )
  for (const e of articles) {
    const t = terms.get(e.article.id)
    e.keywords = t?.keywords ?? []
    e.entities = t?.entities ?? []
  }
  return articles
}

export interface LoadBundleOptions {
  /** Take item notes from this collection. */
  collectionId?: number
  /** ISO time of the export; defaults to now. */
  generatedAt?: string
}

/** Articles (in the given order, unknown or deleted ids skipped) with their annotations. */
export function loadExportBundle(
  db: Db,
  articleIds: readonly number[],
  title: string,
  options: LoadBundleOptions = {}
): ExportBundle {
  const noteOf = db.prepare(
    'SELECT note FROM collection_items WHERE collection_id = ? AND article_id = ?'
  )
  const articles: ExportArticle[] = []
  const seen = new Set<number>()
  for (const id of articleIds) {
    if (seen.has(id)) continue
    seen.add(id)
    const article = loadArticleDetail(db, id)
    if (!article) continue
    const entry: ExportArticle = { article, annotations: loadArticleAnnotations(db, article) }
    const images = keptImagesOf(db, article)
    if (images.length > 0) entry.images = images
    if (options.collectionId !== undefined) {
      const row = noteOf.get(options.collectionId, id) as { note: string | null } | undefined
      if (row?.note) entry.itemNote = row.note
    }
    articles.push(entry)
  }
  return {
    title,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    articles: withTerms(db, articles)
  }
}

/** A collection's articles in its order, titled with its name and carrying its item notes. */
export function loadCollectionBundle(
  db: Db,
  collectionId: number,
  resolve?: QueryResolver,
  generatedAt?: string
): ExportBundle {
  const c = getCollection(db, collectionId)
  const ids = collectionArticleIds(db, collectionId, resolve)
  return loadExportBundle(db, ids, c.name, {
    collectionId,
    ...(generatedAt ? { generatedAt } : {})
  })
}

/**
 * Annotations by id (the notes view's filtered list) as a notes-only bundle: their articles in
 * the order the list first names them, each with just those annotations in reading order.
 * Unknown ids, and annotations of articles in the trash, are skipped.
 */
export function loadAnnotationBundle(
  db: Db,
  annotationIds: readonly number[],
  title: string,
  generatedAt?: string
): ExportBundle {
  const rows = db
    .prepare(
      `SELECT value AS id, (SELECT article_id FROM annotations WHERE id = value) AS article_id
       FROM json_each(?) ORDER BY key`
    )
    .all(JSON.stringify(annotationIds)) as { id: number; article_id: number | null }[]
  const wanted = new Map<number, Set<number>>()
  for (const r of rows) {
    if (r.article_id === null) continue
    const set = wanted.get(r.article_id) ?? new Set<number>()
    set.add(r.id)
    wanted.set(r.article_id, set)
  }
  const articles: ExportArticle[] = []
  for (const [articleId, ids] of wanted) {
    const article = loadArticleDetail(db, articleId)
    if (!article) continue
    const annotations = loadArticleAnnotations(db, article).filter((a) => ids.has(a.id))
    articles.push({ article, annotations })
  }
  return {
    title,
    generatedAt: generatedAt ?? new Date().toISOString(),
    articles: withTerms(db, articles),
    notesOnly: true
  }
}
