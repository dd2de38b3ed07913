import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { migrate } from './migrations'
import { BUSY_TIMEOUT_MS } from './write-tx'

export type Db = Database.Database

/** Opens (creating if needed) a library file: WAL, foreign keys, migrated to the current schema. */
export function openLibraryDb(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  // WAL with NORMAL is durable across application crashes; only an OS crash can lose the last commit.
  db.pragma('synchronous = NORMAL')
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
  migrate(db)
  return db
}
