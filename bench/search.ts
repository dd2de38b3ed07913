// Search benchmark: builds (or reuses) a generated library, times the index build, then runs a
// fixed query set through Gleaner's search, a LIKE '%q%' scan and an FTS5 trigram index on the
// same data. Recall is measured against the LIKE scan for literal queries.
//
//   npx tsx bench/search.ts --articles 10000        (dev)
//   npx tsx bench/search.ts                         (100,000 articles)
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { openLibraryDb } from '../src/core/library/open'
import type { Db } from '../src/core/library/open'
import {
  clearOrderCache,
  rebuildSearchIndex,
  searchArticleIds,
  searchArticles
} from '../src/core/search'
import type { SearchSort } from '../src/shared/search-types'
import { generateLibrary } from './lib/generate-library'

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '100000' },
    reps: { type: 'string', default: '5' },
    fresh: { type: 'boolean', default: false },
    // Dev loop: keep the index and trigram table from the last run.
    'skip-build': { type: 'boolean', default: false }
  }
})
const N = Number(values.articles)
const REPS = Number(values.reps)

interface BenchQuery {
  q: string
  kind: string
  /** The literal string every hit must contain (LIKE ground truth), when the query is one. */
  literal?: string
}

const QUERIES: BenchQuery[] = [
  { q: '上', kind: 'zh-1', literal: '上' },
  { q: '涨', kind: 'zh-1', literal: '涨' },
  { q: '上海', kind: 'zh-2', literal: '上海' },
  { q: '加速', kind: 'zh-2', literal: '加速' },
  { q: '银行', kind: 'zh-2', literal: '银行' },
  { q: '软实力', kind: 'zh-3', literal: '软实力' },
  { q: '互联网', kind: 'zh-3', literal: '互联网' },
  { q: '加速器', kind: 'zh-3', literal: '加速器' },
  { q: '会展中心', kind: 'zh-4', literal: '会展中心' },
  { q: '人工智能', kind: 'zh-4', literal: '人工智能' },
  { q: '"城市软实力"', kind: 'phrase', literal: '城市软实力' },
  { q: '"服务保障"', kind: 'phrase', literal: '服务保障' },
  { q: 'apple', kind: 'en' },
  { q: 'market', kind: 'en' },
  { q: '"smart speaker"', kind: 'en-phrase' },
  { q: 'category:金融 上海', kind: 'filter' },
  { q: 'after:2021-07-01 银行', kind: 'filter' },
  { q: '上海 -进博会', kind: 'filter' },
  { q: 'is:starred 市场', kind: 'filter' },
  { q: '量子纠缠态', kind: 'no-hit', literal: '量子纠缠态' },
  { q: 'zyxwvutq', kind: 'no-hit', literal: 'zyxwvutq' }
]

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN
}
const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : 'n/a')

function time<T>(fn: () => T): [T, number] {
  const t = performance.now()
  const r = fn()
  return [r, performance.now() - t]
}

// These machines are shared: wall time includes waiting for a core. CPU time of this
// process is reported alongside, as the figure that does not depend on the neighbours.
const gleanerCpuMs: number[] = []
// CPU of the main thread alone: process CPU also counts V8's background GC threads, which
// here mostly clean up after the LIKE baseline's large result arrays, not after the search.
const gleanerThreadCpuMs: number[] = []
function threadCpuTime(fn: () => unknown): number {
  const c = process.threadCpuUsage()
  fn()
  const d = process.threadCpuUsage(c)
  return (d.user + d.system) / 1000
}
function cpuTime(fn: () => unknown): number {
  const c = process.cpuUsage()
  fn()
  const d = process.cpuUsage(c)
  return (d.user + d.system) / 1000
}

function openLibrary(): { db: Db; generated: boolean } {
  mkdirSync('bench/.data', { recursive: true })
  const path = `bench/.data/search-${N}.db`
  if (values.fresh && existsSync(path))
    for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true })
  const fresh = !existsSync(path)
  const db = openLibraryDb(path)
  if (fresh) {
    const stats = generateLibrary(db, {
      articles: N,
      onProgress: (d, t) => process.stderr.write(`\rgenerating ${d}/${t}`)
    })
    process.stderr.write('\n')
    console.log(
      `generated ${N} articles, ${(stats.chars / 1e6).toFixed(1)}M chars, in ${(stats.ms / 1000).toFixed(1)} s`
    )
  } else {
    console.log(`reusing ${path}`)
  }
  return { db, generated: fresh }
}

const { db } = openLibrary()
db.pragma('cache_size = -262144')

// Index build (Gleaner).
const skipBuild = values['skip-build'] === true
let buildCpuMs = NaN
const [, buildMs] = skipBuild
  ? [undefined, NaN]
  : time(() => {
      buildCpuMs = cpuTime(() =>
        rebuildSearchIndex(db, (d, t) => {
          if (d % 10000 === 0) process.stderr.write(`\rindexing ${d}/${t}`)
        })
      )
    })
process.stderr.write('\n')
const indexPerS = N / (buildMs / 1000)
const indexCpuPerS = N / (buildCpuMs / 1000)
console.log(
  `Gleaner index: ${N} articles in ${(buildMs / 1000).toFixed(1)} s = ${indexPerS.toFixed(0)} articles/s (CPU ${(buildCpuMs / 1000).toFixed(1)} s = ${indexCpuPerS.toFixed(0)} articles/s)`
)

// Baseline: FTS5 trigram over the same title + body. --skip-build keeps the one built last
// time (an empty table would make the baseline look instant).
const haveTrigram =
  db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'bench_trigram'").get() !== undefined
if (!skipBuild || !haveTrigram) db.exec('DROP TABLE IF EXISTS bench_trigram')
db.exec(
  `CREATE VIRTUAL TABLE IF NOT EXISTS bench_trigram USING fts5(title, body, content='', tokenize='trigram remove_diacritics 1')`
)
const [, triMs] =
  skipBuild && haveTrigram
    ? [undefined, NaN]
    : time(() =>
        db.exec(
          `INSERT INTO bench_trigram(rowid, title, body) SELECT id, title, clean_text FROM articles WHERE deleted_at IS NULL;
     INSERT INTO bench_trigram(bench_trigram) VALUES ('optimize');`
        )
      )
console.log(
  `trigram index: ${(triMs / 1000).toFixed(1)} s = ${(N / (triMs / 1000)).toFixed(0)} articles/s (${(buildMs / triMs).toFixed(2)}× Gleaner's build time)`
)

const likeCount = db.prepare(
  `SELECT count(*) AS n FROM articles WHERE deleted_at IS NULL AND (title LIKE @p OR clean_text LIKE @p)`
)
const likeTop = db.prepare(
  `SELECT id FROM articles WHERE deleted_at IS NULL AND (title LIKE @p OR clean_text LIKE @p)
   ORDER BY published_at DESC LIMIT 20`
)
const likeIds = db.prepare(
  `SELECT id FROM articles WHERE deleted_at IS NULL AND (title LIKE @p OR clean_text LIKE @p)`
)
const triCount = db.prepare('SELECT count(*) AS n FROM bench_trigram WHERE bench_trigram MATCH ?')
const triTop = db.prepare(
  'SELECT rowid FROM bench_trigram WHERE bench_trigram MATCH ? ORDER BY rank LIMIT 20'
)

const gleanerMs: number[] = []
const likeMs: number[] = []
const trigramMs: number[] = []
let recallFound = 0
let recallTotal = 0
const rows: string[] = []

for (const bq of QUERIES) {
  // Warm once so every engine is measured with the pages it needs in cache.
  const first = searchArticles(db, bq.q, { limit: 20 })
  if (first.error) throw new Error(`${bq.q}: ${first.error}`)
  const ms: number[] = []
  for (let r = 0; r < REPS; r++) ms.push(time(() => searchArticles(db, bq.q, { limit: 20 }))[1])
  const cpus: number[] = []
  for (let r = 0; r < REPS; r++) cpus.push(cpuTime(() => searchArticles(db, bq.q, { limit: 20 })))
  gleanerCpuMs.push(...cpus)
  for (let r = 0; r < REPS; r++)
    gleanerThreadCpuMs.push(threadCpuTime(() => searchArticles(db, bq.q, { limit: 20 })))
  gleanerMs.push(...ms)

  let likeQ = NaN
  let triQ = NaN
  let recall = ''
  if (bq.literal !== undefined) {
    const pattern = `%${bq.literal}%`
    likeQ = time(() => {
      likeCount.get({ p: pattern })
      likeTop.all({ p: pattern })
    })[1]
    likeMs.push(likeQ)
    if ([...bq.literal].length >= 3) {
      const m = `"${bq.literal}"`
      triCount.get(m)
      const tms: number[] = []
      for (let r = 0; r < REPS; r++) tms.push(time(() => (triCount.get(m), triTop.all(m)))[1])
      triQ = pct(tms, 50)
      trigramMs.push(...tms)
    }
    const truth = (likeIds.all({ p: pattern }) as { id: number }[]).map((r) => r.id)
    const ours = new Set(
      searchArticleIds(db, bq.q, { sort: 'date-desc', max: Number.POSITIVE_INFINITY })
    )
    const found = truth.filter((id) => ours.has(id)).length
    recallFound += found
    recallTotal += truth.length
    recall = `${found}/${truth.length}`
  }
  rows.push(
    [
      bq.kind.padEnd(9),
      bq.q.padEnd(22),
      String(first.total).padStart(7),
      f(pct(ms, 50)).padStart(8),
      f(pct(ms, 95)).padStart(8),
      f(pct(cpus, 50)).padStart(8),
      f(likeQ).padStart(9),
      f(triQ).padStart(9),
      recall.padStart(13)
    ].join(' ')
  )
}

console.log(
  `\n${'kind'.padEnd(9)} ${'query'.padEnd(22)} ${'hits'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'cpu p50'.padStart(8)} ${'LIKE ms'.padStart(9)} ${'tri ms'.padStart(9)} ${'recall'.padStart(13)}`
)
for (const r of rows) console.log(r)

const p50 = pct(gleanerMs, 50)
const p95 = pct(gleanerMs, 95)
const likeP95 = pct(likeMs, 95)
const triP95 = pct(trigramMs, 95)
const recall = recallTotal === 0 ? 1 : recallFound / recallTotal
console.log(
  `Gleaner CPU time per query: p50 ${f(pct(gleanerCpuMs, 50))} ms, p95 ${f(pct(gleanerCpuMs, 95))} ms (main thread only: p50 ${f(pct(gleanerThreadCpuMs, 50))} ms, p95 ${f(pct(gleanerThreadCpuMs, 95))} ms)`
)
console.log(
  `\nGleaner p50 ${f(p50)} ms, p95 ${f(p95)} ms; LIKE p50 ${f(pct(likeMs, 50))} ms, p95 ${f(likeP95)} ms (Gleaner p95 is ${(likeP95 / p95).toFixed(1)}× faster); trigram p95 ${f(triP95)} ms on the ${QUERIES.filter((q) => q.literal && [...q.literal].length >= 3).length} queries of ≥3 characters it can answer`
)
console.log(
  `BENCH search articles=${N} p50_ms=${f(p50)} p95_ms=${f(p95)} like_p95_ms=${f(likeP95)} trigram_p95_ms=${f(triP95)} recall=${recall.toFixed(4)} index_per_s=${indexPerS.toFixed(0)} speedup_vs_like=${(likeP95 / p95).toFixed(1)} cpu_p50_ms=${f(pct(gleanerCpuMs, 50))} cpu_p95_ms=${f(pct(gleanerCpuMs, 95))} main_thread_cpu_p95_ms=${f(pct(gleanerThreadCpuMs, 95))} index_cpu_per_s=${indexCpuPerS.toFixed(0)}`
)

// Paging: relevance is bm25 over every hit, so a broad query costs in proportion to its hits.
// The first page keeps only the best `limit` while scoring all; a later page ranks every hit
// once (cold) and then reads from that order (warm) until the library changes.
const PAGING: string[] = ['上', '上海', '中国', '经济', 'category:金融 上海']
const pagingRows: string[] = []
const commonFirst: number[] = []
const deepCold: number[] = []
const deepWarm: number[] = []
for (const q of PAGING) {
  for (const sort of ['relevance', 'date-desc'] as SearchSort[]) {
    const first: number[] = []
    let total = 0
    for (let r = 0; r < REPS; r++) {
      first.push(threadCpuTime(() => (total = searchArticles(db, q, { limit: 50, sort }).total)))
    }
    const offset = Math.max(0, total - 50)
    const cold: number[] = []
    const warm: number[] = []
    for (let r = 0; r < REPS; r++) {
      clearOrderCache(db)
      cold.push(threadCpuTime(() => searchArticles(db, q, { offset, limit: 50, sort })))
      warm.push(
        threadCpuTime(() =>
          searchArticles(db, q, { offset: Math.floor(offset / 2), limit: 50, sort })
        )
      )
    }
    if (q !== '上' && !q.includes(':')) commonFirst.push(...first)
    deepCold.push(...cold)
    deepWarm.push(...warm)
    pagingRows.push(
      [
        q.padEnd(20),
        sort.padEnd(10),
        String(total).padStart(7),
        f(pct(first, 50)).padStart(9),
        f(pct(cold, 50)).padStart(9),
        f(pct(warm, 50)).padStart(9)
      ].join(' ')
    )
  }
}
console.log(
  `\nPaging (main-thread CPU ms, p50 of ${REPS}): first page of 50; the last page, ranking every hit; a page from the kept order`
)
console.log(
  `${'query'.padEnd(20)} ${'sort'.padEnd(10)} ${'hits'.padStart(7)} ${'first'.padStart(9)} ${'last cold'.padStart(9)} ${'warm'.padStart(9)}`
)
for (const r of pagingRows) console.log(r)
console.log(
  `BENCH search-paging articles=${N} common_bigram_first_p95_cpu_ms=${f(pct(commonFirst, 95))} deep_page_cold_p95_cpu_ms=${f(pct(deepCold, 95))} deep_page_warm_p95_cpu_ms=${f(pct(deepWarm, 95))}`
)
db.close()
