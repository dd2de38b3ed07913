// Re-indexing after a big category edit runs in slices between other work; the search index
// catches up fully, small edits are indexed before the call returns, and flush finishes the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { renameCategory } from '../../src/core/library/category-edit'
import { createReindexQueue } from '../../src/core/library/reindex-queue'
import { searchArticles, syncSearchIndex } from '../../src/core/search'
import type { Db } from '../../src/core/library/open'
import { RSSHUB, tempDir } from '../helpers/corpus'

const t = tempDir('gleaner-reindex-')
let svc: GleanerService
beforeAll(async () => {
  svc = createGleanerService({ libraryPath: join(t.dir, 'library.db') })
  await svc.importPaths([RSSHUB])
}, 120_000)
afterAll(() => {
  svc.close()
  t.cleanup()
})

const hits = (word: string): number[] =>
  searchArticles(svc.db, word, { limit: 500 })
    .items.map((h) => h.id)
    .sort((a, b) => a - b)

function recordingSync(): { calls: number[][]; sync: (db: Db, ids: number[]) => void } {
  const calls: number[][] = []
  return {
    calls,
    sync: (db, ids) => {
      calls.push(ids)
      syncSearchIndex(db, ids)
    }
  }
}

describe('the re-index queue', () => {
  it('re-indexes a big edit in slices, yielding between them, until search has caught up', async () => {
    const root = (await svc.categories()).find((n) => n.name === '金融')!
    expect(root.count).toBeGreaterThan(10)
    const { calls, sync } = recordingSync()
    const queue = createReindexQueue(svc.db, sync, { immediate: 5, slice: 4 })
    const edit = renameCategory(svc.db, root.id, 'Zqxfinance')
    queue.add(edit.articleIds)
    // Nothing ran yet: the call returned at once, and free-text search still has the old words.
    expect(calls).toEqual([])
    expect(queue.pending).toBe(edit.articleIds.length)
    expect(hits('Zqxfinance')).toEqual([])
    await queue.idle()
    expect(queue.pending).toBe(0)
    expect(calls.length).toBe(Math.ceil(edit.articleIds.length / 4))
    expect(calls.every((c) => c.length <= 4)).toBe(true)
    expect(hits('Zqxfinance')).toEqual([...edit.articleIds].sort((a, b) => a - b))
    // The filter reads the tables: right from the start, it did not depend on the index.
    expect(searchArticles(svc.db, 'category:Zqxfinance', { limit: 500 }).total).toBe(root.count)
  })

  it('indexes small edits at once and flushes what is left on demand', () => {
    const node = svc.db.prepare("SELECT id FROM categories WHERE name = '游戏'").get() as {
      id: number
    }
    const { calls, sync } = recordingSync()
    const queue = createReindexQueue(svc.db, sync, { immediate: 3, slice: 2 })
    const edit = renameCategory(svc.db, node.id, 'Zqxgames')
    expect(edit.articleIds.length).toBeGreaterThan(3)
    queue.add(edit.articleIds.slice(0, 3))
    expect(calls).toEqual([edit.articleIds.slice(0, 3)])
    queue.add(edit.articleIds)
    expect(queue.pending).toBe(edit.articleIds.length)
    queue.flush()
    expect(queue.pending).toBe(0)
    expect(hits('Zqxgames')).toEqual([...edit.articleIds].sort((a, b) => a - b))
  })

  it('finishes after a crash: what was waiting is stored in the library and resumes at the next start', async () => {
    const node = svc.db.prepare("SELECT id FROM categories WHERE name = '科技'").get() as
      { id: number } | undefined
    const target =
      node ??
      (svc.db.prepare('SELECT id FROM categories ORDER BY id LIMIT 1').get() as { id: number })
    const edit = renameCategory(svc.db, target.id, 'Zqxresumed')
    expect(edit.articleIds.length).toBeGreaterThan(0)
    // A session that queued the edit and died before any slice ran leaves exactly this behind.
    const store = svc.db.prepare('INSERT INTO search_reindex_pending (article_id) VALUES (?)')
    for (const id of edit.articleIds) store.run(id)
    expect(hits('Zqxresumed')).toEqual([])
    const { calls, sync } = recordingSync()
    const queue = createReindexQueue(svc.db, sync, { slice: 3 })
    expect(queue.pending).toBe(edit.articleIds.length)
    await queue.idle()
    expect(calls.flat().sort((a, b) => a - b)).toEqual([...edit.articleIds].sort((a, b) => a - b))
    expect(hits('Zqxresumed')).toEqual([...edit.articleIds].sort((a, b) => a - b))
    expect(queue.pending).toBe(0)
  })
})
