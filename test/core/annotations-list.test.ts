// The library-wide list of annotations (All notes & highlights, the review list) and the export
// of a filtered list, over a real library imported from the corpus through the service.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Annotation, AnnotationQuery } from '../../src/shared/annotation-types'
import { validateCall } from '../../src/shared/validate'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { CORPUS, SEED_DIR, tempDir } from '../helpers/corpus'

const tmp = tempDir('gleaner-annotation-list-')
let service: GleanerService
/** Live article ids, newest published first (the 'article' order). */
let byDate: number[]
let text: Map<number, string>
let titles: Map<number, string>

/** Highlights the first occurrence of `quote` in the article. */
async function highlight(
  articleId: number,
  quote: string,
  extra: { color?: Annotation['color']; note?: string; tags?: string[] } = {}
): Promise<Annotation> {
  const start = text.get(articleId)!.indexOf(quote)
  if (start < 0) throw new Error(`"${quote}" not in article ${articleId}`)
  return service.createAnnotation({
    articleId,
    start,
    end: start + quote.length,
    ...(extra.color ? { color: extra.color } : {}),
    ...(extra.note ? { note: extra.note } : {}),
    ...(extra.tags ? { tags: extra.tags } : {})
  })
}

/** A phrase of the article's body at an offset in its first long line (not the title). */
function phrase(articleId: number, at: number, length = 8): string {
  const t = text.get(articleId)!
  const title = titles.get(articleId)!
  const lines = t
    .split('\n')
    .filter(
      (l) => l.trim().length >= Math.max(20, at + length) && !title.includes(l.trim().slice(0, 6))
    )
  return lines[0]!.trim().slice(at, at + length)
}

const created: Annotation[] = []

beforeAll(async () => {
  service = createGleanerService({
    libraryPath: join(tmp.dir, 'library.db'),
    watchExternal: false
  })
  await service.importPaths([SEED_DIR, join(CORPUS, 'rsshub/新媒体/虎嗅')])
  const page = await service.listArticles({ sort: 'date-desc', limit: 100 })
  byDate = page.items.map((a) => a.id)
  text = new Map()
  titles = new Map()
  for (const id of byDate) {
    const article = (await service.getArticle(id))!
    text.set(id, article.cleanText)
    titles.set(id, article.title)
  }
  const [a, b, c] = byDate as [number, number, number]
  // Made in this order (ids grow with creation).
  created.push(await highlight(b, phrase(b, 0), { color: 'green', note: '第一条', tags: ['重点'] }))
  created.push(await highlight(a, phrase(a, 10), { color: 'blue', tags: ['数据'] }))
  created.push(
    await highlight(a, phrase(a, 0), {
      color: 'green',
      note: 'Growth 增长',
      tags: ['重点', '数据']
    })
  )
  created.push(await service.createAnnotation({ articleId: c, note: '整篇的批注', tags: ['待查'] }))
  created.push(await highlight(c, phrase(c, 2), { color: 'yellow', note: '100% sure_' }))
}, 120_000)

afterAll(() => {
  service.close()
  tmp.cleanup()
})

const ids = async (q: AnnotationQuery): Promise<number[]> =>
  (await service.listAllAnnotations(q)).items.map((a) => a.id)

describe('listAllAnnotations', () => {
  it('lists every annotation newest first, each with its article’s title, source and date', async () => {
    const page = await service.listAllAnnotations({})
    expect(page.total).toBe(5)
    expect(page.items.map((a) => a.id)).toEqual(created.map((a) => a.id).reverse())
    const first = page.items.find((a) => a.id === created[0]!.id)!
    const article = (await service.getArticle(first.articleId))!
    expect(first.article).toEqual({
      title: article.title,
      source: article.source,
      publishedAt: article.publishedAt
    })
    expect(first.exact).toBe(created[0]!.exact)
    expect(first.tags).toEqual(['重点'])
    expect(await ids({ sort: 'oldest' })).toEqual(created.map((a) => a.id))
  })

  it('orders by article: newest article first, its note first, then highlights in text order', async () => {
    const [b1, a2, a1, cNote, c1] = created as [
      Annotation,
      Annotation,
      Annotation,
      Annotation,
      Annotation
    ]
    expect(await ids({ sort: 'article' })).toEqual([a1.id, a2.id, b1.id, cNote.id, c1.id])
  })

  it('filters by colour, tag, text, status and creation time, all together', async () => {
    const [b1, a2, a1, , c1] = created as Annotation[]
    expect(await ids({ colors: ['green'] })).toEqual([a1!.id, b1!.id])
    expect(await ids({ colors: ['green', 'yellow'] })).toEqual([c1!.id, a1!.id, b1!.id])
    expect(await ids({ tag: '数据' })).toEqual([a1!.id, a2!.id])
    expect(await ids({ tag: '重点', colors: ['green'] })).toEqual([a1!.id, b1!.id])
    // In the note or the quote; Latin letters in any case; LIKE's wildcards are literal.
    expect(await ids({ text: 'growth' })).toEqual([a1!.id])
    expect(await ids({ text: '100%' })).toEqual([c1!.id])
    expect(await ids({ text: 'sure_' })).toEqual([c1!.id])
    const all = await service.listAllAnnotations({})
    for (const wildcard of ['%', '_'])
      expect(await ids({ text: wildcard })).toEqual(
        all.items
          .filter((a) => (a.exact ?? '').includes(wildcard) || a.note.includes(wildcard))
          .map((a) => a.id)
      )
    expect(await ids({ text: created[1]!.exact! })).toEqual([a2!.id])
    expect(await ids({ status: 'needs-review' })).toEqual([])
    const oldest = await service.listAllAnnotations({ sort: 'oldest' })
    const third = oldest.items[2]!.createdAt
    expect(
      (await service.listAllAnnotations({ from: third })).items.every((a) => a.createdAt >= third)
    ).toBe(true)
    expect(await ids({ to: third, sort: 'oldest' })).toEqual(
      oldest.items.filter((a) => a.createdAt < third).map((a) => a.id)
    )
    expect(await ids({ from: '2000-01-01T00:00:00Z', to: '2000-01-02T00:00:00Z' })).toEqual([])
  })

  it('filters by collection, manual or smart', async () => {
    const [b1, a2, a1] = created as Annotation[]
    const manual = await service.createCollection('周报', null)
    await service.addToCollection(manual.id, [byDate[0]!])
    expect(await ids({ collectionId: manual.id })).toEqual([a1!.id, a2!.id])
    const smart = await service.createCollection('有高亮', 'has:annotation')
    expect((await service.listAllAnnotations({ collectionId: smart.id })).total).toBe(5)
    await expect(service.listAllAnnotations({ collectionId: 999_999 })).rejects.toMatchObject({
      code: 'not-found'
    })
    expect(await ids({ collectionId: manual.id, tag: '重点' })).not.toContain(b1!.id)
  })

  it('pages through every annotation once with the true total', async () => {
    const seen: number[] = []
    for (let offset = 0; ; offset += 2) {
      const page = await service.listAllAnnotations({ sort: 'article', offset, limit: 2 })
      expect(page.total).toBe(5)
      expect(page.offset).toBe(offset)
      if (page.items.length === 0) break
      seen.push(...page.items.map((a) => a.id))
    }
    expect(seen).toEqual(await ids({ sort: 'article' }))
    expect(new Set(seen).size).toBe(5)
  })

  it('leaves out annotations of articles in the trash, and brings them back with the article', async () => {
    const gone = byDate[0]!
    await service.deleteArticles([gone])
    const page = await service.listAllAnnotations({})
    expect(page.total).toBe(3)
    expect(page.items.some((a) => a.articleId === gone)).toBe(false)
    expect((await service.annotationTags()).find((t) => t.tag === '数据')).toBeUndefined()
    await service.restoreArticles([gone])
    expect((await service.listAllAnnotations({})).total).toBe(5)
  })

  it('counts the tags used on annotations, most used first', async () => {
    expect(await service.annotationTags()).toEqual([
      { tag: '数据', count: 2 },
      { tag: '重点', count: 2 },
      { tag: '待查', count: 1 }
    ])
  })

  it('lists needs-review annotations by status, not those of deleted articles', async () => {
    const [, , , , c1] = created as Annotation[]
    // The text moves on so far that the highlight cannot be found again.
    service.db
      .prepare(`UPDATE annotations SET anchor_status = 'needs-review' WHERE id = ?`)
      .run(c1!.id)
    expect(await ids({ status: 'needs-review' })).toEqual([c1!.id])
    expect((await service.listAnnotationsNeedingReview()).map((a) => a.id)).toEqual([c1!.id])
    await service.deleteArticles([c1!.articleId])
    expect(await ids({ status: 'needs-review' })).toEqual([])
    expect(await service.listAnnotationsNeedingReview()).toEqual([])
    await service.restoreArticles([c1!.articleId])
    service.db.prepare(`UPDATE annotations SET anchor_status = 'anchored' WHERE id = ?`).run(c1!.id)
  })

  it('refuses a query it cannot read, naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [{ colors: ['red'] }, /query\.colors\[0\] must be one of/],
      [{ sort: 'random' }, /sort must be one of/],
      [{ limit: 5000 }, /limit must be at most 1000/],
      [{ from: 'yesterday' }, /from must be a date/],
      [{ status: 'lost' }, /status must be one of/],
      [{ text: 'x'.repeat(501) }, /text must be a string/],
      [{ where: '1=1' }, /unknown query field 'where'/],
      [null, /query must be an object/]
    ]
    for (const [query, message] of bad)
      expect(() => validateCall('listAllAnnotations', [query])).toThrow(message)
    expect(validateCall('listAllAnnotations', [{ colors: ['green'], tag: '重点' }])).toEqual([
      { colors: ['green'], tag: '重点' }
    ])
  })
})

describe('exporting annotations', () => {
  it('writes the chosen annotations alone, under their articles, as one Markdown file', async () => {
    const chosen = await service.listAllAnnotations({ tag: '重点' })
    const out = join(tmp.dir, 'notes.md')
    const result = await service.exportArticles({
      source: { annotationIds: chosen.items.map((a) => a.id) },
      format: 'markdown',
      outPath: out,
      locale: 'zh'
    })
    expect(result).toMatchObject({ files: [out], articleCount: 2, annotationCount: 2 })
    const md = readFileSync(out, 'utf8')
    expect(md).toContain('# 笔记与高亮')
    for (const a of chosen.items) {
      // Quotes are escaped Markdown; compare letters and digits only.
      expect(md.replace(/\\/g, '')).toContain(a.exact!)
      expect(md).toContain(a.article.title.slice(0, 10))
    }
    expect(md).toContain('第一条')
    expect(md).not.toContain(created[1]!.exact!)
    // Not the articles' text: only the highlighted words of it.
    const a = chosen.items[0]!
    const body = text.get(a.articleId)!
    const unquoted = body.split('\n').find((l) => l.trim().length > 30 && !l.includes(a.exact!))!
    expect(md).not.toContain(unquoted.trim().slice(0, 30))
  })

  it('writes them as an HTML briefing that lists each quote with its note and tags', async () => {
    const chosen = await service.listAllAnnotations({ colors: ['green'] })
    const out = join(tmp.dir, 'notes.html')
    await service.exportArticles({
      source: { annotationIds: chosen.items.map((a) => a.id) },
      format: 'html',
      outPath: out
    })
    const html = readFileSync(out, 'utf8')
    expect(html).toContain('<title>Notes and highlights</title>')
    expect(html).toContain('Highlights</h3>')
    for (const a of chosen.items) expect(html).toContain(`<q>${a.exact}</q>`)
    expect(html).toContain('Growth 增长')
    expect(html).not.toContain('<mark')
  })

  it('exports every annotation a query finds, in its order, paging aside', async () => {
    const out = join(tmp.dir, 'by-query.md')
    const result = await service.exportArticles({
      source: { annotationQuery: { tag: '数据', sort: 'article' } },
      format: 'markdown',
      outPath: out
    })
    // Both 数据 highlights are in one article: one heading, two quotes in text order.
    expect(result).toMatchObject({ articleCount: 1, annotationCount: 2 })
    const md = readFileSync(out, 'utf8')
    const [, a2, a1] = created as Annotation[]
    expect(md.indexOf(a1!.exact!)).toBeLessThan(md.indexOf(a2!.exact!))
    expect(md).not.toContain('第一条')
    expect(
      validateCall('exportArticles', [
        {
          source: { annotationQuery: { tag: '数据', offset: 5, limit: 1 } },
          format: 'html',
          outPath: '/tmp/x.html'
        }
      ])[0].source
    ).toEqual({ annotationQuery: { tag: '数据' } })
  })

  it('never replaces an existing file unless told to', async () => {
    const out = join(tmp.dir, 'kept.md')
    writeFileSync(out, 'mine')
    const request = {
      source: { annotationIds: [created[0]!.id] },
      format: 'markdown' as const,
      outPath: out
    }
    await expect(service.exportArticles(request)).rejects.toMatchObject({
      code: 'file-exists',
      params: { path: out }
    })
    expect(readFileSync(out, 'utf8')).toBe('mine')
    await service.exportArticles({ ...request, overwrite: true })
    expect(readFileSync(out, 'utf8')).toContain('第一条')
  })

  it('refuses an export of nothing (unknown ids) without writing a file', async () => {
    const out = join(tmp.dir, 'none.md')
    await expect(
      service.exportArticles({
        source: { annotationIds: [987_654] },
        format: 'markdown',
        outPath: out
      })
    ).rejects.toMatchObject({ code: 'nothing-to-export' })
    expect(existsSync(out)).toBe(false)
  })
})
