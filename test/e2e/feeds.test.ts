// The Feeds section in real Chromium over the real core, subscribed to feeds served by a
// loopback HTTP server from real corpus posts: a feed added with the keyboard only through its
// dialog, its items arriving with an unread count that drops as one is read, pause and resume,
// a feed whose server answers 500 showing why, remove and undo, OPML out and in — and a second
// window (in Chinese) on the same library hearing an add from the first.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RSSHUB } from '../helpers/corpus'
import { corpusPostCount, corpusPostFile, posts, rss2, type Post } from '../helpers/feed-docs'
import { startWebServer, type WebServer } from '../helpers/web-server'
import {
  closeAppSession,
  ensureRendererBuilt,
  launchChromium,
  openAppSession,
  serveRenderer,
  step,
  tempLibrary,
  JOURNEY_MS,
  type StaticServer,
  type TempLibrary
} from './harness'
import { checkedScreenshot } from './screen'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 })

/** Where a corpus folder's posts start in the feed helper's order (they are consecutive there). */
function firstPostIn(folder: string): number {
  for (let i = 0; i < corpusPostCount(); i++)
    if (corpusPostFile(i).startsWith(join(RSSHUB, folder) + '/')) return i
  throw new Error(`no corpus post in ${folder}`)
}

let browser: Browser
let renderer: StaticServer
let web: WebServer

beforeAll(async () => {
  ensureRendererBuilt()
  web = await startWebServer()
  // Real posts of 财联社 and 格隆汇 (金融, which the library does not hold), as RSSHub serves them.
  const serveRss = (path: string, title: string, items: Post[]): void =>
    web.route(path, (_req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' })
        .end(rss2({ title, site: web.origin }, items))
    })
  serveRss('/rss/cls', '财联社 - 深度', posts(3, web.url('/cls'), firstPostIn('金融/财联社/深度')))
  serveRss('/rss/glh', '格隆汇 - 主题文章', posts(1, web.url('/glh'), firstPostIn('金融/格隆汇')))
  web.route('/rss/broken', (_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream failed')
  })
  renderer = await serveRenderer()
  browser = await launchChromium()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await renderer?.close()
  await web?.close()
})

/**
 * A library that may fetch from the loopback test server (the app itself refuses loopback),
 * holding the corpus's posts outside 金融 (the feeds serve 金融 posts, which must be new to it).
 */
async function feedLibrary(): Promise<TempLibrary> {
  const library = tempLibrary({ capture: { allowPrivateAddresses: true } })
  const folders = readdirSync(RSSHUB, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== '金融')
    .map((entry) => join(RSSHUB, entry.name))
  await library.service.importPaths(folders)
  return library
}

const section = (page: Page): Locator => page.locator('section.feeds')
const feedRow = (page: Page, name: string | RegExp): Locator =>
  section(page).locator('button.feed', { hasText: name })

/** What a feed's row tells assistive technology: its name and the state line describing it. */
async function described(row: Locator): Promise<string> {
  const id = await row.getAttribute('aria-describedby')
  return row.page().locator(`[id="${id}"]`).innerText()
}

/** The unread count a feed's row shows (0 when it shows none). */
async function unreadShown(row: Locator): Promise<number> {
  const text = (await row.locator('.count [aria-hidden="true"]').allInnerTexts())[0]
  return text ? Number(text) : 0
}

describe('the Feeds section', () => {
  it(
    'subscribes by keyboard, counts unread, pauses, shows an error, removes and undoes, and round-trips OPML',
    async () => {
      const library = await feedLibrary()
      const session = await openAppSession(browser, renderer, { locale: 'en-US', library })
      const { page } = session
      try {
        const cls = web.url('/rss/cls')
        await step('the empty section offers to subscribe', async () => {
          await poll(() => section(page).innerText()).toContain('No feeds yet')
        })

        await step('adds a feed with the keyboard only, through the dialog', async () => {
          await section(page).getByRole('button', { name: 'Add feed…' }).focus()
          await page.keyboard.press('Enter')
          const dialog = page.getByRole('dialog', { name: 'Add a feed' })
          await poll(() => dialog.isVisible()).toBe(true)
          // Focus starts in the address field.
          await page.keyboard.type(cls)
          await page.keyboard.press('Tab')
          await page.keyboard.type('情报 › 财联社')
          await page.keyboard.press('Tab')
          await page.keyboard.type('订阅')
          await page.keyboard.press('Enter')
          await poll(() => dialog.locator('.chip > span').allInnerTexts()).toEqual(['#订阅'])
          // Enter in the now empty tag field submits the form.
          await page.keyboard.press('Enter')
          await poll(() => dialog.isVisible()).toBe(false)
          const [feed] = await library.service.listFeeds()
          expect(feed).toMatchObject({ url: cls, categoryPath: ['情报', '财联社'], tags: ['订阅'] })
        })

        const row = feedRow(page, '财联社 - 深度')
        await step('its items arrive with an unread count, and it is the list shown', async () => {
          await poll(() => row.count()).toBe(1)
          await poll(() => unreadShown(row)).toBe(3)
          expect(await row.getAttribute('aria-current')).toBe('true')
          await poll(() => page.locator('.listbox [role="option"]').count()).toBe(3)
          expect(await page.locator('.listbox').innerText()).toContain('南京疫情')
          // The state line says when it was polled.
          expect(await described(row)).toMatch(/^Polled \d\d:\d\d$/u)
          // The articles are filed where the dialog said, with its tag.
          const page1 = await library.service.listArticles({ categoryPath: ['情报', '财联社'] })
          expect(page1.total).toBe(3)
        })

        await step('reading one lowers the count', async () => {
          // A click opens the article, which marks it read.
          await page.locator('.listbox [role="option"]').first().click()
          await poll(() => unreadShown(row)).toBe(2)
          expect((await library.service.listFeeds())[0]!.unread).toBe(2)
        })

        await step('pauses and resumes from its menu, by keyboard', async () => {
          await row.focus()
          await page.keyboard.press('Shift+F10')
          const menu = page.getByRole('menu', { name: /Actions for feed/u })
          // The menu opens on Poll now; Pause is next.
          await poll(() =>
            menu
              .getByRole('menuitem', { name: 'Poll now' })
              .evaluate((el) => el === document.activeElement)
          ).toBe(true)
          await page.keyboard.press('ArrowDown')
          await page.keyboard.press('Enter')
          await poll(() => row.getAttribute('data-state')).toBe('paused')
          expect(await described(row)).toBe('Paused')
          expect((await library.service.listFeeds())[0]!.paused).toBe(true)
          // The pause is undoable: the status line offers it.
          await poll(() => page.locator('.toast').innerText()).toMatch(/Undo/u)
          await row.focus()
          await page.keyboard.press('Shift+F10')
          await poll(() => menu.getByRole('menuitem', { name: 'Resume' }).count()).toBe(1)
          await page.keyboard.press('ArrowDown')
          await page.keyboard.press('Enter')
          await poll(() => row.getAttribute('data-state')).toBe('ok')
          expect((await library.service.listFeeds())[0]!.paused).toBe(false)
        })

        const broken = web.url('/rss/broken')
        await step('a feed whose server fails shows why', async () => {
          await section(page).getByRole('button', { name: 'Add feed…' }).click()
          await page.getByRole('textbox', { name: 'Feed address (URL)' }).fill(broken)
          await page.getByRole('button', { name: 'Subscribe' }).click()
          const bad = feedRow(page, '127.0.0.1')
          await poll(() => bad.getAttribute('data-state')).toBe('error')
          expect(await described(bad)).toMatch(/^Failed \d\d:\d\d: the server answered HTTP 500$/u)
          expect(await bad.getAttribute('title')).toContain('HTTP 500')
          // Poll now says it again, as an alert.
          await bad.click({ button: 'right' })
          await page.getByRole('menuitem', { name: 'Poll now' }).click()
          await poll(() => section(page).getByRole('alert').innerText()).toContain(
            'the server answered HTTP 500'
          )
        })

        await step('removes a feed with Delete, and Undo brings it back', async () => {
          const bad = feedRow(page, '127.0.0.1')
          await bad.focus()
          await page.keyboard.press('Delete')
          await poll(() => bad.count()).toBe(0)
          expect((await library.service.listFeeds()).map((f) => f.url)).toEqual([cls])
          // Focus stays in the section, on the feed left.
          expect(await row.evaluate((el) => el === document.activeElement)).toBe(true)
          await page.locator('.toast').getByRole('button', { name: 'Undo' }).click()
          await poll(() => bad.count()).toBe(1)
          expect((await library.service.listFeeds()).map((f) => f.url).sort()).toEqual(
            [broken, cls].sort()
          )
        })

        await step('shows the section in English', async () => {
          // The feed chosen: its articles are the list.
          await row.click()
          await poll(() => page.locator('.toolbar .count').innerText()).toBe('3 articles')
          await page.mouse.move(700, 10)
          await checkedScreenshot(page, 'feeds-section-en.png', {
            lang: 'en',
            scheme: 'light',
            texts: ['Feeds', '财联社 - 深度', 'the server answered HTTP 500', 'Polled']
          })
        })

        await step('exports the subscriptions as an .opml file', async () => {
          const [download] = await Promise.all([
            page.waitForEvent('download'),
            (async () => {
              await section(page).getByRole('button', { name: 'Feed actions' }).click()
              await page.getByRole('menuitem', { name: 'Export OPML…' }).click()
            })()
          ])
          expect(download.suggestedFilename()).toMatch(/^gleaner-feeds-\d{4}-\d\d-\d\d\.opml$/u)
          const saved = join(library.dir, 'out.opml')
          await download.saveAs(saved)
          const opml = readFileSync(saved, 'utf8')
          expect(opml).toContain('<opml')
          expect(opml).toContain(`xmlUrl="${cls}"`)
          expect(opml).toContain(`xmlUrl="${broken}"`)
        })

        await step('imports an OPML file: new feeds are added, known ones skipped', async () => {
          const file = join(library.dir, 'in.opml')
          writeFileSync(
            file,
            `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>` +
              `<outline text="财经"><outline type="rss" text="格隆汇" xmlUrl="${web.url('/rss/glh')}"/></outline>` +
              `<outline type="rss" text="cls" xmlUrl="${cls}"/></body></opml>`
          )
          await section(page).locator('input[type="file"]').setInputFiles(file)
          await poll(() => section(page).getByRole('status').innerText()).toContain(
            'subscribed to 1 feeds, skipped 1'
          )
          await poll(() => feedRow(page, /格隆汇/u).count()).toBe(1)
        })
        expect(session.errors).toEqual([])
      } finally {
        await closeAppSession(session)
      }
    },
    JOURNEY_MS
  )

  it(
    'a feed added in one window shows in another, whose errors read in Chinese',
    async () => {
      const library = await feedLibrary()
      const a = await openAppSession(browser, renderer, { locale: 'en-US', library })
      const b = await openAppSession(browser, renderer, { locale: 'zh-CN', library })
      try {
        await poll(() => section(b.page).innerText()).toContain('还没有订阅源')
        await step('window A subscribes; window B lists it with its unread count', async () => {
          await section(a.page).getByRole('button', { name: 'Add feed…' }).click()
          await a.page
            .getByRole('textbox', { name: 'Feed address (URL)' })
            .fill(web.url('/rss/cls'))
          await a.page.getByRole('button', { name: 'Subscribe' }).click()
          await poll(() => unreadShown(feedRow(b.page, '财联社 - 深度'))).toBe(3)
        })
        await step('a failing feed added in B reads in Chinese', async () => {
          await section(b.page).getByRole('button', { name: '添加订阅源…' }).click()
          await b.page
            .getByRole('textbox', { name: '订阅地址（URL）' })
            .fill(web.url('/rss/broken'))
          await b.page.getByRole('button', { name: '订阅', exact: true }).click()
          const bad = feedRow(b.page, '127.0.0.1')
          await poll(() => bad.getAttribute('data-state')).toBe('error')
          expect(await described(bad)).toMatch(/^\d\d:\d\d 获取失败：服务器返回 HTTP 500$/u)
          // A shows it too, in English.
          await poll(() => feedRow(a.page, '127.0.0.1').getAttribute('data-state')).toBe('error')
        })
        await step('shows the section in Chinese', async () => {
          await b.page.mouse.move(700, 10)
          await checkedScreenshot(b.page, 'feeds-section-zh-CN.png', {
            lang: 'zh',
            scheme: 'light',
            texts: ['订阅源', '财联社 - 深度', '服务器返回 HTTP 500']
          })
        })
        expect(a.errors).toEqual([])
        expect(b.errors).toEqual([])
      } finally {
        await a.context.close()
        await closeAppSession(b)
      }
    },
    JOURNEY_MS
  )
})
