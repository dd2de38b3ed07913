// The middle pane's queries: views, filters, orders and paging over the real corpus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import type { ArticleSummary } from '../../src/shared/types'
import { RSSHUB, SEED_FILE, tempDir } from '../helpers/corpus'

const t = tempDir('gleaner-list-')
let svc: GleanerService
let all: ArticleSummary[]

beforeAll(async () => {
  svc = createGleanerService({ libraryPath: join(t.dir, 'l.db') })
  await svc.importPaths([SEED_FILE, RSSHUB])
  all = (await svc.listArticles({ limit: 1000 })).items
})
afterAll(() => {
  svc.close()
  t.cleanup()
})

describe('article list', () => {
  it('orders by date, newest first, undated last, and pages without gaps or repeats', async () => {
    const dated = all.filter((a) => a.publishedAt)
    for (let i = 1; i < dated.length; i++)
      expect((dated[i - 1]?.publishedAt ?? '') >= (dated[i]?.publishedAt ?? '')).toBe(true)
    const firstUndated = all.findIndex((a) => !a.publishedAt)
    if (firstUndated >= 0) expect(all.slice(firstUndated).every((a) => !a.publishedAt)).toBe(true)
    const paged: number[] = []
    for (let offset = 0; offset < all.length; offset += 7)
      paged.push(...(await svc.listArticles({ offset, limit: 7 })).items.map((a) => a.id))
    expect(paged).toEqual(all.map((a) => a.id))
  })

  it('sorts by title and source', async () => {
    const byTitle = (await svc.listArticles({ sort: 'title', limit: 1000 })).items.map(
      (a) => a.title
    )
    const collator = (x: string, y: string): number =>
      x.toLowerCase() < y.toLowerCase() ? -1 : x.toLowerCase() > y.toLowerCase() ? 1 : 0
    for (let i = 1; i < byTitle.length; i++)
      expect(collator(byTitle[i - 1] ?? '', byTitle[i] ?? '')).toBeLessThanOrEqual(0)
    const bySource = (await svc.listArticles({ sort: 'source', limit: 1000 })).items.map(
      (a) => a.source ?? ''
    )
    for (let i = 1; i < bySource.length; i++)
      expect((bySource[i - 1] ?? '') <= (bySource[i] ?? '')).toBe(true)
  })

  it('has smart views: unread, starred, annotated, recently imported', async () => {
    const [a, b] = all
    if (!a || !b) throw new Error('corpus too small')
    await svc.setStarred([a.id], true)
    await svc.setRead([a.id, b.id], true)
    expect((await svc.listArticles({ view: 'starred' })).items.map((x) => x.id)).toEqual([a.id])
    expect((await svc.listArticles({ view: 'unread' })).total).toBe(all.length - 2)
    const text = (await svc.getArticle(b.id))?.cleanText ?? ''
    await svc.createAnnotation({ articleId: b.id, start: 0, end: Math.min(4, text.length) })
    const annotated = (await svc.listArticles({ view: 'annotated' })).items
    expect(annotated.map((x) => x.id)).toEqual([b.id])
    expect(annotated[0]?.annotationCount).toBe(1)
    expect((await svc.listArticles({ view: 'recent' })).total).toBe(all.length)
  })

  it('filters by source, tag and collection, and lists sources and tags with counts', async () => {
    const sources = await svc.sources()
    const top = sources[0]
    expect(top).toBeDefined()
    expect(sources.reduce((n, s) => n + s.count, 0)).toBe(all.filter((a) => a.source).length)
    const bySource = await svc.listArticles({ source: top?.source ?? '', limit: 1000 })
    expect(bySource.total).toBe(top?.count)
    expect(bySource.items.every((a) => a.source === top?.source)).toBe(true)
    const tags = await svc.tags()
    for (const tag of tags.slice(0, 3))
      expect((await svc.listArticles({ tag: tag.tag })).total).toBe(tag.count)
    const c = await svc.createCollection('list-test', null)
    const picked = all.slice(3, 6).map((x) => x.id)
    await svc.addToCollection(c.id, picked)
    const inCollection = (await svc.listArticles({ collectionId: c.id })).items.map((x) => x.id)
    expect(inCollection.sort()).toEqual([...picked].sort())
  })
})

describe('delete with undo, the original, and import problems', () => {
  it('deletes articles out of every view and search, and brings them back on undo', async () => {
    const seed = all.find((a) => a.title.startsWith('第四届进博会'))
    if (!seed) throw new Error('seed not imported')
    const inSearch = async (): Promise<boolean> =>
      (await svc.search('城市软实力', {})).items.some((h) => h.id === seed.id)
    expect(await inSearch()).toBe(true)
    const before = (await svc.categories()).find((c) => c.name === '金融')?.count ?? 0
    expect(await svc.deleteArticles([seed.id, 999_999])).toEqual([seed.id])
    expect((await svc.listArticles({ limit: 1000 })).items.some((a) => a.id === seed.id)).toBe(
      false
    )
    expect(await svc.getArticle(seed.id)).toBeNull()
    expect(await inSearch()).toBe(false)
    expect((await svc.categories()).find((c) => c.name === '金融')?.count ?? 0).toBe(before - 1)
    expect(await svc.restoreArticles([seed.id])).toEqual([seed.id])
    expect(await inSearch()).toBe(true)
    expect((await svc.getArticle(seed.id))?.title).toBe(seed.title)
  })

  it('counts only live articles per tag', async () => {
    // The fixtures carry no tags: tag three articles directly.
    const three = all.slice(0, 3).map((a) => a.id)
    const tagId = Number(
      svc.db.prepare("INSERT INTO tags (name) VALUES ('计数')").run().lastInsertRowid
    )
    for (const id of three)
      svc.db.prepare('INSERT INTO article_tags (article_id, tag_id) VALUES (?, ?)').run(id, tagId)
    const countOf = async (): Promise<number | undefined> =>
      (await svc.tags()).find((t) => t.tag === '计数')?.count
    expect(await countOf()).toBe(3)
    await svc.deleteArticles([three[0]!])
    expect(await countOf()).toBe(2)
    await svc.deleteArticles(three.slice(1))
    expect(await countOf()).toBeUndefined()
    await svc.restoreArticles(three)
    expect(await countOf()).toBe(3)
    expect((await svc.listArticles({ tag: '计数' })).total).toBe(3)
  })

  it('shows the original file and what the cleaner removed, by rule', async () => {
    const seed = all.find((a) => a.title.startsWith('第四届进博会'))
    const source = await svc.getArticleSource(seed?.id as number)
    expect(source?.originalText).toContain('责任编辑：王翔')
    expect(source?.originalText).toContain("title: '第四届进博会")
    expect(source?.removed.length).toBeGreaterThan(0)
    for (const r of source?.removed ?? []) expect(r.rule).toBeTruthy()
    expect(source?.removed.some((r) => r.text.includes('责任编辑'))).toBe(true)
  })

  it('lists the files that failed to import with their reasons', async () => {
    const problems = await svc.listImportProblems(100)
    expect(problems.length).toBeGreaterThan(0)
    for (const p of problems) {
      expect(p.reason).toBeTruthy()
      expect(p.path).toBeTruthy()
    }
    expect(problems.some((p) => p.code === 'empty' || p.code === 'no-content')).toBe(true)
  })
})
