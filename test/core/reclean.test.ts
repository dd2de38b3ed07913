import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { CLEANER_VERSION } from '../../src/core/clean/version'
import { RSSHUB, SEED_FILE, tempDir } from '../helpers/corpus'

let svc: GleanerService | undefined
let cleanup: (() => void) | undefined
afterEach(() => {
  svc?.close()
  cleanup?.()
})

describe('re-cleaning from kept originals', () => {
  it('rebuilds outdated articles from their original bytes and keeps the user’s state', async () => {
    const t = tempDir()
    cleanup = t.cleanup
    svc = createGleanerService({ libraryPath: join(t.dir, 'l.db') })
    await svc.importPaths([SEED_FILE, RSSHUB])
    const total = (await svc.libraryInfo()).articleCount
    expect(await svc.recleanNeeded()).toBe(0)
    // Pretend an older cleaner made every article, and damage one's stored clean text.
    svc.db.prepare('UPDATE articles SET cleaning_version = ?').run(CLEANER_VERSION - 1)
    svc.db
      .prepare("UPDATE articles SET clean_html = '<p>stale</p>', clean_text = 'stale' WHERE id = 1")
      .run()
    await svc.setStarred([1], true)
    svc.db.prepare('UPDATE articles SET title = title WHERE id = 1').run()
    const before = await svc.getArticle(1)
    expect(await svc.recleanNeeded()).toBe(total)
    const result = await svc.reclean(null, false)
    expect(result.total).toBe(total)
    expect(result.failed).toEqual([])
    expect(result.changed).toBeGreaterThanOrEqual(1)
    expect(await svc.recleanNeeded()).toBe(0)
    const after = await svc.getArticle(1)
    expect(after?.cleanText).not.toBe('stale')
    expect(after?.cleanText).toContain('7月26日上午')
    expect(after?.starred).toBe(true)
    expect(after?.categoryPath).toEqual(before?.categoryPath)
    // The search index follows the new text.
    expect((await svc.search('7月26日上午', {})).items.map((h) => h.id)).toContain(1)
    // Nothing outdated left: a plain run does nothing; --all redoes everything, unchanged.
    expect((await svc.reclean(null, false)).total).toBe(0)
    const all = await svc.reclean(null, true)
    expect(all).toMatchObject({ total, changed: 0, unchanged: total })
  })
})

describe('re-cleaning keeps highlights on their text', () => {
  it('re-anchors highlights when re-clean changes the text (File › Re-clean, gleaner reclean)', async () => {
    const t = tempDir()
    cleanup = t.cleanup
    svc = createGleanerService({ libraryPath: join(t.dir, 'l.db') })
    const run = await svc.importPaths([SEED_FILE])
    const id = run.results[0]!.articleId!
    const text = (await svc.getArticle(id))!.cleanText
    // An older cleaner left a line at the top that today's cleaner drops.
    const stale = '原标题：旧版清理留下的一行\n' + text
    svc.db
      .prepare('UPDATE articles SET clean_text = ?, cleaning_version = ? WHERE id = ?')
      .run(stale, CLEANER_VERSION - 1, id)
    // A passage from the middle of the article that occurs once.
    const quote = text.slice(200, 214)
    expect(text.indexOf(quote)).toBe(text.lastIndexOf(quote))
    const start = stale.indexOf(quote)
    const highlight = await svc.createAnnotation({
      articleId: id,
      start,
      end: start + quote.length
    })
    expect(highlight.cleaningVersion).toBe(CLEANER_VERSION - 1)

    const result = await svc.reclean(null, false)
    expect(result.annotated).toEqual([id])
    const [after] = await svc.listAnnotations(id)
    const now = (await svc.getArticle(id))!.cleanText
    expect(now).toBe(text)
    // Drawn over exactly the characters the user highlighted, not 15 characters further on.
    expect(now.slice(after!.selectors!.position.start, after!.selectors!.position.end)).toBe(quote)
    expect(after!.anchorStatus).toBe('anchored')
    expect(after!.cleaningVersion).toBe(CLEANER_VERSION)
  })
})
