// Which articles the user has filed (categories) or tagged by hand. The importer's update in
// place reads this to keep the user's filing over the file's front matter; category and tag
// edits write it. A row in article_user_filing (migration m8) per article and kind.
import { stmt } from './statements'
import type { Db } from './open'

export type FilingKind = 'categories' | 'tags'

/** Marks newly set during a collectMarks call, per kind: what an undo must clear again. */
export type NewMarks = Partial<Record<FilingKind, number[]>>

const collectors = new WeakMap<Db, NewMarks>()

/**
 * Runs `fn` and reports which articles it marked that were not marked before. The change
 * runner keeps them with the change's inverse, so undoing an edit leaves an article following
 * its file again exactly when it did before the edit.
 */
export function collectMarks<T>(db: Db, fn: () => T): { result: T; marks: NewMarks } {
  const outer = collectors.get(db)
  const marks: NewMarks = {}
  collectors.set(db, marks)
  try {
    return { result: fn(), marks }
  } finally {
    if (outer) collectors.set(db, outer)
    else collectors.delete(db)
  }
}

/** Marks the articles' categories or tags as set by the user. */
export function markUserFiled(db: Db, kind: FilingKind, articleIds: readonly number[]): void {
  if (articleIds.length === 0) return
  const collector = collectors.get(db)
  if (collector) {
    const before = new Set(userFiledAmong(db, kind, articleIds))
    const fresh = [...new Set(articleIds)].filter((id) => !before.has(id))
    if (fresh.length) (collector[kind] ??= []).push(...fresh)
  }
  // Only ids of existing articles (the foreign key would refuse others).
  stmt(
    db,
    `INSERT OR IGNORE INTO article_user_filing (article_id, kind)
       SELECT a.id, @kind FROM articles a WHERE a.id IN (SELECT value FROM json_each(@ids))`
  ).run({ kind, ids: JSON.stringify(articleIds) })
}

/** Forgets the mark: the articles follow their files' front matter again on re-import. */
export function clearUserFiled(db: Db, kind: FilingKind, articleIds: readonly number[]): void {
  if (articleIds.length === 0) return
  stmt(
    db,
    `DELETE FROM article_user_filing
      WHERE kind = @kind AND article_id IN (SELECT value FROM json_each(@ids))`
  ).run({ kind, ids: JSON.stringify(articleIds) })
}

export function isUserFiled(db: Db, kind: FilingKind, articleId: number): boolean {
  return (
    stmt<[number, string], { one: number }>(
      db,
      'SELECT 1 AS one FROM article_user_filing WHERE article_id = ? AND kind = ?'
    ).get(articleId, kind) !== undefined
  )
}

/** Those of `articleIds` that carry the mark, in ascending order. */
export function userFiledAmong(db: Db, kind: FilingKind, articleIds: readonly number[]): number[] {
  if (articleIds.length === 0) return []
  return stmt<{ kind: string; ids: string }, { id: number }>(
    db,
    `SELECT article_id AS id FROM article_user_filing
      WHERE kind = @kind AND article_id IN (SELECT value FROM json_each(@ids))
      ORDER BY article_id`
  )
    .all({ kind, ids: JSON.stringify(articleIds) })
    .map((r) => r.id)
}
