// The parse pool and the pipelined importer: worker results equal in-process parsing, the pool
// survives workers that fail, falls back to in-process parsing when workers cannot start, and
// cancel keeps exactly what was committed.
import { getEventListeners } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ImportProgress } from '../../src/shared/types'
import { parseArticleFile } from '../../src/core/ingest/parse'
import { createParsePool, type ParsePool } from '../../src/core/importer/pool'
import { importPaths } from '../../src/core/importer/run'
import { addWriterHints } from '../../src/core/importer/writer-hints'
import { openLibraryDb, type Db } from '../../src/core/library/open'
import { CORPUS, filesUnder, tempDir } from '../helpers/corpus'
import { generateCorpus } from './import-corpus-gen'

let pool: ParsePool | undefined
let db: Db | undefined
let cleanup: (() => void) | undefined
afterEach(async () => {
  await pool?.close()
  db?.close()
  pool = db = undefined
  cleanup?.()
})

const corpusFiles = (): string[] =>
  filesUnder(CORPUS).filter((f) => !f.endsWith('.tsv') && !f.endsWith('README.md'))

describe('createParsePool', () => {
  it('gives exactly what parseArticleFile gives (plus the writer hints), from worker threads', async () => {
    pool = createParsePool(2)
    const files = corpusFiles().slice(0, 40)
    const got = await Promise.all(files.map((f) => pool!.parse(readFileSync(f), f)))
    expect(pool.mode).toBe('workers')
    expect(pool.size).toBe(2)
    for (const [i, f] of files.entries())
      expect(got[i], f).toEqual(addWriterHints(parseArticleFile(readFileSync(f), f)))
    // The hints are really there: the writer relies on them to skip work.
    const first = got[0]
    expect(first?.ok && first.articles[0]?.writerHints?.contentKey).toMatch(/^[0-9a-f]{64}$/)
  })

  it('parses in-process when there is no worker entry', async () => {
    pool = createParsePool(2, { entry: null })
    expect(pool.mode).toBe('in-process')
    expect(pool.fallbackReason).toMatch(/entry not found/u)
    const f = corpusFiles()[0] as string
    expect(await pool.parse(readFileSync(f), f)).toEqual(parseArticleFile(readFileSync(f), f))
  })

  it('falls back when the worker code cannot load, without losing queued files', async () => {
    pool = createParsePool(2, { entry: { code: 'throw new Error("cannot load the parser")' } })
    const files = corpusFiles().slice(0, 5)
    const got = await Promise.all(files.map((f) => pool!.parse(readFileSync(f), f)))
    expect(pool.mode).toBe('in-process')
    expect(pool.fallbackReason).toMatch(/cannot load the parser/u)
    for (const [i, f] of files.entries())
      expect(got[i]).toEqual(parseArticleFile(readFileSync(f), f))
  })

  it('a worker that dies mid-file fails that file only; a stuck one is given up after the timeout', async () => {
    // Loads, says ready, then exits on a file named "die" and never answers one named "hang".
    const code = `
      const { parentPort } = require('node:worker_threads')
      parentPort.on('message', (m) => {
        if (m.path === 'die') process.exit(3)
        if (m.path === 'hang') return
        parentPort.postMessage({ id: m.id, outcome: { ok: false, code: 'no-content', reason: 'fake ' + m.path } })
      })
      parentPort.postMessage({ ready: true })`
    pool = createParsePool(1, { entry: { code }, taskTimeoutMs: 300 })
    const bytes = new Uint8Array([65])
    expect(await pool.parse(bytes, 'a')).toMatchObject({ ok: false, reason: 'fake a' })
    expect(await pool.parse(bytes, 'die')).toMatchObject({
      ok: false,
      code: 'internal',
      reason: expect.stringMatching(/exited \(code 3\)/u)
    })
    expect(await pool.parse(bytes, 'b')).toMatchObject({ reason: 'fake b' })
    expect(await pool.parse(bytes, 'hang')).toMatchObject({
      code: 'internal',
      reason: expect.stringMatching(/took over/u)
    })
    expect(await pool.parse(bytes, 'c')).toMatchObject({ reason: 'fake c' })
    expect(pool.mode).toBe('workers')
  })

  it('files queued in a worker behind one that hangs or kills it are parsed by its replacement', async () => {
    const code = `
      const { parentPort } = require('node:worker_threads')
      parentPort.on('message', (m) => {
        if (m.path.startsWith('die')) process.exit(3)
        // Stuck like a parser in a pathological loop: nothing behind it runs meanwhile.
        if (m.path.startsWith('hang')) { const end = Date.now() + 5000; while (Date.now() < end); return }
        parentPort.postMessage({ id: m.id, outcome: { ok: false, code: 'no-content', reason: 'fake ' + m.path } })
      })
      parentPort.postMessage({ ready: true })`
    pool = createParsePool(1, { entry: { code }, taskTimeoutMs: 300 })
    const bytes = new Uint8Array([65])
    // All sent at once: the one worker holds them in its queue, in this order.
    const names = ['a', 'hang', 'b', 'c', 'die', 'd', 'e']
    const got = await Promise.all(names.map((n) => pool!.parse(bytes, n)))
    expect(got.map((o) => (o.ok ? 'ok' : o.reason))).toEqual([
      'fake a',
      expect.stringMatching(/took over/u),
      'fake b',
      'fake c',
      expect.stringMatching(/exited \(code 3\)/u),
      'fake d',
      'fake e'
    ])
    expect(pool.mode).toBe('workers')
  })
})

describe('the pool under hostile input', () => {
  it('front matter nested 3,000 maps deep is answered at once (read line by line), not after a stall', async () => {
    // It once parsed in the worker, then overflowed the stack when its reply was decoded here:
    // the file waited for the timeout, and its worker was thrown away.
    pool = createParsePool(1, { taskTimeoutMs: 20_000 })
    const deep = `---\ntitle: deep\nx:\n${Array.from({ length: 3000 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} end\n---\n\nBody text of the deep file.\n`
    // Answered, not timed out (a timeout is a failed outcome with its own reason).
    const got = await pool.parse(Buffer.from(deep), 'deep.md')
    expect(got.ok).toBe(true)
    if (!got.ok) return
    expect(got.articles[0]?.title).toBe('deep')
    expect(got.articles[0]?.warnings.join(' ')).toMatch(
      /nest deeper than 512 levels|read line by line/u
    )
    const f = corpusFiles()[0] as string
    expect(await pool.parse(readFileSync(f), f)).toEqual(
      addWriterHints(parseArticleFile(readFileSync(f), f))
    )
    expect(pool.mode).toBe('workers')
  })

  it('a reply that cannot be decoded answers its file with a reason, and the worker goes on', async () => {
    // A worker that answers with a value nested too deep for the structured clone to decode.
    const code = `
      const { parentPort } = require('node:worker_threads')
      parentPort.on('message', (m) => {
        let meta = {}
        const root = meta
        if (m.path === 'deep') for (let i = 0; i < 5000; i++) { meta.a = {}; meta = meta.a }
        parentPort.postMessage({ id: m.id, outcome: { ok: false, code: 'no-content', reason: 'fake ' + m.path, meta: root } })
      })
      parentPort.postMessage({ ready: true })`
    pool = createParsePool(1, { entry: { code }, taskTimeoutMs: 20_000 })
    const bytes = new Uint8Array([65])
    // Answered with why, not left to the task timeout (whose reason says so instead).
    expect(await pool.parse(bytes, 'deep')).toMatchObject({
      ok: false,
      code: 'internal',
      reason: expect.stringMatching(/could not be passed back/u)
    })
    expect(await pool.parse(bytes, 'after')).toMatchObject({ reason: 'fake after' })
  })

  it('workers that die are always replaced: parsing never falls back to the main thread', async () => {
    const code = `
      const { parentPort } = require('node:worker_threads')
      parentPort.on('message', (m) => {
        if (m.path.startsWith('die')) process.exit(3)
        parentPort.postMessage({ id: m.id, outcome: { ok: false, code: 'no-content', reason: 'fake ' + m.path } })
      })
      parentPort.postMessage({ ready: true })`
    pool = createParsePool(1, { entry: { code }, taskTimeoutMs: 20_000 })
    const bytes = new Uint8Array([65])
    for (let i = 0; i < 8; i++)
      expect(await pool.parse(bytes, `die-${i}`)).toMatchObject({
        reason: expect.stringMatching(/exited \(code 3\)/u)
      })
    // Still the workers (this one answers "fake …"; the main thread would really parse).
    expect(await pool.parse(bytes, 'last')).toMatchObject({ reason: 'fake last' })
    expect(pool.mode).toBe('workers')
  })

  it('a file that needs more heap than the budget fails alone; the worker is replaced', async () => {
    pool = createParsePool(1, { budget: { workerHeapMb: 96 }, taskTimeoutMs: 60_000 })
    // 400,000 small paragraphs: under the node limit, far over 96 MB of DOM.
    const page = Array.from({ length: 400_000 }, (_, i) => `<p>第${i}段：进博会新闻。</p>`).join('')
    const got = await pool.parse(Buffer.from(page), 'heavy.html')
    expect(got).toMatchObject({
      ok: false,
      code: 'too-large',
      reason: 'parsing needed more than 96 MB of memory; file refused'
    })
    const f = corpusFiles()[0] as string
    expect(await pool.parse(readFileSync(f), f)).toEqual(
      addWriterHints(parseArticleFile(readFileSync(f), f))
    )
    expect(pool.mode).toBe('workers')
  }, 90_000)
})

describe('importPaths with the pool', () => {
  it('imports a generated folder with results in walk order and smooth, monotonic progress', async () => {
    const t = tempDir('gleaner-pool-')
    cleanup = t.cleanup
    const files = generateCorpus(join(t.dir, 'in'), 300, 3)
    db = openLibraryDb(join(t.dir, 'library.db'))
    pool = createParsePool(2)
    const events: ImportProgress[] = []
    const run = await importPaths(db, [join(t.dir, 'in')], {
      parse: pool.parse,
      onProgress: (p) => events.push(p)
    })
    expect(run.results.map((r) => r.path)).toEqual(files)
    expect(run.counts).toMatchObject({ total: 300, imported: 300, failed: 0 })
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.done).toBeGreaterThanOrEqual(events[i - 1]!.done)
    expect(events.at(-1)).toMatchObject({ finished: true, done: 300 })
  })

  it('cancel stops the run, keeps every committed article, and a re-run completes without duplicates', async () => {
    const t = tempDir('gleaner-cancel-')
    cleanup = t.cleanup
    const files = generateCorpus(join(t.dir, 'in'), 400, 4)
    db = openLibraryDb(join(t.dir, 'library.db'))
    pool = createParsePool(2)
    const controller = new AbortController()
    const run = await importPaths(db, [join(t.dir, 'in')], {
      parse: pool.parse,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done >= 50) controller.abort()
      }
    })
    expect(run.cancelled).toBe(true)
    expect(run.counts.total).toBeLessThan(400)
    const stored = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM articles').get()?.n
    // What the run reports as imported is exactly what is in the library.
    expect(stored).toBe(run.counts.imported)
    const saved = db
      .prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM import_results WHERE run_id = ?')
      .get(run.id)?.n
    expect(saved).toBe(run.results.length)
    const again = await importPaths(db, [join(t.dir, 'in')], { parse: pool.parse })
    expect(again.counts.imported + again.counts.duplicates).toBe(400)
    expect(again.counts.duplicates).toBe(run.counts.imported)
    const paths = db
      .prepare<[], { source_path: string }>('SELECT source_path FROM articles ORDER BY source_path')
      .all()
      .map((r) => r.source_path)
    expect(paths).toEqual([...files].sort())
  })

  it('a cancellable run holds no file once it is written (no abort listener left per file)', async () => {
    // Waiting for each file against one never-settling "aborted" promise kept every file's
    // bytes reachable until the run ended; each wait now removes its own listener.
    const t = tempDir('gleaner-listeners-')
    cleanup = t.cleanup
    generateCorpus(join(t.dir, 'in'), 120, 6)
    db = openLibraryDb(join(t.dir, 'library.db'))
    pool = createParsePool(2)
    const controller = new AbortController()
    let most = 0
    const run = await importPaths(db, [join(t.dir, 'in')], {
      parse: pool.parse,
      signal: controller.signal,
      onProgress: () => {
        most = Math.max(most, getEventListeners(controller.signal, 'abort').length)
      }
    })
    expect(run.counts.imported).toBe(120)
    // At most the one file being waited for (plus the pool's own bookkeeping) listens.
    expect(most).toBeLessThanOrEqual(2)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('the same bytes twice in one run: the first in walk order is imported, the second is a duplicate', async () => {
    const t = tempDir('gleaner-dupe-')
    cleanup = t.cleanup
    generateCorpus(join(t.dir, 'in'), 60, 5)
    const { copyFileSync } = await import('node:fs')
    copyFileSync(
      join(t.dir, 'in', 'batch-0000', 'post-000010.txt'),
      join(t.dir, 'in', 'batch-0000', 'post-000050-copy.txt')
    )
    db = openLibraryDb(join(t.dir, 'library.db'))
    pool = createParsePool(2)
    const run = await importPaths(db, [join(t.dir, 'in')], { parse: pool.parse, readAhead: 64 })
    expect(run.results.find((r) => r.path.endsWith('post-000010.txt'))?.status).toBe('imported')
    expect(run.results.find((r) => r.path.endsWith('post-000050-copy.txt'))).toMatchObject({
      status: 'duplicate',
      reason: 'same bytes as another file in this import'
    })
  })
})
