// The trash: deleting an article only stamps deleted_at, so an undo (or Restore) brings it back
// with everything it had. Emptying the trash removes such articles for good: the rows, what
// hangs off them (highlights and notes, places in collections, filing, import results' links)
// and the original files no article left in the library came from.
import type { EmptyTrashResult, TrashPage, TrashQuery } from '../../shared/types'
import { raiseIdFloor } from './id-floor'
import { summariesOf } from './articles'
import type { Db } from './open'
import { stmt } from './statements'
import { dropIfUnused } from './tag-edit'
import { writeTx } from './write-tx'

export function trashCount(db: Db): number {
  return stmt<[], { n: number }>(
    db,
    'SELECT COUNT(*) AS n FROM articles WHERE deleted_at IS NOT NULL'
  ).get()!.n
}

/** Articles in the trash, newest deletion first. */
export function listTrash(db: Db, q: TrashQuery = {}): TrashPage {
  const offset = Math.max(0, q.offset ?? 0)
  const limit = Math.min(Math.max(1, q.limit ?? 100), 1000)
  const page = stmt<[number, number], { id: number; deleted_at: string }>(
    db,
    `SELECT id, deleted_at FROM articles WHERE deleted_at IS NOT NULL
      ORDER BY deleted_at DESC, id DESC LIMIT ? OFFSET ?`
  ).all(limit, offset)
  const deletedAt = new Map(page.map((r) => [r.id, r.deleted_at]))
  const items = summariesOf(
    db,
    page.map((r) => r.id)
  ).map((a) => ({ ...a, deletedAt: deletedAt.get(a.id)! }))
  return { total: trashCount(db), offset, items }
}

/**
 * Removes articles in the trash for good: these (live ones among them are left alone), or every
 * one when `ids` is null. Cannot be undone.
 */
export function purgeArticles(db: Db, ids: readonly number[] | null): EmptyTrashResult {
  return writeTx(db, () => {
    const targets = (
      ids === null
        ? db.prepare('SELECT id FROM articles WHERE deleted_at IS NOT NULL ORDER BY id')
        : db
            .prepare(
              `SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))
                 AND deleted_at IS NOT NULL ORDER BY id`
            )
            .bind(JSON.stringify([...new Set(ids)]))
    )
      .pluck()
      .all() as number[]
    if (targets.length === 0) return { ids: [], originals: 0, originalBytes: 0 }
    const list = JSON.stringify(targets)
    const inList = 'IN (SELECT value FROM json_each(?))'
    const originals = db
      .prepare(`SELECT DISTINCT original_id FROM articles WHERE id ${inList}`)
      .pluck()
      .all(list) as number[]
    const tagIds = db
      .prepare(`SELECT DISTINCT tag_id FROM article_tags WHERE article_id ${inList}`)
      .pluck()
      .all(list) as number[]
    const lastAnnotation = db
      .prepare(`SELECT max(id) FROM annotations WHERE article_id ${inList}`)
      .pluck()
      .get(list) as number | null
    // Annotations, collection items, filing and user-filing marks go by ON DELETE CASCADE,
    // import results keep their row with no article (ON DELETE SET NULL); migration 10 gives
    // each an index, so this is one lookup per article, not a scan.
    db.prepare(`DELETE FROM articles WHERE id ${inList}`).run(list)
    // A feed item keeps its key (so the next poll does not import it again), not the article.
    db.prepare(`UPDATE feed_items SET article_id = NULL WHERE article_id ${inList}`).run(list)
    const orphans = db
      .prepare(
        `SELECT id, size FROM originals o WHERE id ${inList}
           AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.original_id = o.id)`
      )
      .all(JSON.stringify(originals)) as { id: number; size: number }[]
    db.prepare(`DELETE FROM originals WHERE id ${inList}`).run(
      JSON.stringify(orphans.map((o) => o.id))
    )
    for (const tagId of tagIds) dropIfUnused(db, tagId)
    raiseIdFloor(db, 'articles', targets[targets.length - 1]!)
    if (lastAnnotation !== null) raiseIdFloor(db, 'annotations', lastAnnotation)
    return {
      ids: targets,
      originals: orphans.length,
      originalBytes: orphans.reduce((sum, o) => sum + o.size, 0)
    }
  })
}

/** Of these ids, those that are not in the library at all (removed for good, or never there). */
export function missingArticles(db: Db, ids: readonly number[]): number[] {
  return db
    .prepare(
      `SELECT value FROM json_each(?) WHERE NOT EXISTS (SELECT 1 FROM articles WHERE id = value)`
    )
    .pluck()
    .all(JSON.stringify([...new Set(ids)])) as number[]
}
