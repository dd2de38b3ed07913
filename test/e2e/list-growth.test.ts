// A window prerendered from a near-empty library (a new user's first minutes) must draw the
// rows that arrive afterwards (an import, a feed's first poll) once the app runs. The
// virtualizer keeps a prerendered list to the frame's rows until it is scrolled, and a list
// that fits the window cannot be scrolled: regression for the feed items that were counted
// in the toolbar but never drawn.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
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

let browser: Browser
let server: StaticServer
let library: TempLibrary

/** Real corpus posts, from one folder, in name order. */
function posts(count: number): string[] {
  const dir = join(CORPUS, 'rsshub', '博客')
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md') || name.endsWith('.html'))
    .sort()
    .slice(0, count)
    .map((name) => join(dir, name))
}

beforeAll(async () => {
  ensureRendererBuilt()
  server = await serveRenderer()
  browser = await launchChromium()
  library = tempLibrary()
  server.serve(library.service)
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  library?.dispose()
})

describe('a prerendered list that grows', () => {
  it('draws every row that arrives after the first frame in another place, without a scroll', async () => {
    const files = posts(6)
    expect(files.length, 'six corpus posts').toBe(6)
    const first = await library.service.importPaths([files[0]!])
    expect(first.counts.imported).toBe(1)
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } })
    const page = await context.newPage()
    const errors = collectPageErrors(page)
    await bridgePage(page, library.service)
    await page.goto(server.origin + '/')
    await waitForApp(page)
    const rows = page.getByRole('listbox', { name: 'Articles' }).locator('[role="option"]')
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(1)
    // Another place of the left pane (as a new feed is chosen before its items arrive).
    await page.getByRole('button', { name: 'Unread', exact: true }).click()
    await expect.poll(() => page.locator('.app').getAttribute('aria-busy')).toBeNull()
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(1)

    const more = await library.service.importPaths(files.slice(1))
    expect(more.counts.imported).toBe(5)
    // Six rows of 84 px fit the list pane: all of them are drawn.
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(6)
    expect(errors).toEqual([])
    await context.close()
  })
})
