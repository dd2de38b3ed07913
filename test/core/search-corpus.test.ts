// The "done when": on the real seed + rsshub corpus, imported by the real importer,
// each query returns exactly the articles that should match. Expected sets are computed
// here by scanning the stored rows in JS, never through the search code.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importPaths } from '../../src/core/importer/run'
import { openLibraryDb } from '../../src/core/library/open'
import type { Db } from '../../src/core/library/open'
import { indexImportedArticles, searchArticleIds, searchArticles } from '../../src/core/search'
import { documentOfParsed, type SearchDocument } from '../../src/core/search/document'
import { loadSearchDocument } from '../../src/core/search/indexer'
import { SHARED } from '../helpers/corpus'

const CORPUS = `${SHARED}/corpus`

interface Row {
  id: number
  fields: string[]
  categoryNames: string[]
  publishedAt: string | null
}

let dir: string
let db: Db
let rows: Row[]
let seedId: number
const freshDocs = new Map<number, SearchDocument>()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gleaner-search-corpus-'))
  db = openLibraryDb(join(dir, 'library.db'))
  // The app's path: new articles indexed from their parsed form, without reading them back.
  const run = await importPaths(db, [join(CORPUS, 'seed'), join(CORPUS, 'rsshub')], {
    afterWrite: (d, ids, fresh) => {
      for (const [id, parsed] of fresh) freshDocs.set(id, documentOfParsed(parsed))
      indexImportedArticles(d, ids, fresh)
    }
  })
  expect(run.counts.imported).toBeGreaterThan(100)
  const articles = db
    .prepare(
      `SELECT id, title, original_title, clean_text, author, source, published_at, source_path
       FROM articles WHERE deleted_at IS NULL`
    )
    .all() as {
    id: number
    title: string
    original_title: string | null
    clean_text: string
    author: string | null
    source: string | null
    published_at: string | null
    source_path: string | null
  }[]
  const cats = db
    .prepare(
      `SELECT ac.article_id AS id, c.path FROM article_categories ac JOIN categories c ON c.id = ac.category_id`
    )
    .all() as { id: number; path: string }[]
  const tags = db
    .prepare(
      `SELECT at.article_id AS id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id`
    )
    .all() as { id: number; name: string }[]
  rows = articles.map((a) => {
    const categoryNames = cats.filter((c) => c.id === a.id).flatMap((c) => c.path.split('\u001f'))
    return {
      id: a.id,
      // Each field on its own: a match never spans two fields.
      fields: [
        a.title,
        a.original_title ?? '',
        a.clean_text,
        a.author ?? '',
        a.source ?? '',
        ...categoryNames,
        ...tags.filter((t) => t.id === a.id).map((t) => t.name)
      ],
      categoryNames,
      publishedAt: a.published_at
    }
  })
  const seed = articles.find((a) => a.source_path?.includes('000_f63c91c8bd308f54'))
  if (!seed) throw new Error('seed article was not imported')
  seedId = seed.id
}, 120_000)

afterAll(() => {
  db?.close()
  rmSync(dir, { recursive: true, force: true })
})

const contains = (r: Row, ...needles: string[]): boolean =>
  r.fields.some((f) => needles.some((n) => f.includes(n)))
const ids = (pred: (r: Row) => boolean): number[] =>
  rows
    .filter(pred)
    .map((r) => r.id)
    .sort((a, b) => a - b)
const found = (query: string): number[] => searchArticleIds(db, query).sort((a, b) => a - b)

// The shipped synonyms of 进博会 (resources/synonyms/default-synonyms.json).
const JINBOHUI = ['进博会', '中国国际进口博览会', '进口博览会']

describe('search on the real corpus returns exactly the matching articles', () => {
  it('indexes each new article with the document the library would give it when read back', () => {
    expect(freshDocs.size).toBe(rows.length)
    const tagSet = (d: SearchDocument): string[] => d.tag.split('\n').sort()
    for (const [id, doc] of freshDocs) {
      const stored = loadSearchDocument(db, id)
      expect(stored, `article ${id}`).not.toBeNull()
      expect({ ...doc, tag: tagSet(doc) }, `article ${id}`).toEqual({
        ...stored!,
        tag: tagSet(stored!)
      })
    }
  })

  it.each(['上海', '软实力', '会展中心', '加速', '加速器'])('%s', (q) => {
    const expected = ids((r) => contains(r, q))
    expect(expected).toContain(seedId)
    expect(found(q)).toEqual(expected)
  })

  it('上海 finds more than the seed (the corpus has other Shanghai articles)', () => {
    expect(ids((r) => contains(r, '上海')).length).toBeGreaterThan(3)
  })

  it('进博会 (with its full name as a synonym)', () => {
    const expected = ids((r) => contains(r, ...JINBOHUI))
    expect(expected).toContain(seedId)
    expect(found('进博会')).toEqual(expected)
  })

  it('"城市软实力" as an exact phrase', () => {
    const expected = ids((r) => contains(r, '城市软实力'))
    expect(expected).toEqual([seedId])
    expect(found('"城市软实力"')).toEqual(expected)
  })

  it('上海 -进博会 excludes the seed', () => {
    const expected = ids((r) => contains(r, '上海') && !contains(r, ...JINBOHUI))
    expect(expected).not.toContain(seedId)
    expect(expected.length).toBeGreaterThan(0)
    expect(found('上海 -进博会')).toEqual(expected)
  })

  it('category:金融 上海', () => {
    const expected = ids((r) => r.categoryNames.includes('金融') && contains(r, '上海'))
    expect(expected).toContain(seedId)
    expect(expected.length).toBeLessThan(ids((r) => contains(r, '上海')).length)
    expect(found('category:金融 上海')).toEqual(expected)
  })

  it('after:2021-07-01 (on or after that day, UTC)', () => {
    const expected = ids((r) => r.publishedAt !== null && r.publishedAt >= '2021-07-01')
    expect(expected).toContain(seedId)
    expect(expected.length).toBeLessThan(rows.length)
    expect(found('after:2021-07-01')).toEqual(expected)
  })

  it('the seed ranks first for 软实力 and its snippet shows the original text', () => {
    const r = searchArticles(db, '软实力', { limit: 5 })
    expect(r.error).toBeUndefined()
    const top = r.items[0]
    expect(top?.id).toBe(seedId)
    expect(top?.snippetHtml).toContain('<mark>软实力</mark>')
    expect(top?.snippetHtml).not.toMatch(/[\u200b]|<(?!\/?mark>)/u)
    expect(top?.titleHtml).toBe('第四届进博会：提升城市<mark>软实力</mark>与服务保障进博会双促进')
  })

  it('加速 highlights the prefix inside 加速器', () => {
    const hit = searchArticles(db, '加速').items.find((h) => h.id === seedId)
    expect(hit?.snippetHtml).toContain('“<mark>加速</mark>器”')
  })
})
