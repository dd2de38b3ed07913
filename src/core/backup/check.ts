// `gleaner check` and the check a backup passes before it may replace the library: SQLite's full
// integrity check, broken references, and the schema Gleaner's migrations create at the file's
// version. Opened read-only and apart from any service, so a damaged library can be checked.
import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import { GleanerError } from '../../shared/errors'
import { schemaProblems } from '../library/schema-check'

export interface CheckResult {
  ok: boolean
  /** integrity_check, foreign_key_check and schema findings, one line each; empty when ok. */
  problems: string[]
  schemaVersion: number
  articles: number | null
}

export function noLibrary(path: string): GleanerError {
  return new GleanerError('no-library', `There is no library file at ${path}.`, { path })
}

/** Runs SQLite's integrity and foreign-key checks and the schema check without changing the file. */
export function checkLibraryFile(path: string): CheckResult {
  if (!existsSync(path)) throw noLibrary(path)
  let db: Database.Database
  try {
    db = new Database(path, { readonly: true, fileMustExist: true })
  } catch (e) {
    return {
      ok: false,
      problems: [`cannot open: ${(e as Error).message}`],
      schemaVersion: 0,
      articles: null
    }
  }
  try {
    return checkOpenDb(db)
  } finally {
    db.close()
  }
}

export function checkOpenDb(db: Database.Database): CheckResult {
  const problems: string[] = []
  let schemaVersion = 0
  let articles: number | null = null
  try {
    schemaVersion = db.pragma('user_version', { simple: true }) as number
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[]
    for (const row of integrity)
      if (row.integrity_check !== 'ok') problems.push(row.integrity_check)
    const fk = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]
    for (const row of fk.slice(0, 100))
      problems.push(`${row.table} row ${row.rowid} points to a missing ${row.parent} row`)
    if (fk.length > 100) problems.push(`… and ${fk.length - 100} more broken references`)
    const schema = schemaProblems(db)
    problems.push(...schema)
    if (schema.length === 0)
      articles = (db.prepare('SELECT COUNT(*) AS n FROM articles').get() as { n: number }).n
  } catch (e) {
    problems.push((e as Error).message)
  }
  return { ok: problems.length === 0, problems, schemaVersion, articles }
}
