// The layout values as reactive state for the app (see layoutValues.ts for what they are).
import { clamp, DEFAULTS, loadLayout, STORAGE_KEY, type LayoutValues } from './layoutValues'
import { loadListPrefs, saveListPrefs, type ListPrefs } from './listPrefs'

export { LIMITS, type LayoutValues } from './layoutValues'

class Layout {
  values: LayoutValues = $state(loadLayout())

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

class ListLayout {
  values: ListPrefs = $state(loadListPrefs())

  set<K extends keyof ListPrefs>(key: K, value: ListPrefs[K]): void {
    this.values[key] = value
    saveListPrefs({ ...this.values })
  }
}

/** How the article list shows rows (copies folded or not), persisted like the layout. */
export const listLayout = new ListLayout()
