// The web preview: the same renderer in a browser, with the real core behind the same API
// over loopback HTTP. Only 127.0.0.1, a random token per run, Host checked against DNS
// rebinding, and only the API's own methods (validated like IPC) are reachable.
//
//   tsx src/web/serve.ts [--port N] [--library path/to/library.db]
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { EVENT_NAMES } from '../shared/api'
import { dispatchSettled } from '../shared/validate'
import { createGleanerService, type GleanerService } from '../main/core/service'
import { resolveLibraryPath } from '../main/core/paths'
import { startBackupSchedule, type BackupSchedule } from '../main/core/backup/schedule'
import { securityHeaders, sendHtml, serveStatic } from './static'
import {
  acceptedLanguages,
  firstPaintPage,
  loadPrerenderer,
  loadRendererShell,
  localeOf,
  type RendererShell
} from '../main/first-paint'

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
}

export interface WebPreview {
  /** The address to open, token included (#token=…, never sent to the server in a URL). */
  url: string
  origin: string
  token: string
  libraryPath: string
  /** The scheduled backups this preview makes while it runs (the library's setting). */
  backups: BackupSchedule
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
  const service: GleanerService = createGleanerService({ libraryPath })
  const backups = startBackupSchedule({
    db: service.db,
    libraryPath,
    isDamaged: () => service.health.damaged,
    onError: (e) => console.error(`Scheduled backup failed: ${e.message}`)
  })
  const prerenderer = await loadPrerenderer(opts.mainOutDir ?? DEFAULT_MAIN_OUT_DIR)
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
    const outcome = await dispatchSettled(service, method, args)
    sendJson(res, outcome.ok ? 200 : statusOf(outcome.error.code), outcome)
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
    if (url.pathname.startsWith('/api/')) return sendJson(res, 404, { error: 'no such endpoint' })
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, { error: 'GET only' })
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      // The page arrives with its first frame in it (src/main/first-paint.ts), in the
      // browser's language.
      ;(shell ??= loadRendererShell(rendererDir))
        .then((loaded) =>
          firstPaintPage({
            shell: loaded,
            prerenderer,
            listArticles: (query) => service.listArticles(query),
            locale: localeOf(acceptedLanguages(req.headers['accept-language'])),
            bridgeKind: 'http'
          })
        )
        .then((page) => sendHtml(res, page, req.method === 'HEAD'))
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
    backups,
    async close() {
      backups.stop()
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
      library: { type: 'string' }
    }
  })
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0–65535')
  const preview = await startWebPreview({ port, libraryPath: values.library })
  console.log(`Gleaner web preview (library: ${preview.libraryPath})`)
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
