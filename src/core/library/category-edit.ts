// Editing the category tree: rename, delete (with a snapshot for undo) and merge. Categories
// are rows with a full path (segments joined by PATH_SEP, unique); articles link to their leaf.
// Every function returns the ids of the articles whose filing changed, so the caller can
// re-index them for search (the index holds each article's category words). Those articles
// are marked user-filed (user-filing.ts): re-importing their files keeps the user's categories
// instead of re-creating the old path from the front matter.
import type { DeletedCategory } from '../../shared/taxonomy-types'
import { ensureCategoryPath, PATH_SEP, pathKey } from './categories'
import type { Db } from './open'
import { normaliseName, TaxonomyError } from './taxonomy-errors'
import { clearUserFiled, markUserFiled, userFiledAmong } from './user-filing'
import { writeTx } from './write-tx'

interface CategoryRow {
  id: number
  parent_id: number | null
  name: string
  path: string
}

export interface CategoryEdit {
  /** The path the edited branch has now (rename, merge) or had (delete). */
  path: string[]
  /** Articles whose category path changed. */
  articleIds: number[]
}

function getCategory(db: Db, id: number): CategoryRow {
  const row = db
    .prepare('SELECT id, parent_id, name, path FROM categories WHERE id = ?')
    .get(id) as CategoryRow | undefined
  if (!row) throw new TaxonomyError('not-found', `No category with id ${id}.`)
  return row
}

/** The category at `path`, or null. */
export function findCategoryId(db: Db, path: readonly string[]): number | null {
  const row = db.prepare('SELECT id FROM categories WHERE path = ?').get(pathKey(path)) as
    { id: number } | undefined
  return row?.id ?? null
}

/** The category and every one below it, parents first (a parent's path sorts before its children's). */
function subtree(db: Db, root: CategoryRow): CategoryRow[] {
  return db
    .prepare(
      `SELECT id, parent_id, name, path FROM categories
        WHERE path = @path OR substr(path, 1, length(@prefix)) = @prefix ORDER BY path`
    )
    .all({ path: root.path, prefix: root.path + PATH_SEP }) as CategoryRow[]
}

function articlesIn(db: Db, categoryIds: readonly number[]): number[] {
  if (categoryIds.length === 0) return []
  return (
    db
      .prepare(
        'SELECT DISTINCT article_id AS id FROM article_categories WHERE category_id IN (SELECT value FROM json_each(?))'
      )
      .all(JSON.stringify(categoryIds)) as { id: number }[]
  ).map((r) => r.id)
}

const split = (path: string): string[] => path.split(PATH_SEP)

/**
 * Renames one category; its path and the paths of everything below it follow. A sibling with
 * the new name already existing is refused (merge is the operation for that).
 */
export function renameCategory(db: Db, id: number, newName: string): CategoryEdit {
  const name = normaliseName('category', newName)
  return writeTx(db, (): CategoryEdit => {
    const row = getCategory(db, id)
    const parentPath = split(row.path).slice(0, -1)
    const newPath = pathKey([...parentPath, name])
    if (newPath === row.path) return { path: split(row.path), articleIds: [] }
    const clash = db.prepare('SELECT id FROM categories WHERE path = ?').get(newPath) as
      { id: number } | undefined
    if (clash) {
      throw new TaxonomyError(
        'duplicate-name',
        `A category named “${name}” already exists there; merge into it instead.`
      )
    }
    const branch = subtree(db, row)
    // No row can hold a new path already (the new name is free among the siblings, so nothing
    // lies below it either), so the UNIQUE constraint holds row by row during the update.
    db.prepare(
      `UPDATE categories SET path = @newPath || substr(path, length(@oldPath) + 1)
        WHERE path = @oldPath OR substr(path, 1, length(@prefix)) = @prefix`
    ).run({ newPath, oldPath: row.path, prefix: row.path + PATH_SEP })
    db.prepare('UPDATE categories SET name = ? WHERE id = ?').run(name, id)
    const articleIds = articlesIn(
      db,
      branch.map((c) => c.id)
    )
    markUserFiled(db, 'categories', articleIds)
    return { path: split(newPath), articleIds }
  })
}

/**
 * Deletes a category and everything below it. Its articles keep no category (they show under
 * All articles only). Returns what restoreCategory needs to undo it.
 */
/** The category, everything below it and their article links, as restoreCategory takes them. */
export function snapshotBranch(db: Db, id: number): DeletedCategory {
  const row = getCategory(db, id)
  const branch = subtree(db, row)
  const linkRows = db
    .prepare(
      `SELECT category_id, article_id FROM article_categories
        WHERE category_id IN (SELECT value FROM json_each(?)) ORDER BY category_id, article_id`
    )
    .all(JSON.stringify(branch.map((c) => c.id))) as { category_id: number; article_id: number }[]
  const links = new Map<number, number[]>()
  for (const l of linkRows) {
    const list = links.get(l.category_id)
    if (list) list.push(l.article_id)
    else links.set(l.category_id, [l.article_id])
  }
  const articleIds = [...new Set(linkRows.map((l) => l.article_id))]
  return {
    categories: branch.map((c) => ({
      id: c.id,
      parentId: c.parent_id,
      name: c.name,
      path: split(c.path)
    })),
    links: [...links].map(([categoryId, articleIds]) => ({ categoryId, articleIds })),
    // Which of them were user-filed already, so an undo can put the mark back as it was.
    userFiled: userFiledAmong(db, 'categories', articleIds)
  }
}

const linkedArticles = (snapshot: DeletedCategory): number[] => [
  ...new Set(snapshot.links.flatMap((l) => l.articleIds))
]

export function deleteCategory(db: Db, id: number): { snapshot: DeletedCategory } & CategoryEdit {
  return writeTx(db, () => {
    const snapshot = snapshotBranch(db, id)
    const articleIds = linkedArticles(snapshot)
    // ON DELETE CASCADE removes the rows below and every article link.
    db.prepare('DELETE FROM categories WHERE id = ?').run(id)
    // An article has one category, so every one of them is uncategorised now.
    markUserFiled(db, 'categories', articleIds)
    return { snapshot, path: snapshot.categories[0]?.path ?? [], articleIds }
  })
}

/** Ids of the category and every one below it. */
export function branchIds(db: Db, id: number): number[] {
  return subtree(db, getCategory(db, id)).map((c) => c.id)
}

/** What mergeCategory did, for unmergeCategory to take it back. */
export interface CategoryMergeUndo {
  /** The source branch and its links as they were before the merge. */
  snapshot: DeletedCategory
  /** Categories the merge created below the target (paths the target did not have). */
  createdIds: number[]
  /** The target branch's ids after the merge: where the moved articles went. */
  targetBranchIds: number[]
}

/**
 * Takes a merge back: the moved articles leave the target branch (those still filed there),
 * categories the merge created are removed when nothing else was filed in them since, and the
 * source branch comes back with its articles.
 */
export function unmergeCategory(db: Db, u: CategoryMergeUndo): CategoryEdit {
  return writeTx(db, () => {
    const inTarget = new Set(u.targetBranchIds)
    const current = db.prepare<[number], { category_id: number }>(
      'SELECT category_id FROM article_categories WHERE article_id = ?'
    )
    const unlink = db.prepare(
      'DELETE FROM article_categories WHERE article_id = ? AND category_id = ?'
    )
    for (const articleId of linkedArticles(u.snapshot)) {
      for (const { category_id } of current.all(articleId))
        if (inTarget.has(category_id)) unlink.run(articleId, category_id)
    }
    // Deepest first, so a created parent is empty once its created children are gone.
    const created = db
      .prepare(
        `SELECT id FROM categories WHERE id IN (SELECT value FROM json_each(?))
          ORDER BY length(path) DESC`
      )
      .all(JSON.stringify(u.createdIds)) as { id: number }[]
    const dropIfEmpty = db.prepare(
      `DELETE FROM categories WHERE id = ?
         AND NOT EXISTS (SELECT 1 FROM article_categories WHERE category_id = ?)
         AND NOT EXISTS (SELECT 1 FROM categories WHERE parent_id = ?)`
    )
    for (const { id } of created) dropIfEmpty.run(id, id, id)
    return restoreCategory(db, u.snapshot)
  })
}

/**
 * A snapshot comes back from outside (the window's undo, over IPC or HTTP): its tree must be
 * one the delete could have made. Every category lies in the branch of the first, and each
 * one's parent is the category whose path is its own minus the last name; a parent that
 * disagrees with the path would make a row whose place in the tree and path say different
 * things.
 */
function checkSnapshotTree(snapshot: DeletedCategory): void {
  const [root] = snapshot.categories
  if (!root) throw new TaxonomyError('not-found', 'The deleted category snapshot is empty.')
  const refuse = (why: string): never => {
    throw new TaxonomyError('invalid-snapshot', `The deleted category snapshot ${why}.`)
  }
  const byId = new Map(snapshot.categories.map((c) => [c.id, c]))
  if (byId.size !== snapshot.categories.length) refuse('repeats a category id')
  const seen = new Set<string>()
  for (const c of snapshot.categories) {
    if (c.path.length === 0 || c.path.some((s) => s === '' || s.includes(PATH_SEP)))
      throw new TaxonomyError('invalid-name', 'The deleted category snapshot has a bad path.')
    const key = pathKey(c.path)
    if (seen.has(key)) refuse(`has ${c.path.join(' › ')} twice`)
    seen.add(key)
    if (
      c.path.length < root.path.length ||
      pathKey(c.path.slice(0, root.path.length)) !== pathKey(root.path)
    )
      refuse(`has ${c.path.join(' › ')} outside the deleted ${root.path.join(' › ')}`)
    const parent = c.parentId === null ? undefined : byId.get(c.parentId)
    if (c === root) {
      // The root's parent stayed in the tree; it is found again by path.
      if (parent) refuse('gives the deleted category a parent inside its own branch')
    } else if (!parent || pathKey(parent.path) !== pathKey(c.path.slice(0, -1))) {
      refuse(`gives ${c.path.join(' › ')} a parent that is not the category above it`)
    }
  }
}

/**
 * Puts a deleted branch back: same paths, same ids where still free. A path that exists again
 * meanwhile is reused. Articles get their category back only if they have none now (one that
 * was re-filed since keeps its new category) and still exist. Those that get it back are
 * user-filed again only if they were before the delete (snapshot.userFiled; a snapshot without
 * it leaves them marked): an article filed only by its front matter follows its file again.
 */
export function restoreCategory(db: Db, snapshot: DeletedCategory): CategoryEdit {
  return writeTx(db, (): CategoryEdit => {
    const root = snapshot.categories[0]
    if (!root) throw new TaxonomyError('not-found', 'The deleted category snapshot is empty.')
    const idMap = new Map<number, number>()
    const find = db.prepare('SELECT id FROM categories WHERE path = ?')
    const idTaken = db.prepare('SELECT 1 FROM categories WHERE id = ?')
    const insertWithId = db.prepare(
      'INSERT INTO categories (id, parent_id, name, path) VALUES (?, ?, ?, ?)'
    )
    const insert = db.prepare('INSERT INTO categories (parent_id, name, path) VALUES (?, ?, ?)')
    checkSnapshotTree(snapshot)
    for (const c of snapshot.categories) {
      const key = pathKey(c.path)
      const existing = find.get(key) as { id: number } | undefined
      if (existing) {
        idMap.set(c.id, existing.id)
        continue
      }
      const parentPath = c.path.slice(0, -1)
      const parentId =
        (c.parentId !== null ? idMap.get(c.parentId) : undefined) ??
        (parentPath.length ? ensureCategoryPath(db, parentPath) : null)
      const name = c.path[c.path.length - 1] ?? c.name
      const info = idTaken.get(c.id)
        ? insert.run(parentId, name, key)
        : insertWithId.run(c.id, parentId, name, key)
      idMap.set(c.id, Number(info.lastInsertRowid))
    }
    const link = db.prepare(
      `INSERT OR IGNORE INTO article_categories (article_id, category_id)
         SELECT a.id, ? FROM articles a
          WHERE a.id = ? AND NOT EXISTS (SELECT 1 FROM article_categories x WHERE x.article_id = a.id)`
    )
    const restored: number[] = []
    for (const l of snapshot.links) {
      const categoryId = idMap.get(l.categoryId)
      if (categoryId === undefined) continue
      for (const articleId of l.articleIds) {
        if (link.run(categoryId, articleId).changes > 0) restored.push(articleId)
      }
    }
    if (snapshot.userFiled) {
      const wasUserFiled = new Set(snapshot.userFiled)
      clearUserFiled(
        db,
        'categories',
        restored.filter((id) => !wasUserFiled.has(id))
      )
    }
    return { path: root.path, articleIds: restored }
  })
}

/**
 * Merges category `sourceId` into `targetId`: the source's articles move to the target, each
 * sub-category moves below the target, merging into a same-named one there (recursively). The
 * source is removed. The target may not lie inside the source.
 */
export function mergeCategory(db: Db, sourceId: number, targetId: number): CategoryEdit {
  return writeTx(db, (): CategoryEdit => {
    const source = getCategory(db, sourceId)
    const target = getCategory(db, targetId)
    if (sourceId === targetId)
      throw new TaxonomyError('invalid-merge', 'A category cannot be merged into itself.')
    if (target.path.startsWith(source.path + PATH_SEP)) {
      throw new TaxonomyError(
        'invalid-merge',
        'A category cannot be merged into a category inside it.'
      )
    }
    const branch = subtree(db, source)
    const sourceDepth = split(source.path).length
    const targetPath = split(target.path)
    const linkRows = db
      .prepare(
        `SELECT category_id, article_id FROM article_categories
          WHERE category_id IN (SELECT value FROM json_each(?))`
      )
      .all(JSON.stringify(branch.map((c) => c.id))) as { category_id: number; article_id: number }[]
    // Remove the source branch first, then file everything again under the target: this also
    // covers a target above the source whose new children take the source's own path.
    db.prepare('DELETE FROM categories WHERE id = ?').run(sourceId)
    const newId = new Map<number, number>()
    for (const c of branch) {
      const rel = split(c.path).slice(sourceDepth)
      newId.set(
        c.id,
        rel.length === 0 ? target.id : ensureCategoryPath(db, [...targetPath, ...rel])!
      )
    }
    const link = db.prepare(
      'INSERT OR IGNORE INTO article_categories (article_id, category_id) VALUES (?, ?)'
    )
    for (const l of linkRows) link.run(l.article_id, newId.get(l.category_id)!)
    const articleIds = [...new Set(linkRows.map((l) => l.article_id))]
    markUserFiled(db, 'categories', articleIds)
    return { path: targetPath, articleIds }
  })
}
