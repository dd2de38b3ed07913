// Shared pieces for the browser tests: build the renderer if needed, serve it over loopback,
// launch Debian's Chromium, and bridge a page to the REAL core the way preload does —
// window.gleaner over page.exposeBinding, arguments checked by the same dispatch as IPC.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { API_METHODS, EVENT_NAMES } from '../../src/shared/api'
import { REMOTE_IMAGE_ROUTE } from '../../src/shared/remote-image-route'
import { dispatchSettled } from '../../src/shared/validate'
import {
  createGleanerService,
  type GleanerService,
  type ServiceOptions
} from '../../src/core/service'
import { createKeeper } from '../../src/core/images/keep'
import type { ImageFetcher } from '../../src/core/images/remote'
import { imageRoute } from '../../src/core/images/route'
import { PathGrants, RootedAccess, withPathAccess } from '../../src/host/path-access'
import { sendHtml, sendResponse, serveStatic } from '../../src/host/static'
import {
  acceptedLanguages,
  firstPaintPage,
  loadPrerenderer,
  loadRendererShell,
  localeOf,
  type FirstPaintPage
} from '../../src/host/prerendered-index'
import type { Locale } from '../../src/shared/first-paint'
import { SHARED } from '../helpers/corpus'

export const ROOT = resolve(import.meta.dirname, '../..')
export const RENDERER_DIR = join(ROOT, 'out/renderer')
export const RESULTS_DIR = join(ROOT, 'test-results')
export const CORPUS = `${SHARED}/corpus`
export const CHROMIUM = '/usr/bin/chromium'

/** Newest modification time under a folder (the renderer's sources and what they import). */
function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

/** Builds when out/renderer is missing or older than the renderer or shared sources. */
export function ensureRendererBuilt(): void {
  const index = join(RENDERER_DIR, 'index.html')
  if (existsSync(index)) {
    const sources = Math.max(
      newestMtime(join(ROOT, 'src/renderer')),
      newestMtime(join(ROOT, 'src/shared'))
    )
    if (statSync(index).mtimeMs >= sources) return
  }
  execFileSync(join(ROOT, 'node_modules/.bin/electron-vite'), ['build'], {
    cwd: ROOT,
    stdio: 'inherit'
  })
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
}

export interface StaticServer {
  origin: string
  /**
   * The library behind the page loads that follow: index.html then comes with its first
   * frame prerendered from it, as the app's window does (src/host/prerendered-index.ts). As there,
   * the frame for `locale` (the page's language) and a window `height` pixels tall is
   * rendered right away, while the page is still being opened, and the next load takes it.
   * null serves index.html as built.
   */
  serve(library: GleanerService | null, locale?: string, height?: number): void
  close(): Promise<void>
}

export interface ServeRendererOptions {
  /**
   * Stands in for the remote servers behind the remote-image route (the app's own fetcher
   * refuses loopback addresses, and these machines have no other network).
   */
  fetchImage?: ImageFetcher
}

/**
 * out/renderer over http://127.0.0.1 (module scripts do not load from file:// in Chromium).
 * Served from a private copy: other engineers' builds empty out/ while tests run. The
 * remote-image route answers for the library being served, as gleaner://app/ does.
 */
export async function serveRenderer(opts: ServeRendererOptions = {}): Promise<StaticServer> {
  // Inside the project, so the prerenderer's own imports (its dependencies stay external, as in
  // the app) resolve from node_modules as they do from out/main, under Node as under vitest.
  const cache = join(ROOT, 'node_modules/.cache')
  mkdirSync(cache, { recursive: true })
  const copies = mkdtempSync(join(cache, 'gleaner-renderer-'))
  const snapshot = join(copies, 'renderer')
  cpSync(RENDERER_DIR, snapshot, { recursive: true })
  // The prerenderer (and its chunks) copied too, for the same reason.
  const mainSnapshot = join(copies, 'main')
  cpSync(join(ROOT, 'out/main'), mainSnapshot, { recursive: true })
  const prerenderer = await loadPrerenderer(mainSnapshot)
  const shell = await loadRendererShell(snapshot)
  let library: GleanerService | null = null
  let windowHeight: number | undefined
  let prepared: { locale: Locale; page: Promise<FirstPaintPage> } | null = null
  const render = (from: GleanerService, locale: Locale): Promise<FirstPaintPage> =>
    firstPaintPage({
      shell,
      prerenderer,
      listArticles: (query) => from.listArticles(query),
      locale,
      bridgeKind: 'native',
      windowHeight
    })
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://x')
    const path = url.pathname
    if (path === REMOTE_IMAGE_ROUTE && library) {
      const from = library
      // The library's own route; with a stand-in for the remote servers, the same route over
      // the same library with that fetcher.
      const route = opts.fetchImage
        ? imageRoute(
            from.db,
            createKeeper(from.db, opts.fetchImage, () => new Date())
          )
        : from.images.route
      return sendResponse(res, await route(url.searchParams))
    }
    if (library && (path === '/' || path === '/index.html')) {
      const locale = localeOf(acceptedLanguages(req.headers['accept-language']))
      const page = prepared?.locale === locale ? prepared.page : render(library, locale)
      prepared = null
      return sendHtml(res, await page)
    }
    await serveStatic(snapshot, path, res)
  }
  const server = createServer((req, res) => void handle(req, res))
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    serve(next, locale = 'en-US', height) {
      library = next
      windowHeight = height
      prepared = next
        ? { locale: localeOf([locale]), page: render(next, localeOf([locale])) }
        : null
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }).finally(() => rmSync(copies, { recursive: true, force: true }))
  }
}

export interface TempLibrary {
  service: GleanerService
  dir: string
  dispose(): void
}

/**
 * A fresh library in a temp folder. `capture` sets how feeds and the clipper behave in it (the
 * feed tests allow fetching from the loopback test server, which the app itself refuses).
 */
export function tempLibrary(opts: Pick<ServiceOptions, 'capture'> = {}): TempLibrary {
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-e2e-'))
  const service = createGleanerService({ libraryPath: join(dir, 'library.db'), ...opts })
  return {
    service,
    dir,
    dispose() {
      service.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** What a test controls of the stand-in shell behind a bridged page. */
export interface TestBridge {
  /** The paths granted to the window (drops, save dialogs). */
  grants: PathGrants
  /** The path the next save dialog answers with, as if the user picked it; null: cancelled. */
  saveAnswer: string | null
}

/**
 * Defines window.gleaner in the page over the real service: the test stand-in for preload and
 * main. pathForFile looks dropped Files up in window.__testFilePaths (what webUtils does in
 * Electron) and grants the path, as main does; the API, as main's, takes only granted paths.
 */
export async function bridgePage(
  page: Page,
  service: GleanerService,
  opts: { typedPaths?: string[] } = {}
): Promise<TestBridge> {
  const grants = new PathGrants()
  const control: TestBridge = { grants, saveAnswer: null }
  // As the web preview: no save dialog, typed paths inside these folders only.
  const typed = opts.typedPaths
  const api = withPathAccess(service, typed ? new RootedAccess(typed, service.db.name) : grants)
  // The native save dialog, answered by the test as the user would (control.saveAnswer); the
  // answer is granted for writing, as main does.
  await page.exposeBinding('__gleanerChooseSavePath', () =>
    control.saveAnswer === null ? null : grants.grantWrite(control.saveAnswer)
  )
  await page.exposeBinding('__gleanerInvoke', (_source, method: unknown, args: unknown) =>
    dispatchSettled(api, method, args)
  )
  await page.exposeBinding('__gleanerGrantDropped', (_source, path: unknown) =>
    typeof path === 'string' ? grants.grantRead(path) : null
  )
  await page.addInitScript(
    ({ methods, route, dialog }) => {
      type Listener = (payload: unknown) => void
      const listeners = new Map<string, Set<Listener>>()
      const w = window as unknown as Record<string, unknown> & {
        __gleanerInvoke: (method: string, args: unknown[]) => Promise<unknown>
        __gleanerGrantDropped: (path: string) => Promise<string | null>
        __gleanerChooseSavePath: () => Promise<string | null>
      }
      const filePaths = new WeakMap<File, string>()
      w.__testFilePaths = filePaths
      w.__gleanerEmit = (name: string, payload: unknown) => {
        for (const listener of listeners.get(name) ?? []) listener(payload)
      }
      w.gleaner = {
        api: Object.fromEntries(
          methods.map((m) => [
            m,
            async (...args: unknown[]) => {
              // As preload does (errors.ts unwrapOutcome): the error comes back with its code.
              const outcome = (await w.__gleanerInvoke(m, args)) as
                | { ok: true; result: unknown }
                | { ok: false; error: { code: string; message: string; params: object } }
              if (outcome.ok) return outcome.result
              throw Object.assign(new Error(outcome.error.message), {
                code: outcome.error.code,
                params: outcome.error.params
              })
            }
          ])
        ),
        on(name: string, listener: Listener) {
          const set = listeners.get(name) ?? new Set<Listener>()
          listeners.set(name, set)
          set.add(listener)
          return () => set.delete(listener)
        },
        pathForFile: async (file: File) => {
          const path = filePaths.get(file)
          return path ? w.__gleanerGrantDropped(path) : null
        },
        remoteImageUrl: (articleId: number, url: string) =>
          `${route}?article=${articleId}&url=${encodeURIComponent(url)}`,
        ...(dialog ? { chooseSavePath: () => w.__gleanerChooseSavePath() } : {})
      }
    },
    { methods: [...API_METHODS], route: REMOTE_IMAGE_ROUTE, dialog: !typed }
  )
  for (const name of EVENT_NAMES) {
    service.on(name, (payload) => {
      if (page.isClosed()) return
      page
        .evaluate(
          ([n, p]) =>
            (window as unknown as { __gleanerEmit: (n: string, p: unknown) => void }).__gleanerEmit(
              n,
              p
            ),
          [name, payload] as const
        )
        .catch(() => undefined)
    })
  }
  return control
}

/** Drops "files" whose paths are the given real paths onto the window, as a user would. */
export async function dropPaths(page: Page, paths: string[]): Promise<void> {
  await page.evaluate((list) => {
    const registry = (window as unknown as { __testFilePaths: WeakMap<File, string> })
      .__testFilePaths
    const transfer = new DataTransfer()
    for (const path of list) {
      const file = new File([''], path.split('/').pop() || 'dropped')
      registry.set(file, path)
      transfer.items.add(file)
    }
    const init = { dataTransfer: transfer, bubbles: true, cancelable: true }
    document.body.dispatchEvent(new DragEvent('dragenter', init))
    document.body.dispatchEvent(new DragEvent('dragover', init))
    document.body.dispatchEvent(new DragEvent('drop', init))
  }, paths)
}

/** Console errors and uncaught exceptions (CSP violations land here too). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  return errors
}

export function resultsDir(): string {
  mkdirSync(RESULTS_DIR, { recursive: true })
  return RESULTS_DIR
}

/** A browser context with the app loaded over a real library. */
export interface AppSession {
  context: BrowserContext
  page: Page
  library: TempLibrary
  /** Console errors and page errors seen so far. */
  errors: string[]
  /** Every URL the page requested (privacy checks). */
  requests: string[]
  /** The stand-in shell: grants, and what its save dialog answers. */
  bridge: TestBridge
}

export interface AppSessionOptions {
  locale: string
  colorScheme?: 'light' | 'dark'
  /** An existing library (e.g. imported before the page opens); a fresh one otherwise. */
  library?: TempLibrary
  /**
   * Paths as the web preview takes them (typed, inside these folders, no save dialog) instead
   * of as the app does (only what a drop or a dialog granted).
   */
  typedPaths?: string[]
}

const VIEWPORT = { width: 1400, height: 860 }

/** Opens the served renderer in a new context, bridged to the library's real service. */
export async function openAppSession(
  browser: Browser,
  server: StaticServer,
  opts: AppSessionOptions
): Promise<AppSession> {
  const library = opts.library ?? tempLibrary()
  const context = await browser.newContext({
    locale: opts.locale,
    colorScheme: opts.colorScheme ?? 'light',
    viewport: VIEWPORT
  })
  const page = await context.newPage()
  const errors = collectPageErrors(page)
  const requests: string[] = []
  page.on('request', (request) => requests.push(request.url()))
  const bridge = await bridgePage(
    page,
    library.service,
    opts.typedPaths ? { typedPaths: opts.typedPaths } : {}
  )
  server.serve(library.service, opts.locale, VIEWPORT.height)
  await page.goto(server.origin + '/')
  await waitForApp(page)
  return { context, page, library, errors, requests, bridge }
}

/**
 * Waits until the window responds: a prerendered frame paints before the app's code has run
 * (its root is aria-busy until then), and a drop or keypress before that would be lost.
 */
export async function waitForApp(page: Page): Promise<void> {
  await page.locator('.app:not([aria-busy])').waitFor({ timeout: 30_000 })
}

export async function closeAppSession(session: AppSession): Promise<void> {
  await session.context.close()
  session.library.dispose()
}

/**
 * A test file's one window: the renderer served, Chromium, and a temp library that `prepare`
 * fills before the window opens (returning the window's options), all opened before the
 * file's tests and closed after them. Returns the session, for the tests to read once it is open.
 */
export function windowForFile(
  prepare: (library: TempLibrary) => Promise<Omit<AppSessionOptions, 'library'>>
): () => AppSession {
  let browser: Browser | undefined
  let server: StaticServer | undefined
  let session: AppSession | undefined
  beforeAll(async () => {
    ensureRendererBuilt()
    server = await serveRenderer()
    browser = await launchChromium()
    const library = tempLibrary()
    session = await openAppSession(browser, server, { ...(await prepare(library)), library })
  }, 180_000)
  afterAll(async () => {
    if (session) await closeAppSession(session)
    await browser?.close()
    await server?.close()
  })
  return () => {
    if (!session) throw new Error('the window is not open (its beforeAll failed)')
    return session
  }
}

// A journey through the window is one test: its steps hand their results on inside it, never
// through state another test left. Its steps' own waits bound it, not the per-test default.
export const JOURNEY_MS = 600_000

/** Runs one step of a journey; a failure says which step. */
export async function step(name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run()
  } catch (e) {
    if (e instanceof Error) e.message = `step "${name}": ${e.message}`
    throw e
  }
}
