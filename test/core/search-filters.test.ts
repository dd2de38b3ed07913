// Filters applied each way the planner can choose (probe per hit, IN-set, driving set) give
// the same hits, checked against the articles' own fields on a generated library.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { insertArticleRow } from '../../bench/lib/generate-library'
import { openLibraryDb } from '../../src/core/library/open'
import type { Db } from '../../src/core/library/open'
import {
  forceFilterStrategyForTests,
  planSearch,
  searchArticleIds,
  searchArticles,
  syncSearchIndex
} from '../../src/core/search'
import type { FilterStrategy } from '../../src/core/search'
import { listArticles } from '../../src/core/library/articles'
import type { SearchScope } from '../../src/shared/search-types'

interface Made {
  id: number
  title: string
  text: string
  date: string | null
  category: string[]
  tags: string[]
  starred: boolean
  read: boolean
  annotated: boolean
  collected: boolean
  deleted: boolean
  source: string | null
  recent: boolean
}

let dir: string
let db: Db
const made: Made[] = []
let collection: number
let smartCollection: number

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gleaner-search-filters-'))
  db = openLibraryDb(join(dir, 'library.db'))
  const words = ['市场', '银行', '上海市场', 'market news', '保险']
  const cats = [['金融', '银行'], ['金融', '保险'], ['科技'], []]
  collection = Number(
    db.prepare("INSERT INTO collections(name, created_at) VALUES ('跟进', 'x')").run()
      .lastInsertRowid
  )
  smartCollection = Number(
    db
      .prepare("INSERT INTO collections(name, query, created_at) VALUES ('银行动态', '银行', 'x')")
      .run().lastInsertRowid
  )
  for (let i = 0; i < 240; i++) {
    const text = `${words[i % 5]} 第${i}篇 ${i % 7 === 0 ? '银行' : ''}`
    const date =
      i % 11 === 0
        ? null
        : `${2019 + (i % 5)}-${String(1 + (i % 12)).padStart(2, '0')}-15T00:00:00.000Z`
    const m: Made = {
      id: 0,
      title: `标题${i}`,
      text,
      date,
      category: cats[i % 4]!,
      tags: i % 6 === 0 ? ['AI'] : i % 9 === 0 ? ['待读'] : [],
      starred: i % 8 === 0,
      read: i % 3 === 0,
      annotated: i % 10 === 0,
      collected: i % 13 === 0,
      deleted: i % 17 === 0,
      source: i % 5 === 0 ? null : (['sina', 'ifeng', 'caixin'][i % 3] ?? null),
      recent: i % 4 === 1
    }
    m.id = insertArticleRow(db, {
      title: m.title,
      cleanText: text,
      publishedAt: date,
      categoryPath: m.category,
      tags: m.tags,
      starred: m.starred,
      read: m.read,
      deleted: m.deleted,
      source: m.source,
      annotations: m.annotated ? [{ exact: '第', note: '要点' }] : []
    })
    if (m.recent) {
      db.prepare('UPDATE articles SET imported_at = ? WHERE id = ?').run(
        new Date(Date.now() - 86_400_000).toISOString(),
        m.id
      )
    }
    if (m.collected) {
      db.prepare(
        'INSERT INTO collection_items(collection_id, article_id, position) VALUES (?, ?, ?)'
      ).run(collection, m.id, i)
    }
    made.push(m)
  }
  syncSearchIndex(
    db,
    made.map((m) => m.id)
  )
})
afterEach(() => forceFilterStrategyForTests(null))
afterAll(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

type Pred = (m: Made) => boolean
// Words are looked for in every indexed field: text, title, category levels, tags, notes.
const has =
  (s: string): Pred =>
  (m) =>
    [
      m.text,
      m.title,
      m.source ?? '',
      ...m.category,
      ...m.tags,
      ...(m.annotated ? ['第', '要点'] : [])
    ].some((field) => field.includes(s))
const after =
  (d: string): Pred =>
  (m) =>
    m.date !== null && m.date >= d
const not =
  (p: Pred): Pred =>
  (m) =>
    !p(m)
const and =
  (...ps: Pred[]): Pred =>
  (m) =>
    ps.every((p) => p(m))
const or =
  (...ps: Pred[]): Pred =>
  (m) =>
    ps.some((p) => p(m))
const inCategory =
  (c: string): Pred =>
  (m) =>
    m.category.includes(c)
const tagged =
  (t: string): Pred =>
  (m) =>
    m.tags.includes(t)

const FILTERS: [string, Pred][] = [
  ['after:2021-07-01', after('2021-07-01')],
  ['-after:2021-07-01', not(after('2021-07-01'))],
  ['before:2021', (m) => m.date !== null && m.date < '2021-01-01'],
  ['category:金融', inCategory('金融')],
  ['-category:科技', not(inCategory('科技'))],
  ['tag:AI', tagged('AI')],
  ['-tag:AI', not(tagged('AI'))],
  ['collection:跟进', (m) => m.collected],
  ['-collection:跟进', (m) => !m.collected],
  ['is:starred', (m) => m.starred],
  ['is:unread', (m) => !m.read],
  ['-is:read', (m) => !m.read],
  ['has:annotation', (m) => m.annotated],
  ['-has:annotation', (m) => !m.annotated],
  ['tag:AI OR category:科技', or(tagged('AI'), inCategory('科技'))],
  ['tag:待读 OR 保险', or(tagged('待读'), has('保险'))],
  ['after:2020 is:starred', and(after('2020-01-01'), (m) => m.starred)],
  [
    'category:银行 -is:read has:annotation',
    and(
      inCategory('银行'),
      (m) => !m.read,
      (m) => m.annotated
    )
  ]
]

function expected(p: Pred): number[] {
  return made
    .filter((m) => !m.deleted && p(m))
    .map((m) => m.id)
    .sort((a, b) => a - b)
}

function found(q: string): number[] {
  return searchArticleIds(db, q).sort((a, b) => a - b)
}

const STRATEGIES: (FilterStrategy | null)[] = [null, 'probe', 'in', 'drive']

describe('filters give the same hits however they are applied', () => {
  for (const strategy of STRATEGIES) {
    it(`${strategy ?? 'planner’s choice'}`, () => {
      forceFilterStrategyForTests(strategy)
      for (const [filter, pred] of FILTERS) {
        expect(found(filter), filter).toEqual(expected(pred))
        expect(found(`市场 ${filter}`), `市场 ${filter}`).toEqual(expected(and(has('市场'), pred)))
        expect(found(`${filter} 银行 -上海`), `${filter} 银行 -上海`).toEqual(
          expected(and(has('银行'), not(has('上海')), pred))
        )
        const all = expected(and(has('市场'), pred))
        const res = searchArticles(db, `市场 ${filter}`, { limit: 5 })
        expect(res.total, `total of 市场 ${filter}`).toBe(all.length)
        const byDate = searchArticles(db, `市场 ${filter}`, { limit: 500, sort: 'date-desc' })
        expect(byDate.total).toBe(all.length)
        expect(byDate.items.map((h) => h.id).sort((a, b) => a - b)).toEqual(all)
      }
    })
  }

  it('pages past the ranking window still count every hit', () => {
    const all = expected(has('第'))
    const res = searchArticles(db, '第', { limit: 10, offset: all.length + 5 })
    expect(res.items).toEqual([])
    expect(res.total).toBe(all.length)
  })
})

describe('a search limited to the selected scope finds what that view lists', () => {
  const SCOPES: [string, () => SearchScope, Pred][] = [
    ['category 金融 and below', () => ({ categoryPath: ['金融'] }), inCategory('金融')],
    [
      'category 金融 › 银行',
      () => ({ categoryPath: ['金融', '银行'] }),
      (m) => m.category.join('/') === '金融/银行'
    ],
    ['a category that is gone', () => ({ categoryPath: ['不存在'] }), () => false],
    ['tag AI', () => ({ tag: 'AI' }), tagged('AI')],
    ['source', () => ({ source: 'sina' }), (m) => m.source === 'sina'],
    ['unread', () => ({ view: 'unread' }), (m) => !m.read],
    ['starred', () => ({ view: 'starred' }), (m) => m.starred],
    ['annotated', () => ({ view: 'annotated' }), (m) => m.annotated],
    ['recently imported', () => ({ view: 'recent' }), (m) => m.recent],
    ['all', () => ({ view: 'all' }), () => true],
    ['manual collection', () => ({ collectionId: collection }), (m) => m.collected],
    ['smart collection', () => ({ collectionId: smartCollection }), has('银行')],
    ['a collection that is gone', () => ({ collectionId: 999_999 }), () => false],
    [
      'category, view and source together',
      () => ({ categoryPath: ['金融'], view: 'unread', source: 'ifeng' }),
      and(inCategory('金融'), (m) => !m.read && m.source === 'ifeng')
    ]
  ]
  const QUERIES: [string, Pred][] = [
    ['市场', has('市场')],
    ['市场 -上海', and(has('市场'), not(has('上海')))],
    ['is:read', (m) => m.read],
    ['tag:AI OR 保险', or(tagged('AI'), has('保险'))]
  ]

  for (const strategy of STRATEGIES) {
    it(`${strategy ?? 'planner’s choice'}`, () => {
      forceFilterStrategyForTests(strategy)
      for (const [name, scopeOf, inScope] of SCOPES) {
        const scope = scopeOf()
        for (const [q, matches] of QUERIES) {
          const want = expected(and(matches, inScope))
          const label = `${q} in ${name}`
          expect(
            searchArticleIds(db, q, { scope }).sort((a, b) => a - b),
            label
          ).toEqual(want)
          const page = searchArticles(db, q, { scope, limit: 500, sort: 'date-desc' })
          expect(page.total, label).toBe(want.length)
          expect(
            page.items.map((h) => h.id).sort((a, b) => a - b),
            label
          ).toEqual(want)
        }
      }
    })
  }

  // listArticles lists manual collections only (the window lists a smart one by its search).
  it('matches the article list of the same selection', () => {
    for (const [name, scopeOf] of SCOPES.filter(([n]) => n !== 'smart collection')) {
      const scope = scopeOf()
      const listed = new Set(listArticles(db, { ...scope, limit: 1000 }).items.map((a) => a.id))
      const hits = searchArticleIds(db, '市场', { scope }).sort((a, b) => a - b)
      expect(hits, name).toEqual(expected(has('市场')).filter((id) => listed.has(id)))
    }
  })

  it('highlights only the typed words inside a smart collection', () => {
    const r = searchArticles(db, '市场', { scope: { collectionId: smartCollection } })
    expect(r.highlightTerms).toEqual(['市场'])
    expect(r.total).toBe(expected(and(has('市场'), has('银行'))).length)
  })
})

describe('a query that cannot run comes back as data: a code, its values, and the English', () => {
  const CASES: [string, string, Record<string, string | number>, string][] = [
    [
      '市场 tag:不存在',
      'query-unknown-name',
      { field: 'tag', value: '不存在' },
      "There is no tag named '不存在' in this library."
    ],
    [
      '。！',
      'query-nothing-to-search',
      { query: '。！' },
      "Nothing to search for in '。！': it has no letters or numbers."
    ],
    [
      '市场 after:昨天',
      'query-bad-date',
      { field: 'after', value: '昨天' },
      "after: wants a date like 2021-07-01, 2021-07 or 2021; '昨天' is not one."
    ],
    [
      '"市场',
      'query-unclosed-quote',
      { position: 1, quote: '"' },
      'The quote opened at character 1 is never closed: add " after the phrase.'
    ]
  ]
  it.each(CASES)('%s → %s', (q, code, params, message) => {
    const r = searchArticles(db, q, { scope: { view: 'unread' } })
    expect(r.total).toBe(0)
    expect(r.items).toEqual([])
    expect(r.queryError).toEqual({ code, params, message })
    expect(r.error).toBe(message)
  })
})

describe('thousands of hits', () => {
  it('counts every hit, with and without filters', () => {
    const ids: number[] = []
    db.transaction(() => {
      for (let i = 0; i < 2600; i++) {
        ids.push(
          insertArticleRow(db, { title: 't', cleanText: `资讯 ${i}`, starred: i % 10 === 0 })
        )
      }
    })()
    syncSearchIndex(db, ids)
    for (const strategy of STRATEGIES) {
      forceFilterStrategyForTests(strategy)
      expect(searchArticles(db, '资讯', { limit: 5 }).total).toBe(2600)
      expect(searchArticles(db, '资讯 -is:starred', { limit: 5 }).total).toBe(2340)
      expect(searchArticles(db, '资讯 is:starred', { limit: 5 }).total).toBe(260)
      const late = searchArticles(db, '资讯 -is:starred', { limit: 20, offset: 2330 })
      expect(late.total).toBe(2340)
      expect(late.items).toHaveLength(10)
    }
  })
})

describe('plans', () => {
  const plan = (q: string, sort: 'relevance' | 'date-desc' = 'relevance'): string => {
    const p = planSearch(db, q, sort)
    // The ranking window (relevance with words only), then LIMIT and OFFSET.
    const page = (p.pageSql.match(/LIMIT \?/g) ?? []).length === 2 ? [10, 10, 0] : [10, 0]
    return [
      [p.countSql, p.params],
      [p.pageSql, [...p.params, ...page]]
    ]
      .flatMap(([sql, params]) =>
        (
          db.prepare(`EXPLAIN QUERY PLAN ${sql as string}`).all(...(params as unknown[])) as {
            detail: string
          }[]
        ).map((r) => r.detail)
      )
      .join('\n')
  }

  it('probes dates and flags in the small per-article index, never in the article rows', () => {
    forceFilterStrategyForTests('probe')
    const p = plan('市场 after:2021-07-01 is:starred')
    expect(p).toContain('USING COVERING INDEX articles_search_filter (id=?')
    expect(p).not.toMatch(/SEARCH articles USING INTEGER PRIMARY KEY/)
    expect(plan('市场', 'date-desc')).toContain('COVERING INDEX articles_search_filter')
  })

  it('probes categories and tags by article id with one seek', () => {
    forceFilterStrategyForTests('probe')
    expect(plan('市场 category:金融')).toMatch(
      /SEARCH article_categories .*COVERING INDEX sqlite_autoindex_article_categories_1 \(article_id=\?\)/
    )
    expect(plan('市场 tag:AI')).toContain('(article_id=?)')
  })

  it('filter-only searches read just the per-article index', () => {
    const p = plan('is:unread after:2020')
    expect(p).toContain('COVERING INDEX articles_search_filter')
    expect(p).not.toMatch(/SCAN articles\b/)
  })
})
