// A real HTTP server on 127.0.0.1 for the capture tests (feeds, fetched pages, images, the
// clipper's pages): each test gives it routes; the server counts requests and the most in
// flight at once per path prefix, so tests can see conditional GETs and per-host limits.
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>

export interface WebServer {
  /** http://HOST:PORT (no trailing slash). */
  origin: string
  url(path: string): string
  /** Replaces or adds a route (a feed that changes between polls). */
  route(path: string, handler: Route): void
  /** Requests seen, in order: method, path (with query) and the request headers. */
  readonly requests: { method: string; path: string; headers: IncomingMessage['headers'] }[]
  /** The most requests in flight at once over the server's life. */
  readonly maxInFlight: number
  close(): Promise<void>
}

export interface DocumentRoute {
  body: string | Uint8Array
  type: string
  /** Answer If-None-Match / If-Modified-Since with 304 (default true): a well-behaved feed server. */
  conditional?: boolean
  lastModified?: string
  gzip?: boolean
  /** Hold the answer this long first (a busy server; lets requests overlap). */
  delayMs?: number
}

/**
 * A document with an ETag (its hash) and Last-Modified, answering conditional GETs with 304 as
 * RSSHub and most feed servers do; gzip-encoded when asked.
 */
export function documentRoute(doc: DocumentRoute): Route {
  const bytes = typeof doc.body === 'string' ? Buffer.from(doc.body) : Buffer.from(doc.body)
  const etag = `"${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}"`
  const lastModified = doc.lastModified ?? 'Tue, 01 Jun 2021 00:00:00 GMT'
  return async (req, res) => {
    if (doc.delayMs) await new Promise((r) => setTimeout(r, doc.delayMs))
    // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 13.2.2).
    const inm = req.headers['if-none-match']
    const fresh =
      inm !== undefined ? inm === etag : req.headers['if-modified-since'] === lastModified
    if (doc.conditional !== false && fresh) {
      res.writeHead(304, { etag, 'last-modified': lastModified }).end()
      return
    }
    const body = doc.gzip ? gzipSync(bytes) : bytes
    res
      .writeHead(200, {
        'content-type': doc.type,
        etag,
        'last-modified': lastModified,
        'content-length': body.length,
        ...(doc.gzip ? { 'content-encoding': 'gzip' } : {})
      })
      .end(body)
  }
}

export interface WebServerOptions {
  /** The loopback address to listen on (127.0.0.1 by default; 127.0.0.x are more "hosts"). */
  host?: string
}

export async function startWebServer(
  routes: Record<string, Route> = {},
  options: WebServerOptions = {}
): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1'
  const table = new Map(Object.entries(routes))
  const requests: WebServer['requests'] = []
  let inFlight = 0
  let maxInFlight = 0
  const server = createServer((req, res) => {
    const path = req.url ?? '/'
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers })
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    res.on('close', () => inFlight--)
    const handler = table.get(path) ?? table.get(path.split('?')[0] ?? path)
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    Promise.resolve(handler(req, res)).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500)
      res.end(String(e))
    })
  })
  // Keep-alive sockets would hold close() open after a test.
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const origin = `http://${host}:${(server.address() as AddressInfo).port}`
  return {
    origin,
    url: (path) => origin + path,
    route: (path, handler) => void table.set(path, handler),
    requests,
    get maxInFlight() {
      return maxInFlight
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** A route answering 200 with these bytes as `contentType` (an image, or a page posing as one). */
export function bytesRoute(body: Uint8Array | string, contentType: string): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': contentType }).end(body)
  }
}

/**
 * A route streaming `total` bytes of `contentType` without a content-length, so a limit must
 * hold on what is read; the client may hang up early (that is the point).
 */
export function endlessRoute(contentType: string, total: number): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': contentType })
    res.on('error', () => undefined)
    const chunk = Buffer.alloc(1024 * 1024, 0x41)
    let sent = 0
    const more = (): void => {
      while (sent < total) {
        sent += chunk.length
        if (!res.write(chunk)) return void res.once('drain', more)
      }
      res.end()
    }
    more()
  }
}
