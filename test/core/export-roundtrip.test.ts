// The Markdown export imported back into a fresh library with the real importer keeps each
// article's metadata, category hierarchy and tags.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { exportBundle, loadArticleDetail, loadCollectionBundle } from '../../src/core/export'
import { parseArticleFile } from '../../src/core/ingest/parse'
import { importPaths } from '../../src/core/importer/run'
import { openLibraryDb, type Db } from '../../src/core/library/open'
import type { ExportBundle } from '../../src/shared/export-types'
import { annotatedCollection, type AnnotatedCollection } from './export-fixture'

let fx: AnnotatedCollection
let bundle: ExportBundle
let second: Db
let mdDir: string

beforeAll(async () => {
  fx = await annotatedCollection()
  bundle = loadCollectionBundle(fx.db, fx.collectionId)
  mdDir = join(fx.dir, 'markdown')
  await exportBundle(bundle, 'markdown', mdDir)
  second = openLibraryDb(join(fx.dir, 'second.sqlite'))
})
afterAll(() => {
  second?.close()
  fx.db.close()
  rmSync(fx.dir, { recursive: true, force: true })
})

describe('Markdown round trip', () => {
  it('parses each exported file back to the same metadata', () => {
    for (const name of readdirSync(mdDir)) {
      if (name.endsWith(' - index.md')) continue
      const outcome = parseArticleFile(readFileSync(join(mdDir, name)), join(mdDir, name))
      expect(outcome.ok, name).toBe(true)
      if (!outcome.ok) continue
      const parsed = outcome.articles[0]
      const original = bundle.articles.find((e) => e.article.title === parsed?.title)?.article
      expect(original, `${name} → ${parsed?.title}`).toBeDefined()
      if (!original || !parsed) continue
      expect(parsed.format).toBe('markdown')
      expect(parsed.author).toBe(original.author)
      expect(parsed.source).toBe(original.source)
      expect(parsed.url).toBe(original.url)
      expect(parsed.publishedAt).toBe(original.publishedAt)
      expect(parsed.categoryPath).toEqual(original.categoryPath)
      expect(parsed.tags).toEqual(original.tags)
      expect(parsed.warnings).toEqual([])
    }
  })

  it('imports into a fresh library with categories, tags and highlights intact', async () => {
    const run = await importPaths(second, [mdDir])
    expect(run.counts.failed).toBe(0)
    // Every article plus the index note.
    expect(run.counts.imported).toBe(bundle.articles.length + 1)
    const imported = run.results
      .filter((r) => r.articleId !== undefined)
      .map((r) => loadArticleDetail(second, r.articleId as number))
    for (const e of bundle.articles) {
      const a = e.article
      const back = imported.find((x) => x?.title === a.title)
      expect(back, a.title).toBeDefined()
      expect(back?.categoryPath).toEqual(a.categoryPath)
      expect([...(back?.tags ?? [])].sort()).toEqual([...a.tags].sort())
      expect(back?.publishedAt).toBe(a.publishedAt)
      expect(back?.author).toBe(a.author)
      expect(back?.url).toBe(a.url)
      // The article's own text came back, and the highlights travel with it as text.
      const firstPara = a.cleanText.split('\n\n').find((p) => p.length > 20) ?? a.cleanText
      expect(back?.cleanText.replace(/\s+/g, '')).toContain(
        firstPara.replace(/\s+/g, '').slice(0, 40)
      )
      for (const ann of e.annotations) if (ann.exact) expect(back?.cleanText).toContain(ann.exact)
    }
    const index = imported.find((x) => x?.tags.includes('gleaner-index'))
    expect(index?.title).toBe(bundle.title)
  })
})
