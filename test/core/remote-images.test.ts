// Remote images: a post, a feed and an MHTML archive carrying `ht&#10;tps:`-style sources are
// stored with normalised URLs, and the core's remote-image route fetches only an image the
// article really has, from a public address, as an image, within its size limit. The remote
// servers are a real HTTP server on 127.0.0.1 (the only network these machines have), which
// the app's fetcher refuses like any local address unless a test allows that one address.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { createKeeper } from '../../src/core/images/keep'
import {
  guardedImageFetcher,
  MAX_REMOTE_IMAGE_BYTES,
  remoteImageUrls
} from '../../src/core/images/remote'
import { imageRoute } from '../../src/core/images/route'
import { remoteImagePath } from '../../src/shared/remote-image-route'
import { tempDir } from '../helpers/corpus'

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

let server: Server
let origin = ''
/** What the stand-in remote server was asked for, and with which headers. */
const asked: { path: string; referer?: string; cookie?: string }[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push({ path: req.url ?? '', referer: req.headers.referer, cookie: req.headers.cookie })
    const path = req.url ?? ''
    if (path.startsWith('/img/')) {
      res.writeHead(200, { 'content-type': 'image/gif' })
      return res.end(GIF)
    }
    if (path === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html' })
      return res.end('<script>alert(1)</script>')
    }
    if (path === '/huge.png') {
      // No content-length: the limit must hold on what is read.
      res.writeHead(200, { 'content-type': 'image/png' })
      const chunk = Buffer.alloc(1024 * 1024)
      let sent = 0
      const more = (): void => {
        while (sent <= MAX_REMOTE_IMAGE_BYTES) {
          sent += chunk.length
          if (!res.write(chunk)) return void res.once('drain', more)
        }
        res.end()
      }
      res.on('error', () => undefined)
      return more()
    }
    if (path === '/to-file') {
      res.writeHead(302, { location: 'file:///etc/passwd' })
      return res.end()
    }
    if (path === '/to-other-local') {
      res.writeHead(302, {
        location: `http://127.0.0.2:${(server.address() as AddressInfo).port}/img/a.gif`
      })
      return res.end()
    }
    if (path === '/to-img') {
      res.writeHead(301, { location: '/img/redirected.gif' })
      return res.end()
    }
    res.writeHead(404)
    res.end()
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((done) => server.close(() => done()))
})

/** The fetcher with only the test server's address let through. */
const testFetcher = () => guardedImageFetcher({ allowIPAddressList: ['127.0.0.1'] })
const fetchUrl = (path: string) =>
  testFetcher()(new URL(origin + path), AbortSignal.timeout(20_000))

describe('the guarded fetcher', () => {
  it('refuses this machine and the local network by default (after DNS, on every hop)', async () => {
    const fetcher = guardedImageFetcher()
    for (const url of [`${origin}/img/a.gif`, `http://localhost:${new URL(origin).port}/img/a.gif`])
      await expect(fetcher(new URL(url), AbortSignal.timeout(5000)), url).rejects.toThrow(
        /not allowed/u
      )
    await expect(fetchUrl('/to-other-local')).rejects.toThrow(/not allowed/u)
    await expect(fetchUrl('/to-file')).rejects.toThrow(/not a web address/u)
  })

  it('fetches an image, following a redirect, with no referrer or cookie', async () => {
    asked.length = 0
    const image = await fetchUrl('/to-img')
    expect(image.contentType).toBe('image/gif')
    expect(Buffer.from(image.body).equals(GIF)).toBe(true)
    expect(asked.map((a) => a.path)).toEqual(['/to-img', '/img/redirected.gif'])
    expect(asked.every((a) => a.referer === undefined && a.cookie === undefined)).toBe(true)
  })

  it('refuses what is not an image, and an image past the size limit', async () => {
    await expect(fetchUrl('/page.html')).rejects.toThrow(/text\/html/u)
    await expect(fetchUrl('/missing.gif')).rejects.toThrow(/404/u)
    await expect(fetchUrl('/huge.png')).rejects.toThrow(/too large/u)
  })
})

describe('articles with hidden remote sources, from a post, a feed and an MHTML archive', () => {
  let dir: string
  let service: GleanerService
  const hidden = (n: number): string[] => [
    `ht&#10;tp://127.0.0.1:PORT/img/nl${n}.gif`,
    `ht&#9;tp://127.0.0.1:PORT/img/tab${n}.gif`,
    `ht&#13;tp://127.0.0.1:PORT/img/cr${n}.gif`,
    `&#1;http://127.0.0.1:PORT/img/c0${n}.gif`
  ]
  const body = (n: number): string =>
    `<p>正文第${n}篇，远程图片藏在控制字符后面。</p>` +
    hidden(n)
      .map((src) => `<p><img src="${src.replace('PORT', new URL(origin).port)}"></p>`)
      .join('') +
    `<p><img src="img/relative${n}.gif"></p>`

  beforeAll(async () => {
    dir = tempDir('gleaner-remote-images-').dir
    const port = new URL(origin).port
    writeFileSync(
      join(dir, 'post.md'),
      `---\ntitle: 藏起来的图片一\nurl: http://127.0.0.1:${port}/news/post1.html\n---\n\n${body(1)}\n`
    )
    writeFileSync(
      join(dir, 'feed.xml'),
      `<?xml version="1.0"?><rss version="2.0"><channel><title>源</title><item><title>藏起来的图片二</title>` +
        `<link>http://127.0.0.1:${port}/news/post2.html</link><description><![CDATA[${body(2)}]]></description></item></channel></rss>`
    )
    const page = `<!doctype html><html><head><title>藏起来的图片三</title></head><body><article><h1>藏起来的图片三</h1>${body(3)}${'<p>足够长的正文段落，让提取器把它当成文章主体，而不是页面的边角。</p>'.repeat(4)}</article></body></html>`
    writeFileSync(
      join(dir, 'page.mhtml'),
      [
        'From: <Saved by Blink>',
        `Snapshot-Content-Location: http://127.0.0.1:${port}/news/post3.html`,
        'Subject: page',
        'MIME-Version: 1.0',
        'Content-Type: multipart/related;',
        '\ttype="text/html";',
        '\tboundary="----B----"',
        '',
        '------B----',
        'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: base64',
        `Content-Location: http://127.0.0.1:${port}/news/post3.html`,
        '',
        Buffer.from(page).toString('base64'),
        '------B------',
        ''
      ].join('\r\n')
    )
    service = createGleanerService({ libraryPath: join(dir, 'library.db') })
    const run = await service.importPaths([
      join(dir, 'post.md'),
      join(dir, 'feed.xml'),
      join(dir, 'page.mhtml')
    ])
    expect(run.counts.failed).toBe(0)
  }, 60_000)

  afterAll(() => {
    service.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const article = async (title: string) => {
    const page = await service.listArticles({ limit: 10 })
    const found = page.items.find((a) => a.title === title)
    if (!found) throw new Error(`no article ${title}: ${page.items.map((a) => a.title).join()}`)
    return (await service.getArticle(found.id))!
  }

  it('stores every image source as the URL parser writes it, relative ones resolved', async () => {
    for (const [n, title] of [
      [1, '藏起来的图片一'],
      [2, '藏起来的图片二'],
      [3, '藏起来的图片三']
    ] as const) {
      const detail = await article(title)
      const stored = [...detail.cleanHtml.matchAll(/<img[^>]*src="([^"]*)"/gu)].map((m) => m[1]!)
      const expected = [
        ...['nl', 'tab', 'cr', 'c0'].map((k) => `${origin}/img/${k}${n}.gif`),
        `${origin}/news/img/relative${n}.gif`
      ]
      expect(stored, title).toEqual(expected)
      expect([...remoteImageUrls(detail.cleanHtml)].sort(), title).toEqual([...expected].sort())
    }
  })

  it('serves an image of the article through the route, with headers that keep it an image', async () => {
    const detail = await article('藏起来的图片一')
    const route = imageRoute(
      service.db,
      createKeeper(service.db, testFetcher(), () => new Date())
    )
    const query = (articleId: number, url: string): URLSearchParams =>
      new URL(remoteImagePath(articleId, url), 'http://x').searchParams
    // Not allowed yet: refused, and nothing is asked of the remote server.
    asked.length = 0
    expect((await route(query(detail.id, `${origin}/img/nl1.gif`))).status).toBe(403)
    expect(asked).toEqual([])
    await service.setRemoteImages('article', detail.id, true)
    const ok = await route(query(detail.id, `${origin}/img/nl1.gif`))
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toBe('image/gif')
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff')
    expect(ok.headers.get('content-security-policy')).toMatch(/sandbox/u)
    expect(Buffer.from(await ok.arrayBuffer()).equals(GIF)).toBe(true)

    // The route is no general fetcher: another article's image, any other URL, no article.
    const other = await article('藏起来的图片二')
    asked.length = 0
    for (const [id, url] of [
      [detail.id, `${origin}/img/nl2.gif`],
      [other.id, `${origin}/img/nl1.gif`],
      [detail.id, `${origin}/page.html`],
      [999_999, `${origin}/img/nl1.gif`]
    ] as const)
      expect((await route(query(id, url))).status, `${id} ${url}`).toBe(404)
    expect(asked).toEqual([])
    for (const bad of ['', 'article=1', 'article=x&url=y', 'article=1&url=not%20a%20url'])
      expect((await route(new URLSearchParams(bad))).status, bad).toBe(400)
  })

  it('answers 502 when the image cannot be had, and refuses local addresses by default', async () => {
    const detail = await article('藏起来的图片一')
    await service.setRemoteImages('article', detail.id, true)
    const response = await service.images.route(
      new URL(remoteImagePath(detail.id, `${origin}/img/tab1.gif`), 'http://x').searchParams
    )
    expect(response.status).toBe(502)
  })
})
