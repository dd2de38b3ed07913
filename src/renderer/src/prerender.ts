// The window's first frame rendered ahead of its script: the core's process (Electron's main,
// the web preview's server) renders App with the list's first rows into index.html, so the
// list paints as soon as the HTML and stylesheet are in, and main.ts hydrates that markup
// instead of building the window from nothing. Built by electron-vite as out/main/prerender.js
// (Svelte's server output), loaded by src/main/first-paint.ts.
import { render } from 'svelte/server'
import type { GleanerApi, GleanerBridge } from '../../shared/api'
import type { ArticlePage, ArticleQuery } from '../../shared/types'
import App from './App.svelte'
import type { BridgeKind } from './lib/bridge'
import { i18n, type Locale } from './lib/i18n.svelte'
import { FIRST_ROWS } from './lib/articlePager.svelte'

/** What App asks for first: the whole library, newest first (App's initial sort). */
export const FIRST_PAGE_QUERY: ArticleQuery = { sort: 'date-desc', offset: 0, limit: FIRST_ROWS }

export interface FirstPaint {
  locale: Locale
  bridgeKind: BridgeKind
  rows: ArticlePage
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
  pathForFile: () => null
}

/** App's markup for `paint` (the inside of #app). */
export function prerenderApp(paint: FirstPaint): string {
  i18n.locale = paint.locale
  return render(App, {
    props: { bridge: inertBridge, bridgeKind: paint.bridgeKind, firstRows: paint.rows }
  }).body
}
