// The browser clipper end to end: Debian's Chromium with the extension in extension/ loaded
// unpacked, a real corpus article served over loopback, text selected on it, the extension's
// popup pairing with the running service's one-time code and clipping the page; the article
// lands in a real library with its highlight, category and collection. Then the offline queue:
// a clip made while the endpoint is down waits in the browser and arrives once it is back.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core'
import { startClipEndpoint, type ClipEndpoint } from '../../src/host/clip-endpoint'
import { CHROMIUM, ROOT, tempLibrary, type TempLibrary } from './harness'
import { checkedScreenshot } from './screen'
import { startWebServer, type WebServer } from '../helpers/web-server'
import { clipPage } from '../helpers/clip-page'
import { RSSHUB } from '../helpers/corpus'

/** What the test calls of the extension APIs inside the browser (evaluated there). */
declare const chrome: {
  tabs: { query(q: { url: string }): Promise<{ id?: number }[]> }
  storage: { local: { get(key: string): Promise<Record<string, unknown>> } }
  i18n: { getUILanguage(): string }
}

const EXTENSION = join(ROOT, 'extension')
const page = clipPage()
/** A paragraph the page's own script adds after load: only the rendered DOM has it. */
const SCRIPTED = '本段由网页脚本在载入后生成，用于检验剪藏保存的是渲染后的页面。'
const ARTICLE_PATH = '/news/nanjing.html'
const served = page.html.replace(
  '</body>',
  `<script>
  addEventListener('DOMContentLoaded', () => {
    const p = document.createElement('p')
    p.textContent = ${JSON.stringify(SCRIPTED)}
    document.querySelector('article').append(p)
  })
</script></body>`
)

interface Browser {
  context: BrowserContext
  worker: Worker
  id: string
  dir: string
}

async function launchWithExtension(env: Record<string, string> = {}): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-clipper-profile-'))
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, ...env } as Record<string, string>,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disable-extensions-except=${EXTENSION}`,
      `--load-extension=${EXTENSION}`,
      ...(env.LANGUAGE ? [`--lang=${env.LANGUAGE.replace('_', '-')}`] : [])
    ]
  })
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'))
  return { context, worker, id: new URL(worker.url()).host, dir }
}

/** Selects `exact` inside the article's paragraph that contains it, as a user's drag would. */
async function select(tab: Page, exact: string): Promise<void> {
  const selected = await tab.evaluate((text) => {
    const walker = document.createTreeWalker(
      document.querySelector('article')!,
      NodeFilter.SHOW_TEXT
    )
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(text)
      if (at < 0) continue
      const range = document.createRange()
      range.setStart(node, at)
      range.setEnd(node, at + text.length)
      const sel = getSelection()!
      sel.removeAllRanges()
      sel.addRange(range)
      return sel.toString()
    }
    return null
  }, exact)
  expect(selected).toBe(exact)
}

/** The popup, opened as a page aimed at the article's tab (a headless browser has no toolbar). */
async function openPopup(b: Browser, tabUrl: string): Promise<Page> {
  const tabId = await b.worker.evaluate(
    async (url) => (await chrome.tabs.query({ url })).at(-1)?.id,
    tabUrl
  )
  expect(tabId).toBeTypeOf('number')
  const popup = await b.context.newPage()
  await popup.setViewportSize({ width: 368, height: 620 })
  await popup.goto(`chrome-extension://${b.id}/popup.html?tab=${tabId}`)
  await popup.locator('body[data-ready="true"]').waitFor()
  return popup
}

/** The popup as the browser shows it: as tall as what it holds. */
async function fitToContent(popup: Page): Promise<void> {
  const height = await popup.evaluate(() => Math.ceil(document.documentElement.scrollHeight))
  await popup.setViewportSize({ width: 368, height })
}

let lib: TempLibrary
let endpoint: ClipEndpoint
let web: WebServer
let browser: Browser | null = null
const skip = !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : null
/** Chromium shows an extension in the language of its own UI, which needs its locale files. */
const ZH_PAK = '/usr/lib/chromium/locales/zh-CN.pak'
const skipZh = existsSync(ZH_PAK)
  ? null
  : `Chromium has no Chinese UI here (${ZH_PAK} missing: apt-get install chromium-l10n)`

describe.skipIf(skip !== null)('the browser clipper in Chromium', () => {
  beforeAll(async () => {
    lib = tempLibrary()
    // Something to offer as targets: a corpus post's categories, and a collection.
    await lib.service.importPaths([
      join(RSSHUB, '金融/格隆汇/主题文章/2021年两融余额如何变化？.md')
    ])
    await lib.service.createCollection('疫情简报', null)
    endpoint = await startClipEndpoint({ clipper: lib.service.clipper, port: 0 })
    web = await startWebServer({
      [ARTICLE_PATH]: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(served)
      }
    })
    browser = await launchWithExtension()
  })

  afterAll(async () => {
    await browser?.context.close()
    if (browser) rmSync(browser.dir, { recursive: true, force: true })
    await web?.close()
    await endpoint?.close()
    lib?.dispose()
  })

  it('pairs, clips the selected passage into a category and collection, and shows it', async () => {
    const b = browser!
    const tab = await b.context.newPage()
    await tab.goto(web.url(ARTICLE_PATH))
    await expect.poll(() => tab.locator('article').innerText()).toContain(SCRIPTED)
    const exact = page.paragraphs[1]!.slice(6, 40)
    await select(tab, exact)

    const popup = await openPopup(b, tab.url())
    await expect.poll(() => popup.locator('#pair').isVisible()).toBe(true)
    await expect
      .poll(() => popup.locator('#selection').innerText())
      .toBe('The selected text becomes a highlight.')
    const pairing = await lib.service.startClipperPairing()
    await popup.locator('#endpoint').fill(endpoint.url)
    await popup.locator('#code').fill(pairing.code)
    await popup.getByRole('button', { name: 'Pair' }).click()
    await popup.locator('#clip').waitFor()
    // Once paired, the pairing form is gone.
    expect(await popup.locator('#pair').isVisible()).toBe(false)
    const [client] = await lib.service.listClipperClients()
    expect(client!.origin).toBe(`chrome-extension://${b.id}`)

    // The targets Gleaner offers: its categories and collections, by name.
    await expect
      .poll(() => popup.locator('#category option').allInnerTexts())
      .toContain('金融 › 格隆汇 › 主题文章')
    await popup.locator('#category').selectOption({ label: '金融 › 格隆汇' })
    await popup.locator('#collection').selectOption({ label: '疫情简报' })
    await popup.getByRole('button', { name: 'Clip', exact: true }).click()
    await expect
      .poll(() => popup.locator('#status').innerText(), { timeout: 30_000 })
      .toContain('Highlight added.')
    expect(await popup.locator('#status').innerText()).toContain('Added to “疫情简报”.')

    const { items: rows } = await lib.service.listArticles({ limit: 10 })
    const clipped = rows.find((r) => r.title === page.title)!
    expect(clipped.categoryPath).toEqual(['金融', '格隆汇'])
    const article = (await lib.service.getArticle(clipped.id))!
    expect(article.url).toBe(tab.url())
    // The DOM as rendered: the paragraph the page's script wrote is in the article.
    expect(article.cleanText).toContain(SCRIPTED)
    const [highlight] = await lib.service.listAnnotations(clipped.id)
    expect(highlight).toMatchObject({ exact, anchorStatus: 'anchored' })
    const { start, end } = highlight!.selectors!.position
    expect(article.cleanText.slice(start, end)).toBe(exact)
    const collection = (await lib.service.listCollections()).find((c) => c.name === '疫情简报')!
    expect((await lib.service.collectionItems(collection.id)).map((i) => i.articleId)).toEqual([
      clipped.id
    ])

    await fitToContent(popup)
    await checkedScreenshot(popup, 'clipper-popup-en.png', {
      lang: 'en',
      scheme: 'light',
      texts: ['Clip this page', 'Highlight added.', 'No clips waiting.']
    })
    await popup.close()
    await tab.close()
  })

  it('keeps a clip made while Gleaner is closed, and sends it once Gleaner is back', async () => {
    const b = browser!
    const tab = await b.context.newPage()
    await tab.goto(web.url(ARTICLE_PATH))
    const exact = page.paragraphs[6]!.slice(2, 30)
    await select(tab, exact)
    const port = endpoint.port
    await endpoint.close()

    const popup = await openPopup(b, tab.url())
    await expect
      .poll(() => popup.locator('#status').innerText())
      .toContain('Gleaner is not answering')
    await popup.getByRole('button', { name: 'Clip', exact: true }).click()
    await expect
      .poll(() => popup.locator('#status').innerText())
      .toContain('the clip is kept and will be sent later')
    expect(await popup.locator('#waiting').innerText()).toBe('Clips waiting to be sent: 1')
    const queued = (await b.worker.evaluate(
      async () => (await chrome.storage.local.get('queue')).queue
    )) as { clip: { selection: { exact: string } } }[]
    expect(queued).toHaveLength(1)
    expect(queued[0]!.clip.selection.exact).toBe(exact)
    await popup.close()

    endpoint = await startClipEndpoint({ clipper: lib.service.clipper, port })
    // Opening the popup again sends what waits.
    const again = await openPopup(b, tab.url())
    await expect.poll(() => again.locator('#waiting').innerText()).toBe('No clips waiting.')
    const { items: rows, total } = await lib.service.listArticles({ limit: 10 })
    // The same page again: the import core's dedupe answers, the new highlight joins the first.
    expect(total).toBe(2)
    const clipped = rows.find((r) => r.title === page.title)!
    const highlights = await lib.service.listAnnotations(clipped.id)
    expect(highlights.map((h) => h.exact)).toContain(exact)
    expect(highlights).toHaveLength(2)
    await again.close()
    await tab.close()
  })

  it.skipIf(skipZh !== null)(
    'shows its popup in Simplified Chinese where the browser speaks it',
    async () => {
      const zh = await launchWithExtension({ LANGUAGE: 'zh_CN', LANG: 'zh_CN.UTF-8' })
      try {
        const tab = await zh.context.newPage()
        await tab.goto(web.url(ARTICLE_PATH))
        const popup = await openPopup(zh, tab.url())
        const ui = await popup.evaluate(() => chrome.i18n.getUILanguage())
        expect(ui, 'the browser did not take the Chinese UI language').toMatch(/^zh/u)
        const pairing = await lib.service.startClipperPairing()
        await popup.locator('#endpoint').fill(endpoint.url)
        await popup.locator('#code').fill(pairing.code)
        await popup.getByRole('button', { name: '配对' }).click()
        await popup.locator('#clip').waitFor()
        expect(await popup.locator('#pair').isVisible()).toBe(false)
        await expect.poll(() => popup.locator('#status').innerText()).toBe('已与拾穗配对。')
        await fitToContent(popup)
        await checkedScreenshot(popup, 'clipper-popup-zh.png', {
          lang: 'zh',
          scheme: 'light',
          texts: ['剪藏此页', '未选中文字', '没有等待发送的剪藏。']
        })
      } finally {
        await zh.context.close()
        rmSync(zh.dir, { recursive: true, force: true })
      }
    }
  )
})

// Said, never faked: what cannot run on this machine shows as a skipped test with the reason.
if (skip !== null) it.skip(`the browser clipper in Chromium cannot run here: ${skip}`, () => {})
else if (skipZh !== null) it.skip(`the Chinese popup cannot run here: ${skipZh}`, () => {})
