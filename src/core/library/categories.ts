import type { CategoryNode } from '../../shared/types'
import { stmt } from './statements'
import type { Db } from './open'

/** Separator of path segments in categories.path; cannot occur in a typed category name. */
export const PATH_SEP = '\u001f'

export function pathKey(path: readonly string[]): string {
  return path.join(PATH_SEP)
}

/** Returns the id of the category at `path`, creating it and any missing ancestors. */
export function ensureCategoryPath(db: Db, path: readonly string[]): number | null {
  let parentId: number | null = null
  const find = stmt<[string], { id: number }>(db, 'SELECT id FROM categories WHERE path = ?')
  const insert = stmt(db, 'INSERT INTO categories (parent_id, name, path) VALUES (?, ?, ?)')
  for (let depth = 1; depth <= path.length; depth++) {
    const key = pathKey(path.slice(0, depth))
    const row = find.get(key)
    parentId = row
      ? row.id
      : Number(insert.run(parentId, path[depth - 1] ?? '', key).lastInsertRowid)
  }
  return parentId
}

export function setArticleCategory(db: Db, articleId: number, path: readonly string[]): void {
  stmt(db, 'DELETE FROM article_categories WHERE article_id = ?').run(articleId)
  const leaf = path.length ? ensureCategoryPath(db, path) : null
  if (leaf !== null) {
    stmt(db, 'INSERT INTO article_categories (article_id, category_id) VALUES (?, ?)').run(
      articleId,
      leaf
    )
  }
}

/** The whole tree with counts that include every category below. */
export function categoryTree(db: Db): CategoryNode[] {
  const rows = stmt<[], { id: number; parent_id: number | null; name: string; path: string }>(
    db,
    'SELECT id, parent_id, name, path FROM categories ORDER BY path'
  ).all()
  // Live counts = every assignment (one scan of the small category index, no article rows)
  // minus the deleted articles' assignments (few, found through the deleted_at index). Joining
  // each assignment to its article instead costs one lookup per article (~60 ms at 100k).
  const direct = new Map(
    stmt<[], { category_id: number; n: number }>(
      db,
      'SELECT category_id, COUNT(*) AS n FROM article_categories GROUP BY category_id'
    )
      .all()
      .map((r) => [r.category_id, r.n])
  )
  for (const r of stmt<[], { category_id: number; n: number }>(
    db,
    `SELECT ac.category_id, COUNT(*) AS n
       FROM articles a INDEXED BY articles_live
       JOIN article_categories ac ON ac.article_id = a.id
      WHERE a.deleted_at IS NOT NULL
      GROUP BY ac.category_id`
  ).all())
    direct.set(r.category_id, (direct.get(r.category_id) ?? 0) - r.n)
  const nodes = new Map<number, CategoryNode>()
  for (const r of rows) {
    nodes.set(r.id, {
      id: r.id,
      name: r.name,
      path: r.path.split(PATH_SEP),
      count: direct.get(r.id) ?? 0,
      children: []
    })
  }
  const roots: CategoryNode[] = []
  // Rows are ordered by path, so parents come before children; counts roll up afterwards.
  for (const r of rows) {
    const node = nodes.get(r.id)
    if (!node) continue
    const parent = r.parent_id === null ? undefined : nodes.get(r.parent_id)
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  const rollUp = (n: CategoryNode): number => {
    for (const c of n.children) n.count += rollUp(c)
    return n.count
  }
  roots.forEach(rollUp)
  return roots
}

/** Ids of the category at `path` and all below it; empty when the path is unknown. */
export function categoryIdsUnder(db: Db, path: readonly string[]): number[] {
  const key = pathKey(path)
  return stmt<{ key: string; prefix: string }, { id: number }>(
    db,
    'SELECT id FROM categories WHERE path = @key OR substr(path, 1, length(@prefix)) = @prefix'
  )
    .all({ key, prefix: key + PATH_SEP })
    .map((r) => r.id)
}
