// Is this file really a Gleaner library at the schema version it claims? The reference is the
// migrations themselves, run into an empty in-memory database: every table and index they
// create must be there with the same columns. Compared by structure (column names, types,
// constraints, index keys) rather than by SQL text, so whitespace in old CREATE statements does
// not matter. Tables the migrations do not create (the search index, SQLite's statistics) may
// exist besides; they are rebuilt or ignored.
import Database from 'better-sqlite3'
import { MIGRATIONS, migrate } from './migrations'

type Db = Database.Database

interface Shape {
  tables: Map<string, string>
  indexes: Map<string, string>
}

const references = new Map<number, Shape>()

function shapeOf(db: Db): Shape {
  const objects = db
    .prepare(
      `SELECT type, name, tbl_name FROM sqlite_schema
        WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%'`
    )
    .all() as { type: 'table' | 'index'; name: string; tbl_name: string }[]
  const tables = new Map<string, string>()
  const indexes = new Map<string, string>()
  for (const o of objects) {
    if (o.type === 'table') {
      const columns = db
        .prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_xinfo(?)')
        .all(o.name)
      const foreignKeys = db
        .prepare(
          'SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?)'
        )
        .all(o.name)
      // UNIQUE and PRIMARY KEY constraints live in automatic indexes, not in the column list.
      const constraints = db
        .prepare(
          `SELECT l."unique", l.origin,
                  (SELECT group_concat(name) FROM pragma_index_info(l.name)) AS keys
             FROM pragma_index_list(?) l WHERE l.origin <> 'c' ORDER BY keys`
        )
        .all(o.name)
      tables.set(o.name, JSON.stringify({ columns, foreignKeys, constraints }))
    } else {
      const list = db
        .prepare('SELECT "unique", partial FROM pragma_index_list(?) WHERE name = ?')
        .get(o.tbl_name, o.name)
      const keys = db
        .prepare(
          'SELECT name, "desc", coll FROM pragma_index_xinfo(?) WHERE "key" = 1 ORDER BY seqno'
        )
        .all(o.name)
      indexes.set(o.name, JSON.stringify({ table: o.tbl_name, list, keys }))
    }
  }
  return { tables, indexes }
}

/** What the migrations up to `version` create, computed once per version. */
function reference(version: number): Shape {
  let shape = references.get(version)
  if (!shape) {
    const db = new Database(':memory:')
    try {
      migrate(db, MIGRATIONS.slice(0, version))
      shape = shapeOf(db)
    } finally {
      db.close()
    }
    references.set(version, shape)
  }
  return shape
}

/**
 * Differences between the file's schema and what Gleaner's migrations create at its
 * user_version, one sentence each; empty when it matches. Versions outside 1…current are
 * reported as such.
 */
export function schemaProblems(db: Db): string[] {
  const version = db.pragma('user_version', { simple: true }) as number
  if (version < 1 || version > MIGRATIONS.length) {
    return [
      `The file is at schema ${version}; this Gleaner reads libraries at schema 1 to ${MIGRATIONS.length}.`
    ]
  }
  const want = reference(version)
  const have = shapeOf(db)
  const problems: string[] = []
  for (const [name, columns] of want.tables) {
    const got = have.tables.get(name)
    if (got === undefined) problems.push(`The table ${name} is missing.`)
    else if (got !== columns) problems.push(`The table ${name} does not have Gleaner's columns.`)
  }
  for (const [name, index] of want.indexes) {
    const got = have.indexes.get(name)
    if (got === undefined) problems.push(`The index ${name} is missing.`)
    else if (got !== index) problems.push(`The index ${name} is not the one Gleaner creates.`)
  }
  return problems
}
