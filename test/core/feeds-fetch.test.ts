// The feed fetcher on a real loopback server: deadlines that hold against a body that trickles,
// the address policy for pages linked from public feeds, decoding and the per-host limit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { brotliCompressSync, deflateSync } from 'node:zlib'
import {
  createFetcher,
  FetchError,
  isPublicAddress,
  type Fetcher
} from '../../src/core/feeds/fetch'
import { createHostLimiter } from '../../src/core/feeds/host-limit'
import { documentRoute, startWebServer, type WebServer } from '../helpers/web-server'

let server: WebServer
let fetcher: Fetcher
const get = (path: string, extra: Partial<Parameters<Fetcher['get']>[0]> = {}) =>
  fetcher.get({
    url: server.url(path),
    accept: '*/*',
    maxBytes: 1024 * 1024,
    publicOnly: false,
    ...extra
  })

beforeEach(async () => {
  server = await startWebServer()
  fetcher = createFetcher({
    limiter: createHostLimiter(2),
    allowPrivateAddresses: false,
    timeoutMs: 800
  })
})
afterEach(async () => {
  fetcher.close()
  await server.close()
})

describe('feed fetcher', () => {
  it('a body that keeps trickling in times out at the deadline (not an idle timeout)', async () => {
    let timer: NodeJS.Timeout | undefined
    server.route('/slow', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' })
      res.write('<rss><channel>')
      // A byte every 50 ms: never idle, never done.
      timer = setInterval(() => res.write(' '), 50)
      res.on('close', () => clearInterval(timer))
    })
    const started = Date.now()
    const err = await get('/slow').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FetchError)
    expect(err).toMatchObject({ code: 'timeout' })
    expect((err as Error).message).toMatch(/did not finish within 1 s/)
    expect(Date.now() - started).toBeLessThan(5000)
    clearInterval(timer)
  })

  it('a server that never answers times out too', async () => {
    server.route('/silent', () => undefined)
    await expect(get('/silent')).rejects.toMatchObject({ code: 'timeout' })
  })

  it('pages linked from a public feed may not be on this machine or the local network', async () => {
    server.route('/page', documentRoute({ body: '<html><body>x</body></html>', type: 'text/html' }))
    // The feed itself (publicOnly false) is fetched wherever it is: an intranet RSSHub.
    expect((await get('/page')).status).toBe(200)
    const refused = await get('/page', { publicOnly: true }).catch((e: unknown) => e)
    expect(refused).toMatchObject({ code: 'refused-address' })
    expect(server.requests.filter((r) => r.path === '/page')).toHaveLength(1)
    expect(isPublicAddress('127.0.0.1')).toBe(false)
    expect(isPublicAddress('10.1.2.3')).toBe(false)
    expect(isPublicAddress('::ffff:192.168.1.1')).toBe(false)
    expect(isPublicAddress('93.184.216.34')).toBe(true)
  })

  it('decodes deflate and br bodies; a corrupt gzip body is a clear error', async () => {
    const text = '<rss><channel><title>压缩</title></channel></rss>'
    server.route(
      '/deflate',
      (_q, res) => void res.writeHead(200, { 'content-encoding': 'deflate' }).end(deflateSync(text))
    )
    server.route(
      '/br',
      (_q, res) =>
        void res.writeHead(200, { 'content-encoding': 'br' }).end(brotliCompressSync(text))
    )
    server.route(
      '/bad-gzip',
      (_q, res) => void res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all')
    )
    for (const path of ['/deflate', '/br']) {
      const got = await get(path)
      expect(got.status === 200 && new TextDecoder().decode(got.body)).toBe(text)
    }
    await expect(get('/bad-gzip')).rejects.toMatchObject({ code: 'network' })
  })

  it('a gzip bomb stops at the size cap as it inflates', async () => {
    const { gzipSync } = await import('node:zlib')
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024))
    server.route(
      '/bomb',
      (_q, res) =>
        void res
          .writeHead(200, { 'content-encoding': 'gzip', 'content-length': bomb.length })
          .end(bomb)
    )
    await expect(get('/bomb')).rejects.toMatchObject({ code: 'too-large' })
  })

  it('a declared Content-Length over the cap is refused before the body is read', async () => {
    server.route('/big', (_q, res) => {
      res.writeHead(200, { 'content-length': 5 * 1024 * 1024 })
      res.write(Buffer.alloc(1024))
    })
    await expect(get('/big')).rejects.toMatchObject({ code: 'too-large' })
  })

  it('holds requests to one host to the limit and lets the next go as one finishes', async () => {
    let open = 0
    let most = 0
    server.route('/hold', async (_q, res) => {
      open++
      most = Math.max(most, open)
      await new Promise((r) => setTimeout(r, 100))
      open--
      res.writeHead(200).end('ok')
    })
    const all = await Promise.all(Array.from({ length: 7 }, () => get('/hold')))
    expect(all.every((r) => r.status === 200)).toBe(true)
    expect(most).toBe(2)
    expect(fetcher.limiter.maxInFlight).toBe(2)
  })
})
