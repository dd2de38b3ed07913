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
  FTS_NEXT_TABLE,
  FTS_TABLE,
  currentIndexIdentity,
  ftsTableExists,
  recreateFtsTable,
  storeIndexIdentity,
  storedIndexIdentity,
  swapInNextFtsTable
} from './schema'
import { writeTx } from '../library/write-tx'
import { articleCount } from '../library/articles'
import { nextTurn, unlessAborted } from '../async'

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

function configure(db: Db, config: Record<string, number>, table: string = FTS_TABLE): void {
  // FTS5 takes configuration names only as literals; these come from the constants above.
  for (const [key, value] of Object.entries(config)) {
    db.exec(`INSERT INTO ${table}(${table}, rank) VALUES ('${key}', ${Number(value)})`)
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
/**
 * While an index is rebuilt beside the one in use (rebuildSearchIndexInSlices), the articles
 * indexed into the one in use meanwhile: the rebuild indexes them again before it takes over.
 */
const rebuilding = new WeakMap<Db, Set<number>>()

function noteIndexed(db: Db, ids: Iterable<number>): void {
  const touched = rebuilding.get(db)
  if (touched) for (const id of ids) touched.add(id)
}

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
  noteIndexed(db, unique)
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
  noteIndexed(
    db,
    articles.map((a) => a.id)
  )
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
    // What a rebuild in slices left when its process was stopped.
    db.exec(`DROP TABLE IF EXISTS ${FTS_NEXT_TABLE}`)
    configure(db, REBUILD_CONFIG)
    statementCache.delete(db)
    const s = statements(db)
    const total = articleCount(db)
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

/** Whether the index exists and was built by this code (then it needs no rebuild). */
export function searchIndexCurrent(db: Db): boolean {
  if (ftsTableExists(db) && storedIndexIdentity(db) === currentIndexIdentity(db)) {
    verified.add(db)
    return true
  }
  return false
}

/** At library open: rebuilds when the index is missing or was built by other tokenization. */
export function ensureSearchIndexCurrent(db: Db): { rebuilt: boolean } {
  if (searchIndexCurrent(db)) return { rebuilt: false }
  rebuildSearchIndex(db)
  return { rebuilt: true }
}

export interface SliceRebuildOptions {
  /** The index text of documents: the worker pool's, off this thread; made here otherwise. */
  indexText?: (docs: SearchDocument[]) => Promise<string[][]>
  /** Stops the rebuild between slices: the index in use stays, and is rebuilt at the next start. */
  signal?: AbortSignal
  onProgress?: (done: number, total: number) => void
}

/**
 * Articles per slice (read, made index text, written in one transaction) at first; a slice
 * whose write held the thread longer than SLICE_TARGET_MS halves, a quick one doubles.
 */
const SLICE = 100
const MIN_SLICE = 20
const MAX_SLICE = 1000
const SLICE_TARGET_MS = 50
/** Pages written per step of the final merge into one segment (a few tens of ms each). */
const MERGE_PAGES = 200
/**
 * While building: each slice's commit writes one segment and nothing is merged until the end
 * (automerge 0; a crisis merge only past 1,999 segments, which FTS5 caps it at). FTS5's own
 * incremental merging would merge level by level as it goes, writing the index about twice
 * over (measured on 20,000 articles: 14 s against 12 s), and the merge at the end is needed
 * either way, for one segment.
 */
const SLICE_BUILD_CONFIG = { automerge: 0, crisismerge: 1999 } as const

/**
 * Rebuilds the whole index without holding the thread: a new index is built beside the one in
 * use, a slice at a time with a turn of the event loop between slices (the index text made by
 * `indexText`, the worker pool in the app), merged into one segment in steps, and swapped in
 * when whole. Searches use the previous index meanwhile, and edits keep indexing into it; the
 * articles they touch are indexed again into the new one before the swap, in the transaction
 * that makes it. Cancelled (or failed), the new index is dropped and the old one stays.
 */
export async function rebuildSearchIndexInSlices(
  db: Db,
  opts: SliceRebuildOptions = {}
): Promise<{ cancelled: boolean }> {
  const indexText =
    opts.indexText ?? ((docs: SearchDocument[]) => Promise.resolve(docs.map(indexColumns)))
  const signal = opts.signal
  const touched = new Set<number>()
  rebuilding.set(db, touched)
  // Edits index into the table in use meanwhile (created empty if there was none).
  verified.add(db)
  writeTx(db, () => {
    if (!ftsTableExists(db)) recreateFtsTable(db)
    recreateFtsTable(db, FTS_NEXT_TABLE)
    configure(db, SLICE_BUILD_CONFIG, FTS_NEXT_TABLE)
  })
  const s = statements(db)
  const insert = db.prepare(
    `INSERT INTO ${FTS_NEXT_TABLE}(rowid, ${FTS_COLUMNS.join(', ')}) VALUES (?${', ?'.repeat(FTS_COLUMNS.length)})`
  )
  const remove = db.prepare(`DELETE FROM ${FTS_NEXT_TABLE} WHERE rowid = ?`)
  const dropNext = (): void => {
    if (db.open) writeTx(db, () => db.exec(`DROP TABLE IF EXISTS ${FTS_NEXT_TABLE}`))
  }
  try {
    const total = articleCount(db)
    let done = 0
    let lastId = 0
    opts.onProgress?.(0, total)
    let size = SLICE
    /** Reads the next slice and sends it to be made index text; null at the end. */
    const readSlice = (): { ids: number[]; columns: Promise<string[][]>; rows: number } | null => {
      const rows = s.articlesAfter.all(lastId, size)
      if (rows.length === 0) return null
      lastId = rows[rows.length - 1]!.id
      const docs = loadDocuments(s, rows)
      return { ids: [...docs.keys()], columns: indexText([...docs.values()]), rows: rows.length }
    }
    let slice = readSlice()
    while (slice) {
      const columns = await unlessAborted(slice.columns, signal)
      if (columns === 'aborted') break
      const current = slice
      // The next slice is made while this one is written.
      slice = readSlice()
      const started = performance.now()
      writeTx(db, () => {
        current.ids.forEach((id, i) => insert.run(id, ...columns[i]!))
      })
      const took = performance.now() - started
      if (took > SLICE_TARGET_MS * 2) size = Math.max(MIN_SLICE, Math.floor(size / 2))
      else if (took < SLICE_TARGET_MS / 2) size = Math.min(MAX_SLICE, size * 2)
      done += current.rows
      opts.onProgress?.(Math.min(done, total), total)
      await nextTurn()
    }
    // One segment reads fastest: merge in steps, each writing about MERGE_PAGES pages.
    while (!signal?.aborted) {
      const before = Number(db.prepare('SELECT total_changes()').pluck().get())
      writeTx(db, () =>
        db.exec(
          `INSERT INTO ${FTS_NEXT_TABLE}(${FTS_NEXT_TABLE}, rank) VALUES ('merge', -${MERGE_PAGES})`
        )
      )
      // A step that found nothing to merge changes (almost) nothing.
      if (Number(db.prepare('SELECT total_changes()').pluck().get()) - before < 2) break
      await nextTurn()
    }
    // Articles indexed into the old index meanwhile, again into the new one; the last few in
    // the transaction that swaps the new index in, so none can slip between.
    while (!signal?.aborted) {
      // Taken off the list before they are read: an edit from here on puts an id back.
      const ids = [...touched].slice(0, SLICE)
      for (const id of ids) touched.delete(id)
      const last = touched.size === 0
      const docs = loadDocuments(s, s.articles.all(JSON.stringify(ids)))
      // The last few are made here, so nothing can happen between reading them and the swap.
      const made = last ? [...docs.values()].map(indexColumns) : await indexText([...docs.values()])
      const columns = new Map([...docs.keys()].map((id, i) => [id, made[i]!]))
      const swapped = writeTx(db, () => {
        for (const id of ids) {
          remove.run(id)
          const c = columns.get(id)
          if (c) insert.run(id, ...c)
        }
        if (!last || touched.size > 0) return false
        swapInNextFtsTable(db)
        configure(db, DEFAULT_CONFIG)
        storeIndexIdentity(db, currentIndexIdentity(db))
        return true
      })
      if (swapped) break
      await nextTurn()
    }
  } catch (e) {
    rebuilding.delete(db)
    dropNext()
    throw e
  }
  rebuilding.delete(db)
  statementCache.delete(db)
  if (signal?.aborted && db.open && ftsTableExists(db, FTS_NEXT_TABLE)) {
    dropNext()
    return { cancelled: true }
  }
  return { cancelled: false }
}
