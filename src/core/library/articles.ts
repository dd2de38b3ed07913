// Reading and writing articles. Every write of article content goes through here, so the
// category links, tags and derived keys stay consistent.
import { createHash } from 'node:crypto'
import type {
  ArticleDetail,
  ArticlePage,
  ArticleQuery,
  ArticleSummary,
  ArticleSource,
  RemovedBlockInfo,
  SourceCount,
  TagCount
} from '../../shared/types'
import { decodeBytes } from '../encoding/decode-bytes'
import { copyBadges, firstOfGroupSql } from './copy-groups'
import { ORIGIN_META_KEY, type ParsedArticle } from '../model/parsed-article'
import { categoryIdsUnder, PATH_SEP, setArticleCategory } from './categories'
import { contentKey, differentPages } from './content-key'
import { newIdSql } from './id-floor'
import { stmt } from './statements'
import type { Db } from './open'
import { isUserFiled } from './user-filing'
import { writeTx } from './write-tx'

interface ArticleRow {
  id: number
  title: string
  author: string | null
  source: string | null
  url: string | null
  published_at: string | null
  imported_at: string
  editor: string | null
  original_title: string | null
  meta_json: string
  clean_html: string
  clean_text: string
  cleaning_version: number
  source_path: string | null
  encoding: string
  format: string
  read: number
  starred: number
  category_path: string | null
  annotation_count: number
}

const SNIPPET_CHARS = 160

export { contentKey }

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Stores the original bytes once (content-addressed) and returns their row id. */
export function storeOriginal(db: Db, bytes: Uint8Array, hash: string): number {
  const found = stmt<[string], { id: number }>(db, 'SELECT id FROM originals WHERE sha256 = ?').get(
    hash
  )
  if (found) return found.id
  return Number(
    stmt(db, 'INSERT INTO originals (sha256, bytes, size) VALUES (?, ?, ?)').run(
      hash,
      Buffer.from(bytes),
      bytes.byteLength
    ).lastInsertRowid
  )
}

export interface ArticleWrite {
  originalId: number
  itemIndex: number
  sourcePath: string | null
  cleaningVersion: number
  parsed: ParsedArticle
  /** contentKey(parsed), when the caller already has it (computed in a parse worker). */
  contentKey?: string
}

function contentParams(w: ArticleWrite, now: string): Record<string, unknown> {
  const p = w.parsed
  return {
    original_id: w.originalId,
    item_index: w.itemIndex,
    source_path: w.sourcePath,
    format: p.format,
    encoding: p.encoding,
    title: p.title,
    author: p.author,
    source: p.source,
    url: p.url,
    published_at: p.publishedAt,
    editor: p.editor,
    original_title: p.originalTitle,
    // The origin credits ride in the metadata (no column of their own yet).
    meta_json: JSON.stringify(p.origin ? { ...p.meta, [ORIGIN_META_KEY]: p.origin } : p.meta),
    clean_html: p.cleanHtml,
    clean_text: p.cleanText,
    cleaning_report: JSON.stringify(p.removed),
    cleaning_version: w.cleaningVersion,
    content_key: w.contentKey ?? contentKey(p),
    now
  }
}

export function insertArticle(db: Db, w: ArticleWrite, now: string): number {
  const id = Number(
    stmt(
      db,
      `INSERT INTO articles (id, original_id, item_index, source_path, format, encoding, title,
           author, source, url, published_at, editor, original_title, meta_json, clean_html,
           clean_text, cleaning_report, cleaning_version, content_key, imported_at, updated_at)
         VALUES (${newIdSql('articles')}, @original_id, @item_index, @source_path, @format, @encoding, @title, @author,
           @source, @url, @published_at, @editor, @original_title, @meta_json, @clean_html,
           @clean_text, @cleaning_report, @cleaning_version, @content_key, @now, @now)`
    ).run(contentParams(w, now)).lastInsertRowid
  )
  setArticleCategory(db, id, w.parsed.categoryPath)
  setArticleTags(db, id, w.parsed.tags)
  return id
}

/**
 * Replaces an article's content; read/starred state, annotations and collections stay.
 * Categories and tags are taken from the new parse, except where the user has set them (a
 * category renamed, merged or deleted, a tag edited: see user-filing.ts), which a changed file
 * must not undo. keepTaxonomy leaves both alone (re-cleaning reads the same file again).
 */
export function updateArticleContent(
  db: Db,
  id: number,
  w: ArticleWrite,
  now: string,
  opts: { keepTaxonomy?: boolean } = {}
): void {
  stmt(
    db,
    `UPDATE articles SET original_id=@original_id, item_index=@item_index, source_path=@source_path,
       format=@format, encoding=@encoding, title=@title, author=@author, source=@source, url=@url,
       published_at=@published_at, editor=@editor, original_title=@original_title,
       meta_json=@meta_json, clean_html=@clean_html, clean_text=@clean_text,
       cleaning_report=@cleaning_report, cleaning_version=@cleaning_version,
       content_key=@content_key, updated_at=@now
     WHERE id=@id`
  ).run({ ...contentParams(w, now), id })
  if (opts.keepTaxonomy) return
  if (!isUserFiled(db, 'categories', id)) setArticleCategory(db, id, w.parsed.categoryPath)
  if (!isUserFiled(db, 'tags', id)) setArticleTags(db, id, w.parsed.tags)
}

export function setArticleTags(db: Db, articleId: number, tags: readonly string[]): void {
  stmt(db, 'DELETE FROM article_tags WHERE article_id = ?').run(articleId)
  const ensure = stmt(db, 'INSERT INTO tags (name) VALUES (?) ON CONFLICT(name) DO NOTHING')
  const find = stmt<[string], { id: number }>(db, 'SELECT id FROM tags WHERE name = ?')
  const link = stmt(db, 'INSERT OR IGNORE INTO article_tags (article_id, tag_id) VALUES (?, ?)')
  for (const name of new Set(tags.map((t) => t.trim()).filter(Boolean))) {
    ensure.run(name)
    const tag = find.get(name)
    if (tag) link.run(articleId, tag.id)
  }
}

/** Live articles only, unless `trashed`: then only articles in the trash. */
function liveOrTrashed(opts: { trashed?: boolean }): string {
  return opts.trashed ? 'deleted_at IS NOT NULL' : 'deleted_at IS NULL'
}

/**
 * The article with this content key, live (or, with `trashed`, in the trash). Given the new
 * article's `url`, one at another page (another host or path, content-key.ts) is not the same
 * article even with the same extracted text: a story and its `/slides/4` page.
 */
export function findByContentKey(
  db: Db,
  key: string,
  opts: { trashed?: boolean; url?: string | null } = {}
): { id: number; source_path: string | null } | undefined {
  const rows = stmt<[string], { id: number; source_path: string | null; url: string | null }>(
    db,
    `SELECT id, source_path, url FROM articles WHERE content_key = ? AND ${liveOrTrashed(opts)} LIMIT 20`
  ).all(key)
  const same = rows.find((r) => !differentPages(r.url, opts.url ?? null))
  return same && { id: same.id, source_path: same.source_path }
}

export function findByOriginal(
  db: Db,
  originalId: number,
  opts: { trashed?: boolean } = {}
): { id: number; source_path: string | null } | undefined {
  return stmt<[number], { id: number; source_path: string | null }>(
    db,
    `SELECT id, source_path FROM articles WHERE original_id = ? AND ${liveOrTrashed(opts)} LIMIT 1`
  ).get(originalId)
}

/**
 * The article a file's item became, in the trash or not (deleted_at says which); a live one
 * first, where an older version of Gleaner left both.
 */
export function findBySourcePath(
  db: Db,
  path: string,
  itemIndex: number
): { id: number; original_id: number; deleted_at: string | null } | undefined {
  return stmt<[string, number], { id: number; original_id: number; deleted_at: string | null }>(
    db,
    `SELECT id, original_id, deleted_at FROM articles WHERE source_path = ? AND item_index = ?
      ORDER BY deleted_at IS NOT NULL, id LIMIT 1`
  ).get(path, itemIndex)
}

const SUMMARY_COLUMNS = `a.id, a.title, a.author, a.source, a.url, a.published_at, a.imported_at,
  a.read, a.starred, substr(a.clean_text, 1, ${SNIPPET_CHARS}) AS clean_text,
  (SELECT c.path FROM article_categories ac JOIN categories c ON c.id = ac.category_id
    WHERE ac.article_id = a.id ORDER BY length(c.path) DESC LIMIT 1) AS category_path,
  (SELECT COUNT(*) FROM annotations n WHERE n.article_id = a.id) AS annotation_count`

function toSummary(r: ArticleRow): ArticleSummary {
  return {
    id: r.id,
    title: r.title,
    author: r.author,
    source: r.source,
    publishedAt: r.published_at,
    importedAt: r.imported_at,
    categoryPath: r.category_path ? r.category_path.split(PATH_SEP) : [],
    snippet: r.clean_text.replace(/\s+/gu, ' ').trim(),
    read: r.read === 1,
    starred: r.starred === 1,
    annotationCount: r.annotation_count
  }
}

// Each order matches an index (m4, m6) so a page is read from the index, not by sorting every
// row: in SQLite NULL sorts first, so DESC puts undated articles last for free.
const ORDER_BY: Record<NonNullable<ArticleQuery['sort']>, string> = {
  'date-desc': 'a.published_at DESC, a.id DESC',
  'date-asc': 'a.published_at ASC, a.id ASC',
  title: 'a.title COLLATE NOCASE, a.id',
  source: 'a.source, a.published_at DESC, a.id DESC',
  'imported-desc': 'a.imported_at DESC, a.id DESC',
  // Only with a collection (listArticles joins its items as ci).
  position: 'ci.position, a.id'
}

/** "Recently imported": what came in during the last week. */
export const RECENT_DAYS = 7

/** The first import instant the "recent" view lists. */
export function recentSince(now = Date.now()): string {
  return new Date(now - RECENT_DAYS * 86_400_000).toISOString()
}

/**
 * The view's condition on the articles table as alias `t` (the list's rows are `a`; a copy
 * group's other members are tested as `b`, see firstOfGroupSql).
 */
export function filterSql(
  db: Db,
  q: ArticleQuery,
  t = 'a'
): { where: string; params: unknown[] } | null {
  const where: string[] = [`${t}.deleted_at IS NULL`]
  const params: unknown[] = []
  switch (q.view ?? 'all') {
    case 'unread':
      where.push(`${t}.read = 0`)
      break
    case 'starred':
      where.push(`${t}.starred = 1`)
      break
    case 'annotated':
      where.push(`EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = ${t}.id)`)
      break
    case 'recent':
      where.push(`${t}.imported_at >= ?`)
      params.push(recentSince())
      break
    case 'following':
      where.push(
        `${t}.id IN (SELECT s.article_id FROM stories st
           JOIN article_analysis s ON s.story_id = st.id WHERE st.followed = 1)`
      )
      break
    case 'all':
      break
  }
  if (q.categoryPath && q.categoryPath.length) {
    const ids = categoryIdsUnder(db, q.categoryPath)
    if (!ids.length) return null
    where.push(
      `${t}.id IN (SELECT article_id FROM article_categories WHERE category_id IN (${ids.map(() => '?').join(',')}))`
    )
    params.push(...ids)
  }
  if (q.collectionId !== undefined) {
    where.push(`${t}.id IN (SELECT article_id FROM collection_items WHERE collection_id = ?)`)
    params.push(q.collectionId)
  }
  if (q.source !== undefined) {
    where.push(`${t}.source = ?`)
    params.push(q.source)
  }
  if (q.tag !== undefined) {
    where.push(
      `${t}.id IN (SELECT at.article_id FROM article_tags at JOIN tags g ON g.id = at.tag_id WHERE g.name = ?)`
    )
    params.push(q.tag)
  }
  if (q.storyId !== undefined) {
    where.push(`${t}.id IN (SELECT article_id FROM article_analysis WHERE story_id = ?)`)
    params.push(q.storyId)
  }
  if (q.feedId !== undefined) {
    where.push(
      `${t}.id IN (SELECT article_id FROM feed_items WHERE feed_id = ? AND article_id IS NOT NULL)`
    )
    params.push(q.feedId)
  }
  if (q.entity !== undefined) {
    where.push(
      `${t}.id IN (SELECT article_id FROM article_terms
         WHERE kind IN ('person', 'org', 'place') AND term = ?)`
    )
    params.push(q.entity)
  }
  if (q.keyword !== undefined) {
    where.push(
      `${t}.id IN (SELECT article_id FROM article_terms WHERE term = ? AND kind = 'keyword')`
    )
    params.push(q.keyword)
  }
  return { where: where.join(' AND '), params }
}

export function listArticles(db: Db, q: ArticleQuery): ArticlePage {
  const offset = Math.max(0, q.offset ?? 0)
  const view = filterSql(db, q)
  if (!view) return { total: 0, offset, items: [] }
  // One row per copy group: its earliest member in this view (the others ride on its badge).
  const inView = q.collapseCopies ? filterSql(db, q, 'b') : null
  const filter = inView
    ? {
        where: `${view.where} AND ${firstOfGroupSql(inView).where}`,
        params: [...view.params, ...inView.params]
      }
    : view
  const total = (
    db
      .prepare(`SELECT COUNT(*) AS n FROM articles a WHERE ${filter.where}`)
      .get(...filter.params) as { n: number }
  ).n
  const limit = Math.min(Math.max(1, q.limit ?? 100), 1000)
  const inCollection = q.collectionId !== undefined
  // A collection keeps its own order unless another is asked for; 'position' needs one.
  let sort =
    q.sort ?? (inCollection ? 'position' : q.view === 'recent' ? 'imported-desc' : 'date-desc')
  if (sort === 'position' && !inCollection) sort = 'date-desc'
  // Ids first (from an index, skipping `offset` entries without reading rows), then the page's
  // rows: an OFFSET over full rows would read every skipped article's text.
  const join =
    sort === 'position'
      ? 'JOIN collection_items ci ON ci.article_id = a.id AND ci.collection_id = ?'
      : ''
  const ids = (
    db
      .prepare(
        `SELECT a.id FROM articles a ${join} WHERE ${filter.where} ORDER BY ${ORDER_BY[sort]} LIMIT ? OFFSET ?`
      )
      .all(...(join ? [q.collectionId] : []), ...filter.params, limit, offset) as { id: number }[]
  ).map((r) => r.id)
  if (!ids.length) return { total, offset, items: [] }
  // In a collection each row carries its note there (shown under the row, exported with it).
  const notes = inCollection
    ? new Map(
        (
          db
            .prepare(
              `SELECT article_id, note FROM collection_items
                WHERE collection_id = ? AND article_id IN (SELECT value FROM json_each(?))`
            )
            .all(q.collectionId, JSON.stringify(ids)) as {
            article_id: number
            note: string | null
          }[]
        ).map((n) => [n.article_id, n.note])
      )
    : null
  const items = summariesOf(db, ids)
  if (notes) for (const summary of items) summary.itemNote = notes.get(summary.id) ?? null
  if (inView) {
    const badges = copyBadges(db, ids, inView)
    for (const summary of items) {
      const badge = badges.get(summary.id)
      if (badge) summary.copies = badge
    }
  }
  return { total, offset, items }
}

/**
 * The list rows of these articles (live or in the trash), in the order given; ids not found
 * are left out. A page's ids come from an index first: an OFFSET over full rows would read
 * every skipped article's text.
 */
export function summariesOf(db: Db, ids: readonly number[]): ArticleSummary[] {
  if (!ids.length) return []
  const rows = stmt<[string], ArticleRow>(
    db,
    `SELECT ${SUMMARY_COLUMNS} FROM articles a WHERE a.id IN (SELECT value FROM json_each(?))`
  ).all(JSON.stringify(ids))
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.flatMap((id) => {
    const r = byId.get(id)
    return r ? [toSummary(r)] : []
  })
}

/** Sources (sites, feeds) with their live article counts, most articles first. */
export function listSources(db: Db): SourceCount[] {
  return stmt<[], SourceCount>(
    db,
    `SELECT source, COUNT(*) AS count FROM articles
        WHERE deleted_at IS NULL AND source IS NOT NULL AND source <> ''
        GROUP BY source ORDER BY count DESC, source`
  ).all()
}

/**
 * Tags with their live article counts, most articles first: every assignment (a scan of the
 * small tag index) minus the deleted articles' ones (few, through the deleted_at index), instead
 * of one article lookup per assignment.
 */
export function listTags(db: Db): TagCount[] {
  return stmt<[], TagCount>(
    db,
    `WITH assigned AS (SELECT tag_id, COUNT(*) AS n FROM article_tags GROUP BY tag_id),
          deleted AS (
            SELECT at.tag_id, COUNT(*) AS n
              FROM articles a INDEXED BY articles_live
              JOIN article_tags at ON at.article_id = a.id
             WHERE a.deleted_at IS NOT NULL
             GROUP BY at.tag_id)
     SELECT t.name AS tag, s.n - coalesce(d.n, 0) AS count
       FROM assigned s
       JOIN tags t ON t.id = s.tag_id
       LEFT JOIN deleted d ON d.tag_id = s.tag_id
      WHERE s.n - coalesce(d.n, 0) > 0
      ORDER BY count DESC, t.name`
  ).all()
}

export function getArticle(db: Db, id: number): ArticleDetail | null {
  const r = stmt(
    db,
    `SELECT ${SUMMARY_COLUMNS.replace(
      `substr(a.clean_text, 1, ${SNIPPET_CHARS}) AS clean_text`,
      'a.clean_text'
    )}, a.editor, a.original_title, a.meta_json, a.clean_html, a.cleaning_version,
         a.source_path, a.encoding, a.format
       FROM articles a WHERE a.id = ? AND a.deleted_at IS NULL`
  ).get(id) as ArticleRow | undefined
  if (!r) return null
  const tags = stmt<[number], { name: string }>(
    db,
    'SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ? ORDER BY t.name'
  )
    .all(id)
    .map((t) => t.name)
  const summary = toSummary(r)
  return {
    ...summary,
    snippet: summary.snippet.slice(0, SNIPPET_CHARS),
    tags,
    editor: r.editor,
    originalTitle: r.original_title,
    url: r.url,
    cleanHtml: r.clean_html,
    cleanText: r.clean_text,
    meta: JSON.parse(r.meta_json) as Record<string, unknown>,
    cleaningVersion: r.cleaning_version,
    sourcePath: r.source_path,
    encoding: r.encoding,
    format: r.format
  }
}

export function setFlag(
  db: Db,
  ids: readonly number[],
  column: 'read' | 'starred',
  on: boolean
): void {
  const update = stmt(db, `UPDATE articles SET ${column} = ? WHERE id = ?`)
  writeTx(db, () => {
    for (const id of ids) update.run(on ? 1 : 0, id)
  })
}

/** Soft delete: the rows stay (annotations, originals) so an undo can bring them back. */
export function deleteArticles(db: Db, ids: readonly number[], now: string): number[] {
  const del = stmt(db, 'UPDATE articles SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL')
  return writeTx(db, () => ids.filter((id) => del.run(now, id).changes > 0))
}

export function restoreArticles(db: Db, ids: readonly number[]): number[] {
  const undo = stmt(
    db,
    'UPDATE articles SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL'
  )
  return writeTx(db, () => ids.filter((id) => undo.run(id).changes > 0))
}

export function getArticleSource(db: Db, id: number): ArticleSource | null {
  const r = stmt<
    [number],
    { bytes: Buffer; encoding: string; source_path: string | null; cleaning_report: string }
  >(
    db,
    `SELECT o.bytes, a.encoding, a.source_path, a.cleaning_report
       FROM articles a JOIN originals o ON o.id = a.original_id
      WHERE a.id = ? AND a.deleted_at IS NULL`
  ).get(id)
  if (!r) return null
  const decoded = decodeBytes(new Uint8Array(r.bytes))
  return {
    id,
    originalText: decoded.ok ? decoded.text : null,
    encoding: decoded.ok ? decoded.encoding : r.encoding,
    sourcePath: r.source_path,
    removed: JSON.parse(r.cleaning_report) as RemovedBlockInfo[]
  }
}

export function articleCount(db: Db): number {
  return (
    stmt(db, 'SELECT COUNT(*) AS n FROM articles WHERE deleted_at IS NULL').get() as { n: number }
  ).n
}
