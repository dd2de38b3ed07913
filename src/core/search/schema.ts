// The full-text table and the identity of what is in it. The table is owned by this module
// (not by a numbered migration) because its shape follows the tokenization: when either
// changes, the stored identity no longer matches and the index is dropped and rebuilt.
import type { Db } from '../library/open'
import { TOKENIZATION_VERSION } from './cjk'
import { foldTableSignature } from './fold'

export const FTS_TABLE = 'search_index'

/** Indexed fields, in column order. bm25 weights follow the same order. */
export const FTS_COLUMNS = ['title', 'body', 'author', 'source', 'category', 'tag', 'note'] as const
export type FtsColumn = (typeof FTS_COLUMNS)[number]

/** A title hit outweighs many body hits; metadata sits between. */
export const BM25_WEIGHTS: Record<FtsColumn, number> = {
  title: 8,
  body: 1,
  author: 3,
  source: 3,
  category: 3,
  tag: 4,
  note: 2
}

// Contentless: the text already lives in articles/annotations; storing a second (token-
// rewritten) copy would double the library. Snippets are cut from the original text instead.
// prefix='1': a one-character CJK query is a prefix query over bigrams (上*), which without
// a one-character prefix index has to merge thousands of doclists.
const ftsDdl = (table: string): string => `CREATE VIRTUAL TABLE ${table} USING fts5(
  ${FTS_COLUMNS.join(', ')},
  content='', contentless_delete=1,
  tokenize='unicode61 remove_diacritics 2',
  prefix='1', detail=full
)`
const FTS_DDL = ftsDdl(FTS_TABLE)

/** Where a rebuild beside the index in use is made, until it takes that index's place. */
export const FTS_NEXT_TABLE = `${FTS_TABLE}_next`

const IDENTITY_KEY = 'search.indexIdentity'

/** What the current code would put in the index; a stored value that differs means rebuild. */
export function currentIndexIdentity(db: Db): string {
  const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v
  return JSON.stringify({
    tokenization: TOKENIZATION_VERSION,
    // The Traditional → Simplified table comes with opencc-js; a new version may fold more.
    fold: foldTableSignature(),
    ddl: FTS_DDL.replace(/\s+/g, ' '),
    // unicode61's folding tables come with SQLite; a new SQLite may fold differently.
    sqlite
  })
}

export function storedIndexIdentity(db: Db): string | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(IDENTITY_KEY) as
    { value: string } | undefined
  return row?.value ?? null
}

export function storeIndexIdentity(db: Db, identity: string): void {
  db.prepare(
    'INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'
  ).run(IDENTITY_KEY, identity)
}

export function ftsTableExists(db: Db, table: string = FTS_TABLE): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !==
    undefined
  )
}

export function recreateFtsTable(db: Db, table: string = FTS_TABLE): void {
  db.exec(`DROP TABLE IF EXISTS ${table}`)
  db.exec(ftsDdl(table))
}

/** The rebuilt index takes the place of the one in use (in the caller's transaction). */
export function swapInNextFtsTable(db: Db): void {
  db.exec(`DROP TABLE IF EXISTS ${FTS_TABLE}`)
  db.exec(`ALTER TABLE ${FTS_NEXT_TABLE} RENAME TO ${FTS_TABLE}`)
}
