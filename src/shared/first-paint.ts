// The data a prerendered window carries for hydration (written by src/host/prerendered-index.ts):
// the list rows its markup was rendered from, and the language it was rendered in.
import type { ArticlePage } from './types'

/** The UI's languages (the renderer's i18n Locale). */
export type Locale = 'en' | 'zh'

/**
 * How the window reaches the core: 'native' through preload (the app, the browser tests), or
 * 'http' in the web preview (no file paths from drops: the UI offers a typed path instead).
 */
export type BridgeKind = 'native' | 'http'

/**
 * zh for any Chinese language tag, en otherwise: one rule for the window (navigator.language),
 * the prerendered frame (Accept-Language, the OS locale) and the shell's menus, so they agree.
 */
export function localeFor(language: string | undefined): Locale {
  return language?.toLowerCase().startsWith('zh') ? 'zh' : 'en'
}

export const FIRST_PAINT_ID = 'gleaner-first-paint'

/**
 * Where the web preview's page fetches its first frame (a FirstFrame as JSON, or null), with
 * the token: `/` itself carries none of the library, since its request cannot carry the token.
 */
export const FIRST_FRAME_ROUTE = '/api/first-frame'

export interface FirstPaintData {
  locale: Locale
  rows: ArticlePage
  /** How many of `rows` the frame drew (a window's height of them); hydration draws as many. */
  drawn: number
}

/** The first frame as data: App's markup (the inside of #app) and the rows it was drawn from. */
export interface FirstFrame {
  html: string
  data: FirstPaintData
}

/** The first-paint block's data when it is well formed, else null (an unusable block). */
export function parseFirstPaint(text: string | null | undefined): FirstPaintData | null {
  if (!text) return null
  try {
    const data = JSON.parse(text) as Partial<FirstPaintData> | null
    const rows = data?.rows
    const drawn = data?.drawn
    if (
      (data?.locale === 'en' || data?.locale === 'zh') &&
      rows &&
      Array.isArray(rows.items) &&
      typeof rows.total === 'number' &&
      typeof drawn === 'number' &&
      Number.isInteger(drawn) &&
      drawn >= 0 &&
      drawn <= rows.items.length
    ) {
      return { locale: data.locale, rows, drawn }
    }
  } catch {
    // A damaged block only costs the head start: the window is built from scratch.
  }
  return null
}

/** The <script type="application/json"> block carrying `data`, safe to place in HTML. */
export function firstPaintScript(data: FirstPaintData): string {
  // Not executed (CSP allows no inline script anyway); `<` escaped so no "</script>" in a
  // title can end the block early.
  const json = JSON.stringify(data).replace(/</g, '\\u003c')
  return `<script type="application/json" id="${FIRST_PAINT_ID}">${json}</script>`
}
