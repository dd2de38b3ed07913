// Tagging many articles at once, and renaming or deleting a tag. Tags live in `tags` and
// `article_tags`; search (`tag:`), the tag list and exports all read those tables. Each
// function returns the ids of articles whose tags changed, for the caller to re-index. Those
// articles are marked user-tagged (user-filing.ts): a re-import of a changed file would
// otherwise replace their tags with the front matter's, dropping added tags and bringing back
// renamed or deleted ones.
import type { Db } from './open'
import { normaliseName, TaxonomyError } from './taxonomy-errors'
import { markUserFiled } from './user-filing'
import { writeTx } from './write-tx'

/**
 * The tag a user means by `name`: the exact name, else the same name in another case (search's
 * `tag:` filter ignores case too, so "AI" and "ai" should not become two tags by accident).
 */
export function findTagId(db: Db, name: string): number | null {
  const exact = db.prepare('SELECT id FROM tags WHERE name = ?').get(name) as
    { id: number } | undefined
  if (exact) return exact.id
  const folded = db
    .prepare('SELECT id FROM tags WHERE lower(name) = lower(?) ORDER BY id LIMIT 1')
    .get(name) as { id: number } | undefined
  return folded?.id ?? null
}

/** Drops a tag that no article carries any more, so the tag list and `tag:` stay honest. */
export function dropIfUnused(db: Db, tagId: number): void {
  db.prepare(
    'DELETE FROM tags WHERE id = ? AND NOT EXISTS (SELECT 1 FROM article_tags WHERE tag_id = ?)'
  ).run(tagId, tagId)
}

/** Adds a tag to live articles; returns the ids that did not have it before. */
export function addTag(db: Db, articleIds: readonly number[], tag: string): number[] {
  const name = normaliseName('tag', tag)
  return writeTx(db, () => {
    let tagId = findTagId(db, name)
    if (tagId === null)
      tagId = Number(db.prepare('INSERT INTO tags (name) VALUES (?)').run(name).lastInsertRowid)
    const link = db.prepare(
      `INSERT OR IGNORE INTO article_tags (article_id, tag_id)
         SELECT id, ? FROM articles WHERE id = ? AND deleted_at IS NULL`
    )
    const added = [...new Set(articleIds)].filter((id) => link.run(tagId, id).changes > 0)
    dropIfUnused(db, tagId)
    markUserFiled(db, 'tags', added)
    return added
  })
}

/** Removes a tag from articles; returns the ids that had it. Unknown tags change nothing. */
export function removeTag(db: Db, articleIds: readonly number[], tag: string): number[] {
  const name = normaliseName('tag', tag)
  return writeTx(db, () => {
    const tagId = findTagId(db, name)
    if (tagId === null) return []
    const unlink = db.prepare('DELETE FROM article_tags WHERE article_id = ? AND tag_id = ?')
    const removed = [...new Set(articleIds)].filter((id) => unlink.run(id, tagId).changes > 0)
    dropIfUnused(db, tagId)
    markUserFiled(db, 'tags', removed)
    return removed
  })
}

/** Renames a tag everywhere; renaming onto another existing tag merges the two. */
export function renameTag(db: Db, from: string, to: string): number[] {
  const oldName = normaliseName('tag', from)
  const newName = normaliseName('tag', to)
  return writeTx(db, () => {
    const tagId = findTagId(db, oldName)
    if (tagId === null) throw new TaxonomyError('not-found', `There is no tag named “${oldName}”.`)
    const articleIds = (
      db.prepare('SELECT article_id AS id FROM article_tags WHERE tag_id = ?').all(tagId) as {
        id: number
      }[]
    ).map((r) => r.id)
    // Exact match only: a change of case ("ai" → "AI") renames, it does not merge with itself.
    const other = db.prepare('SELECT id FROM tags WHERE name = ?').get(newName) as
      { id: number } | undefined
    if (other && other.id !== tagId) {
      db.prepare(
        'INSERT OR IGNORE INTO article_tags (article_id, tag_id) SELECT article_id, ? FROM article_tags WHERE tag_id = ?'
      ).run(other.id, tagId)
      db.prepare('DELETE FROM tags WHERE id = ?').run(tagId)
    } else {
      db.prepare('UPDATE tags SET name = ? WHERE id = ?').run(newName, tagId)
    }
    markUserFiled(db, 'tags', articleIds)
    return articleIds
  })
}

/** Deletes a tag from every article; returns their ids (addTag with them undoes it). */
export function deleteTag(db: Db, tag: string): number[] {
  const name = normaliseName('tag', tag)
  return writeTx(db, () => {
    const tagId = findTagId(db, name)
    if (tagId === null) return []
    const articleIds = (
      db.prepare('SELECT article_id AS id FROM article_tags WHERE tag_id = ?').all(tagId) as {
        id: number
      }[]
    ).map((r) => r.id)
    db.prepare('DELETE FROM tags WHERE id = ?').run(tagId)
    markUserFiled(db, 'tags', articleIds)
    return articleIds
  })
}
