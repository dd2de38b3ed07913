// index.html with the window's first frame already in it: App rendered with the list's first
// rows (out/main/prerender.js, Svelte's server build of the renderer) plus those rows as data
// for the page to hydrate from. Used by every way the renderer is served: Electron's
// gleaner:// protocol, the web preview, and the browser tests.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  firstPaintScript,
  localeFor,
  type BridgeKind,
  type FirstFrame,
  type Locale
} from '../shared/first-paint'
import type { ArticlePage, ArticleQuery } from '../shared/types'

/** The built prerender module's surface (src/renderer/src/prerender.ts). */
export interface Prerenderer {
  FIRST_PAGE_QUERY: ArticleQuery
  rowsToDraw(available: number, height?: number): number
  prerenderApp(paint: {
    locale: Locale
    bridgeKind: BridgeKind
    rows: ArticlePage
    drawn: number
  }): string
}

/** The prerenderer built beside the main bundle (out/main), or null if it is not built. */
export async function loadPrerenderer(mainOutDir: string): Promise<Prerenderer | null> {
  const file = join(mainOutDir, 'prerender.js')
  if (!existsSync(file)) return null
  return (await import(pathToFileURL(file).href)) as Prerenderer
}

/** The locale of the most preferred language in the list (the renderer's rule, localeFor). */
export function localeOf(languages: readonly string[]): Locale {
  return localeFor(languages[0])
}

/** Language tags of an Accept-Language header, most preferred first. */
export function acceptedLanguages(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean)
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q) }
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((entry) => entry.tag)
}

/** The built index.html and the stylesheet it links, read once (see loadRendererShell). */
export interface RendererShell {
  indexHtml: string
  /** The <link> to the app's stylesheet as it appears in index.html, and that file's text. */
  stylesheet: { link: string; css: string } | null
}

const STYLESHEET_LINK = /<link rel="stylesheet"[^>]*href="\.\/(assets\/[^"]+\.css)"[^>]*>/u

export async function loadRendererShell(rendererDir: string): Promise<RendererShell> {
  const indexHtml = await readFile(join(rendererDir, 'index.html'), 'utf8')
  const match = STYLESHEET_LINK.exec(indexHtml)
  const css = match ? await readFile(join(rendererDir, match[1]!), 'utf8').catch(() => null) : null
  return { indexHtml, stylesheet: match && css !== null ? { link: match[0], css } : null }
}

export interface FirstPaintOptions {
  shell: RendererShell
  prerenderer: Prerenderer | null
  listArticles: (query: ArticleQuery) => Promise<ArticlePage>
  locale: Locale
  bridgeKind: BridgeKind
  /** The window's inner height in CSS pixels, when known: only the rows it shows are drawn. */
  windowHeight?: number
}

export interface FirstPaintPage {
  html: string
  /**
   * The CSP source ('sha256-…') that lets the page's inlined stylesheet apply, or null when
   * nothing was inlined; the server adds it to the style-src of the CSP header it sends.
   */
  styleSource: string | null
}

const APP_ROOT = '<div id="app"></div>'

/** `csp` with `source` added to its style-src (the page's meta CSP or a header). */
export function allowStyle(csp: string, source: string | null): string {
  if (!source) return csp
  return csp.replace(/(style-src(?!-)[^;"]*)/u, `$1 ${source}`)
}

/**
 * `html` (index.html) with the app's stylesheet inlined, and the CSP source that allows it. A
 * linked stylesheet is one more request the first paint waits for (measured: ~130 ms of a
 * ~490 ms cold paint in Chromium), and the body would first be laid out without it.
 */
function inlineStylesheet(html: string, shell: RendererShell): FirstPaintPage {
  if (!shell.stylesheet || shell.stylesheet.css.includes('</style')) {
    return { html, styleSource: null }
  }
  const { link, css } = shell.stylesheet
  const styleSource = `'sha256-${createHash('sha256').update(css).digest('base64')}'`
  return {
    html: html
      .replace(link, () => `<style>${css}</style>`)
      .replace(
        /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)"/u,
        (_, head: string, csp: string) => `${head}${allowStyle(csp, styleSource)}"`
      ),
    styleSource
  }
}

/**
 * index.html without any of the library in it, its stylesheet inlined: what the web preview
 * serves to a request that carries no token (the page then fetches its first frame with the
 * token, see firstFrame).
 */
export function shellPage(shell: RendererShell): FirstPaintPage {
  return inlineStylesheet(shell.indexHtml, shell)
}

/**
 * The first frame for `opts`, or null when there is nothing to gain or something fails (an
 * empty library shows its teaching empty state once the page runs; a failure here must never
 * keep the window from opening).
 */
export async function firstFrame(
  opts: Omit<FirstPaintOptions, 'shell'>
): Promise<FirstFrame | null> {
  const { prerenderer } = opts
  if (!prerenderer) return null
  try {
    const rows = await opts.listArticles(prerenderer.FIRST_PAGE_QUERY)
    if (rows.items.length === 0) return null
    const drawn = prerenderer.rowsToDraw(rows.items.length, opts.windowHeight)
    const html = prerenderer.prerenderApp({
      locale: opts.locale,
      bridgeKind: opts.bridgeKind,
      rows,
      drawn
    })
    return { html, data: { locale: opts.locale, rows, drawn } }
  } catch (err) {
    console.warn(`first paint not prerendered: ${err instanceof Error ? err.message : String(err)}`)
    return null
  }
}

/**
 * index.html with the first frame rendered in, or as built when there is no frame (see
 * firstFrame), its stylesheet inlined when a frame is.
 */
export async function firstPaintPage(opts: FirstPaintOptions): Promise<FirstPaintPage> {
  const { shell } = opts
  const asBuilt: FirstPaintPage = { html: shell.indexHtml, styleSource: null }
  if (!shell.indexHtml.includes(APP_ROOT)) return asBuilt
  const frame = await firstFrame(opts)
  if (!frame) return asBuilt
  const html = shell.indexHtml.replace(
    APP_ROOT,
    () => `<div id="app">${frame.html}</div>\n    ${firstPaintScript(frame.data)}`
  )
  return inlineStylesheet(html, shell)
}
