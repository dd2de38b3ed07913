// UI benchmark: the real renderer in Chromium over the real core with a big library, served
// as the app serves it (index.html with its first frame prerendered, src/host/prerendered-index.ts).
// Measures time to the first painted list row (Element Timing: when the row's title was on
// screen, not merely in the DOM), when the window responds (the app has taken the frame
// over), row click → reader showing that article,
// DOM size while scrolling the virtual list (it must stay bounded), how long a far jump takes
// to fill with rows, and frames dropped while scrolling.
//
//   npx tsx bench/ui.ts                    (100,000 articles; generated once into bench/.data)
//   npx tsx bench/ui.ts --articles 10000   (dev)
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openLibraryDb } from '../src/core/library/open'
import { createGleanerService } from '../src/core/service'
import type { Page } from 'playwright-core'
import { startWebPreview } from '../src/web/serve'
import { generateLibrary } from './lib/generate-library'
import { ensureSearchIndexCurrent } from '../src/core/search'
import {
  ROOT,
  bridgePage,
  collectPageErrors,
  ensureRendererBuilt,
  launchChromium,
  serveRenderer
} from '../test/e2e/harness'

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '100000' },
    selections: { type: 'string', default: '20' },
    /** Cold loads of each kind (new browser context each); medians are reported. */
    loads: { type: 'string', default: '5' },
    fresh: { type: 'boolean', default: false },
    /** An existing library to measure (bench:scale's), instead of a generated one. */
    library: { type: 'string' }
  }
})
const N = Number(values.articles)
const SELECTIONS = Number(values.selections)
const LOADS = Number(values.loads)

const dataDir = join(ROOT, 'bench/.data')
const libraryPath = values.library ?? join(dataDir, `ui-${N}.db`)
mkdirSync(dataDir, { recursive: true })
if (values.fresh) for (const ext of ['', '-wal', '-shm']) rmSync(libraryPath + ext, { force: true })
if (!existsSync(libraryPath)) {
  const db = openLibraryDb(libraryPath)
  const stats = generateLibrary(db, { articles: N })
  // Indexed now: opening a library without a current index starts a rebuild beside the window.
  ensureSearchIndexCurrent(db)
  db.close()
  console.log(`generated ${stats.articles} articles in ${Math.round(stats.ms)} ms`)
}

/**
 * In the page from navigation start: when the first list row's title was painted (Element
 * Timing on the titles), when a row first existed in the DOM, and when the window became
 * interactive (App mounted: its root drops aria-busy).
 */
// tsx compiles with keepNames, so functions serialised into the page call esbuild's __name
// helper; give the page a no-op one (vitest does not need this).
const NAME_SHIM = 'window.__name = (fn) => fn'

function watchFirstPaint(): void {
  const times: { paint?: number; inDom?: number; live?: number } = {}
  // Reported on the console, which Playwright hears without running anything in the page
  // (its locators and waitForFunction would compete with the paint being measured).
  const report = (): void => {
    if (times.paint !== undefined && times.live !== undefined)
      console.debug('gleaner-bench:' + JSON.stringify(times))
  }
  new PerformanceObserver((list, observer) => {
    for (const entry of list.getEntries() as (PerformanceEntry & {
      identifier: string
      renderTime: number
    })[]) {
      if (entry.identifier === 'article-title' && times.paint === undefined) {
        times.paint = entry.renderTime || entry.startTime
        observer.disconnect()
        report()
      }
    }
  }).observe({ type: 'element', buffered: true })
  new MutationObserver((_, observer) => {
    if (times.inDom === undefined && document.querySelector('[role="option"][data-article-id]'))
      times.inDom = performance.now()
    if (document.querySelector('.app:not([aria-busy])')) {
      times.live = performance.now()
      observer.disconnect()
      report()
    }
  }).observe(document, { childList: true, subtree: true, attributes: true })
}

interface PaintTimes {
  paint: number
  inDom: number
  live: number
}

/** Runs `navigate` and resolves with the page's first-paint report (see watchFirstPaint). */
async function paintTimes(page: Page, navigate: () => Promise<unknown>): Promise<PaintTimes> {
  const reported = page.waitForEvent('console', {
    predicate: (message) => message.text().startsWith('gleaner-bench:'),
    timeout: 60_000
  })
  await navigate()
  const message = await reported
  return JSON.parse(message.text().slice('gleaner-bench:'.length)) as PaintTimes
}

const VIEWPORT = { width: 1400, height: 900 }

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? NaN
}

const medianOf = (runs: PaintTimes[], key: keyof PaintTimes): number =>
  median(runs.map((run) => run[key]))

ensureRendererBuilt()
const core = createGleanerService({ libraryPath })
// Time every core call the page makes, to tell renderer cost from query cost.
const callMs = new Map<string, number[]>()
const service = new Proxy(core, {
  get(target, key, receiver) {
    const value = Reflect.get(target, key, receiver) as unknown
    if (typeof value !== 'function' || key === 'on' || key === 'close') return value
    return async (...args: unknown[]) => {
      const t0 = performance.now()
      try {
        return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
      } finally {
        const list = callMs.get(String(key)) ?? []
        list.push(performance.now() - t0)
        callMs.set(String(key), list)
      }
    }
  }
})
const server = await serveRenderer()
const browser = await launchChromium()
try {
  const preview = await startWebPreview({ libraryPath })
  /**
   * One cold load in a new browser context: 'app' = served as the app's window is (index.html
   * prerendered from the library), the page bridged to the core as preload does; 'scratch' =
   * the same page built from scratch by its script (the baseline: no prerendering); 'web' =
   * the web preview over loopback HTTP with its own core. `reload` also times a reload.
   */
  const coldLoad = async (
    kind: 'app' | 'scratch' | 'web',
    reload = false
  ): Promise<{ cold: PaintTimes; warm?: PaintTimes; domReady: number }> => {
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: VIEWPORT
    })
    try {
      const page = await context.newPage()
      const errors = collectPageErrors(page)
      await page.addInitScript(NAME_SHIM)
      if (kind !== 'web') await bridgePage(page, core)
      await page.addInitScript(watchFirstPaint)
      server.serve(kind === 'app' ? core : null, 'en-US', VIEWPORT.height)
      const cold = await paintTimes(page, () =>
        page.goto(kind === 'web' ? preview.url : server.origin + '/')
      ).catch(async (err: unknown) => {
        await page.screenshot({ path: join(dataDir, 'ui-timeout.png') })
        throw new Error(`no list row (${kind}): ${String(err)}; page errors: ${errors.join(' | ')}`)
      })
      const domReady = await page.evaluate(
        () =>
          (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
            .domContentLoadedEventEnd
      )
      let warm: PaintTimes | undefined
      if (reload) {
        warm = await paintTimes(page, () => page.reload())
      }
      if (errors.length) throw new Error(`page errors (${kind}): ${errors.join(' | ')}`)
      return { cold, warm, domReady }
    } finally {
      await context.close()
    }
  }
  // The browser's own first start (its processes, the system's font lists) is not the page's
  // cost: one throwaway load first, then the kinds take turns so load on the machine hits all.
  await coldLoad('scratch')
  const runs: Record<'app' | 'scratch' | 'web', PaintTimes[]> = { app: [], scratch: [], web: [] }
  const reloads: PaintTimes[] = []
  const domReadies: number[] = []
  /**
   * The machine's floor: a new context painting one line of Chinese text with no script and
   * no request, the part of every cold load that is Chromium's, not the page's.
   */
  const floorPaint = async (): Promise<number> => {
    const context = await browser.newContext({ viewport: VIEWPORT })
    try {
      const page = await context.newPage()
      const painted = page.waitForEvent('console', { timeout: 30_000 })
      await page.addInitScript(() => {
        new PerformanceObserver((list) => {
          console.debug(String(list.getEntries()[0]!.startTime))
        }).observe({ type: 'paint', buffered: true })
      })
      await page.goto('data:text/html;charset=utf-8,<!doctype html><p>新闻剪报 Gleaner</p>')
      return Number((await painted).text())
    } finally {
      await context.close()
    }
  }
  const floors: number[] = []
  for (let i = 0; i < LOADS; i++) {
    floors.push(await floorPaint())
    const app = await coldLoad('app')
    runs.app.push(app.cold)
    domReadies.push(app.domReady)
    runs.scratch.push((await coldLoad('scratch')).cold)
    const web = await coldLoad('web', true)
    runs.web.push(web.cold)
    reloads.push(web.warm!)
  }
  await preview.close()
  const firstPaintMs = medianOf(runs.app, 'paint')
  const interactiveMs = medianOf(runs.app, 'live')
  const scratchPaintMs = medianOf(runs.scratch, 'paint')
  const webPaintMs = medianOf(runs.web, 'paint')
  const floorMs = median(floors)
  const domReadyMs = median(domReadies)

  // The rest runs in one window, opened the app's way.
  const context = await browser.newContext({
    locale: 'en-US',
    viewport: VIEWPORT
  })
  const page = await context.newPage()
  const errors = collectPageErrors(page)
  await page.addInitScript(NAME_SHIM)
  await bridgePage(page, service)
  server.serve(core, 'en-US', VIEWPORT.height)
  await page.goto(server.origin + '/')
  await page.locator('.app:not([aria-busy]) [role="option"][data-article-id]').first().waitFor()
  const total = (await core.libraryInfo()).articleCount

  // Select → preview: click a row, wait (in the page, per animation frame) for its title.
  const selectTimes: number[] = []
  for (let i = 0; i < SELECTIONS; i++) {
    const ms = await page.evaluate(async (n) => {
      const rows = [...document.querySelectorAll<HTMLElement>('[role="option"][data-article-id]')]
      const row = rows[n % rows.length]!
      const title = row.querySelector('.title')?.textContent ?? ''
      const t0 = performance.now()
      row.click()
      for (;;) {
        await new Promise(requestAnimationFrame)
        const shown = document.querySelector('#reader-title')?.textContent
        const body = document.querySelector('.article-host')?.shadowRoot?.textContent ?? ''
        if (shown === title && body.length > 0) return performance.now() - t0
      }
    }, i)
    selectTimes.push(ms)
  }

  // Scrolling: steady wheel-like scrolling, then far jumps; DOM size and frame gaps sampled
  // every frame in the page.
  const scroll = await page.evaluate(async () => {
    const viewport = document.querySelector<HTMLElement>('.listbox > div')!
    let maxNodes = 0
    let maxRows = 0
    let dropped = 0
    let frames = 0
    let last = performance.now()
    const sample = (): void => {
      const now = performance.now()
      const gap = now - last
      last = now
      frames++
      dropped += Math.max(0, Math.round(gap / (1000 / 60)) - 1)
      maxNodes = Math.max(maxNodes, document.getElementsByTagName('*').length)
      maxRows = Math.max(maxRows, document.querySelectorAll('[role="option"]').length)
    }
    const frame = (): Promise<void> =>
      new Promise((done) =>
        requestAnimationFrame(() => {
          sample()
          done()
        })
      )
    await frame()
    for (let i = 0; i < 240; i++) {
      viewport.scrollTop += 120
      await frame()
    }
    const steadyDropped = dropped
    const steadyFrames = frames
    // Far jumps: time until every row in view has its data (pages fetched on demand).
    const fills: number[] = []
    for (const fraction of [0.5, 0.9, 0.25, 1]) {
      const t0 = performance.now()
      viewport.scrollTop = (viewport.scrollHeight - viewport.clientHeight) * fraction
      for (;;) {
        await frame()
        const rows = [...document.querySelectorAll('[role="option"]')]
        if (rows.length > 0 && rows.every((r) => r.hasAttribute('data-article-id'))) break
      }
      fills.push(performance.now() - t0)
    }
    return { maxNodes, maxRows, steadyDropped, steadyFrames, fills }
  })

  const selectMs = median(selectTimes)
  const jumpFillMs = median(scroll.fills)
  console.log(`library: ${total} articles (${libraryPath})`)
  const list = (xs: PaintTimes[], key: keyof PaintTimes): string =>
    xs.map((x) => x[key].toFixed(0)).join(', ')
  console.log(
    `first list row painted (median of ${LOADS} cold loads, new browser context each): ${firstPaintMs.toFixed(0)} ms after navigation (${list(runs.app, 'paint')}); ` +
      `in the DOM at ${medianOf(runs.app, 'inDom').toFixed(0)} ms, DOM ready at ${domReadyMs.toFixed(0)} ms; the window responds at ${interactiveMs.toFixed(0)} ms`
  )
  console.log(
    `Chromium's own floor (a new context painting one line of text from a data: URL: no script, no network): ${floorMs.toFixed(0)} ms (${floors.map((f) => f.toFixed(0)).join(', ')})`
  )
  console.log(
    `without prerendering (baseline, same runs): painted at ${scratchPaintMs.toFixed(0)} ms (${list(runs.scratch, 'paint')}), responds at ${medianOf(runs.scratch, 'live').toFixed(0)} ms`
  )
  console.log(
    `web preview (loopback HTTP, its own core): painted at ${webPaintMs.toFixed(0)} ms (${list(runs.web, 'paint')}), responds at ${medianOf(runs.web, 'live').toFixed(0)} ms; ${medianOf(reloads, 'paint').toFixed(0)} ms on reload`
  )
  console.log(
    `select → preview: median ${selectMs.toFixed(1)} ms, max ${Math.max(...selectTimes).toFixed(1)} ms over ${SELECTIONS}`
  )
  console.log(
    `scrolling: max ${scroll.maxNodes} DOM elements, max ${scroll.maxRows} rows mounted; ` +
      `${scroll.steadyDropped} frames dropped over ${scroll.steadyFrames} frames of steady scrolling`
  )
  console.log(
    `far jump → rows filled: median ${jumpFillMs.toFixed(0)} ms (${scroll.fills.map((f) => f.toFixed(0)).join(', ')})`
  )
  for (const [method, times] of callMs) {
    console.log(
      `core ${method}: ${times.length} calls, median ${median(times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`
    )
  }
  // Idle baseline: frames "dropped" with nothing to do measure the machine, not the app.
  const idleDropped = await page.evaluate(async () => {
    let dropped = 0
    let last = performance.now()
    for (let i = 0; i < 120; i++) {
      await new Promise(requestAnimationFrame)
      const now = performance.now()
      dropped += Math.max(0, Math.round((now - last) / (1000 / 60)) - 1)
      last = now
    }
    return dropped
  })
  console.log(`idle baseline: ${idleDropped} frames dropped over 120 idle frames`)
  await context.close()

  if (errors.length) console.log(`page errors: ${errors.join(' | ')}`)
  console.log(
    `BENCH ui articles=${total} first_paint_ms=${firstPaintMs.toFixed(0)} interactive_ms=${interactiveMs.toFixed(0)} floor_paint_ms=${floorMs.toFixed(0)} ` +
      `scratch_paint_ms=${scratchPaintMs.toFixed(0)} ratio_vs_scratch=${(firstPaintMs / scratchPaintMs).toFixed(2)} ` +
      `web_first_paint_ms=${webPaintMs.toFixed(0)} web_interactive_ms=${medianOf(runs.web, 'live').toFixed(0)} web_reload_paint_ms=${medianOf(reloads, 'paint').toFixed(0)} dom_ready_ms=${domReadyMs.toFixed(0)} ` +
      `select_to_preview_ms=${selectMs.toFixed(1)} max_dom_nodes=${scroll.maxNodes} max_rows_mounted=${scroll.maxRows} dropped_frames=${scroll.steadyDropped} ` +
      `scroll_frames=${scroll.steadyFrames} jump_fill_ms=${jumpFillMs.toFixed(0)} idle_dropped_frames=${idleDropped} page_errors=${errors.length}`
  )
} finally {
  await browser.close()
  await server.close()
  service.close()
}
