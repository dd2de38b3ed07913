// Images kept in the library: each image's bytes once, by the SHA-256 of its content (the same
// photo in two articles is one row of `images`), and per article which of its image URLs has
// which bytes (`article_images`, with the caption the article gave it, or why it was refused).
// Also who allowed remote images (`remote_image_allow`): an article, a source, or the library.
import { createHash } from 'node:crypto'
import type { RemoteImageScope } from '../../shared/capture-types'
import type { ExportImage } from '../../shared/export-types'
import type { Db } from '../library/open'
import { articleImages } from './remote'

export interface KeptImage {
  sha256: string
  contentType: string
  bytes: Uint8Array
}

export interface ArticleImageRow {
  url: string
  sha256: string | null
  caption: string | null
  error: string | null
}

export const sha256Of = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex')

/** Keeps `bytes` (once however many articles show them) and links them to the article's URL. */
export function keepImage(
  db: Db,
  articleId: number,
  url: string,
  image: { contentType: string; bytes: Uint8Array },
  caption: string | null,
  now: Date
): string {
  const sha = sha256Of(image.bytes)
  db.prepare(
    `INSERT OR IGNORE INTO images (sha256, content_type, size, bytes, stored_at) VALUES (?, ?, ?, ?, ?)`
  ).run(sha, image.contentType, image.bytes.length, image.bytes, now.toISOString())
  db.prepare(
    `INSERT INTO article_images (article_id, url, sha256, caption, error) VALUES (?, ?, ?, ?, NULL)
     ON CONFLICT (article_id, url) DO UPDATE SET sha256 = excluded.sha256,
       caption = excluded.caption, error = NULL`
  ).run(articleId, url, sha, caption)
  return sha
}

/** Records that an image of the article was refused (not fetched again until asked anew). */
export function refuseImage(
  db: Db,
  articleId: number,
  url: string,
  caption: string | null,
  error: string
): void {
  db.prepare(
    `INSERT INTO article_images (article_id, url, sha256, caption, error) VALUES (?, ?, NULL, ?, ?)
     ON CONFLICT (article_id, url) DO UPDATE SET caption = excluded.caption, error = excluded.error
     WHERE article_images.sha256 IS NULL`
  ).run(articleId, url, caption, error.slice(0, 500))
}

/** The kept bytes of one image of an article, or null when that image is not kept. */
export function keptImage(db: Db, articleId: number, url: string): KeptImage | null {
  const row = db
    .prepare(
      `SELECT i.sha256, i.content_type AS contentType, i.bytes FROM article_images a
         JOIN images i ON i.sha256 = a.sha256 WHERE a.article_id = ? AND a.url = ?`
    )
    .get(articleId, url) as { sha256: string; contentType: string; bytes: Buffer } | undefined
  return row
    ? { sha256: row.sha256, contentType: row.contentType, bytes: new Uint8Array(row.bytes) }
    : null
}

/** The article's image rows (kept and refused), by URL. */
export function articleImageRows(db: Db, articleId: number): Map<string, ArticleImageRow> {
  const rows = db
    .prepare(`SELECT url, sha256, caption, error FROM article_images WHERE article_id = ?`)
    .all(articleId) as ArticleImageRow[]
  return new Map(rows.map((r) => [r.url, r]))
}

/** Bytes kept for the article so far (its per-article total is capped). */
export function keptBytesOf(db: Db, articleId: number): number {
  return db
    .prepare(
      `SELECT coalesce(sum(i.size), 0) FROM article_images a JOIN images i ON i.sha256 = a.sha256
        WHERE a.article_id = ?`
    )
    .pluck()
    .get(articleId) as number
}

/** The key a scope's allowance is stored under: the article id, its source, or '' (library). */
export function allowKey(
  scope: RemoteImageScope,
  article: { id: number; source: string | null }
): string | null {
  if (scope === 'article') return String(article.id)
  if (scope === 'source') return article.source || null
  return ''
}

export function isAllowed(db: Db, scope: RemoteImageScope, key: string): boolean {
  return (
    db.prepare(`SELECT 1 FROM remote_image_allow WHERE scope = ? AND key = ?`).get(scope, key) !==
    undefined
  )
}

/** Stores or drops an allowance; true when that changed anything. */
export function setAllowed(
  db: Db,
  scope: RemoteImageScope,
  key: string,
  allowed: boolean
): boolean {
  const info = allowed
    ? db
        .prepare(`INSERT OR IGNORE INTO remote_image_allow (scope, key) VALUES (?, ?)`)
        .run(scope, key)
    : db.prepare(`DELETE FROM remote_image_allow WHERE scope = ? AND key = ?`).run(scope, key)
  return info.changes > 0
}

/** The widest scope allowing the article's remote images, or null. */
export function allowedBy(
  db: Db,
  article: { id: number; source: string | null }
): RemoteImageScope | null {
  if (isAllowed(db, 'library', '')) return 'library'
  if (article.source && isAllowed(db, 'source', article.source)) return 'source'
  if (isAllowed(db, 'article', String(article.id))) return 'article'
  return null
}

export interface ImageArticle {
  id: number
  source: string | null
  title: string
  cleanHtml: string
}

/** A live article as the image code needs it, or null. */
export function imageArticle(db: Db, id: number): ImageArticle | null {
  return (
    (db
      .prepare(
        `SELECT id, source, title, clean_html AS cleanHtml FROM articles
          WHERE id = ? AND deleted_at IS NULL`
      )
      .get(id) as ImageArticle | undefined) ?? null
  )
}

/** Live articles of a source, oldest first. */
export function articlesOfSource(db: Db, source: string): number[] {
  return db
    .prepare(`SELECT id FROM articles WHERE source = ? AND deleted_at IS NULL ORDER BY id`)
    .pluck()
    .all(source) as number[]
}

/** The article's kept images in the order its HTML shows them (for exports). */
export function keptImagesOf(db: Db, article: { id: number; cleanHtml: string }): ExportImage[] {
  if (!article.cleanHtml.includes('<img')) return []
  const rows = articleImageRows(db, article.id)
  const out: ExportImage[] = []
  for (const [url, caption] of articleImages(article.cleanHtml)) {
    const row = rows.get(url)
    if (!row?.sha256) continue
    const kept = keptImage(db, article.id, url)
    if (kept) out.push({ url, ...kept, caption: row.caption ?? caption })
  }
  return out
}
