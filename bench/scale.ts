// Scale benchmark: every figure of the app on a library of a million articles (issue 20), each
// measured in the same run, each phase in a process of its own so its peak RSS is its own.
//
//   npm run bench:scale                                   # 1,000,000 articles, last 100,000 imported
//   npm run bench:scale -- --articles 50000 --import 5000 # dev
//   npm run bench:scale -- --reuse                        # keep the library built last time
//
// 1. Build: `articles − import` generated articles (bench/lib/generate-library.ts: corpus
//    paragraphs recombined, categories, tags, annotations on 2%, a real original file each),
//    100 collections (one of 5,000 items), the search index built.
// 2. Import: `--first` generated files into an empty library (the baseline rate), then the
//    last `import` files into the big one through the app's import (parse pool, writer).
// 3. Search: a fixed mix of Chinese and English queries (very common bigrams among them),
//    by relevance and by date, with filters; wall clock p50/p95, totals and recall against a
//    LIKE scan of the same rows.
// 4. Window: opening the service, the category tree, tag/source/keyword facets, a 5,000-item
//    collection (core calls); first paint, select → preview and scrolling in Chromium
//    (bench/ui.ts on this library).
// 5. Library file: bytes per article and where they go (dbstat), what zstd would make of the
//    originals; `gleaner check`, `gleaner backup` and a re-clean of the library in the workers.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { zstdCompressSync } from 'node:zlib'
import Database from 'better-sqlite3'
import { backupLibrary } from '../src/core/backup/backup'
import { checkLibraryFile } from '../src/core/backup/check'
import { writeBackupSettings } from '../src/core/backup/schedule'
import { CLEANER_VERSION } from '../src/core/clean/version'
import { openLibraryDb } from '../src/core/library/open'
import { ensureSearchIndexCurrent, searchArticleIds, searchArticles } from '../src/core/search'
import { createGleanerService } from '../src/core/service'
import type { SearchSort } from '../src/shared/search-types'
import { generateCorpus } from '../test/core/import-corpus-gen'
import { BUILT_WORKER, ensureBuiltWorker } from './lib/built-worker'
import { generateCollections, generateLibrary } from './lib/generate-library'
import { peakRssMb, realImport } from './lib/import-run'

const SELF = fileURLToPath(import.meta.url)
const ROOT = resolve(SELF, '../..')
const TSX_CLI = join(ROOT, 'node_modules/tsx/dist/cli.mjs')
const DATA = join(ROOT, 'bench/.data')

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '1000000' },
    import: { type: 'string', default: '100000' },
    /** Files imported into an empty library for the baseline rate (default: --import). */
    first: { type: 'string' },
    /** Articles re-cleaned (default: every one). */
    reclean: { type: 'string' },
    reps: { type: 'string', default: '5' },
    loads: { type: 'string', default: '3' },
    reuse: { type: 'boolean', default: false },
    /** Phases not to run this time (comma list: search,window,ui,file,check,backup,reclean). */
    skip: { type: 'string', default: '' },
    'skip-build': { type: 'boolean', default: false },
    child: { type: 'string' },
    library: { type: 'string' },
    dir: { type: 'string' }
  }
})

const N = Number(values.articles)
const IMPORT = Number(values.import)
const FIRST = Number(values.first ?? values.import)
const REPS = Number(values.reps)

type Figures = Record<string, number | string>

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN
}
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d
function timed<T>(fn: () => T): [T, number] {
  const t = performance.now()
  const r = fn()
  return [r, performance.now() - t]
}
async function timedAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now()
  const r = await fn()
  return [r, performance.now() - t]
}

// ---------------------------------------------------------------------------------------------
// Phases, each run as `--child NAME` in a process of its own; each prints one JSON line.

async function phaseGenerate(path: string): Promise<Figures> {
  const db = openLibraryDb(path)
  const gen = generateLibrary(db, {
    articles: N - IMPORT,
    originals: true,
    annotationRate: 0.02,
    current: true,
    onProgress: (d, t) => {
      if (d % 50_000 === 0) process.stderr.write(`generated ${d}/${t}\n`)
    }
  })
  generateCollections(db, { count: 100, largest: 5000 })
  const [, indexMs] = timed(() => ensureSearchIndexCurrent(db))
  db.close()
  return {
    generated: gen.articles,
    generate_s: round(gen.ms / 1000),
    index_s: round(indexMs / 1000),
    rss_mb: peakRssMb()
  }
}

async function phaseImport(path: string, dir: string): Promise<Figures> {
  // Rate per tenth of the run, to see whether it falls as the library grows.
  const marks: { done: number; secs: number }[] = []
  const r = await realImport(dir, path, undefined, {}, (p, secs) => {
    const tenth = Math.max(1, Math.floor(p.total / 10))
    if (p.done >= (marks.length + 1) * tenth || p.finished) marks.push({ done: p.done, secs })
  })
  const rates = marks.map((m, i) => {
    const prev = marks[i - 1] ?? { done: 0, secs: 0 }
    return Math.round((m.done - prev.done) / Math.max(1e-9, m.secs - prev.secs))
  })
  return {
    files: r.files,
    imported: r.articles,
    failed: r.failed ?? 0,
    secs: round(r.secs),
    per_s: Math.round(r.articles / r.secs),
    run_per_s: Math.round(r.articles / (r.runSecs ?? r.secs)),
    cpu_s: round(r.cpuSecs),
    main_cpu_s: round(r.mainCpuSecs ?? NaN),
    rss_mb: r.peakRssMb,
    tenths_per_s: rates.join(',')
  }
}

interface BenchQuery {
  q: string
  kind: 'common' | 'zh' | 'en' | 'filter' | 'none'
  /** The literal every hit contains (the LIKE scan's ground truth), when there is one. */
  literal?: string
}
const QUERIES: BenchQuery[] = [
  { q: '上海', kind: 'common', literal: '上海' },
  { q: '中国', kind: 'common', literal: '中国' },
  { q: '经济', kind: 'common', literal: '经济' },
  { q: '银行', kind: 'zh', literal: '银行' },
  { q: '软实力', kind: 'zh', literal: '软实力' },
  { q: '互联网', kind: 'zh', literal: '互联网' },
  { q: '人工智能', kind: 'zh', literal: '人工智能' },
  { q: '会展中心', kind: 'zh', literal: '会展中心' },
  { q: '"城市软实力"', kind: 'zh', literal: '城市软实力' },
  { q: 'market', kind: 'en' },
  { q: 'apple', kind: 'en' },
  { q: '"smart speaker"', kind: 'en' },
  { q: 'category:金融 上海', kind: 'filter' },
  { q: 'after:2021-07-01 银行', kind: 'filter' },
  { q: '上海 -进博会', kind: 'filter' },
  { q: 'is:starred 市场', kind: 'filter' },
  { q: 'tag:宏观 经济', kind: 'filter' },
  { q: '量子纠缠态', kind: 'none', literal: '量子纠缠态' }
]
const SORTS: SearchSort[] = ['relevance', 'date-desc']

async function phaseSearch(path: string): Promise<Figures> {
  const db = openLibraryDb(path)
  db.pragma('cache_size = -262144')
  const all: number[] = []
  const common: number[] = []
  const rows: string[] = []
  for (const bq of QUERIES) {
    for (const sort of SORTS) {
      const first = searchArticles(db, bq.q, { limit: 50, sort })
      if (first.error) throw new Error(`${bq.q}: ${first.error}`)
      const ms: number[] = []
      for (let r = 0; r < REPS; r++)
        ms.push(timed(() => searchArticles(db, bq.q, { limit: 50, sort }))[1])
      all.push(...ms)
      if (bq.kind === 'common') common.push(...ms)
      rows.push(
        `${bq.q.padEnd(20)} ${sort.padEnd(10)} ${String(first.total).padStart(8)} ${pct(ms, 50).toFixed(1).padStart(8)} ${pct(ms, 95).toFixed(1).padStart(8)}`
      )
    }
  }
  // The baseline and the ground truth: a LIKE scan of title and text, every row.
  const like = db.prepare(
    `SELECT id FROM articles WHERE deleted_at IS NULL AND (title LIKE @p OR clean_text LIKE @p)`
  )
  const likeMs: number[] = []
  let found = 0
  let truth = 0
  let totalsRight = 0
  let totalsAsked = 0
  for (const bq of QUERIES) {
    if (bq.literal === undefined) continue
    const [ids, ms] = timed(() => like.pluck().all({ p: `%${bq.literal}%` }) as number[])
    likeMs.push(ms)
    const ours = new Set(searchArticleIds(db, bq.q, { sort: 'date-desc', max: Infinity }))
    found += ids.filter((id) => ours.has(id)).length
    truth += ids.length
    // True totals: the count the list shows is every hit, not an estimate or a capped one.
    // (It may exceed the LIKE count: a query is its words, not one literal string.)
    totalsAsked++
    const total = searchArticles(db, bq.q, { limit: 1 }).total
    if (total === ours.size) totalsRight++
    else console.error(`${bq.q}: the search says ${total} hits and returns ${ours.size}`)
  }
  db.close()
  console.error(
    `\n${'query'.padEnd(20)} ${'sort'.padEnd(10)} ${'hits'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}\n${rows.join('\n')}`
  )
  const p95 = pct(all, 95)
  return {
    queries: QUERIES.length * SORTS.length,
    p50_ms: round(pct(all, 50)),
    p95_ms: round(p95),
    common_bigram_p95_ms: round(pct(common, 95)),
    like_p50_ms: Math.round(pct(likeMs, 50)),
    speedup_vs_like: round(pct(likeMs, 50) / p95),
    recall: truth ? round(found / truth, 4) : 1,
    totals_right: `${totalsRight}/${totalsAsked}`,
    rss_mb: peakRssMb()
  }
}

async function phaseWindow(path: string): Promise<Figures> {
  // Scheduled backups off for the window's figures (and bench/ui.ts after): the first one at a
  // million is a VACUUM INTO of the whole file beside the window, measured on its own below.
  const settingsDb = openLibraryDb(path)
  writeBackupSettings(settingsDb, { enabled: false, everyHours: 24, keep: 7 })
  settingsDb.close()
  const [service, openMs] = timed(() =>
    createGleanerService({ libraryPath: path, watchExternal: false })
  )
  const [, firstPageMs] = await timedAsync(() => service.listArticles({ limit: 100 }))
  const median = async (fn: () => Promise<unknown>): Promise<number> => {
    const ms: number[] = []
    for (let r = 0; r < REPS; r++) ms.push((await timedAsync(fn))[1])
    return pct(ms, 50)
  }
  const treeCold = (await timedAsync(() => service.categories()))[1]
  const tree = await median(() => service.categories())
  const tags = await median(() => service.tags())
  const sources = await median(() => service.sources())
  const keywords = await median(() => service.termFacets(null, 50))
  const big = service.db
    .prepare(
      `SELECT collection_id FROM collection_items GROUP BY collection_id ORDER BY count(*) DESC LIMIT 1`
    )
    .pluck()
    .get() as number
  const openCollection = await median(async () => {
    await service.listArticles({ collectionId: big, limit: 100 })
    await service.collectionItems(big)
  })
  const items = (await service.collectionItems(big)).length
  await service.health.checked
  service.close()
  return {
    service_open_ms: Math.round(openMs),
    first_page_ms: Math.round(firstPageMs),
    tree_cold_ms: Math.round(treeCold),
    tree_ms: round(tree),
    tags_ms: round(tags),
    sources_ms: round(sources),
    keywords_ms: round(keywords),
    collection_items: items,
    open_collection_ms: round(openCollection),
    rss_mb: peakRssMb()
  }
}

async function phaseFile(path: string): Promise<Figures> {
  const db = new Database(path, { readonly: true })
  const articles = db.prepare('SELECT count(*) FROM articles').pluck().get() as number
  const bytes = statSync(path).size
  // Where the bytes go: pages per table and index (SQLite's dbstat).
  const where = db
    .prepare(
      `SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 14`
    )
    .all() as { name: string; bytes: number }[]
  // What a maintained codec would make of the originals (they are read rarely: re-clean,
  // export of the original): zstd at level 3 over a sample, each compressed alone.
  const sample = db
    .prepare('SELECT bytes FROM originals WHERE size > 0 ORDER BY id DESC LIMIT 5000')
    .pluck()
    .all() as Buffer[]
  let raw = 0
  let packed = 0
  const [, zstdMs] = timed(() => {
    for (const b of sample) {
      raw += b.length
      packed += zstdCompressSync(b).length
    }
  })
  db.close()
  console.error(
    `\nwhere the bytes go (dbstat):\n${where.map((w) => `${w.name.padEnd(40)} ${(w.bytes / 1e6).toFixed(0).padStart(8)} MB  ${((w.bytes / bytes) * 100).toFixed(1).padStart(5)}%`).join('\n')}`
  )
  return {
    articles,
    bytes,
    bytes_per_article: Math.round(bytes / articles),
    originals_zstd_ratio: round(raw / packed, 2),
    zstd_mb_per_s: round(raw / 1e6 / (zstdMs / 1000)),
    top: where
      .slice(0, 6)
      .map((w) => `${w.name}:${Math.round(w.bytes / articles)}`)
      .join(',')
  }
}

async function phaseCheck(path: string): Promise<Figures> {
  const [r, ms] = timed(() => checkLibraryFile(path))
  return {
    ok: r.ok ? 1 : 0,
    problems: r.problems.length,
    check_s: round(ms / 1000),
    rss_mb: peakRssMb()
  }
}

async function phaseBackup(path: string, dir: string): Promise<Figures> {
  const db = openLibraryDb(path)
  const out = join(dir, 'backup.db')
  const [, ms] = timed(() => backupLibrary(db, out))
  db.close()
  const size = statSync(out).size
  rmSync(out, { force: true })
  return { backup_s: round(ms / 1000), backup_bytes: size, rss_mb: peakRssMb() }
}

async function phaseReclean(path: string): Promise<Figures> {
  const service = createGleanerService({ libraryPath: path, watchExternal: false })
  const limit = values.reclean === undefined ? null : Number(values.reclean)
  // As after an update of the cleaner: every article (or a random sample) is outdated.
  service.db
    .prepare(
      limit === null
        ? 'UPDATE articles SET cleaning_version = ?'
        : 'UPDATE articles SET cleaning_version = ? WHERE id IN (SELECT id FROM articles ORDER BY random() LIMIT ?)'
    )
    .run(...(limit === null ? [CLEANER_VERSION - 1] : [CLEANER_VERSION - 1, limit]))
  const c0 = process.cpuUsage()
  const m0 = process.threadCpuUsage()
  const [result, ms] = await timedAsync(() => service.reclean(null, false))
  const c = process.cpuUsage(c0)
  const m = process.threadCpuUsage(m0)
  service.close()
  return {
    recleaned: result.total,
    changed: result.changed,
    secs: round(ms / 1000),
    per_s: Math.round(result.total / (ms / 1000)),
    cpu_s: round((c.user + c.system) / 1e6),
    main_cpu_s: round((m.user + m.system) / 1e6),
    rss_mb: peakRssMb()
  }
}

// ---------------------------------------------------------------------------------------------

function child(name: string, library: string, dir = '', extra: string[] = []): Figures {
  const started = performance.now()
  const r = spawnSync(
    process.execPath,
    [TSX_CLI, SELF, '--child', name, '--library', library, '--dir', dir, ...extra],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, GLEANER_PARSE_WORKER: BUILT_WORKER }
    }
  )
  if (r.status !== 0) throw new Error(`phase ${name} failed (exit ${r.status}): ${r.stdout}`)
  const figures = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Figures
  console.log(
    `${name} (${round((performance.now() - started) / 1000)} s): ${Object.entries(figures)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`
  )
  return figures
}

function forward(): string[] {
  const out: string[] = [
    '--articles',
    String(N),
    '--import',
    String(IMPORT),
    '--reps',
    String(REPS)
  ]
  if (values.reclean !== undefined) out.push('--reclean', values.reclean)
  return out
}

async function main(): Promise<void> {
  if (values.child) {
    const path = values.library!
    const phases: Record<string, () => Promise<Figures>> = {
      generate: () => phaseGenerate(path),
      import: () => phaseImport(path, values.dir!),
      search: () => phaseSearch(path),
      window: () => phaseWindow(path),
      file: () => phaseFile(path),
      check: () => phaseCheck(path),
      backup: () => phaseBackup(path, values.dir!),
      reclean: () => phaseReclean(path)
    }
    const phase = phases[values.child]
    if (!phase) throw new Error(`no phase ${values.child}`)
    process.stdout.write(JSON.stringify(await phase()) + '\n')
    return
  }

  ensureBuiltWorker(values['skip-build'] === true)
  mkdirSync(DATA, { recursive: true })
  console.log(
    `machine: load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} at start`
  )
  const library = join(DATA, `scale-${N}.db`)
  const reuse = values.reuse === true && existsSync(library)
  const files = mkdtempSync(join(tmpdir(), 'gleaner-bench-scale-'))
  const fwd = forward()
  try {
    let first: Figures | null = null
    let last: Figures | null = null
    if (!reuse) {
      const [, genMs] = timed(() => generateCorpus(files, Math.max(IMPORT, FIRST)))
      console.log(
        `generated ${Math.max(IMPORT, FIRST)} files to import in ${round(genMs / 1000)} s`
      )
      // The baseline: the same kind of files into an empty library.
      const firstLib = join(DATA, `scale-first-${FIRST}.db`)
      for (const s of ['', '-wal', '-shm']) rmSync(firstLib + s, { force: true })
      const firstDir =
        FIRST === IMPORT ? files : mkdtempSync(join(tmpdir(), 'gleaner-bench-first-'))
      if (firstDir !== files) generateCorpus(firstDir, FIRST)
      first = child('import', firstLib, firstDir, fwd)
      // A library of imported articles only: what an article costs with everything the
      // import derives (terms, stories, copies), which generated rows do not have.
      child('file', firstLib, '', fwd)
      if (firstDir !== files) rmSync(firstDir, { recursive: true, force: true })
      for (const s of ['', '-wal', '-shm']) rmSync(firstLib + s, { force: true })

      for (const s of ['', '-wal', '-shm']) rmSync(library + s, { force: true })
      child('generate', library, '', fwd)
      last = child('import', library, files, fwd)
      rmSync(files, { recursive: true, force: true })
    } else console.log(`reusing ${library}: no import measured`)
    const skip = new Set(values.skip!.split(','))
    const phase = (name: string, dir = ''): Figures =>
      skip.has(name) ? {} : child(name, library, dir, fwd)
    const search = phase('search')
    const win = phase('window')
    let uiFig: Figures = {}
    if (!skip.has('ui')) {
      const ui = spawnSync(
        process.execPath,
        [TSX_CLI, join(ROOT, 'bench/ui.ts'), '--library', library, '--loads', values.loads!],
        { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] }
      )
      if (ui.status !== 0) throw new Error(`bench/ui.ts failed: ${ui.stdout}`)
      process.stdout.write(ui.stdout)
      const uiLine = ui.stdout.split('\n').find((l) => l.startsWith('BENCH ui ')) ?? ''
      uiFig = Object.fromEntries(
        uiLine
          .split(' ')
          .slice(2)
          .map((kv) => kv.split('=') as [string, string])
      )
    }
    const file = phase('file')
    const check = phase('check')
    mkdirSync(files, { recursive: true })
    const backup = phase('backup', files)
    const reclean = phase('reclean')
    const startup = Number(win.service_open_ms) + Number(uiFig.first_paint_ms)
    const drop = first && last ? round((1 - Number(last.per_s) / Number(first.per_s)) * 100) : 'n/a'
    console.log(
      `start-up: service open ${win.service_open_ms} ms + first paint ${uiFig.first_paint_ms} ms = ${startup} ms; ` +
        `import into the big library ${last?.per_s ?? 'n/a'}/s vs ${first?.per_s ?? 'n/a'}/s into an empty one (${drop}% lower)`
    )
    console.log(
      `BENCH scale articles=${file.articles} import_per_s=${last?.per_s ?? 'n/a'} ` +
        `import_rss_mb=${last?.rss_mb ?? 'n/a'} first_import_per_s=${first?.per_s ?? 'n/a'} import_drop_pct=${drop} ` +
        `search_p95_ms=${search.p95_ms} common_bigram_p95_ms=${search.common_bigram_p95_ms} ` +
        `speedup_vs_like=${search.speedup_vs_like} recall=${search.recall} ` +
        `first_paint_ms=${uiFig.first_paint_ms} startup_ms=${startup} select_to_preview_ms=${uiFig.select_to_preview_ms} ` +
        `tree_ms=${win.tree_ms} open_collection_ms=${win.open_collection_ms} max_dom_nodes=${uiFig.max_dom_nodes} ` +
        `bytes_per_article=${file.bytes_per_article} check_s=${check.check_s} check_rss_mb=${check.rss_mb} ` +
        `backup_s=${backup.backup_s} backup_rss_mb=${backup.rss_mb} reclean_per_s=${reclean.per_s} reclean_rss_mb=${reclean.rss_mb}`
    )
  } finally {
    rmSync(files, { recursive: true, force: true })
  }
}

await main()
