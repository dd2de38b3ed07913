// The renderer in Chromium against the real core: a dropped file becomes a rendered article.
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CORPUS,
  bridgePage,
  collectPageErrors,
  dropPaths,
  ensureRendererBuilt,
  launchChromium,
  resultsDir,
  serveRenderer,
  tempLibrary,
  type StaticServer,
  type TempLibrary
} from './harness'

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

interface Session {
  context: BrowserContext
  page: Page
  library: TempLibrary
  errors: string[]
  requests: string[]
}

async function openApp(locale: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Session> {
  const library = tempLibrary()
  const context = await browser.newContext({
    locale,
    colorScheme,
    viewport: { width: 1400, height: 860 }
  })
  const page = await context.newPage()
  const errors = collectPageErrors(page)
  const requests: string[] = []
  page.on('request', (request) => requests.push(request.url()))
  await bridgePage(page, library.service)
  await page.goto(server.origin + '/')
  return { context, page, library, errors, requests }
}

async function closeSession(session: Session): Promise<void> {
  await session.context.close()
  session.library.dispose()
}

describe('seed article: drop → library → three panes', () => {
  let s: Session

  beforeAll(async () => {
    s = await openApp('en-US')
  })
  afterAll(async () => closeSession(s))

  it('teaches what to do on an empty library', async () => {
    await expect
      .poll(() => s.page.getByRole('note').innerText())
      .toContain('Drop article files here')
  })

  it('imports a dropped folder and reports it', async () => {
    await dropPaths(s.page, [join(CORPUS, 'seed')])
    await s.page.locator('[data-count="imported"]').waitFor()
    expect(await s.page.locator('[data-count="imported"]').innerText()).toBe('1')
    expect(await s.page.locator('[data-count="failed"]').innerText()).toBe('0')
  })

  it('shows 金融 › 新浪财经 › 新浪财经－国內 with count 1', async () => {
    const tree = s.page.getByRole('tree')
    for (const [level, name] of [
      [1, '金融'],
      [2, '新浪财经'],
      [3, '新浪财经－国內']
    ] as const) {
      const item = tree.locator(`[role="treeitem"][aria-level="${level}"]`, { hasText: name })
      await item.first().waitFor()
      expect(await item.first().locator('.count').innerText()).toBe('1')
    }
  })

  it('lists the article under its category and opens it in the reader', async () => {
    await s.page.getByRole('treeitem').filter({ hasText: '新浪财经－国內' }).click()
    const list = s.page.getByRole('listbox', { name: 'Articles' })
    const row = list.getByRole('option').filter({ hasText: '第四届进博会' })
    await row.waitFor()
    expect(await list.getByRole('option').count()).toBe(1)
    await row.click()
    const reader = s.page.getByRole('article')
    await expect
      .poll(() => reader.locator('#reader-title').innerText())
      .toBe('第四届进博会：提升城市软实力与服务保障进博会双促进')
    const body = reader.locator('.article-body')
    await body.waitFor()
    const text = await body.innerText()
    expect(text).toContain('7月26日上午')
    expect(text).not.toContain('责任编辑')
    expect(await reader.innerText()).toContain('金融 › 新浪财经 › 新浪财经－国內')
    // Opening marks the article read: the row loses its unread style.
    await expect.poll(() => row.getAttribute('class')).not.toContain('unread')
  })

  it('renders without console errors or CSP violations', async () => {
    await s.page.screenshot({ path: join(resultsDir(), 'seed-reader-en-light.png') })
    expect(s.errors).toEqual([])
  })
})
