// Child process for crash.test.ts: imports a folder into a library with the worker pool,
// printing a line per progress event so the parent can kill it mid-import (SIGKILL).
import { importPaths } from '../../src/core/importer/run'
import { createParsePool } from '../../src/core/importer/pool'
import { openLibraryDb } from '../../src/core/library/open'

const [library, folder] = process.argv.slice(2)
if (!library || !folder) throw new Error('usage: crash-child.ts LIBRARY FOLDER')
const db = openLibraryDb(library)
const pool = createParsePool(2)
process.stdout.write('started\n')
const run = await importPaths(db, [folder], {
  parse: pool.parse,
  onProgress: (p) => process.stdout.write(`progress ${p.done}\n`)
})
await pool.close()
db.close()
process.stdout.write(`finished ${JSON.stringify(run.counts)}\n`)
