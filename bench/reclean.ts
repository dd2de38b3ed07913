// Re-clean benchmark: how fast the whole library is rebuilt from its kept originals, and whether
// the thread that answers the window (the Electron main process runs the core) stays free
// meanwhile. A library of generated corpus-like files is imported once (through the parse
// pool, as the app does); each measurement runs on a fresh copy of it in its own process, with
// every article marked as cleaned by an older cleaner, one in ten highlighted and a tenth of
// those with text the re-clean will change (so re-anchoring does real work).
//
//   npx tsx bench/reclean.ts                   # 5,000 articles
//   npx tsx bench/reclean.ts --articles 20000
//   npx tsx bench/reclean.ts --skip-build      # use the parse worker already built in out/main
//
// Prints articles/s, the main thread's CPU, and the longest the event loop went without
// running a 5 ms timer (what a window would feel as a freeze), then a BENCH line.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { CLEANER_VERSION } from '../src/core/clean/version'
import { createGleanerService } from '../src/core/service'
import { generateCorpus } from '../test/core/import-corpus-gen'
import { BUILT_WORKER, ensureBuiltWorker } from './lib/built-worker'

const SELF = fileURLToPath(import.meta.url)
const ROOT = resolve(SELF, '../..')
const TSX_CLI = join(ROOT, 'node_modules/tsx/dist/cli.mjs')
const DATA = join(ROOT, 'bench/.data')

interface Measured {
  articles: number
  changed: number
  annotated: number
  secs: number
  articlesPerSec: number
  mainCpuSecs: number
  cpuSecs: number
  maxStallMs: number
  p99StallMs: number
  progressEvents: number
}

/** Imports `n` generated files into a library kept in bench/.data (built once per size). */
async function buildLibrary(n: number): Promise<string> {
  mkdirSync(DATA, { recursive: true })
  const out = join(DATA, `reclean-${n}.db`)
  if (existsSync(out)) return out
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-bench-reclean-'))
  try {
    generateCorpus(dir, n)
    const service = createGleanerService({ libraryPath: out, watchExternal: false })
    const run = await service.importPaths([dir])
    service.close()
    console.log(`library: ${run.counts.imported} articles imported from ${n} files`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return out
}

async function measure(dbPath: string): Promise<Measured> {
  const service = createGleanerService({ libraryPath: dbPath, watchExternal: false })
  const db = service.db
  const ids = db.prepare('SELECT id FROM articles ORDER BY id').pluck().all() as number[]
  // One in ten highlighted; one in a hundred with a stale line that the re-clean removes.
  for (const id of ids.filter((x) => x % 10 === 0)) {
    const text = db
      .prepare('SELECT clean_text FROM articles WHERE id = ?')
      .pluck()
      .get(id) as string
    const at = Math.floor(text.length / 2)
    await service.createAnnotation({
      articleId: id,
      start: at,
      end: Math.min(text.length, at + 12)
    })
  }
  db.prepare(
    `UPDATE articles SET clean_text = '旧版清理留下的一行' || char(10) || clean_text,
       clean_html = '<p>旧版清理留下的一行</p>' || clean_html WHERE id % 100 = 0`
  ).run()
  db.prepare('UPDATE articles SET cleaning_version = ?').run(CLEANER_VERSION - 1)

  let progressEvents = 0
  const offProgress = service.on('taskProgress', () => progressEvents++)
  // The window's view of the thread: a timer that should fire every 5 ms.
  let last = performance.now()
  let maxStall = 0
  const tick = setInterval(() => {
    const now = performance.now()
    maxStall = Math.max(maxStall, now - last - 5)
    last = now
  }, 5)
  const histogram = monitorEventLoopDelay({ resolution: 5 })
  histogram.enable()
  const c0 = process.cpuUsage()
  const m0 = process.threadCpuUsage()
  const t0 = performance.now()
  const result = await service.reclean(null, false)
  const secs = (performance.now() - t0) / 1000
  // A run that never yields is one stall from start to end.
  maxStall = Math.max(maxStall, performance.now() - last - 5)
  const m = process.threadCpuUsage(m0)
  const c = process.cpuUsage(c0)
  histogram.disable()
  clearInterval(tick)
  offProgress()
  service.close()
  return {
    articles: result.total,
    changed: result.changed,
    annotated: result.annotated.length,
    secs: Math.round(secs * 100) / 100,
    articlesPerSec: Math.round(result.total / secs),
    mainCpuSecs: Math.round(((m.user + m.system) / 1e6) * 100) / 100,
    cpuSecs: Math.round(((c.user + c.system) / 1e6) * 100) / 100,
    maxStallMs: Math.round(maxStall),
    p99StallMs: Math.round(histogram.percentile(99) / 1e6),
    progressEvents
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string', default: '5000' },
      'skip-build': { type: 'boolean', default: false },
      child: { type: 'string' }
    }
  })
  if (values.child) {
    process.stdout.write(JSON.stringify(await measure(values.child)) + '\n')
    return
  }
  ensureBuiltWorker(values['skip-build'] === true)
  const n = Number(values.articles)
  const library = await buildLibrary(n)
  const scratch = mkdtempSync(join(tmpdir(), 'gleaner-bench-reclean-db-'))
  try {
    const copy = join(scratch, 'lib.db')
    copyFileSync(library, copy)
    const r = spawnSync(process.execPath, [TSX_CLI, SELF, '--child', copy], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      env: { ...process.env, GLEANER_PARSE_WORKER: BUILT_WORKER }
    })
    if (r.status !== 0) throw new Error(`measurement failed (${r.status}): ${r.stderr}`)
    const m = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Measured
    console.log(
      `re-clean of ${m.articles} articles (${m.changed} changed, ${m.annotated} re-anchored): ` +
        `${m.secs} s, ${m.articlesPerSec} articles/s; CPU ${m.cpuSecs} s (main thread ${m.mainCpuSecs} s); ` +
        `longest event-loop stall ${m.maxStallMs} ms (p99 ${m.p99StallMs} ms); ${m.progressEvents} progress events`
    )
    console.log(`BENCH ${JSON.stringify({ bench: 'reclean', ...m })}`)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

void main()
