// Hybrid logical clocks (Kulkarni et al., 2014) as strings that sort like the clocks they
// stand for: wall-clock milliseconds, a counter for events within one millisecond (or while the
// wall clock lags a clock heard from another client), and the client's id to break ties. The
// server compares them as text (`hlc > current.hlc`), so the format is fixed-width.
export interface Hlc {
  ms: number
  counter: number
  client: string
}

const MS_WIDTH = 15
const COUNTER_WIDTH = 6

export function formatHlc(h: Hlc): string {
  return `${String(h.ms).padStart(MS_WIDTH, '0')}-${String(h.counter).padStart(COUNTER_WIDTH, '0')}-${h.client}`
}

export function parseHlc(text: string): Hlc | null {
  const m = /^(\d{15})-(\d{6})-(.+)$/.exec(text)
  if (!m) return null
  return { ms: Number(m[1]), counter: Number(m[2]), client: m[3]! }
}

/** A clock for one client: `tick` stamps a local event, `observe` folds in a clock heard. */
export interface HlcClock {
  /** A clock after everything seen so far, at wall time `atMs` (default now). */
  tick(atMs?: number): string
  observe(hlc: string): void
  /** The latest clock issued or observed (for saving across runs). */
  last(): string
}

export function createHlcClock(client: string, start = '', now: () => number = Date.now): HlcClock {
  let cur: Hlc = parseHlc(start) ?? { ms: 0, counter: 0, client }
  return {
    tick(atMs) {
      const wall = atMs ?? now()
      cur =
        wall > cur.ms
          ? { ms: wall, counter: 0, client }
          : { ms: cur.ms, counter: cur.counter + 1, client }
      return formatHlc(cur)
    },
    observe(hlc) {
      const h = parseHlc(hlc)
      if (!h) return
      if (h.ms > cur.ms || (h.ms === cur.ms && h.counter > cur.counter))
        cur = { ms: h.ms, counter: h.counter, client }
    },
    last() {
      return formatHlc(cur)
    }
  }
}
