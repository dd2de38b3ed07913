// Local row ids ↔ the keys every client shares (protocol.ts): an article by its original's
// sha256 and its index in it, collections and annotations by uid, an item by both.
import type { Db } from '../../library/open'

export function articleKeyOf(db: Db, articleId: number): string | null {
  const row = db
    .prepare(
      `SELECT o.sha256 AS sha, a.item_index AS idx FROM articles a
         JOIN originals o ON o.id = a.original_id WHERE a.id = ?`
    )
    .get(articleId) as { sha: string; idx: number } | undefined
  return row ? `${row.sha}:${row.idx}` : null
}

export function splitArticleKey(key: string): { sha256: string; itemIndex: number } | null {
  const m = /^([0-9a-f]{64}):(\d+)$/.exec(key)
  return m ? { sha256: m[1]!, itemIndex: Number(m[2]) } : null
}

export function articleIdOf(db: Db, key: string): number | null {
  const k = splitArticleKey(key)
  if (!k) return null
  return (
    (db
      .prepare(
        `SELECT a.id FROM articles a JOIN originals o ON o.id = a.original_id
          WHERE o.sha256 = ? AND a.item_index = ?`
      )
      .pluck()
      .get(k.sha256, k.itemIndex) as number | undefined) ?? null
  )
}

export function idByUid(db: Db, table: 'collections' | 'annotations', uid: string): number | null {
  return (
    (db.prepare(`SELECT id FROM ${table} WHERE uid = ?`).pluck().get(uid) as number | undefined) ??
    null
  )
}

export function uidOf(db: Db, table: 'collections' | 'annotations', id: number): string | null {
  return (
    (db.prepare(`SELECT uid FROM ${table} WHERE id = ?`).pluck().get(id) as string | undefined) ??
    null
  )
}

/** `${collectionUid}|${articleKey}` */
export function splitItemKey(key: string): { collection: string; article: string } | null {
  const at = key.indexOf('|')
  return at > 0 ? { collection: key.slice(0, at), article: key.slice(at + 1) } : null
}
