// Search-index rebuild benchmark: a library whose index another tokenization built is opened.
// Before, the service rebuilt the index in one transaction while opening (the app's thread held
// throughout); now it is rebuilt beside the index in use, in slices, with the index text made by
// the parse workers. Both run on copies of one generated library, each in its own process.
//
//   npx tsx bench/reindex.ts                   # 20,000 articles
//   npx tsx bench/reindex.ts --articles 100000
//   npx tsx bench/reindex.ts --skip-build      # use the parse worker already built in out/main
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { openLibraryDb } from '../src/core/library/open'
import { rebuildSearchIndex } from '../src/core/search'
import { createGleanerService } from '../src/core/service'
import type { TaskProgress } from '../src/shared/types'
import { generateLibrary } from './lib/generate-library'
import { BUILT_WORKER, ensureBuiltWorker } from './lib/built-worker'

const SELF = fileURLToPath(import.meta.url)
const ROOT = resolve(SELF, '../..')
const TSX_CLI = join(ROOT, 'node_modules/tsx/dist/cli.mjs')
const DATA = join(ROOT, 'bench/.data')

interface Measured {
  articles: number
  secs: number
  articlesPerSec: number
  mainCpuSecs: number
  maxStallMs: number
}

/** A generated library whose stored index identity says another tokenization built it. */
function buildLibrary(n: number): string {
  mkdirSync(DATA, { recursive: true })
  const out = join(DATA, `reindex-${n}.db`)
  if (existsSync(out)) return out
  const db = openLibraryDb(out)
  generateLibrary(db, { articles: n })
  rebuildSearchIndex(db)
  db.prepare(`UPDATE settings SET value = 'another' WHERE key = 'search.indexIdentity'`).run()
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return out
}

/** A timer that should fire every 5 ms: the longest it waited is what a window would feel. */
function stallWatch(): () => number {
  let last = performance.now()
  let max = 0
  const tick = setInterval(() => {
    const now = performance.now()
    max = Math.max(max, now - last - 5)
    last = now
  }, 5)
  return () => {
    clearInterval(tick)
    return Math.round(Math.max(max, performance.now() - last - 5))
  }
}

async function measure(side: string, path: string): Promise<Measured> {
  const m0 = process.threadCpuUsage()
  const t0 = performance.now()
  const stall = stallWatch()
  let articles = 0
  if (side === 'one-go') {
    const db = openLibraryDb(path)
    rebuildSearchIndex(db, (_d, total) => (articles = total))
    db.close()
  } else {
    const service = createGleanerService({ libraryPath: path, watchExternal: false })
    const last = await new Promise<TaskProgress>((done) =>
      service.on('taskProgress', (p) => p.finished && done(p))
    )
    articles = last.total
    service.close()
  }
  const secs = (performance.now() - t0) / 1000
  const maxStallMs = stall()
  const m = process.threadCpuUsage(m0)
  return {
    articles,
    secs: Math.round(secs * 100) / 100,
    articlesPerSec: Math.round(articles / secs),
    mainCpuSecs: Math.round(((m.user + m.system) / 1e6) * 100) / 100,
    maxStallMs
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string', default: '20000' },
      'skip-build': { type: 'boolean', default: false },
      child: { type: 'string' },
      db: { type: 'string' }
    }
  })
  if (values.child) {
    process.stdout.write(JSON.stringify(await measure(values.child, values.db!)) + '\n')
    return
  }
  ensureBuiltWorker(values['skip-build'] === true)
  const library = buildLibrary(Number(values.articles))
  const results: Record<string, Measured> = {}
  for (const side of ['one-go', 'slices']) {
    const scratch = mkdtempSync(join(tmpdir(), 'gleaner-bench-reindex-'))
    try {
      const copy = join(scratch, 'lib.db')
      copyFileSync(library, copy)
      const r = spawnSync(process.execPath, [TSX_CLI, SELF, '--child', side, '--db', copy], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
        env: { ...process.env, GLEANER_PARSE_WORKER: BUILT_WORKER }
      })
      if (r.status !== 0) throw new Error(`${side} failed (${r.status}): ${r.stderr}`)
      const m = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Measured
      results[side] = m
      console.log(
        `${side.padEnd(7)} ${m.articles} articles: ${m.secs} s, ${m.articlesPerSec} articles/s; ` +
          `main thread CPU ${m.mainCpuSecs} s; longest event-loop stall ${m.maxStallMs} ms`
      )
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  }
  console.log(`BENCH ${JSON.stringify({ bench: 'reindex', ...results })}`)
}

void main()
