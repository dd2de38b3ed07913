// What checking a library for damage costs on a big one, and so what can run at open: a full
// `PRAGMA quick_check`, the split Gleaner uses (library/integrity.ts: the schema and small
// tables at open, the tables that grow with the article count on a worker thread), opening the
// service, and a scheduled backup (VACUUM INTO on a worker thread).
//
//   npx tsx bench/library-open.ts [--articles 100000] [--library FILE] [--full]
//
// --full also times `integrity_check` (what `gleaner check` runs). The library is generated
// (bench/lib/generate-library.ts, search index built) unless it exists.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { generateLibrary } from './lib/generate-library'
import { openLibrary, openLibraryDb } from '../src/core/library/open'
import { checkPlan, runChecks } from '../src/core/library/integrity'
import { runInWorker } from '../src/core/library/sqlite-worker'
import { ensureSearchIndexCurrent } from '../src/core/search'
import { createGleanerService } from '../src/core/service'

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '100000' },
    library: { type: 'string' },
    full: { type: 'boolean' }
  }
})
const N = Number(values.articles)
const path = values.library ?? `bench/.data/library-${N}.db`

if (!existsSync(path)) {
  mkdirSync('bench/.data', { recursive: true })
  const db = openLibraryDb(path)
  generateLibrary(db, { articles: N, onProgress: (d, t) => process.stderr.write(`\r${d}/${t}`) })
  process.stderr.write('\nindexing…\n')
  ensureSearchIndexCurrent(db)
  db.close()
}

const ms = (start: number): number => Math.round(performance.now() - start)
function time<T>(f: () => T): [T, number] {
  const start = performance.now()
  const r = f()
  return [r, ms(start)]
}

const bytes = statSync(path).size
console.log(`library: ${path}, ${(bytes / 1e9).toFixed(2)} GB`)
const ro = new Database(path, { readonly: true })
const plan = checkPlan(ro)
const [, quickFull] = time(() => ro.pragma('quick_check'))
console.log(
  `PRAGMA quick_check (whole file, with the full-text consistency check): ${quickFull} ms`
)
const [openProblems, atOpen] = time(() => runChecks(ro, plan.atOpen))
console.log(
  `checks at open (${plan.atOpen.length} statements): ${atOpen} ms, ${openProblems.length} problems`
)
const [, deferredMain] = time(() => runChecks(ro, plan.deferred))
console.log(`deferred checks on this thread (${plan.deferred.join(', ')}): ${deferredMain} ms`)
let integrity = NaN
if (values.full) {
  ;[, integrity] = time(() => ro.pragma('integrity_check'))
  console.log(`PRAGMA integrity_check (gleaner check): ${integrity} ms`)
}
ro.close()

const [opened, openMs] = time(() => openLibrary(path))
opened.db.close()
console.log(`openLibrary (header, read-only look, checks at open, WAL, migrations): ${openMs} ms`)

let start = performance.now()
const service = createGleanerService({ libraryPath: path })
const serviceMs = ms(start)
await service.health.checked
const checkedMs = ms(start)
service.close()
console.log(`service ready: ${serviceMs} ms; background check done: ${checkedMs} ms after start`)

const out = join('bench/.data', `backup-bench-${process.pid}.db`)
start = performance.now()
await runInWorker(path, [['VACUUM INTO ?', [out]]]).done
const backupMs = ms(start)
console.log(
  `scheduled backup (VACUUM INTO on a worker): ${backupMs} ms, ${(statSync(out).size / 1e9).toFixed(2)} GB`
)
rmSync(out, { force: true })

console.log(
  `BENCH library-open articles=${N} bytes=${bytes} quick_check_full_ms=${quickFull} checks_at_open_ms=${atOpen} deferred_checks_ms=${deferredMain} open_ms=${openMs} service_ms=${serviceMs} checked_ms=${checkedMs} backup_ms=${backupMs}${values.full ? ` integrity_check_ms=${integrity}` : ''}`
)
