// A search index built by other code (a new tokenization, a new SQLite) is rebuilt when the
// library opens — once in one transaction that held the app's thread for seconds per 10,000
// articles. Now it is built beside the index in use, a slice at a time with the thread given
// back between slices, and swapped in whole: searches keep answering from the old index, edits
// made meanwhile reach the new one, a cancel leaves the old one, and the result is exactly the
// index a rebuild in one go makes.
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { TaskProgress } from '../../src/shared/types'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { rebuildSearchIndex } from '../../src/core/search'
import { FTS_NEXT_TABLE, FTS_TABLE } from '../../src/core/search/schema'
import { createParsePool } from '../../src/core/importer/pool'
import { parseArticleFile } from '../../src/core/ingest/parse'
import { documentOfParsed, indexColumns } from '../../src/core/search/document'
import { readFileSync } from 'node:fs'
import { SEED_FILE, filesUnder, RSSHUB, tempDir } from '../helpers/corpus'
import { generateCorpus } from './import-corpus-gen'

const ARTICLES = 400

let template: { dir: string; cleanup: () => void }
let templateFile: string

beforeAll(async () => {
  template = tempDir('gleaner-search-rebuild-template-')
  templateFile = join(template.dir, 'library.db')
  const files = join(template.dir, 'files')
  generateCorpus(files, ARTICLES)
  const svc = createGleanerService({ libraryPath: templateFile, watchExternal: false })
  expect((await svc.importPaths([files])).counts.imported).toBe(ARTICLES)
  // As if another tokenization had built the index: the next open must rebuild it.
  svc.db
    .prepare(`UPDATE settings SET value = 'another tokenizer' WHERE key = 'search.indexIdentity'`)
    .run()
  svc.db.pragma('wal_checkpoint(TRUNCATE)')
  svc.close()
}, 180_000)
afterAll(() => template.cleanup())

let dir: { dir: string; cleanup: () => void }
let libraryPath: string
let svc: GleanerService | undefined

beforeEach(() => {
  dir = tempDir('gleaner-search-rebuild-')
  libraryPath = join(dir.dir, 'library.db')
  copyFileSync(templateFile, libraryPath)
})
afterEach(() => {
  svc?.close()
  svc = undefined
  dir.cleanup()
})

/** Opens the library; the rebuild starts at once. Resolves with its last progress event. */
function open(onProgress?: (p: TaskProgress, s: GleanerService) => void): {
  service: GleanerService
  finished: Promise<TaskProgress>
} {
  const service = createGleanerService({ libraryPath, watchExternal: false })
  const finished = new Promise<TaskProgress>((resolve) =>
    service.on('taskProgress', (p) => {
      expect(p.kind).toBe('reindex')
      onProgress?.(p, service)
      if (p.finished) resolve(p)
    })
  )
  return { service, finished }
}

const identity = (s: GleanerService): string =>
  s.db
    .prepare(`SELECT value FROM settings WHERE key = 'search.indexIdentity'`)
    .pluck()
    .get() as string

const tableExists = (s: GleanerService, name: string): boolean =>
  s.db.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(name) !== undefined

/** Hits of these queries, as the index answers them. */
async function answers(s: GleanerService, queries: string[]): Promise<number[][]> {
  const out: number[][] = []
  for (const q of queries)
    out.push((await s.searchIds(q, { sort: 'date-asc' })).sort((a, b) => a - b))
  return out
}

const QUERIES = ['编号', '报道', '中国', '经济 发展', 'tag:重编', '"复杂的新闻"', '责任']

describe('rebuilding the search index when the library opens', () => {
  it('builds beside the index in use, takes in edits made meanwhile, and swaps in whole', async () => {
    let ticks = 0
    let ticksWhileBuilding = 0
    const timer = setInterval(() => ticks++, 1)
    let edited: Promise<{ tagged: number; deleted: number; imported: number }> | undefined
    let editedWhileBuilding = false
    let rebuilt = false
    const { service, finished } = open((p, s) => {
      if (p.finished) rebuilt = true
      if (!p.finished && p.done < p.total) ticksWhileBuilding = ticks
      if (edited || p.done === 0) return
      // Between slices: edits to articles the rebuild has passed and to ones it has not.
      edited = (async () => {
        // Searches answer from the index in use meanwhile.
        expect((await s.search('编号', { limit: 5 })).total).toBeGreaterThan(0)
        const [first, second, late] = [1, 2, ARTICLES - 1]
        await s.addTag([first, late], '重编')
        await s.deleteArticles([second])
        editedWhileBuilding = !rebuilt
        const run = await s.importPaths([SEED_FILE])
        return { tagged: first, deleted: second, imported: run.results[0]!.articleId! }
      })()
    })
    svc = service
    const last = await finished
    clearInterval(timer)
    const e = await edited!
    expect(last).toMatchObject({ finished: true, cancelled: false, total: ARTICLES })
    // The thread was given back while slices were still waiting.
    expect(ticksWhileBuilding).toBeGreaterThan(0)
    expect(tableExists(service, FTS_NEXT_TABLE)).toBe(false)

    // The edits made during the rebuild (to an article it had passed, to one it had not yet
    // reached, a deletion) are in the new index.
    expect(editedWhileBuilding).toBe(true)
    const tagged = await service.searchIds('tag:重编', { sort: 'date-asc' })
    expect(tagged.sort((a, b) => a - b)).toEqual([e.tagged, ARTICLES - 1])
    expect(await service.searchIds('重编', { sort: 'date-asc' })).toContain(e.tagged)
    expect(await service.searchIds('编号 2 的报道', { sort: 'date-asc' })).not.toContain(e.deleted)
    expect(await service.searchIds('7月26日上午', { sort: 'date-asc' })).toContain(e.imported)

    // Exactly what a rebuild in one go makes of the same library.
    const background = await answers(service, QUERIES)
    const rows = service.db.prepare(`SELECT count(*) FROM ${FTS_TABLE}`).pluck().get()
    rebuildSearchIndex(service.db)
    expect(await answers(service, QUERIES)).toEqual(background)
    expect(service.db.prepare(`SELECT count(*) FROM ${FTS_TABLE}`).pluck().get()).toBe(rows)
    // …and it is current: the next open rebuilds nothing.
    const stamp = identity(service)
    service.close()
    svc = undefined
    const again = createGleanerService({ libraryPath, watchExternal: false })
    svc = again
    let heard = 0
    again.on('taskProgress', () => heard++)
    expect(identity(again)).toBe(stamp)
    await again.search('编号', {})
    expect(heard).toBe(0)
  })

  it('a cancel leaves the index in use, and the next start rebuilds it', async () => {
    let asked = false
    const { service, finished } = open((p, s) => {
      if (asked || p.finished || p.done === 0) return
      asked = true
      void s.cancelTask(p.taskId)
    })
    svc = service
    const last = await finished
    expect(last).toMatchObject({ finished: true, cancelled: true })
    expect(last.done).toBeLessThan(ARTICLES)
    expect(tableExists(service, FTS_NEXT_TABLE)).toBe(false)
    expect(identity(service)).toBe('another tokenizer')
    // Searches still answer, from the index in use.
    expect((await service.search('编号', { limit: 5 })).total).toBeGreaterThan(0)
    service.close()

    // Closed in the middle of a rebuild (the app quits): nothing breaks…
    const quitting = open((p, s) => {
      if (p.done > 0 && !p.finished) s.close()
    })
    svc = undefined
    void quitting.finished
    // …and the next start rebuilds it whole.
    const next = open()
    svc = next.service
    expect(await next.finished).toMatchObject({ cancelled: false, done: ARTICLES })
    expect(identity(next.service)).not.toBe('another tokenizer')
    expect(tableExists(next.service, FTS_NEXT_TABLE)).toBe(false)
  })
})

describe('index text made by the parse workers', () => {
  it('is the index text this thread makes, with workers and without', async () => {
    const docs = filesUnder(RSSHUB)
      .filter((f) => f.endsWith('.md'))
      .slice(0, 20)
      .flatMap((f) => {
        const o = parseArticleFile(readFileSync(f), f)
        return o.ok ? o.articles.map(documentOfParsed) : []
      })
    expect(docs.length).toBeGreaterThan(10)
    const here = docs.map(indexColumns)
    const pool = createParsePool(2)
    const none = createParsePool(1, { entry: null })
    try {
      expect(pool.mode).toBe('workers')
      expect(await pool.indexText(docs)).toEqual(here)
      expect(none.mode).toBe('in-process')
      expect(await none.indexText(docs)).toEqual(here)
    } finally {
      await pool.close()
      await none.close()
    }
  })
})
