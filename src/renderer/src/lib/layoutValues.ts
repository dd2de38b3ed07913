// Pane widths and reading preferences, kept in localStorage so the window reopens as left.
// Plain TypeScript (no runes) so the page's tiny entry (main.ts) can apply the saved pane
// widths before the prerendered first frame paints, without loading Svelte.
export const STORAGE_KEY = 'gleaner.layout'

export interface LayoutValues {
  treeWidth: number
  listWidth: number
  fontSize: number
  /** Reading column width in rem. */
  readingWidth: number
}

/** The pane widths here are also app.css's :root defaults (a test holds them equal). */
export const DEFAULTS: LayoutValues = {
  treeWidth: 240,
  listWidth: 380,
  fontSize: 17,
  readingWidth: 46
}
export const LIMITS = {
  treeWidth: [140, 520],
  listWidth: [240, 800],
  fontSize: [13, 26],
  readingWidth: [28, 80]
} as const satisfies Record<keyof LayoutValues, readonly [number, number]>

export const clamp = (key: keyof LayoutValues, value: number): number =>
  Math.round(Math.min(LIMITS[key][1], Math.max(LIMITS[key][0], value)))

export function loadLayout(): LayoutValues {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<LayoutValues>
    const out = { ...DEFAULTS }
    for (const key of Object.keys(DEFAULTS) as (keyof LayoutValues)[]) {
      const value = saved[key]
      if (typeof value === 'number' && Number.isFinite(value)) out[key] = clamp(key, value)
    }
    return out
  } catch {
    return { ...DEFAULTS }
  }
}

/** The pane widths as the CSS variables the three-pane grid reads (on :root). */
export function applyPaneWidths(values: LayoutValues, root: HTMLElement): void {
  root.style.setProperty('--tree-width', `${values.treeWidth}px`)
  root.style.setProperty('--list-width', `${values.listWidth}px`)
}
