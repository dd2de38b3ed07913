// A reload that a burst of changes asks for many times: one runs at a time, and a call while
// one runs asks for exactly one more after it (so the last change is always read, and never
// two reloads race to write the same state).

/** Wraps `load`: the returned function reloads now, or once more after the reload in flight. */
export function coalesced(load: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null
  let again = false
  const refresh = (): Promise<void> => {
    if (running) {
      again = true
      return running
    }
    running = load().finally(() => {
      running = null
      if (again) {
        again = false
        void refresh()
      }
    })
    return running
  }
  return refresh
}
