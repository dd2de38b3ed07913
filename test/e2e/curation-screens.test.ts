// The search-to-collection flow as an analyst sees it, in 简体中文 and English, light and dark:
// search hits with three picked and the bulk bar open on "add to collection", then the
// collection in its own order with item notes. Screenshots go to test-results/; each state is
// also checked for what it must show (the picked titles, the notes, the language and scheme, no
// overflow, readable contrast: ./screen.ts), so a broken screen fails here, not only in a picture.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RSSHUB } from '../helpers/corpus'
import {
  closeAppSession,
  ensureRendererBuilt,
  launchChromium,
  openAppSession,
  serveRenderer,
  tempLibrary,
  type StaticServer,
  type TempLibrary
} from './harness'
import { checkedScreenshot } from './screen'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 })

let browser: Browser
let server: StaticServer

beforeAll(async () => {
  ensureRendererBuilt()
  server = await serveRenderer()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function preparedLibrary(name: string, notes: [string, string]): Promise<TempLibrary> {
  const library = tempLibrary()
  await library.service.importPaths([RSSHUB])
  const hits = await library.service.search('中国', { limit: 3 })
  const ids = hits.items.map((h) => h.id)
  const c = await library.service.createCollection(name, null, ids)
  await library.service.setCollectionItemNote(c.id, ids[0]!, notes[0])
  await library.service.setCollectionItemNote(c.id, ids[1]!, notes[1])
  return library
}

const CASES = [
  { locale: 'zh-CN', scheme: 'light', name: '晨报', notes: ['首发报道', '对比口径'] },
  { locale: 'zh-CN', scheme: 'dark', name: '晨报', notes: ['首发报道', '对比口径'] },
  { locale: 'en-US', scheme: 'light', name: 'Morning brief', notes: ['First report', 'Compare'] },
  { locale: 'en-US', scheme: 'dark', name: 'Morning brief', notes: ['First report', 'Compare'] }
] as const

describe('search to collection, as the analyst sees it', () => {
  for (const c of CASES) {
    it(`${c.locale} ${c.scheme}`, async () => {
      const library = await preparedLibrary(c.name, [c.notes[0], c.notes[1]])
      const s = await openAppSession(browser, server, {
        locale: c.locale,
        colorScheme: c.scheme,
        library
      })
      const zh = c.locale.startsWith('zh')
      const lang = zh ? 'zh' : 'en'
      try {
        await s.page.getByRole('searchbox').fill('中国')
        const hits = s.page.getByRole('listbox', { name: zh ? '搜索结果' : 'Search results' })
        const rows = hits.locator('[role="option"][data-article-id]')
        await rows.nth(2).waitFor()
        await rows.nth(0).click()
        await rows.nth(1).click({ modifiers: ['Control'] })
        await rows.nth(2).click({ modifiers: ['Control'] })
        const bar = s.page.getByRole('toolbar', { name: zh ? '已选 3 篇' : '3 selected' })
        await bar.waitFor()
        expect(await rows.locator('mark').count()).toBeGreaterThan(0)
        const picked = await Promise.all(
          [0, 1, 2].map(async (n) => (await rows.nth(n).getAttribute('data-article-id'))!)
        )
        const titles = await Promise.all(
          picked.map(async (id) => (await s.library.service.getArticle(Number(id)))!.title)
        )
        await checkedScreenshot(s.page, `search-picks-${c.locale}-${c.scheme}.png`, {
          lang,
          scheme: c.scheme,
          texts: [zh ? '已选 3 篇' : '3 selected', ...titles.map((t) => t.slice(0, 12))]
        })

        await s.page.getByRole('searchbox').fill('')
        await s.page.locator('.collections button[data-id]', { hasText: c.name }).click()
        const list = s.page.getByRole('listbox', { name: zh ? '文章' : 'Articles' })
        await poll(() => list.locator('.item-note').allInnerTexts()).toEqual([
          `✎ ${c.notes[0]}`,
          `✎ ${c.notes[1]}`
        ])
        await list.locator('[role="option"]').first().click()
        await s.page.locator('.article-body').waitFor()
        const reading = await s.page.locator('#reader-title').innerText()
        await checkedScreenshot(s.page, `collection-${c.locale}-${c.scheme}.png`, {
          lang,
          scheme: c.scheme,
          texts: [c.name, c.notes[0], c.notes[1], reading]
        })
        expect(s.errors).toEqual([])
      } finally {
        await closeAppSession(s)
      }
    })
  }
})
