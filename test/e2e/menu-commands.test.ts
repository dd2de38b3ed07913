// The application menu's commands in Chromium against the real core: a menuCommand event
// (what the Electron shell sends when a menu item is chosen) runs the same handler as the
// window's keys. Only this test emits menuCommand; the test bridge never does on its own.
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { MenuCommandEvent } from '../../src/shared/api'
import { RSSHUB, SEED_DIR } from '../helpers/corpus'
import { step, JOURNEY_MS, windowForFile } from './harness'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 })

const s = windowForFile(async (library) => {
  await library.service.importPaths([SEED_DIR, join(RSSHUB, '博客')])
  return { locale: 'en-US' }
})

beforeAll(async () => {
  await s().page.locator('[role="option"][data-article-id]').first().waitFor()
})

/** What the Electron shell does when a menu item is chosen. */
async function menu(event: MenuCommandEvent): Promise<void> {
  await s().page.evaluate(
    (payload) =>
      (window as unknown as { __gleanerEmit: (n: string, p: unknown) => void }).__gleanerEmit(
        'menuCommand',
        payload
      ),
    event
  )
}

const rows = () => s().page.locator('[role="option"][data-article-id]')
const cursorId = () =>
  s().page.locator('[role="option"].current').first().getAttribute('data-article-id')

describe('application menu commands', () => {
  it(
    'each menu command acts on the window, in order on one window',
    async () => {
      await step('Edit › Find focuses the search box', async () => {
        await menu({ command: 'find' })
        await poll(() =>
          s().page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)
        ).toBe('search')
        await s()
          .page.locator('body')
          .click({ position: { x: 5, y: 5 } })
      })

      await step(
        'Article › Next / Previous move the cursor like j and k, Open opens it',
        async () => {
          const first = await rows().nth(0).getAttribute('data-article-id')
          const second = await rows().nth(1).getAttribute('data-article-id')
          await menu({ command: 'nextArticle' })
          await poll(cursorId).toBe(first)
          await menu({ command: 'nextArticle' })
          await poll(cursorId).toBe(second)
          await menu({ command: 'previousArticle' })
          await poll(cursorId).toBe(first)
          await menu({ command: 'openArticle' })
          const title = await rows().nth(0).locator('.title').innerText()
          await poll(() => s().page.locator('#reader-title').innerText()).toBe(title)
        }
      )

      await step(
        'Article › Star and Mark Read/Unread toggle the current article in the core',
        async () => {
          const id = Number(await cursorId())
          const starred = async () => (await s().library.service.getArticle(id))?.starred
          const read = async () => (await s().library.service.getArticle(id))?.read
          expect(await starred()).toBe(false)
          await menu({ command: 'toggleStar' })
          await poll(starred).toBe(true)
          await poll(() =>
            s().page.locator('[role="option"].current .star').getAttribute('aria-pressed')
          ).toBe('true')
          await menu({ command: 'toggleStar' })
          await poll(starred).toBe(false)
          // Opening it marked it read; the menu marks it unread again.
          await poll(read).toBe(true)
          await menu({ command: 'toggleRead' })
          await poll(read).toBe(false)
        }
      )

      await step(
        'View › Original / Cleaned Text and the text size commands drive the reader',
        async () => {
          const original = s().page.getByRole('button', { name: 'Original' })
          await poll(() => original.getAttribute('aria-pressed')).toBe('false')
          await menu({ command: 'toggleOriginal' })
          await poll(() => original.getAttribute('aria-pressed')).toBe('true')
          await poll(() => s().page.locator('pre.original-text').count()).toBe(1)
          await menu({ command: 'toggleOriginal' })
          await poll(() => original.getAttribute('aria-pressed')).toBe('false')

          const size = () =>
            s()
              .page.locator('article.reader')
              .evaluate((el) => getComputedStyle(el).getPropertyValue('--reader-font-size').trim())
          await menu({ command: 'textReset' })
          await poll(size).toBe('17px')
          await menu({ command: 'textLarger' })
          await menu({ command: 'textLarger' })
          await poll(size).toBe('19px')
          await menu({ command: 'textSmaller' })
          await poll(size).toBe('18px')
          await menu({ command: 'textReset' })
          await poll(size).toBe('17px')
        }
      )

      await step(
        'File › Export… says what to do without a collection, else opens its export panel',
        async () => {
          await menu({ command: 'export' })
          await poll(() => s().page.getByRole('alert').innerText()).toContain(
            'Gather articles into a collection first'
          )
          await s().page.getByRole('alert').getByRole('button', { name: 'Close' }).click()
          await s().library.service.createCollection('Briefing', null)
          await s().library.service.importPaths([SEED_DIR]) // any change refreshes the left pane
          await poll(() => s().page.getByText('Briefing').count()).toBeGreaterThan(0)
          await menu({ command: 'export' })
          const form = s().page.getByRole('form', { name: 'Export “Briefing”' })
          await poll(() => form.isVisible()).toBe(true)
          await poll(() =>
            s().page.evaluate(() =>
              document.activeElement?.closest('form')?.getAttribute('aria-label')
            )
          ).toBe('Export “Briefing”')
        }
      )

      await step('Article › Delete deletes the current article, with Undo', async () => {
        await s().page.getByRole('treeitem').first().click()
        const before = (await s().library.service.libraryInfo()).articleCount
        await menu({ command: 'nextArticle' })
        await poll(cursorId).not.toBeNull()
        await menu({ command: 'deleteArticles' })
        await poll(async () => (await s().library.service.libraryInfo()).articleCount).toBe(
          before - 1
        )
        await s().page.getByRole('button', { name: 'Undo' }).click()
        await poll(async () => (await s().library.service.libraryInfo()).articleCount).toBe(before)
      })

      await step('ignores an unknown command and logs no errors', async () => {
        await s().page.evaluate(() =>
          (window as unknown as { __gleanerEmit: (n: string, p: unknown) => void }).__gleanerEmit(
            'menuCommand',
            { command: 'formatDisk' }
          )
        )
        expect(s().errors).toEqual([])
      })
    },
    JOURNEY_MS
  )
})
