// The prerendered first frame (src/host/prerendered-index.ts) and the gleaner:// protocol that
// serves it to Electron's window (src/main/renderer-protocol.ts), on Node over real
// libraries and the built renderer.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as cheerio from 'cheerio'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  acceptedLanguages,
  allowStyle,
  firstPaintPage,
  loadPrerenderer,
  loadRendererShell,
  localeOf,
  type Prerenderer,
  type RendererShell
} from '../../src/host/prerendered-index'
import { rendererProtocolHandler, RENDERER_URL } from '../../src/main/renderer-protocol'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { FIRST_PAINT_ID } from '../../src/shared/first-paint'
import { ensureRendererBuilt, RENDERER_DIR, ROOT } from '../e2e/harness'
import { RSSHUB, tempDir } from '../helpers/corpus'

let prerenderer: Prerenderer
let shell: RendererShell
let tmp: ReturnType<typeof tempDir>
let library: GleanerService

beforeAll(async () => {
  ensureRendererBuilt()
  const loaded = await loadPrerenderer(join(ROOT, 'out/main'))
  if (!loaded) throw new Error('out/main/prerender.js missing after the build')
  prerenderer = loaded
  shell = await loadRendererShell(RENDERER_DIR)
  tmp = tempDir('gleaner-first-paint-')
  library = createGleanerService({ libraryPath: join(tmp.dir, 'library.db') })
  await library.importPaths([RSSHUB])
}, 180_000)

afterAll(() => {
  library?.close()
  tmp?.cleanup()
})

const render = async (service: GleanerService, locale: 'en' | 'zh' = 'en'): Promise<string> =>
  (
    await firstPaintPage({
      shell,
      prerenderer,
      listArticles: (query) => service.listArticles(query),
      locale,
      bridgeKind: 'native'
    })
  ).html

describe('first frame in index.html', () => {
  it('draws the list’s first rows, newest first, and carries them as data for hydration', async () => {
    const html = await render(library)
    const $ = cheerio.load(html)
    const expected = await library.listArticles(prerenderer.FIRST_PAGE_QUERY)
    const rows = $('#app [role="option"][data-article-id]')
    expect(rows.length).toBe(Math.min(16, expected.items.length))
    rows.each((i, row) => {
      expect(Number($(row).attr('data-article-id'))).toBe(expected.items[i]!.id)
      expect($(row).find('.title').text()).toBe(expected.items[i]!.title || '—')
    })
    expect($('.count[aria-live]').text()).toBe(`${expected.total} articles`)
    // Not interactive until the page's code has run.
    expect($('#app > .app').attr('aria-busy')).toBe('true')
    const data = JSON.parse($(`#${FIRST_PAINT_ID}`).text()) as unknown
    expect(data).toEqual({ locale: 'en', rows: expected, drawn: rows.length })
    // The page's own script is still there; its stylesheet comes inline, allowed by hash.
    expect($('script[type="module"]').length).toBe(1)
    expect($('link[rel="stylesheet"]').length).toBe(0)
    expect($('style').text()).toBe(shell.stylesheet!.css)
    const csp = $('meta[http-equiv="Content-Security-Policy"]').attr('content')!
    const hash = createHash('sha256').update(shell.stylesheet!.css).digest('base64')
    expect(csp).toMatch(
      new RegExp(`style-src 'self' 'sha256-${hash.replace(/[+/]/gu, '\\$&')}';`, 'u')
    )
    expect(csp).toContain("script-src 'self';")
  })

  it('draws only the rows a window of known height shows, and says so to the page', async () => {
    const page = await firstPaintPage({
      shell,
      prerenderer,
      listArticles: (query) => library.listArticles(query),
      locale: 'en',
      bridgeKind: 'native',
      windowHeight: 860
    })
    const $ = cheerio.load(page.html)
    // 860 px less the toolbar, rows 84 px tall: 10 rows cover it.
    expect($('#app [role="option"][data-article-id]').length).toBe(10)
    const data = JSON.parse($(`#${FIRST_PAINT_ID}`).text()) as {
      drawn: number
      rows: { items: unknown[] }
    }
    expect(data.drawn).toBe(10)
    expect(data.rows.items.length).toBeGreaterThan(10)
    expect(prerenderer.rowsToDraw(30, 2000)).toBe(24)
    expect(prerenderer.rowsToDraw(5, 2000)).toBe(5)
    expect(prerenderer.rowsToDraw(30)).toBe(16)
    expect(prerenderer.rowsToDraw(30, 0)).toBe(16)
  })

  it('renders in the language it is asked for', async () => {
    const $ = cheerio.load(await render(library, 'zh'))
    expect($('[role="tree"]').text()).toContain('全部文章')
    expect($('.count[aria-live]').text()).toMatch(/篇/u)
    expect(JSON.parse($(`#${FIRST_PAINT_ID}`).text())).toMatchObject({ locale: 'zh' })
  })

  it('keeps a hostile title as text: no markup, no early end of the data block', async () => {
    const dir = join(tmp.dir, 'hostile')
    mkdirSync(dir)
    const title = '</script><script>alert(1)</script><img src=x onerror=alert(2)> “引号” & <b>'
    writeFileSync(
      join(dir, 'a.md'),
      `---\ntitle: '${title.replaceAll("'", "''")}'\ndate: 2099-01-01\n---\n\n<p>正文内容足够长，可以被导入。正文内容足够长，可以被导入。</p>\n`
    )
    const service = createGleanerService({ libraryPath: join(tmp.dir, 'hostile.db') })
    try {
      const run = await service.importPaths([dir])
      expect(run.counts.imported).toBe(1)
      const html = await render(service)
      const $ = cheerio.load(html)
      expect($('script').length).toBe(2) // the page's module and the data block
      expect($('img').length).toBe(0)
      expect($('#app .title').first().text()).toBe(title)
      const data = JSON.parse($(`#${FIRST_PAINT_ID}`).text()) as {
        rows: { items: { title: string }[] }
      }
      expect(data.rows.items[0]!.title).toBe(title)
      expect(html).not.toContain('</script><script>alert(1)')
    } finally {
      service.close()
    }
  })

  it('leaves index.html as built for an empty library, without a prerenderer, or on failure', async () => {
    const indexHtml = shell.indexHtml
    const empty = createGleanerService({ libraryPath: join(tmp.dir, 'empty.db') })
    try {
      expect(await render(empty)).toBe(indexHtml)
    } finally {
      empty.close()
    }
    const listArticles = (): ReturnType<GleanerService['listArticles']> =>
      library.listArticles(prerenderer.FIRST_PAGE_QUERY)
    expect(
      await firstPaintPage({
        shell,
        prerenderer: null,
        listArticles,
        locale: 'en',
        bridgeKind: 'native'
      })
    ).toEqual({ html: indexHtml, styleSource: null })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      const broken: Prerenderer = {
        FIRST_PAGE_QUERY: prerenderer.FIRST_PAGE_QUERY,
        rowsToDraw: prerenderer.rowsToDraw,
        prerenderApp: () => {
          throw new Error('render failed')
        }
      }
      expect(
        await firstPaintPage({
          shell,
          prerenderer: broken,
          listArticles,
          locale: 'en',
          bridgeKind: 'native'
        })
      ).toEqual({ html: indexHtml, styleSource: null })
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('render failed'))
    } finally {
      warn.mockRestore()
    }
  })

  it('adds the stylesheet’s hash to style-src only', () => {
    expect(
      allowStyle(
        "default-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'",
        "'sha256-x'"
      )
    ).toBe("default-src 'self'; style-src 'self' 'sha256-x'; style-src-attr 'unsafe-inline'")
    expect(allowStyle("style-src 'self'", null)).toBe("style-src 'self'")
  })

  it('picks the language from the browser’s or system’s preference', () => {
    expect(acceptedLanguages('zh-CN,zh;q=0.9,en;q=0.8')).toEqual(['zh-CN', 'zh', 'en'])
    expect(localeOf(acceptedLanguages('zh-CN,zh;q=0.9,en;q=0.8'))).toBe('zh')
    expect(localeOf(acceptedLanguages('en-US,zh;q=0.5'))).toBe('en')
    expect(localeOf(acceptedLanguages('en;q=0.1, zh-TW'))).toBe('zh')
    expect(localeOf(acceptedLanguages('zh;q=0, en'))).toBe('en')
    expect(localeOf(acceptedLanguages(undefined))).toBe('en')
    expect(localeOf(['zh-Hans-CN'])).toBe('zh')
  })
})

describe('gleaner://app/ protocol', () => {
  const handler = rendererProtocolHandler({
    rendererDir: RENDERER_DIR,
    indexPage: async () => ({ html: await render(library), styleSource: null })
  })
  const get = (url: string, method = 'GET'): Promise<Response> =>
    handler(new Request(url, { method }))

  it('serves index.html with its first frame and the window’s CSP', async () => {
    for (const url of [RENDERER_URL, 'gleaner://app/']) {
      const res = await get(url)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/html/u)
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
      const $ = cheerio.load(await res.text())
      expect($('#app [role="option"][data-article-id]').length).toBeGreaterThan(0)
    }
  })

  it('serves the built assets with their types', async () => {
    const $ = cheerio.load(shell.indexHtml)
    const script = $('script[type="module"]').attr('src')!.replace(/^\.\//u, '/')
    const style = $('link[rel="stylesheet"]').attr('href')!.replace(/^\.\//u, '/')
    const js = await get(`gleaner://app${script}`)
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/u)
    expect(await js.text()).toBe(readFileSync(join(RENDERER_DIR, script), 'utf8'))
    expect((await get(`gleaner://app${style}`)).headers.get('content-type')).toMatch(/^text\/css/u)
  })

  it('refuses other hosts, other methods and paths outside the renderer', async () => {
    expect((await get('gleaner://evil/index.html')).status).toBe(404)
    expect((await get('gleaner://app/index.html', 'POST')).status).toBe(405)
    expect((await get('gleaner://app/%2e%2e/%2e%2e/package.json')).status).toBe(404)
    expect((await get('gleaner://app/..%2f..%2fpackage.json')).status).toBe(404)
    expect((await get('gleaner://app/assets/')).status).toBe(404)
    expect((await get('gleaner://app/no-such-file.js')).status).toBe(404)
  })
})
