// Reader tools in Chromium against the real core: delete with undo, the original/removed
// toggles in the reader, and the import-problems view.
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CORPUS,
  dropPaths,
  ensureRendererBuilt,
  launchChromium,
  serveRenderer,
  closeAppSession,
  openAppSession,
  type AppSession,
  type StaticServer,
  step,
  JOURNEY_MS
} from './harness'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 })

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

type Session = AppSession

/** The app over a fresh library into which a corpus folder was dropped. */
async function openApp(locale: string, corpus: string): Promise<Session> {
  const session = await openAppSession(browser, server, { locale })
  await dropPaths(session.page, [join(CORPUS, corpus)])
  await session.page.locator('[data-count="imported"]').waitFor({ timeout: 90_000 })
  return session
}
const closeSession = closeAppSession

describe('rsshub corpus: delete with undo', () => {
  let s: Session
  const toolbarCount = async (): Promise<number> =>
    Number(/\d+/.exec(await s.page.locator('.count[aria-live]').innerText())?.[0] ?? NaN)
  const list = (): ReturnType<Page['getByRole']> =>
    s.page.getByRole('listbox', { name: 'Articles' })

  beforeAll(async () => {
    s = await openApp('en-US', 'rsshub')
    await s.page.getByRole('button', { name: 'Close' }).first().click()
  })
  afterAll(async () => closeSession(s))

  it(
    'deletes with Delete and the bulk bar, undoes, and lists import problems, in order on one window',
    async () => {
      await step(
        'deletes the selected article with the Delete key and brings it back with Undo',
        async () => {
          const before = (await s.library.service.libraryInfo()).articleCount
          await poll(toolbarCount).toBe(before)
          const rows = list().locator('[role="option"][data-article-id]')
          await rows.nth(1).click()
          const id = Number(await rows.nth(1).getAttribute('data-article-id'))
          await poll(() =>
            list().locator('[aria-selected="true"]').getAttribute('data-article-id')
          ).toBe(String(id))
          await s.page.keyboard.press('Delete')
          const toast = s.page.getByRole('status').filter({ hasText: 'Deleted 1 article' })
          await toast.waitFor()
          await poll(toolbarCount).toBe(before - 1)
          expect(await list().locator(`[data-article-id="${id}"]`).count()).toBe(0)
          expect(await s.library.service.getArticle(id)).toBeNull()

          await toast.getByRole('button', { name: 'Undo' }).click()
          await poll(toolbarCount).toBe(before)
          await poll(() => list().locator(`[data-article-id="${id}"]`).count()).toBe(1)
          expect((await s.library.service.getArticle(id))?.id).toBe(id)
          await poll(() => toast.count()).toBe(0)
        }
      )

      await step('deletes picked articles from the bulk bar', async () => {
        const before = await toolbarCount()
        const rows = list().locator('[role="option"][data-article-id]')
        const ids = [
          Number(await rows.nth(0).getAttribute('data-article-id')),
          Number(await rows.nth(2).getAttribute('data-article-id'))
        ]
        await rows.nth(0).click()
        await rows.nth(2).click({ modifiers: ['Control'] })
        const bar = s.page.getByRole('toolbar')
        await poll(() => bar.innerText()).toContain('2 selected')
        await bar.getByRole('button', { name: 'Delete from library' }).click()
        const toast = s.page.getByRole('status').filter({ hasText: 'Deleted 2 articles' })
        await toast.waitFor()
        await poll(toolbarCount).toBe(before - 2)
        await toast.getByRole('button', { name: 'Undo' }).click()
        await poll(toolbarCount).toBe(before)
        for (const id of ids) expect((await s.library.service.getArticle(id))?.id).toBe(id)
      })

      await step('lists import problems (path and reason) from the left pane', async () => {
        const expected = await s.library.service.listImportProblems(200)
        expect(expected.length).toBeGreaterThan(0)
        await s.page
          .getByRole('region', { name: 'Views' })
          .getByRole('button', { name: 'Import problems' })
          .click()
        const view = s.page.getByRole('region', { name: 'Import problems' })
        const rows = view.getByRole('listitem')
        await poll(() => rows.count()).toBe(expected.length)
        const first = rows.first()
        expect(await first.locator('.path').innerText()).toBe(expected[0]!.path)
        const reason = await first.locator('.reason').innerText()
        expect(reason.trim().length).toBeGreaterThan(0)
        expect(reason).toBe(expected[0]!.reason)
        // Rows are not links to the reader.
        expect(await view.locator('button, a, [role="option"]').count()).toBe(0)
        await s.page.getByRole('treeitem').filter({ hasText: 'All articles' }).click()
        await poll(() => view.count()).toBe(0)
      })

      await step('had no console errors', async () => {
        expect(s.errors).toEqual([])
      })
    },
    JOURNEY_MS
  )
})

describe('seed article: cleaned, original and removed blocks in the reader', () => {
  let s: Session

  beforeAll(async () => {
    s = await openApp('en-US', 'seed')
  })
  afterAll(async () => closeSession(s))

  it('shows the original file as plain text and lists what the cleaner removed', async () => {
    const row = s.page
      .getByRole('listbox', { name: 'Articles' })
      .getByRole('option')
      .filter({ hasText: '第四届进博会' })
    await row.click()
    const reader = s.page.getByRole('article')
    await poll(() => reader.locator('#reader-title').innerText()).toContain('第四届进博会')
    const toggles = reader.getByRole('group', { name: 'Reader view' })
    expect(await reader.locator('.article-body').innerText()).not.toContain('责任编辑')

    await toggles.getByRole('button', { name: 'Original' }).click()
    const original = reader.locator('pre.original-text')
    await poll(() => original.innerText()).toContain('责任编辑：王翔')
    expect(await original.locator('*').count()).toBe(0)
    expect(await reader.locator('.article-body').isVisible()).toBe(false)

    await toggles.getByRole('button', { name: 'Cleaned' }).click()
    await poll(() => reader.locator('.article-body').isVisible()).toBe(true)
    expect(await original.count()).toBe(0)

    await toggles.getByRole('button', { name: 'Show removed' }).click()
    const removed = reader.getByRole('region', { name: 'Removed by the cleaner' })
    const block = removed.getByRole('listitem').filter({ hasText: '责任编辑' })
    await block.first().waitFor()
    const rule = await block.first().getAttribute('data-rule')
    expect(rule).toBeTruthy()
    // The chip says what kind of rule in words; its tooltip keeps the rule's own name.
    expect(rule).toBe('editor-line')
    expect(await block.first().locator('.rule').innerText()).toBe('editor line')
    expect(await block.first().locator('.rule').getAttribute('title')).toBe(rule)
    const source = await s.library.service.getArticleSource(
      Number(await row.getAttribute('data-article-id'))
    )
    expect(source?.removed.some((r) => r.rule === rule && r.text.includes('责任编辑'))).toBe(true)
    expect(s.errors).toEqual([])
  })
})
