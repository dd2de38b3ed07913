// The browser clipper's loopback endpoint over real HTTP, against a real library: pairing, who
// may call it (token, the extension's Origin, Host), its limits, and clips landing with their
// highlight, category and collection, deduplicated like any import.
import { createHash } from 'node:crypto'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { startClipEndpoint, type ClipEndpoint } from '../../src/host/clip-endpoint'
import { CODE_TTL_MS, MAX_WRONG_CODES } from '../../src/core/clipper/pairing'
import type { ClipAnswer } from '../../src/core/clipper/request'
import { clipPage } from '../helpers/clip-page'
import { tempDir } from '../helpers/corpus'

const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'
const FIREFOX_EXT = 'moz-extension://2c127fa4-62c7-7e4f-90e5-472b45eecfdc'
const PAGE_URL = 'https://www.cls.cn/detail/805120'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

let dir: { dir: string; cleanup: () => void }
let service: GleanerService
let endpoint: ClipEndpoint

/** One request to the endpoint, with the headers a browser would send. */
function call(
  method: string,
  path: string,
  opts: {
    origin?: string | null
    token?: string
    body?: unknown
    raw?: string | Buffer | (() => AsyncGenerator<Buffer>)
    host?: string
    headers?: Record<string, string>
  } = {}
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      host: opts.host ?? `127.0.0.1:${endpoint.port}`,
      ...(opts.origin === null ? {} : { origin: opts.origin ?? EXT }),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined || opts.raw !== undefined
        ? { 'content-type': 'application/json' }
        : {}),
      ...opts.headers
    }
    const req = request(
      { host: '127.0.0.1', port: endpoint.port, method, path, headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let body: unknown = text
          try {
            body = text ? JSON.parse(text) : null
          } catch {
            // not JSON: kept as text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
        })
      }
    )
    // The server may answer and drop the connection before an oversized body is all sent:
    // an error after the answer is that, not a failure.
    let answered = false
    req.on('response', () => (answered = true))
    req.on('error', (e) => {
      if (!answered) reject(e)
    })
    const stream = opts.raw
    if (typeof stream === 'function') {
      void (async () => {
        try {
          for await (const chunk of stream())
            if (!req.write(chunk)) await new Promise((r) => req.once('drain', r))
          req.end()
        } catch {
          // the server closed the connection: the answer is what counts
        }
      })()
      return
    }
    if (opts.raw !== undefined) req.end(opts.raw)
    else req.end(opts.body === undefined ? undefined : JSON.stringify(opts.body))
  })
}

async function pair(origin = EXT): Promise<string> {
  const { code } = await service.startClipperPairing()
  const r = await call('POST', '/pair', { origin, body: { code } })
  expect(r.status).toBe(200)
  return r.body.token as string
}

const page = clipPage()
/** A passage of the post's fourth paragraph, and the text around it, as a browser selection gives them. */
function selectionIn(paragraph: number, from: number, length: number) {
  const p = page.paragraphs[paragraph]!
  return {
    exact: p.slice(from, from + length),
    prefix: `\n    ${p.slice(Math.max(0, from - 40), from)}`,
    suffix: `${p.slice(from + length, from + length + 40)}\n  `
  }
}

async function clip(token: string, extra: Record<string, unknown> = {}): Promise<Reply> {
  return call('POST', '/clip', {
    token,
    body: { url: PAGE_URL, title: page.title, html: page.html, ...extra }
  })
}

beforeEach(async () => {
  dir = tempDir('gleaner-clipper-')
  service = createGleanerService({ libraryPath: join(dir.dir, 'library.db') })
  endpoint = await startClipEndpoint({ clipper: service.clipper, port: 0 })
})

afterEach(async () => {
  vi.useRealTimers()
  await endpoint.close()
  service.close()
  dir.cleanup()
})

describe('pairing', () => {
  it('trades the one-time code for a token, stored only as its hash, for that origin', async () => {
    const pairing = await service.startClipperPairing()
    expect(pairing.endpoint).toBe(endpoint.url)
    expect(pairing.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/u)
    expect(Date.parse(pairing.expiresAt) - Date.now()).toBeGreaterThan(CODE_TTL_MS - 10_000)
    // Typed as people type it: lower case, no dash.
    const typed = pairing.code.replace('-', ' ').toLowerCase()
    const r = await call('POST', '/pair', {
      body: { code: typed },
      headers: { 'user-agent': 'Chromium test' }
    })
    expect(r.status).toBe(200)
    expect(r.headers['access-control-allow-origin']).toBe(EXT)
    const token = r.body.token as string
    expect(token.length).toBeGreaterThanOrEqual(40)
    const clients = await service.listClipperClients()
    expect(clients).toEqual([
      expect.objectContaining({ origin: EXT, label: 'Chromium test', lastClipAt: null })
    ])
    const stored = service.db.prepare('SELECT token_hash FROM clipper_clients').pluck().all()
    expect(stored).toEqual([createHash('sha256').update(token).digest('hex')])
    // Single use.
    const again = await call('POST', '/pair', { body: { code: pairing.code } })
    expect(again.status).toBe(403)
    expect(again.body.error.code).toBe('pairing-code-wrong')
    // The pairing was announced as a change (the window's list follows it).
    const history = await service.history({ limit: 5 })
    expect(history.map((c) => c.op)).toContain('pairClipperClient')
  })

  it('refuses a wrong code, and after a few wrong ones refuses even the right one', async () => {
    const { code } = await service.startClipperPairing()
    for (let i = 0; i < MAX_WRONG_CODES; i++) {
      const r = await call('POST', '/pair', { body: { code: `ZZZZ-ZZZ${i}` } })
      expect(r.status).toBe(403)
      expect(r.body.error.code).toBe('pairing-code-wrong')
    }
    const locked = await call('POST', '/pair', { body: { code } })
    expect(locked.status).toBe(429)
    expect(locked.body.error.code).toBe('pairing-locked')
    expect(await service.listClipperClients()).toEqual([])
    // A new code from the window starts over.
    await pair()
    expect(await service.listClipperClients()).toHaveLength(1)
  })

  it('refuses an expired code', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const { code } = await service.startClipperPairing()
    vi.setSystemTime(Date.now() + CODE_TTL_MS + 1000)
    const r = await call('POST', '/pair', { body: { code } })
    expect(r.status).toBe(403)
    expect(r.body.error.code).toBe('pairing-code-expired')
    expect(await service.listClipperClients()).toEqual([])
  })

  it('pairs a Firefox extension origin too', async () => {
    const token = await pair(FIREFOX_EXT)
    const r = await call('GET', '/targets', { origin: FIREFOX_EXT, token })
    expect(r.status).toBe(200)
  })
})

describe('who may call it', () => {
  it('needs the token, from the origin it was given to', async () => {
    const token = await pair()
    expect((await call('GET', '/targets', { token })).status).toBe(200)
    // POST too: Chromium sends no Origin with an extension's GET, so the popup posts.
    expect((await call('POST', '/targets', { token, body: {} })).status).toBe(200)
    const none = await call('GET', '/targets')
    expect(none.status).toBe(401)
    expect(none.body.error.code).toBe('not-paired')
    expect((await call('GET', '/targets', { token: 'x'.repeat(43) })).status).toBe(401)
    // Another extension with a stolen token.
    const other = 'chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba'
    expect((await call('GET', '/targets', { token, origin: other })).status).toBe(401)
    expect((await call('POST', '/clip', { token, origin: other, body: {} })).status).toBe(401)
  })

  it('refuses web pages, requests without an Origin, and other Host names', async () => {
    const token = await pair()
    for (const origin of ['https://evil.example', 'http://127.0.0.1:8080', 'null']) {
      const r = await call('GET', '/targets', { token, origin })
      expect(r.status, origin).toBe(403)
      expect(r.headers['access-control-allow-origin']).toBeUndefined()
      const p = await call('POST', '/pair', { origin, body: { code: 'AAAA-AAAA' } })
      expect(p.status).toBe(403)
    }
    expect((await call('GET', '/targets', { token, origin: null })).status).toBe(403)
    // DNS rebinding: a name the attacker controls resolving to 127.0.0.1.
    const rebound = await call('GET', '/targets', { token, host: `evil.example:${endpoint.port}` })
    expect(rebound.status).toBe(421)
  })

  it('answers CORS preflights for extension origins only', async () => {
    const ask = (origin: string) =>
      call('OPTIONS', '/clip', {
        origin,
        headers: {
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type'
        }
      })
    const ok = await ask(EXT)
    expect(ok.status).toBe(204)
    expect(ok.headers['access-control-allow-origin']).toBe(EXT)
    expect(ok.headers['access-control-allow-headers']).toContain('authorization')
    const web = await ask('https://news.example')
    expect(web.status).toBe(403)
    expect(web.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('stops taking a revoked browser at once, and says so in the history', async () => {
    const token = await pair()
    const [client] = await service.listClipperClients()
    await service.revokeClipperClient(client!.id)
    expect((await call('GET', '/targets', { token })).status).toBe(401)
    expect(await service.listClipperClients()).toEqual([])
    const [last] = await service.history({ limit: 1 })
    expect(last).toMatchObject({ op: 'revokeClipperClient', undoable: false })
  })

  it('has nothing but /pair, /clip and /targets', async () => {
    const token = await pair()
    for (const path of ['/', '/articles', '/api/invoke', '/clip/1']) {
      expect((await call('GET', path, { token })).status, path).toBe(404)
    }
    expect((await call('GET', '/clip', { token })).status).toBe(405)
  })
})

describe('limits and bad input', () => {
  it('refuses a body over 15 MB while reading it, and imports nothing', async () => {
    const token = await pair()
    const r = await call('POST', '/clip', {
      token,
      raw: async function* () {
        const chunk = Buffer.alloc(1024 * 1024, 0x61)
        yield Buffer.from('{"url":"https://x.example/","title":"t","html":"')
        // No Content-Length: the server must count as it reads.
        for (let i = 0; i < 40; i++) {
          yield chunk
        }
        yield Buffer.from('"}')
      }
    })
    expect(r.status).toBe(413)
    expect(r.body.error.code).toBe('too-large')
    const declared = await call('POST', '/clip', {
      token,
      raw: '{}',
      headers: { 'content-length': String(20 * 1024 * 1024) }
    }).catch((e: Error) => ({ status: -1, body: e.message, headers: {} }))
    expect(declared.status).toBe(413)
    expect((await service.listArticles({})).total).toBe(0)
  })

  it('says what is wrong with malformed JSON and with a bad field', async () => {
    const token = await pair()
    const broken = await call('POST', '/clip', { token, raw: '{"url": "https://a.example/",' })
    expect(broken.status).toBe(400)
    expect(broken.body.error.code).toBe('not-json')
    const ftp = await clip(token, { url: 'ftp://files.example/page' })
    expect(ftp.status).toBe(400)
    expect(ftp.body.error).toMatchObject({ code: 'invalid-request' })
    expect(ftp.body.error.message).toMatch(/^url: /u)
    const extra = await clip(token, { sneaky: true })
    expect(extra.status).toBe(400)
    const notJson = await call('POST', '/clip', {
      token,
      raw: '{}',
      headers: { 'content-type': 'text/plain' }
    })
    expect(notJson.status).toBe(415)
    expect((await service.listArticles({})).total).toBe(0)
  })
})

describe('clips', () => {
  it('imports the page and anchors the selection as a highlight', async () => {
    const token = await pair()
    const selection = selectionIn(1, 6, 24)
    const r = await clip(token, { selection })
    expect(r.status).toBe(200)
    const answer = r.body as ClipAnswer
    expect(answer).toMatchObject({ status: 'imported', highlight: 'anchored', notes: [] })
    expect(answer.title).toBe(page.title)
    const article = (await service.getArticle(answer.articleId))!
    expect(article.url).toBe(PAGE_URL)
    // The site's navigation and footer are not the article.
    expect(article.cleanText).not.toContain('版权所有')
    const [highlight] = await service.listAnnotations(answer.articleId)
    expect(highlight).toMatchObject({ id: answer.highlightId, anchorStatus: 'anchored' })
    expect(highlight!.exact).toBe(selection.exact)
    const { start, end } = highlight!.selectors!.position
    expect(article.cleanText.slice(start, end)).toBe(selection.exact)
    const [client] = await service.listClipperClients()
    expect(client!.lastClipAt).not.toBeNull()
  })

  it('picks the right copy of a passage the page repeats, by its context', async () => {
    const token = await pair()
    // "南京" occurs many times; the context says which one was selected.
    const p = page.paragraphs[1]!
    const at = p.lastIndexOf('南京')
    const selection = {
      exact: '南京',
      prefix: p.slice(Math.max(0, at - 30), at),
      suffix: p.slice(at + 2, at + 32)
    }
    const answer = (await clip(token, { selection })).body as ClipAnswer
    expect(answer.highlight).toBe('anchored')
    const article = (await service.getArticle(answer.articleId))!
    const [h] = await service.listAnnotations(answer.articleId)
    const start = h!.selectors!.position.start
    expect(article.cleanText.slice(start - 20, start)).toBe(selection.prefix.slice(-20))
    expect(article.cleanText.slice(start + 2).startsWith(selection.suffix)).toBe(true)
    expect(article.cleanText.indexOf('南京')).toBeLessThan(start)
  })

  it('keeps the page and says so when the selection is not in the cleaned article', async () => {
    const token = await pair()
    const r = await clip(token, {
      selection: { exact: '版权所有 © 财联社', prefix: '', suffix: '' }
    })
    expect(r.status).toBe(200)
    const answer = r.body as ClipAnswer
    expect(answer.highlight).toBe('not-found')
    expect(answer.notes.join(' ')).toMatch(/not in the cleaned article/u)
    expect(await service.getArticle(answer.articleId)).not.toBeNull()
    expect(await service.listAnnotations(answer.articleId)).toEqual([])
  })

  it('files the clip in the chosen category and collection the targets list offers', async () => {
    await service.createCollection('疫情简报', null)
    await service.createCollection('智能', '南京')
    const token = await pair()
    // A category to offer: from an earlier clip filed by its own choice.
    await clip(token, { url: 'https://www.cls.cn/detail/1', categoryPath: ['剪藏', '财经'] })
    const targets = (await call('GET', '/targets', { token })).body
    expect(targets.categories).toEqual(expect.arrayContaining([['剪藏'], ['剪藏', '财经']]))
    // Manual collections only (a smart one is a saved search), and names only.
    expect(targets.collections).toEqual(['疫情简报'])
    expect(JSON.stringify(targets)).not.toContain('南京疫情')

    const answer = (
      await clip(token, {
        url: 'https://www.cls.cn/detail/2',
        title: '另一页',
        html: clipPage('金融/财联社/深度/102家券商经营排行榜：4家营收超200亿，5家净利超100亿.md')
          .html,
        categoryPath: ['剪藏', '券商'],
        collection: '疫情简报'
      })
    ).body as ClipAnswer
    expect(answer.collection).toEqual({ name: '疫情简报', outcome: 'added' })
    const article = (await service.getArticle(answer.articleId))!
    expect(article.categoryPath).toEqual(['剪藏', '券商'])
    const collection = (await service.listCollections()).find((c) => c.name === '疫情简报')!
    expect((await service.collectionItems(collection.id)).map((i) => i.articleId)).toEqual([
      answer.articleId
    ])
    const missing = (await clip(token, { collection: '没有这个' })).body as ClipAnswer
    expect(missing.collection).toEqual({ name: '没有这个', outcome: 'not-found' })
  })

  it('answers a page clipped twice as the duplicate it is, and still adds the new highlight', async () => {
    const token = await pair()
    const first = (await clip(token, { selection: selectionIn(1, 6, 24) })).body as ClipAnswer
    const second = (await clip(token, { selection: selectionIn(6, 2, 18) })).body as ClipAnswer
    expect(second.status).toBe('duplicate')
    expect(second.articleId).toBe(first.articleId)
    expect(second.highlight).toBe('anchored')
    expect((await service.listArticles({})).total).toBe(1)
    const highlights = await service.listAnnotations(first.articleId)
    expect(highlights.map((h) => h.exact)).toEqual([
      selectionIn(1, 6, 24).exact,
      selectionIn(6, 2, 18).exact
    ])
    // The same selection again is the highlight already there, not a second one.
    const third = (await clip(token, { selection: selectionIn(6, 2, 18) })).body as ClipAnswer
    expect(third.highlight).toBe('existing')
    expect(await service.listAnnotations(first.articleId)).toHaveLength(2)
  })
})

describe('the endpoint in its process', () => {
  it('refuses pairing where no endpoint runs', async () => {
    await endpoint.close()
    await expect(service.startClipperPairing()).rejects.toMatchObject({
      code: 'clipper-endpoint-off'
    })
    endpoint = await startClipEndpoint({ clipper: service.clipper, port: 0 })
  })
})
