// Import benchmark: the real importer (worker pool + batched writer) against a bare baseline
// (read file + gray-matter + INSERT, nothing else) on the same generated corpus-like files.
// Each side runs in its own child process so peak RSS figures are separate.
//
//   npx tsx bench/import.ts                 # 10,000 and 100,000 files
//   npx tsx bench/import.ts --files 10000   # one size (comma list allowed)
//   npx tsx bench/import.ts --workers 2     # pool size (default: available cores)
//   npx tsx bench/import.ts --skip-build    # use the parse worker already built in out/main
//
// The parse workers run the built worker (out/main/parse-worker.js, as the app does), not the
// TypeScript sources through tsx: tsx compiles every module again inside each worker, which
// costs as much CPU as parsing a few thousand articles and is not what users run.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import matter from 'gray-matter'
import { parseArticleFile } from '../src/core/ingest/parse'
import { cpuSecs, peakRssMb, realImport, walk, type SideResult } from './lib/import-run'
import { generateCorpus } from '../test/core/import-corpus-gen'
import { BUILT_WORKER, ensureBuiltWorker } from './lib/built-worker'

const SELF = fileURLToPath(import.meta.url)
const ROOT = resolve(SELF, '../..')
const TSX_CLI = join(ROOT, 'node_modules/tsx/dist/cli.mjs')

/** The floor: what any importer must do (read, split front matter, insert), nothing more. */
function baseline(dir: string, dbPath: string): SideResult {
  const db = new Database(dbPath)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.exec('CREATE TABLE a (id INTEGER PRIMARY KEY, path TEXT, title TEXT, date TEXT, body TEXT)')
  const ins = db.prepare('INSERT INTO a (path, title, date, body) VALUES (?, ?, ?, ?)')
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  let files = 0
  let batch: [string, string, string, string][] = []
  const flush = db.transaction((rows: typeof batch) => {
    for (const r of rows) ins.run(...r)
  })
  for (const p of walk(dir)) {
    files++
    // With an options object: without one gray-matter caches every file it parses, forever
    // (measured: the baseline's peak RSS went from ~250 MB at 10k files to 837 MB at 100k).
    const fm = matter(readFileSync(p, 'utf8'), {})
    const d = fm.data as Record<string, unknown>
    batch.push([p, String(d.title ?? ''), String(d.date ?? ''), fm.content])
    if (batch.length >= 200) {
      flush(batch)
      batch = []
    }
  }
  flush(batch)
  const secs = (performance.now() - t0) / 1000
  db.close()
  return { files, articles: files, secs, cpuSecs: cpuSecs(c0), peakRssMb: peakRssMb() }
}

/** Where the time goes: read + parseArticleFile on one thread, nothing written. */
function parseOnly(dir: string): SideResult {
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  let files = 0
  let articles = 0
  for (const p of walk(dir)) {
    files++
    const o = parseArticleFile(readFileSync(p), p)
    if (o.ok) articles += o.articles.length
  }
  const secs = (performance.now() - t0) / 1000
  return { files, articles, secs, cpuSecs: cpuSecs(c0), peakRssMb: peakRssMb() }
}

function child(side: string, dir: string, workers: string | undefined): SideResult {
  const scratch = mkdtempSync(join(tmpdir(), 'gleaner-bench-db-'))
  try {
    const args = [TSX_CLI, SELF, '--child', side, '--dir', dir, '--db', join(scratch, 'lib.db')]
    if (workers) args.push('--workers', workers)
    const r = spawnSync(process.execPath, args, {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      env: { ...process.env, GLEANER_PARSE_WORKER: BUILT_WORKER }
    })
    if (r.status !== 0) throw new Error(`${side} child failed (${r.status}): ${r.stderr}`)
    const line = r.stdout.trim().split('\n').pop() ?? ''
    return JSON.parse(line) as SideResult
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      files: { type: 'string', default: '10000,100000' },
      workers: { type: 'string' },
      child: { type: 'string' },
      'skip-build': { type: 'boolean', default: false },
      dir: { type: 'string' },
      db: { type: 'string' }
    }
  })
  if (values.child) {
    const dir = values.dir as string
    const db = values.db as string
    const w = values.workers ? Number(values.workers) : undefined
    const res =
      values.child === 'baseline'
        ? baseline(dir, db)
        : values.child === 'parse'
          ? parseOnly(dir)
          : await realImport(dir, db, w)
    process.stdout.write(JSON.stringify(res) + '\n')
    return
  }
  const sizes = values.files.split(',').map((s) => Number(s.trim()))
  ensureBuiltWorker(values['skip-build'] === true)
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'gleaner-bench-files-'))
    try {
      const tg = performance.now()
      generateCorpus(dir, n)
      console.log(`\n${n} files generated in ${((performance.now() - tg) / 1000).toFixed(1)} s`)
      // Baseline first, then the importer: both read the same (now cached) files.
      const base = child('baseline', dir, undefined)
      const imp = child('import', dir, values.workers)
      const parse = child('parse', dir, undefined)
      const impRate = imp.articles / imp.secs
      const baseRate = base.articles / base.secs
      const ratio = baseRate / impRate
      const impCpuRate = imp.articles / imp.cpuSecs
      const baseCpuRate = base.articles / base.cpuSecs
      console.log(
        `baseline: ${base.articles} rows in ${base.secs.toFixed(2)} s (${base.cpuSecs.toFixed(1)} CPU s) = ${baseRate.toFixed(0)}/s, peak RSS ${base.peakRssMb} MB`
      )
      console.log(
        `import:   ${imp.articles} articles (${imp.failed} failed) of ${imp.files} files in ${imp.secs.toFixed(2)} s (${imp.cpuSecs.toFixed(1)} CPU s) = ${impRate.toFixed(0)}/s (main thread ${imp.mainCpuSecs?.toFixed(1)} CPU s), peak RSS ${imp.peakRssMb} MB, pool ${imp.poolMode}, max progress gap ${imp.maxProgressGapMs} ms`
      )
      console.log(
        `parse only (read + parseArticleFile, one thread, no DB): ${parse.articles} articles in ${parse.secs.toFixed(2)} s (${parse.cpuSecs.toFixed(1)} CPU s) = ${(parse.articles / parse.secs).toFixed(0)}/s`
      )
      console.log(
        `CPU ms per article: baseline ${((base.cpuSecs / base.articles) * 1000).toFixed(2)}, parse alone ${((parse.cpuSecs / parse.articles) * 1000).toFixed(2)}, whole import ${((imp.cpuSecs / imp.articles) * 1000).toFixed(2)} (pool start-up, hashing, writing, indexes: ${(((imp.cpuSecs - parse.cpuSecs) / imp.articles) * 1000).toFixed(2)})`
      )
      console.log(`import is ${ratio.toFixed(2)}× slower than the baseline (target ≤ 3×)`)
      console.log(
        `per CPU-second (all threads; unaffected by other load): import ${impCpuRate.toFixed(0)}, baseline ${baseCpuRate.toFixed(0)}, ratio ${(baseCpuRate / impCpuRate).toFixed(2)}; load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`
      )
      const summary = `BENCH import files=${n} articles_per_s=${impRate.toFixed(0)} baseline_per_s=${baseRate.toFixed(0)} ratio=${ratio.toFixed(2)} peak_rss_mb=${imp.peakRssMb} baseline_rss_mb=${base.peakRssMb} max_progress_gap_ms=${imp.maxProgressGapMs} articles_per_cpu_s=${impCpuRate.toFixed(0)} baseline_per_cpu_s=${baseCpuRate.toFixed(0)} parse_only_cpu_ms=${((parse.cpuSecs / parse.articles) * 1000).toFixed(2)} main_cpu_ms=${(((imp.mainCpuSecs ?? 0) / imp.articles) * 1000).toFixed(2)} load=${loadavg()[0]?.toFixed(1)}`
      console.log(summary)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

await main()
