// Highlighting in the reader, in Chromium against the real core: a mouse drag over Chinese
// text becomes an annotation on exactly those characters of cleanText, survives a reload, and
// its note and deletion (with undo) go through the API.
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
  type StaticServer,
  type TempLibrary,
  waitForApp,
  step,
  JOURNEY_MS
} from './harness'
import { checkedScreenshot } from './screen'
import { markedText as marked, phrasePoints } from './reading'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 })

const PHRASE = '国家会展中心（上海）'
const TITLE = '第四届进博会：提升城市软实力与服务保障进博会双促进'

let browser: Browser
let server: StaticServer
let library: TempLibrary
let context: BrowserContext
let page: Page
let errors: string[]
let articleId: number

beforeAll(async () => {
  ensureRendererBuilt()
  server = await serveRenderer()
  browser = await launchChromium()
  library = tempLibrary()
  await library.service.importPaths([join(CORPUS, 'seed')])
  const listed = await library.service.listArticles({ limit: 1 })
  articleId = listed.items[0]!.id
  context = await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 860 } })
  page = await context.newPage()
  errors = collectPageErrors(page)
  await bridgePage(page, library.service)
  // Opens (and reopens) prerendered from the library, as the app's window does.
  server.serve(library.service)
  await page.goto(server.origin + '/')
  await waitForApp(page)
})

afterAll(async () => {
  await context?.close()
  await browser?.close()
  await server?.close()
  library?.dispose()
})

async function openSeed(): Promise<void> {
  const row = page.getByRole('listbox', { name: 'Articles' }).getByRole('option').first()
  await row.click()
  await poll(() => page.locator('#reader-title').innerText()).toBe(TITLE)
  await page.locator('.article-body').waitFor()
}

const markedText = (id: number): Promise<string> => marked(page, id)

describe('highlighting in the reader', () => {
  it(
    'highlights, notes, reloads, overlaps, deletes and undoes, lists and searches, in order on one window',
    async () => {
      await step(
        'turns a mouse drag over a CJK phrase and key 2 into a green highlight on those characters',
        async () => {
          await openSeed()
          const { from, to } = await phrasePoints(page, PHRASE)
          await page.mouse.move(from.x, from.y)
          await page.mouse.down()
          await page.mouse.move((from.x + to.x) / 2, to.y, { steps: 4 })
          await page.mouse.move(to.x, to.y, { steps: 4 })
          await page.mouse.up()
          await page.getByRole('toolbar', { name: 'Highlight' }).waitFor()
          await page.keyboard.press('2')

          await poll(async () => (await library.service.listAnnotations(articleId)).length).toBe(1)
          const [created] = await library.service.listAnnotations(articleId)
          expect(created!.exact).toBe(PHRASE)
          expect(created!.color).toBe('green')
          const detail = await library.service.getArticle(articleId)
          const { start, end } = created!.selectors!.position
          expect(detail!.cleanText.slice(start, end)).toBe(PHRASE)
          await poll(() => markedText(created!.id)).toBe(PHRASE)
          expect(await page.locator('.article-body mark').first().getAttribute('data-color')).toBe(
            'green'
          )
        }
      )

      await step('adds a note from the editor a click on the highlight opens', async () => {
        const [a] = await library.service.listAnnotations(articleId)
        await page.locator(`.article-body mark[data-ids~="${a!.id}"]`).first().click()
        const editor = page.getByRole('dialog', { name: 'Edit highlight' })
        await editor.getByRole('textbox', { name: 'Note' }).fill('城市服务保障的场馆')
        await editor.getByRole('button', { name: 'Save' }).click()
        await poll(async () => (await library.service.listAnnotations(articleId))[0]?.note).toBe(
          '城市服务保障的场馆'
        )
        await poll(() => page.locator(`[data-annotation-id="${a!.id}"]`).innerText()).toContain(
          '城市服务保障的场馆'
        )
      })

      await step('draws the same characters after a reload, and lists the highlight', async () => {
        await page.reload()
        await waitForApp(page)
        await openSeed()
        const [a] = await library.service.listAnnotations(articleId)
        await poll(() => markedText(a!.id)).toBe(PHRASE)
        expect(a!.exact).toBe(PHRASE)
        const item = page.locator(`[data-annotation-id="${a!.id}"]`)
        expect(await item.innerText()).toContain(PHRASE)
        await checkedScreenshot(page, 'annotation.png', {
          lang: 'en',
          scheme: 'light',
          texts: [TITLE, PHRASE]
        })
      })

      await step('draws overlapping and cross-paragraph highlights per text node', async () => {
        const detail = (await library.service.getArticle(articleId))!
        const at = detail.cleanText.indexOf(PHRASE)
        // Overlaps the green one: starts inside it and runs on into the next paragraph.
        const paragraphEnd = detail.cleanText.indexOf('\n\n', at)
        const across = await library.service.createAnnotation({
          articleId,
          start: at + 4,
          end: paragraphEnd + 8,
          color: 'pink'
        })
        await page.reload()
        await waitForApp(page)
        await openSeed()
        const expected = detail.cleanText.slice(at + 4, paragraphEnd + 8).replace(/\s/g, '')
        await poll(async () => (await markedText(across.id)).replace(/\s/g, '')).toBe(expected)
        // The overlap carries both ids; the green one still covers its whole phrase.
        const [green] = await library.service.listAnnotations(articleId)
        expect(await markedText(green!.id)).toBe(PHRASE)
        expect(await page.locator(`mark[data-ids="${green!.id} ${across.id}"]`).count()).toBe(1)
      })

      await step('deletes from the editor and undoes from the toast', async () => {
        const before = await library.service.listAnnotations(articleId)
        const target = before[before.length - 1]!
        await page.locator(`[data-annotation-id="${target.id}"] button`).click()
        await page.locator(`.article-body mark[data-ids="${target.id}"]`).last().click()
        await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
        await poll(async () => (await library.service.listAnnotations(articleId)).length).toBe(
          before.length - 1
        )
        await page.getByRole('status').getByRole('button', { name: 'Undo' }).click()
        await poll(async () => (await library.service.listAnnotations(articleId)).length).toBe(
          before.length
        )
        const restored = (await library.service.listAnnotations(articleId)).find(
          (a) => a.exact === target.exact
        )
        await poll(() => markedText(restored!.id)).not.toBe('')
      })

      await step(
        'lists the article under Annotated and its source, not under Unread or Starred',
        async () => {
          const views = page.getByRole('region', { name: 'Views' })
          const count = async (): Promise<number> =>
            Number(/\d+/.exec(await page.locator('.count[aria-live]').innerText())?.[0] ?? NaN)
          await views.getByRole('button', { name: 'Annotated' }).click()
          await poll(count).toBe(1)
          await views.getByRole('button', { name: 'Unread' }).click()
          await poll(count).toBe(0)
          await views.getByRole('button', { name: 'Starred' }).click()
          await poll(count).toBe(0)
          const [source] = await library.service.sources()
          await page
            .getByRole('region', { name: 'Sources' })
            .getByRole('button', { name: source!.source })
            .click()
          await poll(count).toBe(source!.count)
          await views.getByRole('button', { name: 'All', exact: true }).click()
          await poll(count).toBe(1)
        }
      )

      await step(
        'searches 进博会 and shows the seed with a highlighted snippet; shows query errors',
        async () => {
          const search = page.getByRole('searchbox')
          await search.fill('进博会')
          const hits = page.getByRole('listbox', { name: 'Search results' })
          const hit = hits.locator(`[data-article-id="${articleId}"]`)
          await hit.waitFor()
          const marks = await hit.locator('.snippet mark').allInnerTexts()
          expect(marks.length).toBeGreaterThan(0)
          // Marks are the query word or its synonyms (进博会 ⇄ 中国国际进口博览会), as the core says.
          const { highlightTerms } = await library.service.search('进博会', {})
          const plain = marks.map((m) => m.replace(/\u200b/g, ''))
          expect(plain).toContain('进博会')
          for (const m of plain) expect(highlightTerms.some((term) => term.includes(m))).toBe(true)
          await checkedScreenshot(page, 'search.png', {
            lang: 'en',
            scheme: 'light',
            texts: [TITLE, '进博会']
          })
          const bad = await library.service.search('"unclosed', {})
          if (bad.error) {
            await search.fill('"unclosed')
            await poll(() => page.getByRole('alert').first().innerText()).toContain(bad.error)
          }
          await search.fill('')
          await page.getByRole('listbox', { name: 'Articles' }).waitFor()
        }
      )

      await step('had no console errors', async () => {
        expect(errors).toEqual([])
      })
    },
    JOURNEY_MS
  )
})
