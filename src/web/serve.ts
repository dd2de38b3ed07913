// The web preview: the same renderer in a browser, with the real core behind the same API
// over loopback HTTP. Only 127.0.0.1, a random token per run, Host checked against DNS
// rebinding, and only the API's own methods (validated like IPC) are reachable. Nothing of
// the library goes out without the token: `/` is the bare page, which fetches its first frame
// with the token (/api/first-frame). Typed import and export paths must lie inside the folders
// given with --allow (default: the user's home), never in hidden ones (src/host/path-access.ts).
//
//   tsx src/web/serve.ts [--port N] [--library path/to/library.db] [--allow FOLDER]…
//                        [--clip-port N]  (the browser clipper's endpoint, src/host/clip-endpoint.ts)
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { homedir } from 'node:os'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { EVENT_NAMES } from '../shared/api'
import { FIRST_FRAME_ROUTE, type FirstFrame, type Locale } from '../shared/first-paint'
import { REMOTE_IMAGE_ROUTE } from '../shared/remote-image-route'
import { dispatchSettled } from '../shared/validate'
import { createGleanerService, type GleanerService } from '../core/service'
import { resolveLibraryPath } from '../core/paths'
import { RootedAccess, withPathAccess } from '../host/path-access'
import { securityHeaders, sendHtml, sendResponse, serveStatic } from '../host/static'
import { startBackupSchedule, type BackupSchedule } from '../core/backup/schedule'
import { clipPortFrom, startClipEndpoint, type ClipEndpoint } from '../host/clip-endpoint'
import {
  acceptedLanguages,
  firstFrame,
  loadPrerenderer,
  loadRendererShell,
  localeOf,
  shellPage,
  type RendererShell
} from '../host/prerendered-index'

export const TOKEN_HEADER = 'x-gleaner-token'
const MAX_BODY_BYTES = 1024 * 1024
const HERE = dirname(fileURLToPath(import.meta.url))
export const DEFAULT_RENDERER_DIR = resolve(HERE, '../../out/renderer')
export const DEFAULT_MAIN_OUT_DIR = resolve(HERE, '../../out/main')

export interface WebPreviewOptions {
  /** Library file; defaults to --library / GLEANER_LIBRARY / the app-data default. */
  libraryPath?: string
  /** 0 (the default) picks a free port. */
  port?: number
  /** The built renderer; defaults to out/renderer. */
  rendererDir?: string
  /** Where the built prerenderer is (out/main); without one the page is served as built. */
  mainOutDir?: string
  /**
   * The folders typed import and export paths must lie in (default: the user's home); hidden
   * files and folders in them are refused all the same (src/host/path-access.ts).
   */
  allowedRoots?: string[]
  /**
   * The browser clipper's endpoint port (0: any free one; null: none). Default
   * GLEANER_CLIP_PORT, else DEFAULT_CLIP_PORT. When the port is taken (the app runs too), the
   * preview goes on without one and says so.
   */
  clipPort?: number | null
}

export interface WebPreview {
  /** The address to open, token included (#token=…, never sent to the server in a URL). */
  url: string
  origin: string
  token: string
  libraryPath: string
  /** The folders typed paths must lie in. */
  allowedRoots: readonly string[]
  /** The scheduled backups this preview makes while it runs (the library's setting). */
  backups: BackupSchedule
  /** The browser clipper's loopback endpoint, when one runs. */
  clipEndpoint: ClipEndpoint | null
  close(): Promise<void>
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...securityHeaders(),
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text))
  })
  res.end(text)
}

/** The HTTP status for an error code: the body carries the code itself either way. */
function statusOf(code: string): number {
  if (code === 'invalid-arguments') return 400
  if (code === 'not-found' || code.startsWith('no-')) return 404
  if (code === 'path-outside-preview') return 403
  if (code === 'unexpected') return 500
  // The request was understood and refused (a name taken, a file that exists…).
  return 409
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new RangeError('request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export async function startWebPreview(opts: WebPreviewOptions = {}): Promise<WebPreview> {
  const libraryPath = resolveLibraryPath(opts.libraryPath)
  const rendererDir = opts.rendererDir ?? DEFAULT_RENDERER_DIR
  if (!existsSync(resolve(rendererDir, 'index.html'))) {
    throw new Error(`No built renderer at ${rendererDir}: run \`npx electron-vite build\` first`)
  }
  const service: GleanerService = createGleanerService({
    libraryPath,
    origin: 'web',
    // The preview is a running app: its feeds are polled on their schedule.
    capture: { scheduleFeeds: true },
    // A team library stays in step while the preview runs (no keychain here: PGPASSWORD or
    // ~/.pgpass give the password).
    team: { continuous: true }
  })
  const access = new RootedAccess(opts.allowedRoots ?? [homedir()], libraryPath)
  const api = withPathAccess(service, access)
  const backups = startBackupSchedule({
    db: service.db,
    libraryPath,
    isDamaged: () => service.health.damaged,
    onError: (e) => console.error(`Scheduled backup failed: ${e.message}`)
  })
  const prerenderer = await loadPrerenderer(opts.mainOutDir ?? DEFAULT_MAIN_OUT_DIR)
  const clipPort = opts.clipPort === undefined ? clipPortFrom() : opts.clipPort
  const clipEndpoint =
    clipPort === null
      ? null
      : await startClipEndpoint({ clipper: service.clipper, port: clipPort }).catch(
          (e: unknown) => {
            console.error(`Browser clipper endpoint not started: ${(e as Error).message}`)
            return null
          }
        )
  let shell: Promise<RendererShell> | null = null
  const token = randomBytes(32).toString('base64url')
  let allowedHosts = new Set<string>()
  let origin = ''
  const streams = new Set<ServerResponse>()

  const handleInvoke = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' })
    if (!sameToken(req.headers[TOKEN_HEADER] as string | undefined, token)) {
      return sendJson(res, 401, { error: 'missing or wrong token' })
    }
    // A page from another origin cannot carry the token, but refuse cross-origin callers anyway.
    if (req.headers.origin && req.headers.origin !== origin) {
      return sendJson(res, 403, { error: 'cross-origin request refused' })
    }
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      return sendJson(res, 415, { error: 'content-type must be application/json' })
    }
    let call: unknown
    try {
      call = JSON.parse(await readBody(req))
    } catch (err) {
      const tooLarge = err instanceof RangeError
      return sendJson(res, tooLarge ? 413 : 400, {
        error: tooLarge ? err.message : 'body is not JSON'
      })
    }
    if (typeof call !== 'object' || call === null || Array.isArray(call)) {
      return sendJson(res, 400, { error: 'body must be {"method": …, "args": […]}' })
    }
    const { method, args } = call as { method?: unknown; args?: unknown }
    if (!Array.isArray(args)) return sendJson(res, 400, { error: 'args must be an array' })
    const outcome = await dispatchSettled(api, method, args)
    sendJson(res, outcome.ok ? 200 : statusOf(outcome.error.code), outcome)
  }

  const renderFrame = (locale: Locale, height?: number): Promise<FirstFrame | null> =>
    firstFrame({
      prerenderer,
      listArticles: (query) => service.listArticles(query),
      locale,
      bridgeKind: 'http',
      ...(height ? { windowHeight: height } : {})
    })
  /**
   * A frame rendered while the page loads: `/` starts it (nothing of it goes out there) and the
   * token-bearing /api/first-frame that follows takes it, so the library query and the render
   * overlap the page's script download instead of following it.
   */
  let prepared: { locale: Locale; at: number; frame: Promise<FirstFrame | null> } | null = null
  const PREPARED_FOR_MS = 5000

  /** The window's first frame (rows and their markup): only with the token, like the API. */
  const handleFirstFrame = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'GET only' })
    if (!sameToken(req.headers[TOKEN_HEADER] as string | undefined, token)) {
      return sendJson(res, 401, { error: 'missing or wrong token' })
    }
    const locale = localeOf(acceptedLanguages(req.headers['accept-language']))
    const height = Number(url.searchParams.get('height'))
    const ready =
      prepared?.locale === locale && Date.now() - prepared.at < PREPARED_FOR_MS
        ? prepared.frame
        : renderFrame(locale, Number.isFinite(height) && height > 0 ? height : undefined)
    prepared = null
    sendJson(res, 200, await ready)
  }

  const handleEvents = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    // EventSource cannot send headers, so the token travels in the query for this one route.
    if (!sameToken(url.searchParams.get('token'), token)) {
      return sendJson(res, 401, { error: 'missing or wrong token' })
    }
    res.writeHead(200, {
      ...securityHeaders(),
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive'
    })
    res.write(': connected\n\n')
    streams.add(res)
    req.on('close', () => streams.delete(res))
  }

  const offs = EVENT_NAMES.map((name) =>
    service.on(name, (payload) => {
      const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`
      for (const stream of streams) stream.write(frame)
    })
  )

  const server = createServer((req, res) => {
    // DNS rebinding: a hostile name resolving to 127.0.0.1 still sends its own Host header.
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      return sendJson(res, 421, { error: 'unexpected Host header' })
    }
    const url = new URL(req.url ?? '/', origin)
    if (url.pathname === '/api/invoke') {
      handleInvoke(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(err) })
      })
      return
    }
    if (url.pathname === '/api/events') return handleEvents(req, res, url)
    if (url.pathname === FIRST_FRAME_ROUTE) {
      handleFirstFrame(req, res, url).catch(() => {
        if (!res.headersSent) sendJson(res, 500, { error: 'could not render the first frame' })
      })
      return
    }
    if (url.pathname.startsWith('/api/')) return sendJson(res, 404, { error: 'no such endpoint' })
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, { error: 'GET only' })
    }
    if (url.pathname === REMOTE_IMAGE_ROUTE) {
      // An <img> sends no headers: the token is in the query, as for the event stream.
      if (!sameToken(url.searchParams.get('token'), token)) {
        return sendJson(res, 401, { error: 'missing or wrong token' })
      }
      service.images
        .route(url.searchParams)
        .then((response) => sendResponse(res, response, req.method === 'HEAD'))
        .catch(() => {
          if (!res.headersSent) sendJson(res, 502, { error: 'image not fetched' })
        })
      return
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      // The page itself, with none of the library in it: the request carries no token (the
      // address's #token never reaches a server). The page fetches its first frame with it.
      const locale = localeOf(acceptedLanguages(req.headers['accept-language']))
      ;(shell ??= loadRendererShell(rendererDir))
        .then((loaded) => {
          sendHtml(res, shellPage(loaded), req.method === 'HEAD')
          // After the page is on its way: the query blocks this thread while it runs.
          if (req.method === 'GET')
            setImmediate(() => {
              prepared = { locale, at: Date.now(), frame: renderFrame(locale) }
            })
        })
        .catch(() => {
          if (!res.headersSent) sendJson(res, 500, { error: 'could not read index.html' })
        })
      return
    }
    serveStatic(rendererDir, url.pathname, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'could not read file' })
    })
  })

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolveListen())
  })
  const { port } = server.address() as AddressInfo
  origin = `http://127.0.0.1:${port}`
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    libraryPath,
    allowedRoots: access.roots,
    backups,
    clipEndpoint,
    async close() {
      backups.stop()
      await clipEndpoint?.close()
      offs.forEach((off) => off())
      for (const stream of streams) stream.end()
      streams.clear()
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
      service.close()
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      library: { type: 'string' },
      allow: { type: 'string', multiple: true },
      'clip-port': { type: 'string' }
    }
  })
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0–65535')
  const clipPort = values['clip-port'] === undefined ? undefined : Number(values['clip-port'])
  if (clipPort !== undefined && (!Number.isInteger(clipPort) || clipPort < 0 || clipPort > 65535))
    throw new Error('--clip-port must be 0–65535')
  const preview = await startWebPreview({
    port,
    ...(clipPort !== undefined ? { clipPort } : {}),
    libraryPath: values.library,
    ...(values.allow?.length ? { allowedRoots: values.allow.map((dir) => resolve(dir)) } : {})
  })
  console.log(`Gleaner web preview (library: ${preview.libraryPath})`)
  console.log(`Imports and exports only inside: ${preview.allowedRoots.join(', ')}`)
  if (preview.clipEndpoint) console.log(`Browser clipper endpoint: ${preview.clipEndpoint.url}`)
  console.log(`Open: ${preview.url}`)
  const stop = (): void => {
    void preview.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
