// Two windows on one library (as with a second Electron window, or the web preview beside
// the app): an edit made in one shows in the other's left pane and list without a reload.
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CORPUS,
  ensureRendererBuilt,
  launchChromium,
  openAppSession,
  serveRenderer,
  tempLibrary,
  type AppSession,
  type StaticServer,
  type TempLibrary
} from './harness'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 })

let browser: Browser
let server: StaticServer
let library: TempLibrary
const windows: AppSession[] = []

beforeAll(async () => {
  ensureRendererBuilt()
  server = await serveRenderer()
  browser = await launchChromium()
  library = tempLibrary()
  await library.service.importPaths([join(CORPUS, 'rsshub')])
}, 180_000)

afterAll(async () => {
  // The windows share the library: close them, then dispose of it once.
  for (const window of windows) await window.context.close()
  await browser?.close()
  await server?.close()
  library?.dispose()
})

async function openWindow(): Promise<AppSession> {
  const window = await openAppSession(browser, server, { locale: 'en-US', library })
  windows.push(window)
  return window
}

describe('two windows on one library', () => {
  it('a category renamed and a tag added in one window show in the other', async () => {
    const a = await openWindow()
    const b = await openWindow()
    const topLevel = (page: Page) =>
      page.locator('[role="treeitem"][aria-level="1"] .name').allInnerTexts()
    await poll(() => topLevel(b.page)).toContain('编程')

    // Window A renames 编程 from its context menu.
    const item = a.page.locator('[role="treeitem"][aria-level="1"]', { hasText: '编程' })
    await item.click({ button: 'right' })
    await a.page.getByRole('menuitem', { name: /Rename/ }).click()
    const field = a.page.getByRole('textbox', { name: /name/i })
    await field.fill('程序设计')
    await field.press('Enter')
    await poll(() => topLevel(a.page)).toContain('程序设计')

    // Window B follows without a reload.
    await poll(() => topLevel(b.page)).toContain('程序设计')
    expect(await topLevel(b.page)).not.toContain('编程')

    // A tag added through the API (any window's bridge) appears in B's tag list.
    const first = (await library.service.listArticles({ limit: 1 })).items[0]!
    await library.service.addTag([first.id], '跨窗口')
    await poll(() => b.page.getByRole('button', { name: /#跨窗口/ }).count()).toBe(1)
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })
})
