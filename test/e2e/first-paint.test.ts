// The prerendered window in Chromium: its first frame shows the list with no script at all,
// and the app then takes that frame over (hydration) instead of rebuilding it, unless the
// user chose another language than the frame was rendered in.
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CORPUS,
  bridgePage,
  collectPageErrors,
  ensureRendererBuilt,
  launchChromium,
  serveRenderer,
  tempLibrary,
  waitForApp,
  type StaticServer,
  type TempLibrary
} from './harness'
import { checkedScreenshot } from './screen'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 })

let browser: Browser
let server: StaticServer
let library: TempLibrary
const contexts: BrowserContext[] = []

beforeAll(async () => {
  ensureRendererBuilt()
  server = await serveRenderer()
  browser = await launchChromium()
  library = tempLibrary()
  await library.service.importPaths([join(CORPUS, 'rsshub')])
  server.serve(library.service)
}, 180_000)

afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
  await server?.close()
  library?.dispose()
})

async function open(
  opts: { locale?: string; javaScript?: boolean; savedLocale?: string } = {}
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    locale: opts.locale ?? 'en-US',
    javaScriptEnabled: opts.javaScript ?? true,
    viewport: { width: 1400, height: 860 }
  })
  contexts.push(context)
  const page = await context.newPage()
  const errors = collectPageErrors(page)
  await bridgePage(page, library.service)
  if (opts.savedLocale) {
    await page.addInitScript(
      (saved) => localStorage.setItem('gleaner.locale', saved),
      opts.savedLocale
    )
  }
  // Keep the prerendered row the page first had, to tell hydration from a rebuild.
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      ;(window as unknown as { __firstRow: Element | null }).__firstRow = document.querySelector(
        '[role="option"][data-article-id]'
      )
    })
  })
  await page.goto(server.origin + '/')
  return { page, errors }
}

const firstRowKept = (page: Page): Promise<boolean> =>
  page.evaluate(
    () => (window as unknown as { __firstRow: Element | null }).__firstRow?.isConnected === true
  )

describe('prerendered first frame', () => {
  it('shows the newest rows with their titles before any script runs', async () => {
    const { page, errors } = await open({ javaScript: false })
    const expected = await library.service.listArticles({ sort: 'date-desc', limit: 8 })
    const titles = page.locator('[role="option"][data-article-id] .title')
    await titles.first().waitFor()
    expect(await titles.count()).toBeGreaterThanOrEqual(8)
    expect((await titles.allInnerTexts()).slice(0, 8)).toEqual(
      expected.items.map((item) => item.title)
    )
    // Laid out by the stylesheet, not stacked: rows fill the list pane at their height.
    const box = await page.locator('[role="option"][data-article-id]').nth(1).boundingBox()
    expect(box?.height).toBe(84)
    expect(box?.y).toBeGreaterThan(84)
    await checkedScreenshot(page, 'first-paint-no-script.png', {
      lang: 'en',
      scheme: 'light',
      texts: [expected.items[0]!.title]
    })
    expect(errors).toEqual([])
  })

  it('comes to life on the same rows: keys, clicks and the left pane work', async () => {
    const { page, errors } = await open()
    await waitForApp(page)
    expect(await firstRowKept(page)).toBe(true)
    expect(await page.locator('.app').count()).toBe(1)
    expect(await page.getByRole('listbox', { name: 'Articles' }).count()).toBe(1)
    // The left pane's data arrives after the first frame.
    await poll(() => page.locator('[role="treeitem"][aria-level="1"]').count()).toBeGreaterThan(1)
    // j moves the cursor, Enter opens the article in the reader.
    await page.locator('body').press('j')
    await page.locator('body').press('Enter')
    const first = (await library.service.listArticles({ sort: 'date-desc', limit: 1 })).items[0]!
    await poll(() => page.locator('#reader-title').innerText()).toBe(first.title)
    // A click on another prerendered row opens that one.
    const row = page.locator('[role="option"][data-article-id]').nth(2)
    const title = await row.locator('.title').innerText()
    await row.click()
    await poll(() => page.locator('#reader-title').innerText()).toBe(title)
    expect(errors).toEqual([])
  })

  it('keeps a click and a key made on the frame before the app ran, and acts on them after', async () => {
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1400, height: 860 }
    })
    contexts.push(context)
    const page = await context.newPage()
    const errors = collectPageErrors(page)
    await bridgePage(page, library.service)
    // Hold the app's code back until the test has clicked.
    let release: () => void = () => undefined
    const released = new Promise<void>((done) => (release = done))
    await page.route(/\/assets\/start-[^/]+\.js$/u, async (route) => {
      await released
      await route.continue()
    })
    await page.goto(server.origin + '/')
    const row = page.locator('[role="option"][data-article-id]').nth(3)
    const title = await row.locator('.title').innerText()
    expect(await page.locator('.app[aria-busy="true"]').count()).toBe(1)
    await row.click()
    await page.keyboard.press('j')
    release()
    await waitForApp(page)
    // The click opened that row; j then moved the cursor one row down from it.
    await poll(() => page.locator('#reader-title').innerText()).toBe(title)
    await poll(() => page.locator('[role="option"].current').getAttribute('aria-posinset')).toBe(
      '5'
    )
    expect(errors).toEqual([])
  })

  it('rebuilds the window in the language the user chose over the system’s', async () => {
    const { page, errors } = await open({ locale: 'en-US', savedLocale: 'zh' })
    await waitForApp(page)
    expect(await firstRowKept(page)).toBe(false)
    expect(await page.locator('.app').count()).toBe(1)
    await poll(() => page.locator('.count[aria-live]').innerText()).toMatch(/篇文章/u)
    await page.locator('[role="option"][data-article-id]').first().waitFor()
    expect(errors).toEqual([])
  })

  it('is served in the browser’s language', async () => {
    const { page, errors } = await open({ locale: 'zh-CN' })
    await waitForApp(page)
    expect(await firstRowKept(page)).toBe(true)
    expect(await page.locator('.count[aria-live]').innerText()).toMatch(/篇文章/u)
    expect(await page.getByRole('tree').innerText()).toContain('全部文章')
    expect(errors).toEqual([])
  })
})

describe('without a prerendered frame', () => {
  it('builds the window from scratch for an empty library and teaches what to do', async () => {
    const empty = tempLibrary()
    try {
      server.serve(empty.service)
      const context = await browser.newContext({ locale: 'en-US' })
      contexts.push(context)
      const page = await context.newPage()
      const errors = collectPageErrors(page)
      await bridgePage(page, empty.service)
      await page.goto(server.origin + '/')
      await waitForApp(page)
      expect(await page.locator('#gleaner-first-paint').count()).toBe(0)
      await poll(() => page.getByRole('note').innerText()).toContain('Drop article files here')
      expect(errors).toEqual([])
    } finally {
      server.serve(library.service)
      empty.dispose()
    }
  })
})
