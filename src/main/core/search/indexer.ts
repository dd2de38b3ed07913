// Keeps search_index in step with articles and everything else users search by.
import type { Statement } from 'better-sqlite3'
import type { ParsedArticle } from '../model/parsed-article'
import type { Db } from '../library/open'
import {
  composeSearchDocument,
  indexColumns,
  searchColumnsOf,
  type SearchDocument
} from './document'
import {
  FTS_COLUMNS,
  FTS_TABLE,
  currentIndexIdentity,
  ftsTableExists,
  recreateFtsTable,
  storeIndexIdentity,
  storedIndexIdentity
} from './schema'
import { writeTx } from '../library/write-tx'

/** Categories are stored as one path string with this separator (see migrations m1). */
const CATEGORY_PATH_SEPARATOR = '\u001f'
const REBUILD_CHUNK = 500
/** Ids loaded per query in syncSearchIndex (bounds the memory held for one batch). */
const SYNC_CHUNK = 200

// FTS5 settings for a whole rebuild: buffer 64 MB of tokens in memory (instead of 1 MB) and
// merge nothing until the final 'optimize', so the index is written about once instead of
// being flushed in ~20-article segments and merged level by level. Measured on 3,000 corpus
// articles: 25% less CPU. Afterwards FTS5's defaults return for incremental updates.
const REBUILD_CONFIG = { hashsize: 64 * 1024 * 1024, automerge: 0, crisismerge: 64 } as const
const DEFAULT_CONFIG = { hashsize: 1024 * 1024, automerge: 4, crisismerge: 16 } as const

function configure(db: Db, config: Record<string, number>): void {
  // FTS5 takes configuration names only as literals; these come from the constants above.
  for (const [key, value] of Object.entries(config)) {
    db.exec(`INSERT INTO ${FTS_TABLE}(${FTS_TABLE}, rank) VALUES ('${key}', ${Number(value)})`)
  }
}

interface ArticleRow {
  id: number
  title: string
  original_title: string | null
  clean_text: string
  author: string | null
  source: string | null
}

interface Statements {
  /** Live articles among a JSON array of ids. */
  articles: Statement<[string], ArticleRow>
  /** Live articles after an id, in id order (rebuild chunks). */
  articlesAfter: Statement<[number, number], ArticleRow>
  categoryPaths: Statement<[string], { id: number; path: string }>
  tags: Statement<[string], { id: number; name: string }>
  notes: Statement<[string], { id: number; note: string | null; exact: string | null }>
  remove: Statement<[number]>
  insert: Statement<unknown[]>
}

// Prepared once per connection; the FTS statements are re-prepared after a rebuild drops the table.
const statementCache = new WeakMap<Db, Statements>()
// Connections whose index identity has been checked, so syncSearchIndex checks only once.
const verified = new WeakSet<Db>()

// Everything is read per batch of ids (one query per table, ids passed as a JSON array),
// not per article: each article row is read once, in one walk of its overflow pages.
const ARTICLE_COLUMNS = 'id, title, original_title, clean_text, author, source'
const IDS = 'SELECT value FROM json_each(?)'

function statements(db: Db): Statements {
  let s = statementCache.get(db)
  if (!s) {
    s = {
      articles: db.prepare(
        `SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id IN (${IDS}) AND deleted_at IS NULL`
      ),
      articlesAfter: db.prepare(
        `SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id > ? AND deleted_at IS NULL ORDER BY id LIMIT ?`
      ),
      categoryPaths: db.prepare(
        `SELECT ac.article_id AS id, c.path FROM article_categories ac
         JOIN categories c ON c.id = ac.category_id WHERE ac.article_id IN (${IDS})`
      ),
      tags: db.prepare(
        `SELECT at.article_id AS id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
         WHERE at.article_id IN (${IDS})`
      ),
      notes: db.prepare(
        `SELECT article_id AS id, note, exact FROM annotations WHERE article_id IN (${IDS})
         ORDER BY article_id, id`
      ),
      remove: db.prepare(`DELETE FROM ${FTS_TABLE} WHERE rowid = ?`),
      insert: db.prepare(
        `INSERT INTO ${FTS_TABLE}(rowid, ${FTS_COLUMNS.join(', ')}) VALUES (?${', ?'.repeat(FTS_COLUMNS.length)})`
      )
    }
    statementCache.set(db, s)
  }
  return s
}

function groupById<T extends { id: number }>(rows: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>()
  for (const r of rows) {
    const list = out.get(r.id)
    if (list) list.push(r)
    else out.set(r.id, [r])
  }
  return out
}

/** The documents of these live articles (deleted or missing ones are absent from the map). */
function loadDocuments(s: Statements, rows: ArticleRow[]): Map<number, SearchDocument> {
  const docs = new Map<number, SearchDocument>()
  if (rows.length === 0) return docs
  const ids = JSON.stringify(rows.map((r) => r.id))
  const cats = groupById(s.categoryPaths.all(ids))
  const tags = groupById(s.tags.all(ids))
  const notes = groupById(s.notes.all(ids))
  for (const a of rows) {
    docs.set(
      a.id,
      composeSearchDocument({
        title: a.title,
        originalTitle: a.original_title,
        cleanText: a.clean_text,
        author: a.author,
        source: a.source,
        categoryPaths: (cats.get(a.id) ?? []).map((c) => c.path.split(CATEGORY_PATH_SEPARATOR)),
        tags: (tags.get(a.id) ?? []).map((t) => t.name),
        notes: (notes.get(a.id) ?? []).flatMap((n) =>
          [n.exact, n.note].filter((x): x is string => !!x)
        )
      })
    )
  }
  return docs
}

export function loadSearchDocument(db: Db, id: number): SearchDocument | null {
  const s = statements(db)
  return loadDocuments(s, s.articles.all(JSON.stringify([id]))).get(id) ?? null
}

function writeDocument(s: Statements, id: number, doc: SearchDocument): void {
  s.insert.run(id, ...indexColumns(doc))
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
  const unique = [...new Set(articleIds)]
  writeTx(db, () => {
    for (let i = 0; i < unique.length; i += SYNC_CHUNK) {
      const ids = unique.slice(i, i + SYNC_CHUNK)
      const docs = loadDocuments(s, s.articles.all(JSON.stringify(ids)))
      for (const id of ids) {
        s.remove.run(id)
        const doc = docs.get(id)
        if (doc) writeDocument(s, id, doc)
      }
    }
  })
}

/**
 * Indexes articles just inserted, from index text made before the write (by the parse
 * workers): nothing is read back. Only for new rows: an article with annotations, or whose
 * filing changed, goes through syncSearchIndex.
 */
export function indexNewArticles(
  db: Db,
  articles: readonly { id: number; columns: readonly string[] }[]
): void {
  if (articles.length === 0) return
  if (ensureVerified(db)) return
  const s = statements(db)
  writeTx(db, () => {
    for (const a of articles) {
      if (!Number.isSafeInteger(a.id) || a.columns.length !== FTS_COLUMNS.length)
        throw new Error(`indexNewArticles: bad entry for article ${String(a.id)}`)
      // A row id can come back after the newest article was removed for good: drop what was
      // indexed under it before.
      s.remove.run(a.id)
      s.insert.run(a.id, ...a.columns)
    }
  })
}

/**
 * The import's afterWrite: new articles are indexed from their parsed form (with the index
 * text a parse worker made, when there is one); updated ones are re-read from the library.
 */
export function indexImportedArticles(
  db: Db,
  articleIds: number[],
  fresh: ReadonlyMap<number, ParsedArticle>
): void {
  const direct: { id: number; columns: string[] }[] = []
  const reread: number[] = []
  for (const id of articleIds) {
    const parsed = fresh.get(id)
    if (parsed) direct.push({ id, columns: searchColumnsOf(parsed) })
    else reread.push(id)
  }
  indexNewArticles(db, direct)
  syncSearchIndex(db, reread)
}

/** Drops and rebuilds the whole index in one transaction. */
export function rebuildSearchIndex(
  db: Db,
  onProgress?: (done: number, total: number) => void
): void {
  writeTx(db, () => {
    recreateFtsTable(db)
    configure(db, REBUILD_CONFIG)
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
      const rows = s.articlesAfter.all(lastId, REBUILD_CHUNK)
      if (rows.length === 0) break
      for (const [id, doc] of loadDocuments(s, rows)) writeDocument(s, id, doc)
      lastId = rows[rows.length - 1]!.id
      done += rows.length
      onProgress?.(Math.min(done, total), total)
    }
    // One segment reads fastest; a fresh index is the cheapest moment to merge.
    db.prepare(`INSERT INTO ${FTS_TABLE}(${FTS_TABLE}) VALUES ('optimize')`).run()
    configure(db, DEFAULT_CONFIG)
    storeIndexIdentity(db, currentIndexIdentity(db))
  })
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
