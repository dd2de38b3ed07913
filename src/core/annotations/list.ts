// The library-wide list of annotations: All notes & highlights and the review list page
// through it with filters (colour, tag, collection, creation date, text, anchor status), in
// SQL with LIMIT/OFFSET so tens of thousands of notes cost one page at a time. Annotations of
// articles in the trash are left out, as the articles are.
import {
  MAX_ANNOTATION_PAGE,
  type AnnotationListItem,
  type AnnotationPage,
  type AnnotationQuery
} from '../../shared/annotation-types'
import type { TagCount } from '../../shared/types'
import { collectionArticleIds, type QueryResolver } from '../collections'
import type { Db } from '../library/open'
import { COLUMNS, fromRow, type AnnotationRow } from './repository'

export const DEFAULT_ANNOTATION_PAGE = 100

// Live articles, read from an index on deleted_at (articles_live holds published_at too): an
// article row's deleted_at sits after its text, in overflow pages, and reading it there for
// every annotation would read every article's text.
const LIVE = `SELECT id, published_at FROM articles WHERE deleted_at IS NULL`

/** LIKE's wildcards taken literally. */
const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => '\\' + c)

function where(
  db: Db,
  q: AnnotationQuery,
  resolve?: QueryResolver
): { sql: string; params: unknown[] } {
  const conds: string[] = []
  const params: unknown[] = []
  if (q.colors && q.colors.length > 0) {
    conds.push(`a.color IN (SELECT value FROM json_each(?))`)
    params.push(JSON.stringify(q.colors))
  }
  if (q.tag !== undefined) {
    conds.push(`EXISTS (SELECT 1 FROM json_each(a.tags_json) WHERE value = ?)`)
    params.push(q.tag.trim())
  }
  if (q.collectionId !== undefined) {
    conds.push(`a.article_id IN (SELECT value FROM json_each(?))`)
    params.push(JSON.stringify(collectionArticleIds(db, q.collectionId, resolve)))
  }
  if (q.from !== undefined) {
    conds.push(`a.created_at >= ?`)
    params.push(new Date(q.from).toISOString())
  }
  if (q.to !== undefined) {
    conds.push(`a.created_at < ?`)
    params.push(new Date(q.to).toISOString())
  }
  const text = q.text?.trim()
  if (text) {
    const pattern = `%${likeEscape(text)}%`
    conds.push(`(a.exact LIKE ? ESCAPE '\\' OR a.note LIKE ? ESCAPE '\\')`)
    params.push(pattern, pattern)
  }
  if (q.status !== undefined) {
    conds.push(`a.anchor_status = ?`)
    params.push(q.status)
  }
  return { sql: conds.length ? 'AND ' + conds.join(' AND ') : '', params }
}

// Annotation ids follow creation (a restored annotation comes back with its id and its
// creation time), so the primary key orders by age without an index on created_at.
const ORDER: Record<NonNullable<AnnotationQuery['sort']>, string> = {
  newest: 'a.id DESC',
  oldest: 'a.id ASC',
  // Article by article, newest article first (undated last: NULL sorts low); in each, article
  // notes, then highlights in text order, then those waiting for review (their positions
  // describe an older text). Led by the article's date, SQLite walks articles in index order
  // and sorts each one's few annotations, never the whole list.
  article: `ar.published_at DESC, a.article_id DESC,
    a.selectors_json IS NOT NULL, a.anchor_status = 'needs-review',
    json_extract(a.selectors_json, '$[1].start'), a.id`
}

/** One page of the annotations matching `q`, with the true total. */
export function queryAnnotations(
  db: Db,
  q: AnnotationQuery = {},
  resolve?: QueryResolver
): AnnotationPage {
  const offset = q.offset ?? 0
  const limit = Math.min(q.limit ?? DEFAULT_ANNOTATION_PAGE, MAX_ANNOTATION_PAGE)
  const filter = where(db, q, resolve)
  const from = `FROM annotations a JOIN (${LIVE}) ar ON ar.id = a.article_id`
  const total = db
    .prepare(`SELECT COUNT(*) ${from} WHERE 1 ${filter.sql}`)
    .pluck()
    .get(...filter.params) as number
  // The page's ids first, then their rows: the sort then carries ids, not notes and selectors.
  const ids = matchingIds(db, q, filter, { limit, offset })
  const byId = new Map(
    db
      .prepare<[string], AnnotationRow>(
        `SELECT ${COLUMNS} FROM annotations WHERE id IN (SELECT value FROM json_each(?))`
      )
      .all(JSON.stringify(ids))
      .map((r) => [r.id, r])
  )
  const rows = ids.flatMap((id) => byId.get(id) ?? [])
  const articles = articleHeads(
    db,
    rows.map((r) => r.article_id)
  )
  const items: AnnotationListItem[] = rows.map((r) => ({
    ...fromRow(r),
    article: articles.get(r.article_id) ?? { title: '', source: null, publishedAt: null }
  }))
  return { total, offset, items }
}

function matchingIds(
  db: Db,
  q: AnnotationQuery,
  filter: { sql: string; params: unknown[] },
  page: { limit: number; offset: number } | null
): number[] {
  return db
    .prepare(
      `SELECT a.id FROM annotations a JOIN (${LIVE}) ar ON ar.id = a.article_id
       WHERE 1 ${filter.sql} ORDER BY ${ORDER[q.sort ?? 'newest']}
       ${page ? 'LIMIT ? OFFSET ?' : ''}`
    )
    .pluck()
    .all(...filter.params, ...(page ? [page.limit, page.offset] : [])) as number[]
}

/** Every annotation `q` finds (offset and limit aside), in its order: what an export takes. */
export function annotationIdsMatching(
  db: Db,
  q: AnnotationQuery,
  resolve?: QueryResolver
): number[] {
  return matchingIds(db, q, where(db, q, resolve), null)
}

/** Title, source and date of a page's articles (their first columns: no text is read). */
function articleHeads(db: Db, ids: number[]): Map<number, AnnotationListItem['article']> {
  const rows = db
    .prepare(
      `SELECT id, title, source, published_at FROM articles
       WHERE id IN (SELECT value FROM json_each(?))`
    )
    .all(JSON.stringify([...new Set(ids)])) as {
    id: number
    title: string
    source: string | null
    published_at: string | null
  }[]
  return new Map(
    rows.map((r) => [r.id, { title: r.title, source: r.source, publishedAt: r.published_at }])
  )
}

/** Tags used on annotations of live articles, with how many annotations carry each, most first. */
export function annotationTags(db: Db): TagCount[] {
  return db
    .prepare(
      `SELECT t.value AS tag, COUNT(*) AS count
       FROM annotations a JOIN (${LIVE}) ar ON ar.id = a.article_id, json_each(a.tags_json) t
       GROUP BY t.value ORDER BY count DESC, t.value`
    )
    .all() as TagCount[]
}
