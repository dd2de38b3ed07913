// UI benchmark: the real renderer in Chromium over the real core with a big library.
// Measures time to the first painted list row, row click → reader showing that article,
// DOM size while scrolling the virtual list (it must stay bounded), how long a far jump takes
// to fill with rows, and frames dropped while scrolling.
//
//   npx tsx bench/ui.ts                    (100,000 articles; generated once into bench/.data)
//   npx tsx bench/ui.ts --articles 10000   (dev)
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openLibraryDb } from '../src/main/core/library/open'
import { createGleanerService } from '../src/main/core/service'
import type { Browser } from 'playwright-core'
import { startWebPreview } from '../src/web/serve'
import { generateLibrary } from './lib/generate-library'
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
    fresh: { type: 'boolean', default: false }
  }
})
const N = Number(values.articles)
const SELECTIONS = Number(values.selections)

const dataDir = join(ROOT, 'bench/.data')
const libraryPath = join(dataDir, `ui-${N}.db`)
mkdirSync(dataDir, { recursive: true })
if (values.fresh) for (const ext of ['', '-wal', '-shm']) rmSync(libraryPath + ext, { force: true })
if (!existsSync(libraryPath)) {
  const db = openLibraryDb(libraryPath)
  const stats = generateLibrary(db, { articles: N })
  db.close()
  console.log(`generated ${stats.articles} articles in ${Math.round(stats.ms)} ms`)
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? NaN
}

/**
 * First paint through the web preview (npm run preview:web): the page talks to its core over
 * loopback HTTP instead of Playwright's exposeBinding, whose first calls are slow (measured:
 * a ~25 ms query answered ~400 ms after it was asked). Cold = a new browser context; warm = a
 * reload, with the browser's code cache and the library's pages cached.
 */
async function webPreviewPaint(browser: Browser): Promise<{ cold: number; warm: number }> {
  const preview = await startWebPreview({ libraryPath })
  const context = await browser.newContext({
    locale: 'en-US',
    viewport: { width: 1400, height: 900 }
  })
  try {
    const page = await context.newPage()
    await page.addInitScript(() => {
      const w = window as unknown as { __firstRowMs?: number }
      new MutationObserver((_, observer) => {
        if (document.querySelector('[role="option"][data-article-id]')) {
          w.__firstRowMs = performance.now()
          observer.disconnect()
        }
      }).observe(document, { childList: true, subtree: true, attributes: true })
    })
    const paint = async (): Promise<number> => {
      await page.locator('[role="option"][data-article-id]').first().waitFor({ timeout: 60_000 })
      return page.evaluate(() => (window as unknown as { __firstRowMs: number }).__firstRowMs)
    }
    await page.goto(preview.url)
    const cold = await paint()
    await page.reload()
    const warm = await paint()
    return { cold, warm }
  } finally {
    await context.close()
    await preview.close()
  }
}

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
  const context = await browser.newContext({
    locale: 'en-US',
    viewport: { width: 1400, height: 900 }
  })
  const page = await context.newPage()
  const errors = collectPageErrors(page)
  // tsx compiles with keepNames, so functions serialised into the page call esbuild's
  // __name helper; give the page a no-op one (vitest does not need this).
  await page.addInitScript('window.__name = (fn) => fn')
  await bridgePage(page, service)
  // Record when the page first asks for list rows and when that answer arrives (what the
  // first paint waits on besides the page itself), and when the first real row lands in the
  // DOM, all from navigation start.
  await page.addInitScript(() => {
    const w = window as unknown as {
      __firstRowMs?: number
      __firstListCall?: { asked: number; answered?: number }
      gleaner: { api: { listArticles: (...args: unknown[]) => Promise<unknown> } }
    }
    const listArticles = w.gleaner.api.listArticles
    w.gleaner.api.listArticles = (...args: unknown[]) => {
      let first: { asked: number; answered?: number } | null = null
      if (!w.__firstListCall) w.__firstListCall = first = { asked: performance.now() }
      return listArticles(...args).finally(() => {
        if (first) first.answered = performance.now()
      })
    }
    new MutationObserver((_, observer) => {
      if (document.querySelector('[role="option"][data-article-id]')) {
        w.__firstRowMs = performance.now()
        observer.disconnect()
      }
    }).observe(document, { childList: true, subtree: true, attributes: true })
  })
  await page.goto(server.origin + '/')
  await page
    .locator('[role="option"][data-article-id]')
    .first()
    .waitFor({ timeout: 60_000 })
    .catch(async (err: unknown) => {
      await page.screenshot({ path: join(dataDir, 'ui-timeout.png') })
      throw new Error(`no list row: ${String(err)}; page errors: ${errors.join(' | ')}`)
    })
  const firstPaintMs = await page.evaluate(
    () => (window as unknown as { __firstRowMs: number }).__firstRowMs
  )
  const domReadyMs = await page.evaluate(
    () =>
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
        .domContentLoadedEventEnd
  )
  const firstCall = await page.evaluate(
    () =>
      (window as unknown as { __firstListCall?: { asked: number; answered?: number } })
        .__firstListCall ?? { asked: NaN, answered: NaN }
  )
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
  console.log(
    `first list row painted: ${firstPaintMs.toFixed(0)} ms after navigation (DOM ready at ${domReadyMs.toFixed(0)} ms)`
  )
  console.log(
    `first list request: asked at ${firstCall.asked.toFixed(0)} ms, answered at ${(firstCall.answered ?? NaN).toFixed(0)} ms`
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
  const web = await webPreviewPaint(browser)
  console.log(
    `web preview (the same renderer over loopback HTTP, its own core): first list row ${web.cold.toFixed(0)} ms after navigation in a new browser context, ${web.warm.toFixed(0)} ms on reload`
  )
  if (errors.length) console.log(`page errors: ${errors.join(' | ')}`)
  console.log(
    `BENCH ui articles=${total} first_paint_ms=${firstPaintMs.toFixed(0)} web_first_paint_ms=${web.cold.toFixed(0)} web_reload_paint_ms=${web.warm.toFixed(0)} dom_ready_ms=${domReadyMs.toFixed(0)} ` +
      `first_list_call_ms=${firstCall.asked.toFixed(0)} first_list_answer_ms=${(firstCall.answered ?? NaN).toFixed(0)} select_to_preview_ms=${selectMs.toFixed(1)} ` +
      `max_dom_nodes=${scroll.maxNodes} max_rows_mounted=${scroll.maxRows} dropped_frames=${scroll.steadyDropped} ` +
      `scroll_frames=${scroll.steadyFrames} jump_fill_ms=${jumpFillMs.toFixed(0)} idle_dropped_frames=${idleDropped} page_errors=${errors.length}`
  )
} finally {
  await browser.close()
  await server.close()
  service.close()
}
