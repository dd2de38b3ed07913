// GETs a feed or a page over http(s): conditional GET, gzip/deflate/br, redirects (http/https
// only), a connect timeout and a deadline for the whole body, a size cap enforced as the body
// is read, and the per-host limit. Node's http(s) rather than fetch(): the address policy is
// request-filtering-agent, an http.Agent, which checks the address each connection really goes
// to after DNS (fetch's undici would need a dispatcher of its own for that).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import type { Readable } from 'node:stream'
import ipaddr from 'ipaddr.js'
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent'
import { errorKind } from '../../shared/errors'
import type { FeedErrorCode } from '../../shared/capture-types'
import type { HostLimiter } from './host-limit'

export const MAX_FEED_BYTES = 10 * 1024 * 1024
export const MAX_PAGE_BYTES = 10 * 1024 * 1024
export const FETCH_TIMEOUT_MS = 30_000
const CONNECT_TIMEOUT_MS = 10_000
const MAX_REDIRECTS = 5

export class FetchError extends errorKind<FeedErrorCode>('FetchError') {
  status?: number
  /** When the server said to come back (429/503 Retry-After). */
  retryAt?: Date
}

function fail(
  code: FeedErrorCode,
  message: string,
  extra: { status?: number; retryAt?: Date; url?: string } = {}
): FetchError {
  const params: Record<string, string | number> = {}
  if (extra.status !== undefined) params.status = extra.status
  if (extra.url !== undefined) params.url = extra.url
  const e = new FetchError(code, message, params)
  if (extra.status !== undefined) e.status = extra.status
  if (extra.retryAt) e.retryAt = extra.retryAt
  return e
}

export interface FetchRequest {
  url: string
  /** Sent as If-None-Match / If-Modified-Since (a feed's stored validators). */
  etag?: string | null
  lastModified?: string | null
  accept: string
  maxBytes: number
  /** Refuse loopback, private and link-local addresses (pages linked from a public feed). */
  publicOnly: boolean
  signal?: AbortSignal
}

interface Validators {
  /** Where the request ended (after redirects). */
  finalUrl: string
  /** The new address when the request itself was moved permanently (301/308 from the first hop on). */
  movedTo: string | null
  etag: string | null
  lastModified: string | null
  /** The address the last connection went to (to tell an intranet feed from a public one). */
  remoteAddress: string | null
}

export type FetchOutcome =
  | ({ status: 200; body: Uint8Array; contentType: string; charset: string | null } & Validators)
  | ({ status: 304 } & Validators)

export interface Fetcher {
  get(req: FetchRequest): Promise<FetchOutcome>
  readonly limiter: HostLimiter
  close(): void
}

export interface FetcherOptions {
  limiter: HostLimiter
  /** Lets publicOnly requests reach loopback and private addresses (tests serve from 127.0.0.1). */
  allowPrivateAddresses?: boolean
  timeoutMs?: number
}

/** Whether an address is on the public internet (not loopback, private, link-local, …). */
export function isPublicAddress(address: string | null): boolean {
  if (!address || !ipaddr.isValid(address)) return false
  return ipaddr.process(address).range() === 'unicast'
}

/** Retry-After: seconds, or an HTTP date. */
function retryAtOf(value: string | undefined, now: number): Date | undefined {
  if (!value) return undefined
  const secs = Number(value.trim())
  if (Number.isFinite(secs) && secs >= 0) return new Date(now + secs * 1000)
  const at = Date.parse(value)
  return Number.isFinite(at) ? new Date(at) : undefined
}

function charsetOf(contentType: string): string | null {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType)
  return m?.[1] ?? null
}

function decoded(res: IncomingMessage): Readable {
  const encoding = String(res.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase()
  if (encoding === 'gzip' || encoding === 'x-gzip') return res.pipe(createGunzip())
  if (encoding === 'deflate') return res.pipe(createInflate())
  if (encoding === 'br') return res.pipe(createBrotliDecompress())
  return res
}

export function createFetcher(opts: FetcherOptions): Fetcher {
  const timeoutMs = opts.timeoutMs ?? FETCH_TIMEOUT_MS
  const keepAlive = { keepAlive: true, maxSockets: 64 }
  const open = { http: new HttpAgent(keepAlive), https: new HttpsAgent(keepAlive) }
  const filter = { ...keepAlive, allowPrivateIPAddress: opts.allowPrivateAddresses ?? false }
  const guarded = {
    http: new RequestFilteringHttpAgent(filter),
    https: new RequestFilteringHttpsAgent(filter)
  }

  /** One hop: the response with its headers, and the deadline that still runs over its body. */
  const send = (
    url: URL,
    req: FetchRequest,
    deadline: AbortSignal
  ): Promise<{ res: IncomingMessage; remoteAddress: string | null }> =>
    new Promise((resolve, reject) => {
      const https = url.protocol === 'https:'
      const agents = req.publicOnly ? guarded : open
      const headers: Record<string, string> = {
        accept: req.accept,
        'accept-encoding': 'gzip, deflate, br',
        'user-agent': 'Gleaner (feed reader)'
      }
      if (req.etag) headers['if-none-match'] = req.etag
      if (req.lastModified) headers['if-modified-since'] = req.lastModified
      const r = (https ? httpsRequest : httpRequest)(url, {
        method: 'GET',
        agent: https ? agents.https : agents.http,
        headers,
        signal: deadline
      })
      const connectTimer = setTimeout(
        () =>
          r.destroy(
            fail(
              'timeout',
              `no connection to ${url.host} within ${Math.round(Math.min(CONNECT_TIMEOUT_MS, timeoutMs) / 1000)} s`
            )
          ),
        Math.min(CONNECT_TIMEOUT_MS, timeoutMs)
      )
      r.on('socket', (socket) => {
        if (!socket.connecting) clearTimeout(connectTimer)
        else socket.once('connect', () => clearTimeout(connectTimer))
      })
      r.on('response', (res) => {
        clearTimeout(connectTimer)
        resolve({ res, remoteAddress: res.socket?.remoteAddress ?? null })
      })
      r.on('error', (e) => {
        clearTimeout(connectTimer)
        reject(e)
      })
      r.end()
    })

  const readBody = async (
    res: IncomingMessage,
    maxBytes: number,
    url: string
  ): Promise<Uint8Array> => {
    const declared = Number(res.headers['content-length'] ?? 0)
    if (declared > maxBytes && !res.headers['content-encoding']) {
      res.destroy()
      throw fail('too-large', `${url} is ${declared} bytes; at most ${maxBytes} are read`, { url })
    }
    const stream = decoded(res)
    const chunks: Buffer[] = []
    let size = 0
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length
        if (size > maxBytes) {
          res.destroy()
          stream.destroy()
          throw fail('too-large', `${url} is over ${maxBytes} bytes; at most that many are read`, {
            url
          })
        }
        chunks.push(chunk)
      }
    } catch (e) {
      if (e instanceof FetchError) throw e
      throw e instanceof Error &&
        /incorrect header|unexpected end|invalid|decompress/i.test(e.message)
        ? fail('network', `${url}: its compressed body could not be read (${e.message})`, { url })
        : e
    }
    return new Uint8Array(Buffer.concat(chunks))
  }

  const hop = async (
    current: URL,
    req: FetchRequest
  ): Promise<{
    res: IncomingMessage
    remoteAddress: string | null
    deadline: AbortSignal
    done: () => void
  }> => {
    const release = await opts.limiter.acquire(current.host, req.signal)
    const timer = new AbortController()
    const timeout = setTimeout(
      () =>
        timer.abort(
          fail(
            'timeout',
            `${current.href} did not finish within ${Math.round(timeoutMs / 1000)} s`,
            { url: current.href }
          )
        ),
      timeoutMs
    )
    const onAbort = (): void => timer.abort(req.signal?.reason)
    req.signal?.addEventListener('abort', onAbort, { once: true })
    const done = (): void => {
      clearTimeout(timeout)
      req.signal?.removeEventListener('abort', onAbort)
      release()
    }
    try {
      const got = await send(current, req, timer.signal)
      return { ...got, deadline: timer.signal, done }
    } catch (e) {
      done()
      throw translate(e, current.href, timer.signal)
    }
  }

  const translate = (e: unknown, url: string, deadline: AbortSignal): unknown => {
    if (e instanceof FetchError) return e
    if (deadline.aborted && deadline.reason instanceof FetchError) return deadline.reason
    const err = e as NodeJS.ErrnoException
    if (err?.name === 'AbortError') return e
    const message = err?.message ?? String(e)
    // request-filtering-agent refuses in createConnection, naming the address it refused.
    if (/is not allowed|private|DNS lookup .* is not allowed/i.test(message))
      return fail('refused-address', `${url}: ${message}`, { url })
    return fail('network', `${url}: ${message}`, { url })
  }

  return {
    limiter: opts.limiter,
    async get(req) {
      let current: URL
      try {
        current = new URL(req.url)
      } catch {
        throw fail('bad-redirect', `not an address: ${req.url}`, { url: req.url })
      }
      let movedTo: string | null = null
      let permanentSoFar = true
      for (let n = 0; n <= MAX_REDIRECTS; n++) {
        if (current.protocol !== 'http:' && current.protocol !== 'https:')
          throw fail(
            'bad-redirect',
            `${req.url} led to ${current.protocol} (only http and https are followed)`,
            { url: current.href }
          )
        const { res, remoteAddress, deadline, done } = await hop(current, req)
        try {
          const status = res.statusCode ?? 0
          const header = (name: string): string | null => {
            const v = res.headers[name]
            return typeof v === 'string' ? v : null
          }
          const validators = (): Validators => ({
            finalUrl: current.href,
            movedTo,
            etag: header('etag'),
            lastModified: header('last-modified'),
            remoteAddress
          })
          if (status >= 300 && status < 400 && status !== 304) {
            res.resume()
            const location = header('location')
            if (!location)
              throw fail('http', `${current.href} answered ${status} without a Location`, {
                status,
                url: current.href
              })
            let next: URL
            try {
              next = new URL(location, current)
            } catch {
              throw fail('bad-redirect', `${current.href} redirected to an unreadable address`, {
                url: current.href
              })
            }
            permanentSoFar = permanentSoFar && (status === 301 || status === 308)
            if (permanentSoFar) movedTo = next.href
            current = next
            continue
          }
          if (status === 304) {
            res.resume()
            return { status: 304, ...validators() }
          }
          if (status === 200) {
            const body = await readBody(res, req.maxBytes, current.href)
            const contentType = header('content-type') ?? ''
            return {
              status: 200,
              body,
              contentType,
              charset: charsetOf(contentType),
              ...validators()
            }
          }
          res.resume()
          if (status === 410)
            throw fail('gone', `${current.href} is gone (410)`, { status, url: current.href })
          if (status === 429 || status === 503) {
            const retryAt = retryAtOf(header('retry-after') ?? undefined, Date.now())
            if (status === 429 || retryAt)
              throw fail('rate-limited', `${current.href} asked to wait (${status})`, {
                status,
                url: current.href,
                ...(retryAt ? { retryAt } : {})
              })
          }
          throw fail('http', `${current.href} answered ${status}`, { status, url: current.href })
        } catch (e) {
          throw translate(e, current.href, deadline)
        } finally {
          done()
        }
      }
      throw fail('bad-redirect', `${req.url}: more than ${MAX_REDIRECTS} redirects`, {
        url: req.url
      })
    },
    close() {
      for (const a of [open.http, open.https, guarded.http, guarded.https]) a.destroy()
    }
  }
}
