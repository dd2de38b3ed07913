// Collections: named sets of articles in a manual order with a note per item, or smart
// collections (a saved search). Works directly on the collections / collection_items tables.
import type { Db } from '../library/open'
import type {
  CollectionItem,
  CollectionSummary,
  DeletedCollection
} from '../../shared/export-types'
import { CollectionError } from './collection-errors'
import { isStoredTimestamp } from '../library/timestamps'
import { collides, positionBetween } from './positions'
import { writeTx } from '../library/write-tx'

/** Runs a saved search; returns article ids in result order. Given by callers that have search. */
export interface QueryResolver {
  (query: string): number[]
  /** How many articles the saved search holds (null: it cannot run), without listing them. */
  count?: (query: string) => number | null
}

const MAX_NAME_LENGTH = 200

interface CollectionRow {
  id: number
  name: string
  query: string | null
  created_at: string
  item_count: number
}

function normaliseName(name: string): string {
  const trimmed = name.replace(/\s+/g, ' ').trim()
  if (trimmed === '') throw new CollectionError('invalid-name', 'A collection needs a name.')
  if (trimmed.length > MAX_NAME_LENGTH) {
    throw new CollectionError(
      'invalid-name',
      `Collection names are at most ${MAX_NAME_LENGTH} characters (this one has ${trimmed.length}).`
    )
  }
  return trimmed
}

function toSummary(row: CollectionRow, resolve?: QueryResolver): CollectionSummary {
  let itemCount: number | null = row.item_count
  if (row.query !== null) {
    itemCount = !resolve
      ? null
      : resolve.count
        ? resolve.count(row.query)
        : resolve(row.query).length
  }
  return { id: row.id, name: row.name, query: row.query, createdAt: row.created_at, itemCount }
}

// Items of soft-deleted articles stay in the table (undelete brings them back) but are not counted.
const SELECT_SUMMARY = `
  SELECT c.id, c.name, c.query, c.created_at,
         (SELECT COUNT(*) FROM collection_items i JOIN articles a ON a.id = i.article_id
           WHERE i.collection_id = c.id AND a.deleted_at IS NULL) AS item_count
  FROM collections c`

function assertNameFree(db: Db, name: string, exceptId?: number): void {
  const row = db.prepare('SELECT id FROM collections WHERE name = ?').get(name) as
    { id: number } | undefined
  if (row && row.id !== exceptId) {
    throw new CollectionError('duplicate-name', `A collection named “${name}” already exists.`)
  }
}

export function getCollection(db: Db, id: number, resolve?: QueryResolver): CollectionSummary {
  const row = db.prepare(`${SELECT_SUMMARY} WHERE c.id = ?`).get(id) as CollectionRow | undefined
  if (!row) throw new CollectionError('not-found', `No collection with id ${id}.`)
  return toSummary(row, resolve)
}

export function findCollectionByName(
  db: Db,
  name: string,
  resolve?: QueryResolver
): CollectionSummary | null {
  const row = db
    .prepare(`${SELECT_SUMMARY} WHERE c.name = ?`)
    .get(name.replace(/\s+/g, ' ').trim()) as CollectionRow | undefined
  return row ? toSummary(row, resolve) : null
}

/** Like findCollectionByName, but a missing name is an error that says which names exist. */
export function requireCollectionByName(
  db: Db,
  name: string,
  resolve?: QueryResolver
): CollectionSummary {
  const found = findCollectionByName(db, name, resolve)
  if (found) return found
  const names = (db.prepare('SELECT name FROM collections ORDER BY name').pluck().all() as string[])
    .map((n) => `“${n}”`)
    .join(', ')
  throw new CollectionError(
    'not-found',
    `No collection named “${name}”.` +
      (names ? ` Collections: ${names}.` : ' There are no collections yet.')
  )
}

/** All collections, by name. Smart collections are counted only when `resolve` is given. */
export function listCollections(db: Db, resolve?: QueryResolver): CollectionSummary[] {
  const rows = db.prepare(`${SELECT_SUMMARY} ORDER BY c.name`).all() as CollectionRow[]
  return rows.map((r) => toSummary(r, resolve))
}

/** Collections that hold the article (manual ones: membership of smart ones changes with the library). */
export function collectionsOfArticle(db: Db, articleId: number): CollectionSummary[] {
  const rows = db
    .prepare(
      `${SELECT_SUMMARY} WHERE c.id IN (SELECT collection_id FROM collection_items WHERE article_id = ?) ORDER BY c.name`
    )
    .all(articleId) as CollectionRow[]
  return rows.map((r) => toSummary(r))
}

export function createCollection(
  db: Db,
  name: string,
  query: string | null = null
): CollectionSummary {
  const clean = normaliseName(name)
  const q = query === null ? null : query.trim()
  if (q === '')
    throw new CollectionError('invalid-name', 'A smart collection needs a search query.')
  return writeTx(db, () => {
    assertNameFree(db, clean)
    const info = db
      .prepare('INSERT INTO collections (name, query, created_at) VALUES (?, ?, ?)')
      .run(clean, q, new Date().toISOString())
    return getCollection(db, Number(info.lastInsertRowid))
  })
}

export function renameCollection(db: Db, id: number, newName: string): CollectionSummary {
  const clean = normaliseName(newName)
  return writeTx(db, () => {
    getCollection(db, id)
    assertNameFree(db, clean, id)
    db.prepare('UPDATE collections SET name = ? WHERE id = ?').run(clean, id)
    return getCollection(db, id)
  })
}

/** Deletes the collection (never its articles) and returns what restoreCollection needs to undo it. */
export function deleteCollection(db: Db, id: number): DeletedCollection {
  return writeTx(db, () => {
    const c = getCollection(db, id)
    const items = (
      db
        .prepare(
          'SELECT article_id, position, note FROM collection_items WHERE collection_id = ? ORDER BY position'
        )
        .all(id) as { article_id: number; position: number; note: string | null }[]
    ).map((r) => ({ articleId: r.article_id, position: r.position, note: r.note }))
    db.prepare('DELETE FROM collections WHERE id = ?').run(id)
    return { id: c.id, name: c.name, query: c.query, createdAt: c.createdAt, items }
  })
}

/**
 * Puts a deleted collection back: same id when still free, same name, order and notes.
 * Items whose articles were purged meanwhile are dropped. Fails if the name was taken since.
 */
export function restoreCollection(db: Db, snapshot: DeletedCollection): CollectionSummary {
  // The snapshot comes back from outside (undo over IPC or HTTP): it must hold what
  // deleteCollection could have returned — a name createCollection accepts, a real time.
  const name = normaliseName(snapshot.name)
  const query = snapshot.query === null ? null : snapshot.query.trim()
  if (query === '')
    throw new CollectionError('invalid-name', 'A smart collection needs a search query.')
  if (!isStoredTimestamp(snapshot.createdAt))
    throw new CollectionError(
      'invalid-snapshot',
      `The deleted collection's creation time is not a time Gleaner wrote: ${snapshot.createdAt}`
    )
  return writeTx(db, () => {
    assertNameFree(db, name)
    const idFree = !db.prepare('SELECT 1 FROM collections WHERE id = ?').get(snapshot.id)
    const info = idFree
      ? db
          .prepare('INSERT INTO collections (id, name, query, created_at) VALUES (?, ?, ?, ?)')
          .run(snapshot.id, name, query, snapshot.createdAt)
      : db
          .prepare('INSERT INTO collections (name, query, created_at) VALUES (?, ?, ?)')
          .run(name, query, snapshot.createdAt)
    const id = Number(info.lastInsertRowid)
    const insert = db.prepare(
      `INSERT INTO collection_items (collection_id, article_id, position, note)
       SELECT ?, id, ?, ? FROM articles WHERE id = ?`
    )
    for (const item of snapshot.items) insert.run(id, item.position, item.note, item.articleId)
    return getCollection(db, id)
  })
}

function requireManual(db: Db, id: number): CollectionSummary {
  const c = getCollection(db, id)
  if (c.query !== null) {
    throw new CollectionError(
      'smart-collection',
      `“${c.name}” is a smart collection (search: ${c.query}); its articles come from the search and cannot be added, removed or reordered by hand.`
    )
  }
  return c
}

function assertArticlesExist(db: Db, articleIds: readonly number[]): void {
  const exists = db.prepare('SELECT 1 FROM articles WHERE id = ? AND deleted_at IS NULL').pluck()
  const missing = articleIds.filter((a) => !exists.get(a))
  if (missing.length > 0) {
    throw new CollectionError(
      'no-article',
      `No article with id ${missing.join(', ')} in this library.`
    )
  }
}

/** Appends articles in the given order; ones already in the collection keep their place. */
export function addToCollection(
  db: Db,
  id: number,
  articleIds: readonly number[]
): { added: number[]; alreadyPresent: number[] } {
  return writeTx(db, () => {
    requireManual(db, id)
    assertArticlesExist(db, articleIds)
    const present = db
      .prepare('SELECT 1 FROM collection_items WHERE collection_id = ? AND article_id = ?')
      .pluck()
    let last = db
      .prepare('SELECT MAX(position) FROM collection_items WHERE collection_id = ?')
      .pluck()
      .get(id) as number | null
    const insert = db.prepare(
      'INSERT INTO collection_items (collection_id, article_id, position) VALUES (?, ?, ?)'
    )
    const added: number[] = []
    const alreadyPresent: number[] = []
    for (const articleId of articleIds) {
      if (present.get(id, articleId) || added.includes(articleId)) {
        alreadyPresent.push(articleId)
        continue
      }
      last = positionBetween(last, null)
      insert.run(id, articleId, last)
      added.push(articleId)
    }
    return { added, alreadyPresent }
  })
}

/** Removes articles from the collection; returns how many were in it. */
export function removeFromCollection(db: Db, id: number, articleIds: readonly number[]): number {
  return writeTx(db, () => {
    requireManual(db, id)
    const del = db.prepare(
      'DELETE FROM collection_items WHERE collection_id = ? AND article_id = ?'
    )
    let removed = 0
    for (const a of articleIds) removed += del.run(id, a).changes
    return removed
  })
}

/** The items' places and notes as they are now (for an undo that puts them back). */
export function itemsOf(
  db: Db,
  id: number,
  articleIds: readonly number[]
): { articleId: number; position: number; note: string | null }[] {
  return (
    db
      .prepare(
        `SELECT article_id, position, note FROM collection_items
          WHERE collection_id = ? AND article_id IN (SELECT value FROM json_each(?))
          ORDER BY position`
      )
      .all(id, JSON.stringify(articleIds)) as {
      article_id: number
      position: number
      note: string | null
    }[]
  ).map((r) => ({ articleId: r.article_id, position: r.position, note: r.note }))
}

/** Puts removed items back at their places with their notes; ones present again stay as they are. */
export function restoreItems(
  db: Db,
  id: number,
  items: readonly { articleId: number; position: number; note: string | null }[]
): number[] {
  return writeTx(db, () => {
    requireManual(db, id)
    const insert = db.prepare(
      `INSERT OR IGNORE INTO collection_items (collection_id, article_id, position, note)
       SELECT ?, id, ?, ? FROM articles WHERE id = ?`
    )
    return items
      .filter((i) => insert.run(id, i.position, i.note, i.articleId).changes > 0)
      .map((i) => i.articleId)
  })
}

/** The article just after this one in the collection's order, or null when it is last. */
export function nextInCollection(db: Db, id: number, articleId: number): number | null {
  const p = positionOf(db, id, articleId)
  const next = db
    .prepare(
      `SELECT article_id FROM collection_items
        WHERE collection_id = ? AND (position > ? OR (position = ? AND article_id > ?))
        ORDER BY position, article_id LIMIT 1`
    )
    .pluck()
    .get(id, p, p, articleId) as number | undefined
  return next ?? null
}

/** The note on an article's place in a collection. */
export function itemNote(db: Db, id: number, articleId: number): string | null {
  positionOf(db, id, articleId)
  return db
    .prepare('SELECT note FROM collection_items WHERE collection_id = ? AND article_id = ?')
    .pluck()
    .get(id, articleId) as string | null
}

/** The manual collection's items in order (soft-deleted articles left out). */
export function collectionItems(db: Db, id: number): CollectionItem[] {
  getCollection(db, id)
  const rows = db
    .prepare(
      `SELECT i.article_id, i.position, i.note, a.title, a.source, a.published_at
       FROM collection_items i JOIN articles a ON a.id = i.article_id
       WHERE i.collection_id = ? AND a.deleted_at IS NULL
       ORDER BY i.position, i.article_id`
    )
    .all(id) as {
    article_id: number
    position: number
    note: string | null
    title: string
    source: string | null
    published_at: string | null
  }[]
  return rows.map((r) => ({
    articleId: r.article_id,
    position: r.position,
    note: r.note,
    title: r.title,
    source: r.source,
    publishedAt: r.published_at
  }))
}

/** Article ids in the collection's order: manual order, or the saved search's result order. */
export function collectionArticleIds(db: Db, id: number, resolve?: QueryResolver): number[] {
  const c = getCollection(db, id)
  if (c.query === null) return collectionItems(db, id).map((i) => i.articleId)
  if (!resolve) {
    throw new CollectionError(
      'smart-collection',
      `“${c.name}” is a smart collection; listing it needs the search engine.`
    )
  }
  return resolve(c.query)
}

function positionOf(db: Db, id: number, articleId: number): number {
  const p = db
    .prepare('SELECT position FROM collection_items WHERE collection_id = ? AND article_id = ?')
    .pluck()
    .get(id, articleId) as number | undefined
  if (p === undefined) {
    throw new CollectionError(
      'no-collection-item',
      `Article ${articleId} is not in collection ${id}.`
    )
  }
  return p
}

/**
 * Moves an article to just before `beforeArticleId` (null: to the end). One UPDATE, except on the
 * rare move that exhausts floating-point room between neighbours, which renumbers the collection.
 * Returns the item's new position.
 */
export function moveInCollection(
  db: Db,
  id: number,
  articleId: number,
  beforeArticleId: number | null
): number {
  return writeTx(db, () => {
    requireManual(db, id)
    positionOf(db, id, articleId)
    if (beforeArticleId === articleId) return positionOf(db, id, articleId)
    const neighbours = (): { prev: number | null; next: number | null } => {
      if (beforeArticleId === null) {
        const prev = db
          .prepare(
            'SELECT MAX(position) FROM collection_items WHERE collection_id = ? AND article_id != ?'
          )
          .pluck()
          .get(id, articleId) as number | null
        return { prev, next: null }
      }
      const next = positionOf(db, id, beforeArticleId)
      const prev = db
        .prepare(
          'SELECT MAX(position) FROM collection_items WHERE collection_id = ? AND article_id != ? AND position < ?'
        )
        .pluck()
        .get(id, articleId, next) as number | null
      return { prev, next }
    }
    let { prev, next } = neighbours()
    let p = positionBetween(prev, next)
    if (collides(p, prev, next)) {
      renumber(db, id)
      ;({ prev, next } = neighbours())
      p = positionBetween(prev, next)
    }
    db.prepare(
      'UPDATE collection_items SET position = ? WHERE collection_id = ? AND article_id = ?'
    ).run(p, id, articleId)
    return p
  })
}

/** Spreads positions back to 1, 2, 3… keeping the order. */
function renumber(db: Db, id: number): void {
  const ids = db
    .prepare(
      'SELECT article_id FROM collection_items WHERE collection_id = ? ORDER BY position, article_id'
    )
    .pluck()
    .all(id) as number[]
  const upd = db.prepare(
    'UPDATE collection_items SET position = ? WHERE collection_id = ? AND article_id = ?'
  )
  ids.forEach((a, i) => upd.run(i + 1, id, a))
}

/** Sets (or clears, with null or blank) the note on an article's place in a collection. */
export function setItemNote(db: Db, id: number, articleId: number, note: string | null): void {
  getCollection(db, id)
  const value = note === null || note.trim() === '' ? null : note
  const info = db
    .prepare('UPDATE collection_items SET note = ? WHERE collection_id = ? AND article_id = ?')
    .run(value, id, articleId)
  if (info.changes === 0) {
    throw new CollectionError(
      'no-collection-item',
      `Article ${articleId} is not in collection ${id}.`
    )
  }
}
