// Highlights already in users' libraries: rows frozen in test/fixtures/stored-anchors.json, written
// once by scripts/make-stored-anchors.ts in the selector format of the time (with and without the
// extended context), over real corpus articles (the seed, Chinese and English feed posts, one
// with an emoji in its text). They are put back raw into a fresh library, as an older Gleaner left
// them, and must still land on the same words at the same offsets — through the read path the
// window and the CLI use, the anchoring itself, and a re-clean that does not change the text.
// A change to how selectors are stored or read that would lose users' highlights fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { anchorSelectors, listAnnotations, reanchorArticle } from '../../src/core/annotations'
import { importPaths } from '../../src/core/importer/run'
import { getArticle } from '../../src/core/library/articles'
import { openLibraryDb, type Db } from '../../src/core/library/open'
import { CORPUS, tempDir } from '../helpers/corpus'

interface StoredAnnotation {
  why: string
  expect: { start: number; end: number; text: string } | null
  stored: Record<string, string | number | null>
}
interface StoredArticle {
  path: string
  cleaningVersion: number
  cleanTextSha256: string
  cleanTextLength: number
  annotations: StoredAnnotation[]
}

const FIXTURE = join(import.meta.dirname, '../fixtures/stored-anchors.json')
const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { articles: StoredArticle[] }

const tmp = tempDir('gleaner-stored-anchors-')
let db: Db
/** The fixture's article path → its id in the fresh library. */
const ids = new Map<string, number>()
/** The inserted row id → the fixture entry it came from. */
const inserted = new Map<number, { article: StoredArticle; a: StoredAnnotation }>()

beforeAll(async () => {
  db = openLibraryDb(join(tmp.dir, 'lib.db'))
  const files = fixture.articles.map((a) => join(CORPUS, a.path))
  const run = await importPaths(db, files)
  for (const [i, a] of fixture.articles.entries()) {
    const id = run.results.find((r) => r.path === files[i])?.articleId
    if (typeof id !== 'number') throw new Error(`${a.path} was not imported`)
    ids.set(a.path, id)
  }
  // The rows exactly as stored, column by column: nothing of today's writing code takes part.
  for (const article of fixture.articles) {
    for (const a of article.annotations) {
      const cols = Object.keys(a.stored)
      const info = db
        .prepare(
          `INSERT INTO annotations (article_id, ${cols.join(', ')}) VALUES (?, ${cols.map(() => '?').join(', ')})`
        )
        .run(ids.get(article.path), ...cols.map((c) => a.stored[c]))
      inserted.set(Number(info.lastInsertRowid), { article, a })
    }
  }
})

afterAll(() => {
  db?.close()
  tmp.cleanup()
})

describe('stored highlights from earlier versions', () => {
  it('covers the articles and kinds of rows it is meant to', () => {
    expect(fixture.articles.length).toBeGreaterThanOrEqual(8)
    const all = fixture.articles.flatMap((a) => a.annotations)
    expect(all.filter((a) => a.expect !== null).length).toBeGreaterThanOrEqual(30)
    expect(all.some((a) => a.why.startsWith('without context'))).toBe(true)
    expect(all.some((a) => a.why === 'article note')).toBe(true)
    expect(all.some((a) => a.why.startsWith('second copy'))).toBe(true)
    expect(all.some((a) => a.expect && /[\u{10000}-\u{10FFFF}]/u.test(a.expect.text))).toBe(true)
    expect(all.some((a) => a.expect && /\p{Script=Han}/u.test(a.expect.text))).toBe(true)
    expect(inserted.size).toBe(all.length)
  })

  it.each(fixture.articles.map((a) => [a.path, a] as const))(
    'the words they were made on are still what %s imports as',
    (_path, article) => {
      const got = getArticle(db, ids.get(article.path)!)!
      // If this fails the cleaner changed this article's text (not the selector format): the
      // highlights would be re-anchored on a re-clean. Regenerate the fixture only if that change
      // is meant (see scripts/make-stored-anchors.ts).
      expect(createHash('sha256').update(got.cleanText).digest('hex')).toBe(article.cleanTextSha256)
      expect(got.cleanText.length).toBe(article.cleanTextLength)
    }
  )

  it.each(fixture.articles.map((a) => [a.path, a] as const))(
    'every stored row of %s reads back on the same words and offsets',
    (_path, article) => {
      const articleId = ids.get(article.path)!
      const text = getArticle(db, articleId)!.cleanText
      const read = listAnnotations(db, articleId)
      expect(read).toHaveLength(article.annotations.length)
      for (const a of read) {
        const from = inserted.get(a.id)!
        const want = from.a.expect
        const label = `${article.path}: ${from.a.why}`
        expect(a.note, label).toBe(from.a.stored.note ?? '')
        expect(a.tags, label).toEqual(JSON.parse(String(from.a.stored.tags_json)))
        expect(a.color, label).toBe(from.a.stored.color)
        if (want === null) {
          expect(a.selectors, label).toBeNull()
          continue
        }
        expect(a.anchorStatus, label).toBe('anchored')
        expect(a.exact, label).toBe(want.text)
        expect(a.selectors?.quote.exact, label).toBe(want.text)
        expect(a.selectors?.position, label).toEqual({
          type: 'TextPositionSelector',
          start: want.start,
          end: want.end
        })
        expect(text.slice(want.start, want.end), label).toBe(want.text)
        // Anchoring them against the article's text finds them where they were, for certain.
        expect(anchorSelectors(text, a.selectors!), label).toEqual({
          start: want.start,
          end: want.end,
          method: 'position',
          confidence: 1
        })
      }
    }
  )

  it.each(fixture.articles.map((a) => [a.path, a] as const))(
    'a re-clean that leaves the text of %s as it was leaves every highlight in place',
    (_path, article) => {
      const articleId = ids.get(article.path)!
      const got = getArticle(db, articleId)!
      const highlights = article.annotations.filter((a) => a.expect !== null)
      const counts = reanchorArticle(db, articleId, got.cleanText, article.cleaningVersion)
      expect(counts).toEqual({
        total: highlights.length,
        unchanged: highlights.length,
        moved: 0,
        fuzzy: 0,
        needsReview: 0
      })
      for (const a of listAnnotations(db, articleId)) {
        const want = inserted.get(a.id)!.a.expect
        if (want === null) continue
        expect(a.anchorStatus).toBe('anchored')
        expect(a.selectors?.position).toMatchObject({ start: want.start, end: want.end })
        expect(a.exact).toBe(want.text)
      }
    }
  )
})
