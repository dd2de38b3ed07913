// The API as the renderer, the CLI and the web preview call it: through dispatchCall (the same
// validation IPC and HTTP use) on the real service over a real library.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createGleanerService, type GleanerService } from '../../src/main/core/service'
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
