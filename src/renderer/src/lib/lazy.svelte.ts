// A component (or module) loaded on first need with a dynamic import, so the first bundle the
// window parses holds only what the first list paint needs. `current` is null until loaded.
export class Lazy<T> {
  current: T | null = $state.raw(null)
  #loading: Promise<T> | null = null
  readonly #load: () => Promise<{ default: T }>

  constructor(load: () => Promise<{ default: T }>) {
    this.#load = load
  }

  /** Starts loading (once) and resolves with the loaded value. */
  load(): Promise<T> {
    this.#loading ??= this.#load().then(
      (module) => (this.current = module.default),
      (err: unknown) => {
        // Let a later call try again (a chunk can fail to load once and succeed later).
        this.#loading = null
        throw err
      }
    )
    return this.#loading
  }
}

/** Runs `fn` once the page is idle after the current frame (or soon, where there is no rAF). */
export function afterPaint(fn: () => void): void {
  let done = false
  const run = (): void => {
    if (done) return
    done = true
    fn()
  }
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(run, 0))
  // A hidden window gets no animation frames; do not wait for one forever.
  setTimeout(run, 100)
}
