// The trash on a real library of the corpus's articles: deleted articles listed newest deletion
// first, restored through the one change path, and emptied for good — their rows, highlights,
// places in collections, search rows and the originals no other article came from — while an
// original that a live article still comes from stays. An undo that refers to an article
// removed for good fails with a code and changes nothing, and no later article takes its id.
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { LibraryChange } from '../../src/shared/change-types'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { dispatchCall } from '../../src/shared/validate'
import { FTS_TABLE } from '../../src/core/search/schema'
import { toIndexText } from '../../src/core/search/cjk'
import { RSSHUB, SEED_FILE, tempDir } from '../helpers/corpus'

// Two stories in one feed file: two articles from one original.
const FEED = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>晨报</title><link>https://example.com/</link>
<item><title>第一条：港口吞吐量创新高</title><link>https://example.com/1</link>
<description>港口吞吐量在七月创下新高，集装箱业务增长明显。</description></item>
<item><title>第二条：夏粮收购进度过半</title><link>https://example.com/2</link>
<description>各地夏粮收购进度已经过半，收购价格总体平稳。</description></item>
</channel></rss>`

let template: { dir: string; cleanup: () => void }
let templateFile: string
let feedPath: string

beforeAll(async () => {
  template = tempDir('gleaner-trash-template-')
  templateFile = join(template.dir, 'library.db')
  feedPath = join(template.dir, 'morning.xml')
  writeFileSync(feedPath, FEED)
  const svc = createGleanerService({ libraryPath: templateFile, watchExternal: false })
  await svc.importPaths([RSSHUB, feedPath])
  svc.db.pragma('wal_checkpoint(TRUNCATE)')
  svc.close()
}, 120_000)
afterAll(() => template.cleanup())

let dir: { dir: string; cleanup: () => void }
let svc: GleanerService
let heard: LibraryChange[]

beforeEach(() => {
  dir = tempDir('gleaner-trash-')
  copyFileSync(templateFile, join(dir.dir, 'library.db'))
  svc = createGleanerService({ libraryPath: join(dir.dir, 'library.db'), watchExternal: false })
  heard = []
  svc.on('libraryChanged', (c) => heard.push(c))
})
afterEach(() => {
  svc.close()
  dir.cleanup()
})

const count = (sql: string, ...params: unknown[]): number =>
  svc.db
    .prepare(sql)
    .pluck()
    .get(...params) as number

const feedArticles = (): { id: number; original_id: number }[] =>
  svc.db
    .prepare('SELECT id, original_id FROM articles WHERE source_path = ? ORDER BY item_index')
    .all(feedPath) as { id: number; original_id: number }[]

/** Rows of the full-text index matching a phrase, read from the index itself. */
const indexed = (phrase: string): number[] =>
  svc.db
    .prepare(`SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?`)
    .pluck()
    .all(`"${toIndexText(phrase)}"`) as number[]

describe('listing the trash', () => {
  it('lists deleted articles only, newest deletion first, with when each was deleted', async () => {
    const page = await svc.listArticles({ limit: 5, sort: 'date-desc' })
    const [a, b, c] = page.items.map((r) => r.id) as [number, number, number]
    expect((await svc.listTrash({})).total).toBe(0)
    await svc.deleteArticles([a])
    await svc.deleteArticles([b, c])
    // Deletions in the same millisecond order by id, newest id first.
    svc.db
      .prepare(`UPDATE articles SET deleted_at = '2026-01-01T00:00:00.000Z' WHERE id = ?`)
      .run(a)
    const trash = await svc.listTrash({})
    expect(trash.total).toBe(3)
    expect(trash.items.map((r) => r.id)).toEqual([Math.max(b, c), Math.min(b, c), a])
    expect(trash.items[2]).toMatchObject({ id: a, deletedAt: '2026-01-01T00:00:00.000Z' })
    expect(trash.items[0]!.title).toBe(page.items.find((r) => r.id === Math.max(b, c))!.title)
    // Paged like the article list.
    expect((await svc.listTrash({ offset: 1, limit: 1 })).items.map((r) => r.id)).toEqual([
      Math.min(b, c)
    ])
    // Through the API's checks too.
    await expect(dispatchCall(svc, 'listTrash', [{ offset: -1 }])).rejects.toMatchObject({
      code: 'invalid-arguments'
    })
    // Restoring takes an article out of the trash, as an undoable change.
    await svc.restoreArticles([a])
    expect((await svc.listTrash({})).items.map((r) => r.id)).not.toContain(a)
    await svc.undo()
    expect((await svc.listTrash({})).items.map((r) => r.id)).toContain(a)
  })
})

describe('emptying the trash', () => {
  it('removes the articles and everything hanging off them, and originals no one else uses', async () => {
    const [first, second] = feedArticles()
    expect(first!.original_id).toBe(second!.original_id)
    const shared = first!.original_id
    const solo = (await svc.listArticles({ limit: 1, sort: 'date-desc' })).items[0]!.id
    const soloOriginal = count('SELECT original_id FROM articles WHERE id = ?', solo)
    const soloText = (await svc.getArticle(solo))!.cleanText
    const phrase = soloText.replace(/\s+/gu, '').slice(10, 18)
    expect(indexed(phrase)).toContain(solo)

    // Give the doomed articles everything that hangs off an article.
    const collection = await svc.createCollection('简报', null, [solo, first!.id])
    await svc.createAnnotation({ articleId: solo, start: 0, end: 6, note: '要点' })
    await svc.createAnnotation({ articleId: first!.id, note: '整篇' })
    await svc.addTag([solo, first!.id], '待删')
    await svc.addTag([solo, second!.id], '保留')
    await svc.deleteArticles([solo, first!.id])
    const freeBefore = svc.db.pragma('freelist_count', { simple: true }) as number

    heard = []
    const result = await svc.emptyTrash(null)
    expect(result.ids.sort((x, y) => x - y)).toEqual([solo, first!.id].sort((x, y) => x - y))
    // The solo article's original goes; the feed's stays, for the story still in the library.
    expect(result.originals).toBe(1)
    expect(result.originalBytes).toBeGreaterThan(1000)
    expect(count('SELECT COUNT(*) FROM originals WHERE id = ?', soloOriginal)).toBe(0)
    expect(count('SELECT COUNT(*) FROM originals WHERE id = ?', shared)).toBe(1)
    expect((await svc.getArticleSource(second!.id))?.originalText).toContain('夏粮收购')

    for (const id of [solo, first!.id]) {
      expect(count('SELECT COUNT(*) FROM articles WHERE id = ?', id)).toBe(0)
      expect(count('SELECT COUNT(*) FROM annotations WHERE article_id = ?', id)).toBe(0)
      expect(count('SELECT COUNT(*) FROM collection_items WHERE article_id = ?', id)).toBe(0)
      expect(count('SELECT COUNT(*) FROM article_tags WHERE article_id = ?', id)).toBe(0)
      expect(count('SELECT COUNT(*) FROM article_categories WHERE article_id = ?', id)).toBe(0)
      expect(count('SELECT COUNT(*) FROM article_user_filing WHERE article_id = ?', id)).toBe(0)
      expect(count('SELECT COUNT(*) FROM import_results WHERE article_id = ?', id)).toBe(0)
    }
    // The import's result rows stay (the run's report), no longer pointing at an article.
    expect(
      count(
        'SELECT COUNT(*) FROM import_results WHERE path IN (?, ?)',
        `${feedPath}#1`,
        `${feedPath}#2`
      )
    ).toBe(2)
    // A tag only they carried is gone; one a live article carries stays.
    expect((await svc.tags()).map((t) => t.tag)).toEqual(expect.arrayContaining(['保留']))
    expect(count(`SELECT COUNT(*) FROM tags WHERE name = '待删'`)).toBe(0)
    expect((await svc.collectionItems(collection.id)).length).toBe(0)
    expect(indexed(phrase)).not.toContain(solo)
    expect((await svc.listTrash({})).total).toBe(0)
    // The blobs' pages are free for reuse (the file shrinks only when vacuumed).
    expect(svc.db.pragma('freelist_count', { simple: true }) as number).toBeGreaterThan(freeBefore)
    expect(svc.db.pragma('foreign_key_check')).toEqual([])
    expect(svc.db.pragma('integrity_check', { simple: true })).toBe('ok')

    // One change, announced to every window and logged, which Undo does not offer.
    expect(heard.map((c) => c.op)).toEqual(['emptyTrash'])
    expect(heard[0]).toMatchObject({ undoable: false, summary: { count: 2 } })
    expect(heard[0]!.touched.list).toBe(true)
    expect((await svc.undoState()).undo?.op).not.toBe('emptyTrash')
    const [newest] = await svc.history({ limit: 1 })
    expect(newest).toMatchObject({ op: 'emptyTrash', undoable: false })
  })

  it('removes only the given articles, and only those in the trash', async () => {
    const ids = (await svc.listArticles({ limit: 3, sort: 'date-desc' })).items.map((r) => r.id)
    const [kept, purged, live] = ids as [number, number, number]
    await svc.deleteArticles([kept, purged])
    const result = await svc.emptyTrash([purged, live])
    expect(result.ids).toEqual([purged])
    expect(count('SELECT COUNT(*) FROM articles WHERE id = ?', live)).toBe(1)
    expect((await svc.getArticle(live))?.id).toBe(live)
    expect((await svc.listTrash({})).items.map((r) => r.id)).toEqual([kept])
    // Nothing to remove: no change is logged or announced.
    heard = []
    expect((await svc.emptyTrash([live])).ids).toEqual([])
    expect(heard).toEqual([])
  })

  it('an undo of a deletion whose articles were removed fails with a code and changes nothing', async () => {
    const ids = (await svc.listArticles({ limit: 3, sort: 'date-desc' })).items.map((r) => r.id)
    await svc.setStarred([ids[2]!], true)
    await svc.deleteArticles([ids[0]!, ids[1]!])
    await svc.emptyTrash([ids[0]!])
    const articles = count('SELECT COUNT(*) FROM articles')
    const log = count('SELECT COUNT(*) FROM changes')
    expect((await svc.undoState()).undo?.op).toBe('deleteArticles')

    const failed = await svc.undo().catch((e: unknown) => e)
    expect(failed).toMatchObject({
      code: 'undo-failed',
      params: { op: 'deleteArticles', cause: 'articles-purged' }
    })
    // Whole or nothing: the article still in the trash was not restored either.
    expect(count('SELECT COUNT(*) FROM articles')).toBe(articles)
    expect(count('SELECT deleted_at IS NOT NULL FROM articles WHERE id = ?', ids[1])).toBe(1)
    expect(count('SELECT COUNT(*) FROM changes')).toBe(log)
    // It left the stack: the next Undo reaches the star before it.
    expect((await svc.undoState()).undo?.op).toBe('setStarred')
    await svc.undo()
    expect((await svc.getArticle(ids[2]!))?.starred).toBe(false)
    // Restoring it by hand is refused the same way.
    await expect(svc.restoreArticles([ids[0]!])).rejects.toMatchObject({ code: 'articles-purged' })
  })

  it('gives no later article or highlight the id of one removed for good', async () => {
    // The newest article: SQLite would hand its id to the next insert.
    const newest = count('SELECT max(id) FROM articles')
    const note = await svc.createAnnotation({ articleId: newest, note: '将被永久删除' })
    expect(count('SELECT max(id) FROM annotations')).toBe(note.id)
    await svc.setStarred([newest], true)
    await svc.deleteArticles([newest])
    await svc.emptyTrash(null)

    const run = await svc.importPaths([SEED_FILE])
    const fresh = run.results[0]!.articleId!
    expect(fresh).toBeGreaterThan(newest)
    const other = await svc.createAnnotation({ articleId: fresh, note: '新的' })
    expect(other.id).toBeGreaterThan(note.id)
    // The ids stay taken across a restart (they are kept in the library, not in memory).
    svc.close()
    svc = createGleanerService({ libraryPath: join(dir.dir, 'library.db'), watchExternal: false })
    await svc.deleteArticles([fresh])
    await svc.emptyTrash(null)
    const again = (await svc.importPaths([SEED_FILE])).results[0]!.articleId!
    expect(again).toBeGreaterThan(fresh)
  })
})
