// Pane widths and reading preferences, kept in localStorage so the window reopens as left.
const STORAGE_KEY = 'gleaner.layout'

export interface LayoutValues {
  treeWidth: number
  listWidth: number
  fontSize: number
  /** Reading column width in rem. */
  readingWidth: number
}

const DEFAULTS: LayoutValues = { treeWidth: 240, listWidth: 380, fontSize: 17, readingWidth: 46 }
export const LIMITS = {
  treeWidth: [140, 520],
  listWidth: [240, 800],
  fontSize: [13, 26],
  readingWidth: [28, 80]
} as const satisfies Record<keyof LayoutValues, readonly [number, number]>

const clamp = (key: keyof LayoutValues, value: number): number =>
  Math.round(Math.min(LIMITS[key][1], Math.max(LIMITS[key][0], value)))

function load(): LayoutValues {
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

class Layout {
  values: LayoutValues = $state(load())

  /** Back to the default (View › Default Text Size). */
  reset(key: keyof LayoutValues): void {
    this.set(key, DEFAULTS[key])
  }

  set(key: keyof LayoutValues, value: number): void {
    this.values[key] = clamp(key, value)
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(this.values))
    } catch {
      // Not persisted; still applies now.
    }
  }
}

export const layout = new Layout()
