// Keeps search_index in step with articles and everything else users search by.
import type { Statement } from 'better-sqlite3'
import type { Db } from '../library/open'
import { toIndexText } from './cjk'
import {
  FTS_COLUMNS,
  FTS_TABLE,
  currentIndexIdentity,
  ftsTableExists,
  recreateFtsTable,
  storeIndexIdentity,
  storedIndexIdentity
} from './schema'

/** Categories are stored as one path string with this separator (see migrations m1). */
const CATEGORY_PATH_SEPARATOR = '\u001f'
const REBUILD_CHUNK = 500

interface ArticleRow {
  id: number
  title: string
  original_title: string | null
  clean_text: string
  author: string | null
  source: string | null
  deleted_at: string | null
}

interface Statements {
  article: Statement<[number], ArticleRow>
  categoryPaths: Statement<[number], { path: string }>
  tags: Statement<[number], { name: string }>
  notes: Statement<[number], { note: string | null; exact: string | null }>
  remove: Statement<[number]>
  insert: Statement<unknown[]>
  idsAfter: Statement<[number, number], { id: number }>
}

// Prepared once per connection; the FTS statements are re-prepared after a rebuild drops the table.
const statementCache = new WeakMap<Db, Statements>()
// Connections whose index identity has been checked, so syncSearchIndex checks only once.
const verified = new WeakSet<Db>()

function statements(db: Db): Statements {
  let s = statementCache.get(db)
  if (!s) {
    s = {
      article: db.prepare(
        'SELECT id, title, original_title, clean_text, author, source, deleted_at FROM articles WHERE id = ?'
      ),
      categoryPaths: db.prepare(
        `SELECT c.path FROM article_categories ac JOIN categories c ON c.id = ac.category_id
         WHERE ac.article_id = ?`
      ),
      tags: db.prepare(
        'SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ?'
      ),
      notes: db.prepare('SELECT note, exact FROM annotations WHERE article_id = ? ORDER BY id'),
      remove: db.prepare(`DELETE FROM ${FTS_TABLE} WHERE rowid = ?`),
      insert: db.prepare(
        `INSERT INTO ${FTS_TABLE}(rowid, ${FTS_COLUMNS.join(', ')}) VALUES (?${', ?'.repeat(FTS_COLUMNS.length)})`
      ),
      idsAfter: db.prepare(
        'SELECT id FROM articles WHERE id > ? AND deleted_at IS NULL ORDER BY id LIMIT ?'
      )
    }
    statementCache.set(db, s)
  }
  return s
}

/** The searchable fields of one article, as plain text (before the CJK rewrite). */
export interface SearchDocument {
  title: string
  body: string
  author: string
  source: string
  category: string
  tag: string
  note: string
}

export function loadSearchDocument(db: Db, id: number): SearchDocument | null {
  const s = statements(db)
  const a = s.article.get(id)
  if (!a || a.deleted_at !== null) return null
  // Every level of every category, so category words match articles filed below them.
  const categoryNames = new Set<string>()
  for (const { path } of s.categoryPaths.all(id)) {
    for (const name of path.split(CATEGORY_PATH_SEPARATOR)) if (name) categoryNames.add(name)
  }
  const notes: string[] = []
  for (const n of s.notes.all(id)) {
    if (n.exact) notes.push(n.exact)
    if (n.note) notes.push(n.note)
  }
  return {
    title:
      a.original_title && a.original_title !== a.title
        ? `${a.title}\n${a.original_title}`
        : a.title,
    body: a.clean_text,
    author: a.author ?? '',
    source: a.source ?? '',
    category: [...categoryNames].join('\n'),
    tag: s.tags
      .all(id)
      .map((t) => t.name)
      .join('\n'),
    note: notes.join('\n')
  }
}

function writeDocument(s: Statements, id: number, doc: SearchDocument): void {
  s.insert.run(id, ...FTS_COLUMNS.map((c) => toIndexText(doc[c].normalize('NFC'))))
}

/** Checks the index once per connection; true when that check rebuilt it. */
export function ensureVerified(db: Db): boolean {
  if (verified.has(db)) return false
  const rebuilt = ensureSearchIndexCurrent(db).rebuilt
  return rebuilt
}

/**
 * (Re)indexes these articles from the tables; ids that no longer exist or are deleted leave
 * the index. Safe inside the caller's transaction (it nests as a savepoint).
 */
export function syncSearchIndex(db: Db, articleIds: number[]): void {
  for (const id of articleIds) {
    if (!Number.isSafeInteger(id))
      throw new Error(`syncSearchIndex: article id ${String(id)} is not an integer`)
  }
  // A stale or missing index is rebuilt whole, which covers these ids too.
  if (ensureVerified(db)) return
  const s = statements(db)
  db.transaction(() => {
    for (const id of new Set(articleIds)) {
      s.remove.run(id)
      const doc = loadSearchDocument(db, id)
      if (doc) writeDocument(s, id, doc)
    }
  })()
}

/** Drops and rebuilds the whole index in one transaction. */
export function rebuildSearchIndex(
  db: Db,
  onProgress?: (done: number, total: number) => void
): void {
  db.transaction(() => {
    recreateFtsTable(db)
    statementCache.delete(db)
    const s = statements(db)
    const total = (
      db.prepare('SELECT count(*) AS n FROM articles WHERE deleted_at IS NULL').get() as {
        n: number
      }
    ).n
    let done = 0
    let lastId = 0
    onProgress?.(0, total)
    for (;;) {
      const ids = s.idsAfter.all(lastId, REBUILD_CHUNK)
      if (ids.length === 0) break
      for (const { id } of ids) {
        const doc = loadSearchDocument(db, id)
        if (doc) writeDocument(s, id, doc)
        lastId = id
      }
      done += ids.length
      onProgress?.(Math.min(done, total), total)
    }
    // One segment reads fastest; a fresh index is the cheapest moment to merge.
    db.prepare(`INSERT INTO ${FTS_TABLE}(${FTS_TABLE}) VALUES ('optimize')`).run()
    storeIndexIdentity(db, currentIndexIdentity(db))
  })()
  verified.add(db)
}

/** At library open: rebuilds when the index is missing or was built by other tokenization. */
export function ensureSearchIndexCurrent(db: Db): { rebuilt: boolean } {
  if (ftsTableExists(db) && storedIndexIdentity(db) === currentIndexIdentity(db)) {
    verified.add(db)
    return { rebuilt: false }
  }
  rebuildSearchIndex(db)
  return { rebuilt: true }
}
