// The browser clipper's loopback endpoint: a small HTTP server on 127.0.0.1 that the paired
// extension talks to. It pairs a one-time code for a token, takes clips, and lists where a clip
// may go (category paths, collection names). Nothing else: it never serves article content.
// Every request must come from a browser extension's own origin (chrome-extension:// or
// moz-extension://); a web page's fetch carries its own Origin and is refused, CORS preflights
// included, and a request with no Origin at all is refused too. /clip and /targets also need
// the token given at pairing, from the origin it was given to. Bodies are limited while they
// are read.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import { errorData, GleanerError } from '../shared/errors'
import type { ClipperPart } from '../core/clipper/service-part'
import { clipRequest, MAX_CLIP_BYTES, pairRequest } from '../core/clipper/request'

/** Where the app listens unless told otherwise (GLEANER_CLIP_PORT, --clip-port). */
export const DEFAULT_CLIP_PORT = 47615
const MAX_PAIR_BYTES = 4096
/** Extension origins: Chromium's (Chrome, Edge, Brave…) and Firefox's. */
const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension):\/\/[a-z0-9-]{1,64}$/iu

export interface ClipEndpointOptions {
  clipper: ClipperPart
  /** 0 picks a free port; default DEFAULT_CLIP_PORT. */
  port?: number
  /** The largest request body (default 15 MB). */
  maxBodyBytes?: number
}

export interface ClipEndpoint {
  /** http://127.0.0.1:PORT */
  url: string
  port: number
  close(): Promise<void>
}

/** The port the host should use: GLEANER_CLIP_PORT when set (0: any free one), else the default. */
export function clipPortFrom(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GLEANER_CLIP_PORT
  if (raw === undefined || raw === '') return DEFAULT_CLIP_PORT
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`GLEANER_CLIP_PORT must be 0–65535 (got ${raw})`)
  return port
}

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

/** The body, counted as it arrives: past `limit` reading stops (the rest is never buffered). */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () =>
    new HttpRefusal(413, 'too-large', `the request is larger than ${limit} bytes`)
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge())
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > limit) {
        settled = true
        req.off('data', onData)
        req.pause()
        reject(tooLarge())
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.on('end', () => {
      if (!settled) resolve(Buffer.concat(chunks).toString('utf8'))
    })
    req.on('error', (e) => {
      if (settled) return
      settled = true
      reject(e)
    })
  })
}

function parseJson<T>(text: string, schema: z.ZodType<T>): T {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new HttpRefusal(400, 'not-json', 'the request body is not JSON')
  }
  const checked = schema.safeParse(value)
  if (!checked.success) {
    const issue = checked.error.issues[0]
    const where = issue?.path.length ? issue.path.join('.') : 'body'
    throw new HttpRefusal(400, 'invalid-request', `${where}: ${issue?.message ?? 'invalid'}`)
  }
  return checked.data
}

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer ([A-Za-z0-9_-]{20,200})$/u.exec(req.headers.authorization ?? '')
  return m ? (m[1] as string) : null
}

/** Pairing refusals: the code's own fault is 403, too many wrong codes 429. */
function statusOf(code: string): number {
  if (code === 'pairing-locked') return 429
  if (code.startsWith('pairing-')) return 403
  if (code === 'clip-not-imported') return 422
  if (code === 'library-damaged' || code === 'library-read-only') return 503
  return 500
}

export async function startClipEndpoint(opts: ClipEndpointOptions): Promise<ClipEndpoint> {
  const { clipper } = opts
  const limit = opts.maxBodyBytes ?? MAX_CLIP_BYTES
  let allowedHosts = new Set<string>()

  const send = (res: ServerResponse, status: number, body: unknown, origin?: string): void => {
    const text = JSON.stringify(body)
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      vary: 'Origin',
      ...(origin ? { 'access-control-allow-origin': origin } : {})
    })
    res.end(text)
  }
  const refuse = (
    res: ServerResponse,
    status: number,
    code: string,
    message: string,
    origin?: string
  ) => send(res, status, { error: { code, message, params: {} } }, origin)

  async function handle(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    const method = req.method ?? 'GET'
    if (path === '/pair') {
      if (method !== 'POST') return refuse(res, 405, 'method', 'POST only', origin)
      const { code } = parseJson(await readBody(req, MAX_PAIR_BYTES), pairRequest)
      const label = String(req.headers['user-agent'] ?? '')
      const { token } = await clipper.pair(code, origin, label)
      return send(res, 200, { token }, origin)
    }
    if (path !== '/clip' && path !== '/targets')
      return refuse(res, 404, 'not-found', 'no such endpoint', origin)
    const token = bearer(req)
    const client = token ? clipper.authorize(token, origin) : null
    if (!client)
      return refuse(res, 401, 'not-paired', 'this browser is not paired (or was revoked)', origin)
    if (path === '/targets') {
      // POST too: Chromium sends no Origin with an extension's GET to a host it holds a
      // permission for, so the popup asks with POST (which always carries it).
      if (method !== 'GET' && method !== 'POST')
        return refuse(res, 405, 'method', 'GET or POST only', origin)
      return send(res, 200, clipper.targets(), origin)
    }
    if (method !== 'POST') return refuse(res, 405, 'method', 'POST only', origin)
    if (!/^application\/json\b/iu.test(req.headers['content-type'] ?? ''))
      return refuse(res, 415, 'content-type', 'content-type must be application/json', origin)
    const clip = parseJson(await readBody(req, limit), clipRequest)
    return send(res, 200, await clipper.clip(client, clip), origin)
  }

  const server = createServer((req, res) => {
    const socket = req.socket
    // DNS rebinding: a hostile name resolving to 127.0.0.1 still sends its own Host header.
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase()))
      return refuse(res, 421, 'host', 'unexpected Host header')
    const origin = req.headers.origin ?? ''
    if (!EXTENSION_ORIGIN.test(origin))
      return refuse(res, 403, 'origin', 'only the paired browser extension may call this endpoint')
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'authorization, content-type',
        'access-control-max-age': '600',
        vary: 'Origin'
      })
      res.end()
      return
    }
    handle(req, res, origin).catch((err: unknown) => {
      if (res.headersSent) return
      if (err instanceof HttpRefusal) {
        if (err.status === 413) {
          // Nothing more of an oversized body is kept: the rest is read and dropped, so the
          // answer reaches a client still sending (closing on unread data resets the
          // connection and loses the answer), and a client that goes on far past the limit
          // is cut off.
          let dropped = 0
          req.on('data', (chunk: Buffer) => {
            dropped += chunk.length
            if (dropped > limit) socket.destroy()
          })
          req.resume()
        }
        return refuse(res, err.status, err.code, err.message, origin)
      }
      const data = errorData(err)
      const status = err instanceof GleanerError ? statusOf(data.code) : 500
      send(res, status, { error: data }, origin)
    })
  })
  server.keepAliveTimeout = 2000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? DEFAULT_CLIP_PORT, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const url = `http://127.0.0.1:${port}`
  clipper.setEndpoint(url)
  return {
    url,
    port,
    async close() {
      clipper.setEndpoint(null)
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
    }
  }
}
