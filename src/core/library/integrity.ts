// How a library file is checked for damage, and when. SQLite's own `PRAGMA quick_check` is the
// test, but over a whole 100,000-article library (1.35 GB) it took 52 s on a first run and
// 19–28 s warm (the shared 2-core machine; bench/library-open.ts). Nearly all of that is the
// full-text index's own consistency check (18 s), which compares the index with the text: a
// mismatch there is a search problem, rebuilt from the articles, not a damaged file. So:
//
// - at open, before anything is written: the file's header (magic, page size, a file shorter
//   than its header says) and quick_check of the schema and every table that does not grow with
//   the article count (settings, categories, tags, collections, feeds…): 18 ms at 100k;
// - right after, off the main thread (health.ts, sqlite-worker.ts): quick_check of the tables
//   that do grow (articles, originals, import results, analysis, the search index's own
//   tables…): 1.0–1.2 s warm at 100k, 14 s at a million. Writes wait for it, so nothing is
//   written into a library that has not passed both;
// - and whenever SQLite itself reports SQLITE_CORRUPT or SQLITE_NOTADB at run time.
//
// quick_check of a table walks its b-tree pages, overflow chains and indexes; it does not
// compare index entries with rows, nor account for free pages (integrity_check and the
// whole-file quick_check do: that is `gleaner check`). Damage there is still found when SQLite
// reads it, by the run-time watch.
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs'
import type Database from 'better-sqlite3'

const MAGIC = 'SQLite format 3\u0000'
const HEADER_BYTES = 100

/**
 * Tables that stay small whatever the number of articles: checked at open. Every other table
 * grows with the library (articles and originals, and per-article analysis, terms, stories,
 * filing, the change log, a team copy's shadow…) and is checked in the background: listing
 * only the big ones let each new per-article table join the check at open, which took 1.25 s
 * of the 1.4 s a service took to open at a million articles.
 */
const SMALL_TABLES = new Set([
  'settings',
  'categories',
  'tags',
  'collections',
  'feeds',
  'import_runs',
  'clipper_clients',
  'remote_image_allow',
  'search_synonyms',
  'search_index_config',
  'source_counts',
  'sqlite_sequence',
  'team_refetch'
])

export interface HeaderLook {
  /** Problems the header shows; empty for a sound header or an empty (new) file. */
  problems: string[]
  /**
   * user_version as the main file records it. Authoritative only when there is no WAL content
   * (a newer state may sit in the WAL until it is checkpointed): see `walHasContent`.
   */
  userVersion: number | null
  walHasContent: boolean
  /** The file is missing or empty: a new library. */
  fresh: boolean
}

/** Reads the 100-byte header without SQLite, so nothing about the file changes by looking. */
export function lookAtHeader(path: string): HeaderLook {
  const wal = `${path}-wal`
  const walHasContent = existsSync(wal) && statSync(wal).size > 0
  if (!existsSync(path)) return { problems: [], userVersion: null, walHasContent, fresh: true }
  const fd = openSync(path, 'r')
  try {
    const size = fstatSync(fd).size
    if (size === 0) return { problems: [], userVersion: null, walHasContent, fresh: true }
    const header = Buffer.alloc(HEADER_BYTES)
    const got = readSync(fd, header, 0, HEADER_BYTES, 0)
    if (got < HEADER_BYTES || header.toString('latin1', 0, 16) !== MAGIC) {
      return {
        problems: ['The file is not an SQLite database (its header is not SQLite’s).'],
        userVersion: null,
        walHasContent,
        fresh: false
      }
    }
    const rawPageSize = header.readUInt16BE(16)
    const pageSize = rawPageSize === 1 ? 65536 : rawPageSize
    const problems: string[] = []
    if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0)
      problems.push(`The header gives an impossible page size (${rawPageSize}).`)
    // The header's page count is valid when its change counter matches "version valid for".
    const pages = header.readUInt32BE(28)
    const countValid = header.readUInt32BE(24) === header.readUInt32BE(92) && pages > 0
    // A checkpoint writes page 1 before the pages after it, so while the WAL still holds
    // frames a short main file is expected; without a WAL it means pages are gone.
    if (problems.length === 0 && countValid && !walHasContent && size < pages * pageSize) {
      problems.push(
        `The file is truncated: it holds ${Math.floor(size / pageSize)} of its ${pages} pages.`
      )
    }
    return { problems, userVersion: header.readUInt32BE(60), walHasContent, fresh: false }
  } finally {
    closeSync(fd)
  }
}

/** SQLite saying the file is damaged (or not a database at all), as opposed to any other failure. */
export function isCorruptionError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
}

const quote = (name: string): string => `'${name.replaceAll("'", "''")}'`

interface SchemaTable {
  name: string
  virtual: boolean
}

function tablesOf(db: Database.Database): SchemaTable[] {
  return (
    db
      .prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      )
      .all() as { name: string; sql: string | null }[]
  ).map((t) => ({ name: t.name, virtual: /^\s*CREATE\s+VIRTUAL\s/iu.test(t.sql ?? '') }))
}

export interface CheckPlan {
  /** Run before the library opens for writing. */
  atOpen: string[]
  /** Run in the background right after. */
  deferred: string[]
}

/**
 * The quick_check statements for this file, split by cost. Virtual tables are left out (their
 * check is the full-text consistency check above); their shadow tables are ordinary tables and
 * are checked with the bulk ones.
 */
export function checkPlan(db: Database.Database): CheckPlan {
  const tables = tablesOf(db)
  const virtual = tables.filter((t) => t.virtual).map((t) => t.name)
  const atOpen = [`PRAGMA quick_check(${quote('sqlite_schema')})`]
  const deferred: string[] = []
  for (const t of tables) {
    if (t.virtual) continue
    const small = SMALL_TABLES.has(t.name) && !virtual.some((v) => t.name.startsWith(`${v}_`))
    ;(small ? atOpen : deferred).push(`PRAGMA quick_check(${quote(t.name)})`)
  }
  return { atOpen, deferred }
}

/** Runs quick_check statements and returns what they found (SQLite's own sentences). */
export function runChecks(db: Database.Database, statements: readonly string[]): string[] {
  const problems: string[] = []
  for (const sql of statements) {
    for (const [line] of db.prepare(sql).raw().all() as [unknown][]) {
      if (line !== 'ok') problems.push(String(line))
    }
  }
  return problems
}
