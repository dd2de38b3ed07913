// Paging through every hit of a broad search (more than 2,000 hits) on a library generated from
// the corpus: each hit exactly once, in one total order per sort, with the true total — in the
// core, through the API, the CLI, smart collections and `export --query`.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateLibrary, insertArticleRow } from '../../bench/lib/generate-library'
import type { CliContext } from '../../src/cli/command'
import { printable } from '../../src/cli/terminal'
import { exportCommand } from '../../src/cli/commands/export'
import { searchCommand } from '../../src/cli/commands/search'
import { listCollections, searchQueryResolver } from '../../src/core/collections'
import { openLibraryDb, type Db } from '../../src/core/library/open'
import {
  SearchTooBroadError,
  clearOrderCache,
  planSearch,
  rebuildSearchIndex,
  searchArticleIds,
  searchArticles,
  syncSearchIndex
} from '../../src/core/search'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import type { SearchHit, SearchResult, SearchSort } from '../../src/shared/search-types'
import { dispatchCall } from '../../src/shared/validate'
import { tempDir } from '../helpers/corpus'

const t = tempDir('gleaner-search-paging-')
const LIB = join(t.dir, 'library.db')
let svc: GleanerService
let db: Db
/** The one article made to be the best match for Q; the oldest of all. */
let best: number
/** Identical articles: equal scores and dates, so only the tiebreak orders them. */
let twins: number[]
/** Every article Q must find, read from the tables (any indexed field contains it). */
let truth: number[]
const Q = '上'
const SORTS: SearchSort[] = ['relevance', 'date-desc', 'date-asc']

beforeAll(() => {
  svc = createGleanerService({ libraryPath: LIB })
  db = svc.db
  best = insertArticleRow(db, {
    title: '上海上市上涨',
    cleanText: '上海上市，上涨。',
    publishedAt: '2020-05-01T00:00:00.000Z'
  })
  generateLibrary(db, { articles: 2600, seed: 7 })
  twins = [0, 1, 2].map(() =>
    insertArticleRow(db, {
      title: '双胞胎',
      cleanText: '上午开会。',
      publishedAt: '2022-02-02T00:00:00.000Z'
    })
  )
  // A word only in the oldest articles: newest first, the date index finds none of it in the
  // articles it scans and the page must come from sorting every hit instead.
  db.transaction(() => {
    for (let i = 0; i < 700; i++) {
      insertArticleRow(db, {
        title: `稀客 ${i}`,
        cleanText: '稀客来访。',
        publishedAt: `2018-01-01T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`
      })
    }
  })()
  rebuildSearchIndex(db)
  const contains = (col: string): string => `instr(coalesce(${col}, ''), @q) > 0`
  truth = db
    .prepare(
      `SELECT id FROM articles a WHERE deleted_at IS NULL AND (
          ${['title', 'original_title', 'clean_text', 'author', 'source'].map(contains).join(' OR ')}
          OR EXISTS (SELECT 1 FROM article_categories ac JOIN categories c ON c.id = ac.category_id
                     WHERE ac.article_id = a.id AND ${contains('c.path')})
          OR EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id
                     WHERE at.article_id = a.id AND ${contains('t.name')})
          OR EXISTS (SELECT 1 FROM annotations n
                     WHERE n.article_id = a.id AND (${contains('n.note')} OR ${contains('n.exact')})))
         ORDER BY id`
    )
    .pluck()
    .all({ q: Q }) as number[]
}, 180_000)
afterAll(() => {
  svc.close()
  t.cleanup()
})

const sorted = (ids: Iterable<number>): number[] => [...ids].sort((a, b) => a - b)

/** Every page of `query` in `sort`; `cold` forgets the ranked order before each page, as a new process would. */
function pageThrough(
  query: string,
  sort: SearchSort,
  limit: number,
  cold: boolean
): { hits: SearchHit[]; totals: Set<number> } {
  const hits: SearchHit[] = []
  const totals = new Set<number>()
  for (let offset = 0; ; offset += limit) {
    if (cold) clearOrderCache(db)
    const page = searchArticles(db, query, { offset, limit, sort })
    expect(page.error).toBeUndefined()
    expect(page.sort).toBe(sort)
    expect(page.offset).toBe(offset)
    totals.add(page.total)
    hits.push(...page.items)
    if (page.items.length < limit) break
  }
  return { hits, totals }
}

function dateOf(id: number): string | null {
  return db.prepare('SELECT published_at FROM articles WHERE id = ?').pluck().get(id) as
    string | null
}

/** True when b may follow a in `sort`: the total orders the search promises. */
function inOrder(sort: SearchSort, a: SearchHit, b: SearchHit): boolean {
  if (sort === 'relevance') return a.score > b.score || (a.score === b.score && a.id > b.id)
  const [da, db_] = [dateOf(a.id), dateOf(b.id)]
  if (da === null) return db_ === null && a.id > b.id === (sort === 'date-desc')
  if (db_ === null) return true
  if (da === db_) return a.id > b.id === (sort === 'date-desc')
  return da > db_ === (sort === 'date-desc')
}

describe('paging through more than 2,000 hits', () => {
  it('the library is broad enough to need it', () => {
    expect(truth.length).toBeGreaterThan(2000)
  })

  for (const sort of SORTS) {
    for (const cold of [false, true]) {
      it(`${sort}${cold ? ', each page ranked afresh' : ''}: every hit once, in order, with the true total`, () => {
        const { hits, totals } = pageThrough(Q, sort, 173, cold)
        expect([...totals]).toEqual([truth.length])
        const ids = hits.map((h) => h.id)
        expect(new Set(ids).size).toBe(ids.length)
        expect(sorted(ids)).toEqual(truth)
        const outOfOrder = hits.findIndex((h, i) => i > 0 && !inOrder(sort, hits[i - 1]!, h))
        expect(outOfOrder).toBe(-1)
      })
    }
  }

  it('relevance ranks every hit, not only the newest: the oldest article is the best match', () => {
    const first = searchArticles(db, Q, { limit: 5 })
    expect(first.items[0]?.id).toBe(best)
    expect(searchArticleIds(db, Q)[0]).toBe(best)
    // Equal scores keep one order, newest first.
    const all = pageThrough(Q, 'relevance', 500, false).hits.map((h) => h.id)
    const at = all.indexOf(twins[2]!)
    expect(all.slice(at, at + 3)).toEqual([...twins].reverse())
  })

  it('a page past the end is empty and still carries the true total', () => {
    for (const sort of SORTS) {
      const past = searchArticles(db, Q, { offset: truth.length + 7, limit: 20, sort })
      expect(past.items).toEqual([])
      expect(past.total).toBe(truth.length)
    }
  })

  it('the first page alone and the same page from the whole order agree', () => {
    for (const sort of SORTS) {
      clearOrderCache(db)
      const direct = searchArticles(db, Q, { limit: 40, sort }).items.map((h) => h.id)
      searchArticles(db, Q, { offset: 40, limit: 40, sort }) // ranks and keeps the whole order
      const fromOrder = searchArticleIds(db, Q, { sort }).slice(0, 40)
      expect(fromOrder).toEqual(direct)
    }
  })

  it('newest first, a broad search reads its first page from the date index', () => {
    const plan = planSearch(db, Q, 'date-desc', undefined, 50)
    expect(plan.newestFirst).not.toBeNull()
    const steps = (
      db
        .prepare(`EXPLAIN QUERY PLAN ${plan.newestFirst!.sql}`)
        .all(...plan.newestFirst!.params) as {
        detail: string
      }[]
    ).map((r) => r.detail)
    expect(steps.join('\n')).toContain('COVERING INDEX articles_live')
    expect(steps.join('\n')).not.toContain('TEMP B-TREE')
    const first = searchArticles(db, Q, { limit: 50, sort: 'date-desc' })
    expect(first.total).toBe(truth.length)
    expect(first.items.map((h) => h.id)).toEqual(
      searchArticleIds(db, Q, { sort: 'date-desc' }).slice(0, 50)
    )
    // A handful of hits: the full-text index drives.
    expect(planSearch(db, '双胞胎', 'date-desc', undefined, 50).newestFirst).toBeNull()
  })

  it('newest first, hits only among the oldest articles still give the right first page', () => {
    // The date index is chosen (700 hits in ~3,300 articles) but its scan finds none.
    expect(planSearch(db, '稀客', 'date-desc', undefined, 10).newestFirst).not.toBeNull()
    const first = searchArticles(db, '稀客', { limit: 10, sort: 'date-desc' })
    expect(first.total).toBe(700)
    expect(first.items.map((h) => h.id)).toEqual(
      searchArticleIds(db, '稀客', { sort: 'date-desc' }).slice(0, 10)
    )
    expect(first.items[0]?.title).toBe('稀客 699')
  })

  it('the API pages the same way (offset, limit, sort through validation)', async () => {
    const ids: number[] = []
    for (let offset = 0; offset < truth.length; offset += 500) {
      const page = (await dispatchCall(svc, 'search', [
        Q,
        { offset, limit: 500, sort: 'relevance' }
      ])) as SearchResult
      expect(page.total).toBe(truth.length)
      ids.push(...page.items.map((h) => h.id))
    }
    expect(ids).toEqual(searchArticleIds(db, Q))
  })
})

describe('every hit at once', () => {
  it('searchArticleIds lists each hit once in the paging order of its sort', () => {
    for (const sort of SORTS) {
      const ids = searchArticleIds(db, Q, { sort })
      expect(ids).toEqual(pageThrough(Q, sort, 500, true).hits.map((h) => h.id))
    }
  })

  it('refuses more hits than its bound before ranking, naming the true total', () => {
    let thrown: unknown
    try {
      searchArticleIds(db, Q, { max: 1000 })
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(SearchTooBroadError)
    expect(thrown).toMatchObject({
      code: 'search-too-many-hits',
      params: { total: truth.length, max: 1000 }
    })
  })

  it('the API lists every hit for "all hits" bulk actions, or refuses with data', async () => {
    const ids = (await dispatchCall(svc, 'searchIds', [Q, { sort: 'date-asc' }])) as number[]
    expect(ids).toEqual(searchArticleIds(db, Q, { sort: 'date-asc' }))
    expect(sorted(ids)).toEqual(truth)
    await expect(dispatchCall(svc, 'searchIds', [Q, { limit: 10 }])).rejects.toThrow(
      /takes no limit or offset/u
    )
    await expect(dispatchCall(svc, 'searchIds', ['tag:不存在', {}])).rejects.toMatchObject({
      code: 'query-unknown-name',
      params: { field: 'tag', value: '不存在' }
    })
  })

  it('smart collections resolve and count every hit once', () => {
    const resolve = searchQueryResolver(db)
    const ids = resolve(Q)
    expect(new Set(ids).size).toBe(ids.length)
    expect(sorted(ids)).toEqual(truth)
    db.prepare("INSERT INTO collections(name, query, created_at) VALUES ('上 all', ?, 'x')").run(Q)
    db.prepare(
      "INSERT INTO collections(name, query, created_at) VALUES ('broken', 'tag:不存在', 'x')"
    ).run()
    const listed = listCollections(db, resolve)
    expect(listed.find((c) => c.name === '上 all')?.itemCount).toBe(truth.length)
    // A saved search that no longer runs shows no count; the list itself still comes back.
    expect(listed.find((c) => c.name === 'broken')?.itemCount).toBeNull()
  })

  it('export --query exports every hit once', async () => {
    const out = join(t.dir, 'all.json')
    const lines: string[] = []
    const ctx: CliContext = {
      libraryPath: LIB,
      service: () => svc,
      db: () => db,
      out: (l) => lines.push(printable(l, false)),
      err: (l) => lines.push(printable(l, false)),
      isTTY: false
    }
    expect(await exportCommand.run(['--query', Q, '--format', 'json', '--out', out], ctx)).toBe(0)
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      'gleaner:articles': { articleId: number }[]
    }
    const ids = doc['gleaner:articles'].map((a) => a.articleId)
    expect(new Set(ids).size).toBe(ids.length)
    expect(sorted(ids)).toEqual(truth)
  }, 60_000)
})

describe('the kept order follows the library', () => {
  it('a change made here or by another connection is in the next page', async () => {
    const page = (): SearchResult =>
      searchArticles(db, Q, { offset: 100, limit: 10, sort: 'date-desc' })
    const before = page() // ranks every hit and keeps the order
    const victim = before.items[0]!.id
    await svc.deleteArticles([victim])
    expect(page().total).toBe(before.total - 1)
    expect(page().items.map((h) => h.id)).not.toContain(victim)
    await svc.restoreArticles([victim])
    expect(page()).toEqual(before)

    const other = openLibraryDb(LIB)
    let added: number
    try {
      added = insertArticleRow(other, {
        title: '另一个进程',
        cleanText: '上班。',
        publishedAt: '2030-01-01T00:00:00.000Z'
      })
      syncSearchIndex(other, [added])
    } finally {
      other.close()
    }
    expect(page().total).toBe(before.total + 1)
    expect(searchArticleIds(db, Q, { sort: 'date-desc' })[0]).toBe(added)
    await svc.deleteArticles([added])
    expect(page()).toEqual(before)
  })
})

describe('gleaner search --offset --limit', () => {
  async function cliPage(args: string[]): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = []
    const ctx: CliContext = {
      libraryPath: LIB,
      service: () => svc,
      db: () => db,
      out: (l) => lines.push(printable(l, false)),
      err: (l) => lines.push(printable(l, false)),
      isTTY: false
    }
    // Each CLI run is a new process: nothing ranked is kept between pages.
    clearOrderCache(db)
    return { code: await searchCommand.run(args, ctx), lines }
  }

  it('pages through every hit once in each sort; --json carries total and offset', async () => {
    for (const sort of SORTS) {
      const ids: number[] = []
      for (let offset = 0; offset < truth.length; offset += 400) {
        const r = await cliPage([
          '--json',
          '--sort',
          sort,
          '--offset',
          String(offset),
          '--limit',
          '400',
          Q
        ])
        expect(r.code).toBe(0)
        const page = JSON.parse(r.lines.join('\n')) as SearchResult
        expect(page.total).toBe(truth.length)
        expect(page.offset).toBe(offset)
        ids.push(...page.items.map((h) => h.id))
      }
      expect(new Set(ids).size).toBe(ids.length)
      expect(sorted(ids)).toEqual(truth)
    }
  })

  it('says which hits of how many it printed, and when the offset is past the end', async () => {
    const last = truth.length - 3
    const r = await cliPage(['--offset', String(last), '--limit', '10', Q])
    expect(r.lines.at(-1)).toBe(
      `${last + 1}–${truth.length} of ${truth.length} articles (relevance)`
    )
    const past = await cliPage(['--offset', String(truth.length), Q])
    expect(past.lines.at(-1)).toBe(`No articles past ${truth.length}: ${truth.length} match.`)
  })

  it('a real `gleaner search` process gives the same deep page', () => {
    const root = resolve(__dirname, '../..')
    const offset = truth.length - 50
    const run = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        join(root, 'src/cli/main.ts'),
        'search',
        '--json',
        '--sort',
        'date-asc',
        '--offset',
        String(offset),
        '--limit',
        '100',
        Q,
        '--library',
        LIB
      ],
      { encoding: 'utf8', env: { ...process.env, GLEANER_LIBRARY: '' } }
    )
    expect(run.stderr).toBe('')
    const page = JSON.parse(run.stdout) as SearchResult
    expect(page.total).toBe(truth.length)
    expect(page.offset).toBe(offset)
    expect(page.items.map((h) => h.id)).toEqual(
      searchArticleIds(db, Q, { sort: 'date-asc' }).slice(offset)
    )
  }, 60_000)
})
