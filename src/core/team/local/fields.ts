// An entity's fields as the working copy has them now, in the protocol's terms (protocol.ts).
// A push diffs these against the shadow; the pull's guard compares them too.
import { PATH_SEP } from '../../library/categories'
import type { Db } from '../../library/open'
import { parseJson, type AnnotationRow } from '../../annotations/repository'
import type { EntityKind } from '../protocol'
import { articleKeyOf } from './keys'

export type Fields = Record<string, unknown>

/** What an importer needs to rebuild an article the same way as its first client did. */
export interface ImportHints {
  url?: string
  title?: string
  source?: string
  publishedAt?: string
  /** The original's file name (its extension tells the format), or the address it came from. */
  name?: string
}

export function articleFields(db: Db, id: number): Fields | null {
  const a = db
    .prepare(
      `SELECT url, title, source, published_at, source_path, deleted_at FROM articles WHERE id = ?`
    )
    .get(id) as
    | {
        url: string | null
        title: string
        source: string | null
        published_at: string | null
        source_path: string | null
        deleted_at: string | null
      }
    | undefined
  if (!a) return null
  const paths = (
    db
      .prepare(
        `SELECT c.path FROM article_categories ac JOIN categories c ON c.id = ac.category_id
          WHERE ac.article_id = ? ORDER BY c.path`
      )
      .pluck()
      .all(id) as string[]
  ).map((p) => p.split(PATH_SEP))
  const tags = db
    .prepare(
      `SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ?`
    )
    .pluck()
    .all(id) as string[]
  const hints: ImportHints = { title: a.title }
  if (a.url) hints.url = a.url
  if (a.source) hints.source = a.source
  if (a.published_at) hints.publishedAt = a.published_at
  const name = originalName(a.source_path)
  if (name) hints.name = name
  const fields: Fields = { import: hints, categories: paths, deleted: a.deleted_at }
  for (const t of tags) fields[`tag:${t}`] = true
  return fields
}

/**
 * The name the team keeps for an original: an address as it is (clips and feed items; site
 * rules go by it), a file by its base name (the folders it sat in are this analyst's own).
 */
export function originalName(sourcePath: string | null): string | null {
  if (!sourcePath) return null
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(sourcePath)) return sourcePath
  const parts = sourcePath.split(/[\\/]/)
  return parts[parts.length - 1] || null
}

export function collectionFields(db: Db, id: number): Fields | null {
  const c = db.prepare('SELECT name, query FROM collections WHERE id = ?').get(id) as
    { name: string; query: string | null } | undefined
  return c ? { name: c.name, query: c.query, deleted: null } : null
}

export function itemFields(db: Db, collectionId: number, articleId: number): Fields | null {
  const i = db
    .prepare(
      'SELECT position, note FROM collection_items WHERE collection_id = ? AND article_id = ?'
    )
    .get(collectionId, articleId) as { position: number; note: string | null } | undefined
  return i ? { in: true, position: i.position, note: i.note } : null
}

export function annotationFields(db: Db, id: number): Fields | null {
  const r = db
    .prepare(
      `SELECT article_id, selectors_json, exact, color, note, tags_json FROM annotations WHERE id = ?`
    )
    .get(id) as
    | Pick<
        AnnotationRow,
        'article_id' | 'selectors_json' | 'exact' | 'color' | 'note' | 'tags_json'
      >
    | undefined
  if (!r) return null
  const article = articleKeyOf(db, r.article_id)
  if (!article) return null
  return {
    article,
    selectors: parseJson(r.selectors_json, null),
    exact: r.exact,
    color: r.color,
    tags: parseJson(r.tags_json, []),
    note: r.note,
    deleted: null
  }
}

/** The fields of kind's row (a, b) now; null when the row is gone. */
export function localFields(db: Db, kind: EntityKind, a: number, b: number): Fields | null {
  switch (kind) {
    case 'article':
      return articleFields(db, a)
    case 'collection':
      return collectionFields(db, a)
    case 'item':
      return itemFields(db, a, b)
    case 'annotation':
      return annotationFields(db, a)
  }
}
