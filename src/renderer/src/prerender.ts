// The window's first frame rendered ahead of its script: the core's process (Electron's main,
// the web preview's server) renders App with the list's first rows into index.html, so the
// list paints as soon as the HTML and stylesheet are in, and main.ts hydrates that markup
// instead of building the window from nothing. Built by electron-vite as out/main/prerender.js
// (Svelte's server output), loaded by src/host/prerendered-index.ts.
import { render } from 'svelte/server'
import type { GleanerApi, GleanerBridge } from '../../shared/api'
import type { ArticlePage, ArticleQuery } from '../../shared/types'
import App from './App.svelte'
import type { BridgeKind } from './lib/bridge'
import { i18n, type Locale } from './lib/i18n.svelte'
import { FIRST_ROWS } from './lib/articlePager.svelte'
import { FIRST_LIST_QUERY } from './lib/listPrefs'

/** What App asks for first: the whole library, newest first, copies folded (the defaults). */
export const FIRST_PAGE_QUERY: ArticleQuery = { ...FIRST_LIST_QUERY, offset: 0, limit: FIRST_ROWS }

export interface FirstPaint {
  locale: Locale
  bridgeKind: BridgeKind
  rows: ArticlePage
  /** How many rows to draw (rowsToDraw). */
  drawn: number
}

/** The list's rows are this tall (ArticleRow.svelte) below a toolbar about this tall. */
const ROW_HEIGHT = 84
const TOOLBAR_HEIGHT = 40
/** Drawn when the window's height is not known: a tall window's worth. */
const ROWS_UNKNOWN_HEIGHT = 16

/**
 * How many of the first rows the frame draws: enough to fill a window `height` CSS pixels
 * tall (less to lay out before the first paint), or a tall window's worth when unknown. The
 * app draws the rest once it runs.
 */
export function rowsToDraw(available: number, height?: number): number {
  const wanted =
    height === undefined || !(height > 0)
      ? ROWS_UNKNOWN_HEIGHT
      : Math.ceil(Math.max(0, height - TOOLBAR_HEIGHT) / ROW_HEIGHT)
  return Math.max(0, Math.min(available, wanted))
}

// Rendering runs no effects and no onMount, so nothing reaches the core; if that ever
// changes, this says so instead of answering wrongly.
const inertApi = new Proxy({} as GleanerApi, {
  get(_, method) {
    return () => Promise.reject(new Error(`${String(method)}: no core while prerendering`))
  }
})
const inertBridge: GleanerBridge = {
  api: inertApi,
  on: () => () => undefined,
  pathForFile: () => Promise.resolve(null),
  remoteImageUrl: () => ''
}

/** App's markup for `paint` (the inside of #app). */
export function prerenderApp(paint: FirstPaint): string {
  i18n.locale = paint.locale
  return render(App, {
    props: {
      bridge: inertBridge,
      bridgeKind: paint.bridgeKind,
      firstPaint: { rows: paint.rows, drawn: paint.drawn }
    }
  }).body
}
