// The API as the renderer, the CLI and the web preview call it: through dispatchCall (the same
// validation IPC and HTTP use) on the real service over a real library.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { dispatchCall } from '../../src/shared/validate'
import type { SearchResult } from '../../src/shared/search-types'
import type {
  CollectionSummary,
  DeletedCollection,
  ExportResult
} from '../../src/shared/export-types'
import { CORPUS, tempDir } from '../helpers/corpus'

const t = tempDir('gleaner-api-')
let svc: GleanerService
const call = <T>(method: string, ...args: unknown[]): Promise<T> =>
  dispatchCall(svc, method, args) as Promise<T>

beforeAll(async () => {
  svc = createGleanerService({ libraryPath: join(t.dir, 'library.db') })
  await svc.importPaths([CORPUS])
})
afterAll(() => {
  svc.close()
  t.cleanup()
})

describe('the API over a real library', () => {
  it('searches imported articles as soon as the import ends', async () => {
    const r = await call<SearchResult>('search', '进博会', { limit: 10 })
    expect(r.error).toBeUndefined()
    expect(r.total).toBeGreaterThan(0)
    expect(r.items[0]?.snippetHtml).toMatch(/<mark>/u)
    const bad = await call<SearchResult>('search', '"unclosed', {})
    expect(bad.total).toBe(0)
    await expect(call('search', 42, {})).rejects.toThrow(/query must be a string/u)
  })

  it('keeps collections with undoable delete, and exports one', async () => {
    const hit = (await call<SearchResult>('search', '进博会', {})).items[0]
    expect(hit).toBeDefined()
    const c = await call<CollectionSummary>('createCollection', '进博会简报', null)
    await call('addToCollection', c.id, [hit?.id])
    expect(await call<unknown[]>('collectionItems', c.id)).toHaveLength(1)
    const snap = await call<DeletedCollection>('deleteCollection', c.id)
    expect(await call<CollectionSummary[]>('listCollections')).toHaveLength(0)
    const back = await call<CollectionSummary>('restoreCollection', snap)
    expect(back.itemCount).toBe(1)
    const out = join(t.dir, 'brief.json')
    const res = await call<ExportResult>('exportArticles', {
      source: { collectionId: back.id },
      format: 'json',
      outPath: out
    })
    expect(res.articleCount).toBe(1)
    expect(existsSync(out)).toBe(true)
    expect(readFileSync(out, 'utf8')).toContain('http://www.w3.org/ns/anno.jsonld')
    await expect(
      call('exportArticles', { source: { collectionId: back.id }, format: 'exe', outPath: out })
    ).rejects.toThrow(/format must be one of/u)
    await expect(
      call('exportArticles', {
        source: { collectionId: back.id },
        format: 'json',
        outPath: 'rel.json'
      })
    ).rejects.toThrow(/absolute path/u)
  })
})

describe('annotations through the API', () => {
  it('highlights, follows an edited file on re-import, and is searchable', async () => {
    const { copyFileSync, writeFileSync } = await import('node:fs')
    const { SEED_FILE } = await import('../helpers/corpus')
    const file = join(t.dir, 'seed-copy.md')
    copyFileSync(SEED_FILE, file)
    // The corpus already holds the seed, so this copy is a duplicate; edit it to make it new.
    const original = readFileSync(SEED_FILE, 'utf8')
    writeFileSync(file, original.replace('7月26日上午', '7月26日早上'))
    const run = await svc.importPaths([file])
    const id = run.results[0]?.articleId as number
    expect(run.results[0]?.status).toBe('imported')
    const article = await svc.getArticle(id)
    const quote = '全面提升上海城市软实力的意见'
    const start = article?.cleanText.indexOf(quote) ?? -1
    expect(start).toBeGreaterThan(0)
    const a = await call<{ id: number; anchorStatus: string }>('createAnnotation', {
      articleId: id,
      start,
      end: start + quote.length,
      color: 'green',
      note: '软实力 是关键词'
    })
    expect(a.anchorStatus).toBe('anchored')
    await expect(call('createAnnotation', { articleId: id, start: 5, end: 2 })).rejects.toThrow(
      /end must be after start/u
    )
    // The file gains a paragraph in front: the highlight moves with its text.
    writeFileSync(file, original.replace('7月26日上午', '新增一段导语。</p><p>7月26日早上'))
    const again = await svc.importPaths([file])
    expect(again.results[0]).toMatchObject({ status: 'updated', articleId: id })
    const [moved] = await call<
      { selectors: { position: { start: number } }; exact: string; anchorStatus: string }[]
    >('listAnnotations', id)
    const text = (await svc.getArticle(id))?.cleanText ?? ''
    expect(moved?.anchorStatus).not.toBe('needs-review')
    const pos = moved?.selectors.position.start ?? -1
    expect(text.slice(pos, pos + quote.length)).toBe(quote)
    const hits = await call<SearchResult>('search', 'has:annotation 是关键词', {})
    expect(hits.items.map((h) => h.id)).toEqual([id])
  })
})
