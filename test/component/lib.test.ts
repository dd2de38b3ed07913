import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  applyPaneWidths,
  DEFAULTS,
  LIMITS,
  loadLayout,
  STORAGE_KEY
} from '../../src/renderer/src/lib/layoutValues'
import { ArticlePager, FIRST_ROWS, PAGE_SIZE } from '../../src/renderer/src/lib/articlePager.svelte'
import { readToken } from '../../src/renderer/src/lib/bridge'
import { i18n, localeFor, t } from '../../src/renderer/src/lib/i18n.svelte'
import { IMPORT_TIMEOUT_MS, openRealLibrary, type RealLibrary } from './realLibrary'
import { SHARED } from '../helpers/corpus'

let library: RealLibrary

beforeAll(() => {
  library = openRealLibrary([`${SHARED}/corpus/rsshub`])
}, IMPORT_TIMEOUT_MS)
afterAll(() => library.dispose())

describe('ArticlePager over the real library', () => {
  it('loads the first page, then other pages on demand, in the core’s order', async () => {
    const pager = new ArticlePager(library.service)
    await pager.reset({ sort: 'title' })
    const all = await library.service.listArticles({ sort: 'title', limit: 10_000 })
    expect(all.total).toBeGreaterThan(PAGE_SIZE)
    expect(pager.total).toBe(all.total)
    expect(pager.row(0)?.id).toBe(all.items[0]!.id)
    const last = all.total - 1
    expect(pager.row(last)).toBeUndefined()
    await expect.poll(() => pager.row(last)?.id).toBe(all.items[last]!.id)
  })

  it('asks for a short first page, then the rest of that page when a row past it is wanted', async () => {
    const limits: (number | undefined)[] = []
    const pager = new ArticlePager({
      listArticles: (query) => {
        limits.push(query.limit)
        return library.service.listArticles(query)
      }
    })
    await pager.reset({ sort: 'title' })
    expect(limits).toEqual([FIRST_ROWS])
    const all = await library.service.listArticles({ sort: 'title', limit: PAGE_SIZE })
    expect(pager.row(FIRST_ROWS - 1)?.id).toBe(all.items[FIRST_ROWS - 1]!.id)
    expect(pager.row(FIRST_ROWS)).toBeUndefined()
    await expect.poll(() => pager.row(FIRST_ROWS)?.id).toBe(all.items[FIRST_ROWS]!.id)
    expect(limits).toEqual([FIRST_ROWS, PAGE_SIZE])
    expect(pager.row(PAGE_SIZE - 1)?.id).toBe(all.items[PAGE_SIZE - 1]!.id)
  })

  it('takes a prefetched first page for the same query, and asks again for another', async () => {
    const limits: (number | undefined)[] = []
    const api = {
      listArticles: (query: Parameters<typeof library.service.listArticles>[0]) => {
        limits.push(query.limit)
        return library.service.listArticles(query)
      }
    }
    const pager = new ArticlePager(api)
    pager.prefetch({ sort: 'title' })
    expect(limits).toEqual([FIRST_ROWS])
    await pager.reset({ sort: 'title' })
    expect(limits).toEqual([FIRST_ROWS])
    const first = await library.service.listArticles({ sort: 'title', limit: 1 })
    expect(pager.row(0)?.id).toBe(first.items[0]!.id)
    const other = new ArticlePager(api)
    other.prefetch({ sort: 'title' })
    await other.reset({ sort: 'date-desc' })
    expect(limits).toEqual([FIRST_ROWS, FIRST_ROWS, FIRST_ROWS])
  })

  it('starts from a prerendered page: no request for it, the rest of that page on demand', async () => {
    const limits: (number | undefined)[] = []
    const api = {
      listArticles: (query: Parameters<typeof library.service.listArticles>[0]) => {
        limits.push(query.limit)
        return library.service.listArticles(query)
      }
    }
    const seed = await library.service.listArticles({ sort: 'date-desc', limit: FIRST_ROWS })
    const pager = new ArticlePager(api)
    pager.seed({ sort: 'date-desc' }, seed)
    // Drawn at once (the hydrating app needs its rows before any answer could come).
    expect(pager.loaded).toBe(true)
    expect(pager.total).toBe(seed.total)
    expect(pager.row(0)?.id).toBe(seed.items[0]!.id)
    expect(limits).toEqual([])
    await pager.reset({ sort: 'date-desc' })
    expect(limits).toEqual([])
    expect(pager.row(FIRST_ROWS - 1)?.id).toBe(seed.items[FIRST_ROWS - 1]!.id)
    // Past the seeded rows, the rest of page 0 is fetched.
    const page = await library.service.listArticles({ sort: 'date-desc', limit: PAGE_SIZE })
    expect(pager.row(FIRST_ROWS)).toBeUndefined()
    await expect.poll(() => pager.row(FIRST_ROWS)?.id).toBe(page.items[FIRST_ROWS]!.id)
    expect(limits).toEqual([PAGE_SIZE])
    // Another query (or the same one again later) asks the core as usual.
    await pager.reset({ sort: 'date-desc' })
    expect(limits).toEqual([PAGE_SIZE, FIRST_ROWS])
    const other = new ArticlePager(api)
    other.seed({ sort: 'date-desc' }, seed)
    await other.reset({ sort: 'title' })
    expect(limits).toEqual([PAGE_SIZE, FIRST_ROWS, FIRST_ROWS])
    expect(other.row(0)?.id).toBe(
      (await library.service.listArticles({ sort: 'title', limit: 1 })).items[0]!.id
    )
  })

  it('narrows by category and keeps late answers of an old query out', async () => {
    const pager = new ArticlePager(library.service)
    const first = pager.reset({})
    const second = pager.reset({ categoryPath: ['编程'] })
    await Promise.all([first, second])
    const expected = await library.service.listArticles({ categoryPath: ['编程'], limit: 1000 })
    expect(pager.total).toBe(expected.total)
    expect(pager.row(0)?.categoryPath[0]).toBe('编程')
  })

  it('patches one row in place without refetching', async () => {
    const pager = new ArticlePager(library.service)
    await pager.reset({})
    const row = pager.row(3)!
    const version = pager.version
    pager.patch(row.id, { starred: true })
    expect(pager.row(3)?.starred).toBe(true)
    expect(pager.version).toBeGreaterThan(version)
    expect(pager.indexOf(row.id)).toBe(3)
  })
})

describe('pane widths', () => {
  it('app.css starts the panes at the layout defaults until the saved widths apply', () => {
    const css = readFileSync(
      join(import.meta.dirname, '../../src/renderer/src/styles/app.css'),
      'utf8'
    )
    expect(css).toContain(`--tree-width: ${DEFAULTS.treeWidth}px;`)
    expect(css).toContain(`--list-width: ${DEFAULTS.listWidth}px;`)
  })

  it('applies the saved widths (clamped) to :root, and defaults when nothing or junk is saved', () => {
    const root = document.createElement('div')
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ treeWidth: 300, listWidth: 5000 }))
    applyPaneWidths(loadLayout(), root)
    expect(root.style.getPropertyValue('--tree-width')).toBe('300px')
    expect(root.style.getPropertyValue('--list-width')).toBe(`${LIMITS.listWidth[1]}px`)
    localStorage.setItem(STORAGE_KEY, '{not json')
    applyPaneWidths(loadLayout(), root)
    expect(root.style.getPropertyValue('--tree-width')).toBe(`${DEFAULTS.treeWidth}px`)
    localStorage.removeItem(STORAGE_KEY)
  })
})

describe('bridge token', () => {
  it('takes the token from #token=…, keeps it for reloads and clears the address bar', () => {
    window.history.replaceState(null, '', '/#token=abc%2Bdef')
    expect(readToken(window)).toBe('abc+def')
    expect(window.location.hash).toBe('')
    expect(readToken(window)).toBe('abc+def')
  })
})

describe('i18n', () => {
  it('follows Chinese browser languages and switches at runtime', () => {
    expect(localeFor('zh-TW')).toBe('zh')
    expect(localeFor('en-GB')).toBe('en')
    i18n.set('zh')
    expect(t('allArticles')).toBe('全部文章')
    expect(document.documentElement.lang).toBe('zh-CN')
    i18n.set('en')
    expect(t('articleCount', { n: 3 })).toBe('3 articles')
  })
})
