// A screenshot is a picture for people; before one is saved, the screen it shows is checked for
// what a person would look at in it: the language and colour scheme asked for, the texts that
// should be there visible in the window, nothing pushed off its right edge, and every visible
// piece of text readable against what is behind it (WCAG contrast).
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { resultsDir } from './harness'

export interface ScreenWants {
  lang: 'zh' | 'en'
  scheme: 'light' | 'dark'
  /** Texts that must be visible inside the window. */
  texts: readonly string[]
}

/** Text on its background below this ratio is a failure (WCAG 2 AA asks 4.5:1; 3:1 for large text and symbols). */
export const MIN_CONTRAST = 4.5
export const MIN_CONTRAST_LARGE = 3

interface Seen {
  lang: string
  background: number[]
  overflowX: number
  offRight: string[]
  lowContrast: string[]
  unreadable: string[]
  checked: number
}

/** What the page shows, read in the page (open shadow roots included: the article body is one). */
function look(page: Page, minimum: { normal: number; large: number }): Promise<Seen> {
  return page.evaluate((min) => {
    const parse = (c: string): number[] | null => {
      const m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/u.exec(c)
      if (!m) return null
      return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])]
    }
    const over = (top: number[], under: number[]): number[] => {
      const a = top[3]!
      return [0, 1, 2].map((i) => top[i]! * a + under[i]! * (1 - a)).concat(1)
    }
    const luminance = (c: number[]): number => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        const s = v / 255
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
      })
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
    }
    const ratio = (a: number[], b: number[]): number => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
      return (hi! + 0.05) / (lo! + 0.05)
    }
    const parentOf = (el: Element): Element | null =>
      el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null)
    const unreadable: string[] = []
    /** The colour behind an element: its and its ancestors' backgrounds, composed. */
    const backdrop = (el: Element): number[] | null => {
      const layers: number[][] = []
      for (let e: Element | null = el; e; e = parentOf(e)) {
        const bg = parse(getComputedStyle(e).backgroundColor)
        if (!bg) {
          unreadable.push(`${e.tagName}: background ${getComputedStyle(e).backgroundColor}`)
          return null
        }
        if (bg[3]! > 0) layers.push(bg)
        if (bg[3] === 1) break
      }
      const canvas = matchMedia('(prefers-color-scheme: dark)').matches
        ? [0, 0, 0, 1]
        : [255, 255, 255, 1]
      return layers.reduceRight((under, top) => over(top, under), canvas)
    }
    const describe = (el: Element, text: string): string =>
      `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/u).join('.') : ''} "${text.slice(0, 30)}"`

    const width = document.documentElement.clientWidth
    const height = document.documentElement.clientHeight
    const offRight: string[] = []
    const lowContrast: string[] = []
    let checked = 0
    const roots: (Document | ShadowRoot)[] = [document]
    for (let i = 0; i < roots.length; i++) {
      const root = roots[i]!
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) roots.push(el.shadowRoot)
        const own = [...el.childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent ?? '')
          .join('')
          .trim()
        if (own === '' || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true }))
          continue
        const box = el.getBoundingClientRect()
        if (box.width === 0 || box.height === 0) continue
        if (box.bottom <= 0 || box.top >= height || box.right <= 0 || box.left >= width) continue
        // Text cut off by the window's right edge (a pane that does not fit), not by a pane that
        // scrolls or an ellipsis the design chose.
        if (box.right > width + 1) offRight.push(describe(el, own))
        const style = getComputedStyle(el)
        const fg = parse(style.color)
        const bg = backdrop(el)
        if (!fg) unreadable.push(`${el.tagName}: colour ${style.color}`)
        if (!fg || !bg) continue
        checked++
        const size = parseFloat(style.fontSize)
        // A symbol alone (★, ×, ☆) is a graphic: 3:1, as large text (WCAG non-text contrast).
        const symbol = !/[\p{L}\p{N}]/u.test(own)
        const large = symbol || size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700)
        const r = ratio(over(fg, bg), bg)
        if (r < (large ? min.large : min.normal))
          lowContrast.push(
            `${describe(el, own)} ${r.toFixed(2)}:1 (${style.color} on rgb(${bg.slice(0, 3).join(', ')}))`
          )
      }
    }
    return {
      lang: document.documentElement.lang,
      background: backdrop(document.body) ?? [],
      overflowX: document.documentElement.scrollWidth - width,
      offRight,
      lowContrast,
      unreadable,
      checked
    }
  }, minimum)
}

/** Checks the screen for what `wants` says, then saves it to test-results/`name`. */
export async function checkedScreenshot(
  page: Page,
  name: string,
  wants: ScreenWants
): Promise<void> {
  for (const text of wants.texts) {
    // Any visible place showing it (a closed select's options hold words too).
    const at = page.getByText(text, { exact: false }).filter({ visible: true }).first()
    await expect
      .poll(() => at.isVisible(), { timeout: 10_000, message: `"${text}" visible` })
      .toBe(true)
    const box = await at.boundingBox()
    const view = page.viewportSize()!
    expect(box, `"${text}" on screen`).not.toBeNull()
    expect(box!.y + box!.height / 2, `"${text}" inside the window`).toBeLessThan(view.height)
    expect(box!.x, `"${text}" inside the window`).toBeLessThan(view.width)
  }
  const seen = await look(page, { normal: MIN_CONTRAST, large: MIN_CONTRAST_LARGE })
  expect(seen.lang, `${name}: language`).toMatch(new RegExp(`^${wants.lang}`, 'u'))
  // The scheme asked for: a dark page behind dark, a light one behind light.
  const [r, g, b] = seen.background
  const lightness = (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255
  if (wants.scheme === 'dark') expect(lightness, `${name}: dark background`).toBeLessThan(0.3)
  else expect(lightness, `${name}: light background`).toBeGreaterThan(0.7)
  expect(seen.unreadable, `${name}: colours the check cannot read`).toEqual([])
  expect(seen.checked, `${name}: texts checked`).toBeGreaterThan(10)
  expect(seen.overflowX, `${name}: wider than the window`).toBeLessThanOrEqual(0)
  expect(seen.offRight, `${name}: text past the window's right edge`).toEqual([])
  expect(seen.lowContrast, `${name}: text too faint on its background`).toEqual([])
  await page.screenshot({ path: join(resultsDir(), name) })
}
