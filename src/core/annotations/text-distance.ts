// Edit-distance measures used to score anchor candidates.
import approxSearch from 'approx-string-match'

/** Above this many cells the exact DP is too slow to run per candidate; see editDistance. */
const MAX_DP_CELLS = 4_000_000

/**
 * Levenshtein distance between a and b (UTF-16 units). For very long strings it falls back to
 * the best substring match plus the length difference, an upper bound that is close enough
 * for scoring (long quotes are rarely near a threshold).
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0
  if (a.length === 0) return b.length
  if (b.length === 0) return a.length
  if (a.length * b.length > MAX_DP_CELLS) {
    const [long, short] = a.length >= b.length ? [a, b] : [b, a]
    const found = approxSearch(long, short, short.length)
    const errors = found.reduce((m, x) => Math.min(m, x.errors), short.length)
    return errors + (long.length - short.length)
  }
  let prev = new Uint32Array(b.length + 1)
  let cur = new Uint32Array(b.length + 1)
  for (let j = 0; j <= b.length; j++) prev[j] = j
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i
    const ca = a.charCodeAt(i - 1)
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (ca === b.charCodeAt(j - 1) ? 0 : 1)
      const del = (prev[j] ?? 0) + 1
      const ins = (cur[j - 1] ?? 0) + 1
      cur[j] = Math.min(sub, del, ins)
    }
    ;[prev, cur] = [cur, prev]
  }
  return prev[b.length] ?? 0
}

/** 1 for identical strings, 0 for nothing in common. */
export function similarity(a: string, b: string): number {
  const len = Math.max(a.length, b.length)
  if (len === 0) return 1
  return 1 - editDistance(a, b) / len
}

/**
 * How well `pattern` occurs anywhere inside `window` (1 = verbatim), as Hypothesis scores
 * context: errors of the best substring match over the pattern's length.
 */
export function containmentScore(window: string, pattern: string): number {
  if (pattern.length === 0 || window.length === 0) return 0
  if (window.includes(pattern)) return 1
  const found = approxSearch(window, pattern, pattern.length)
  const errors = found.reduce((m, x) => Math.min(m, x.errors), pattern.length)
  return 1 - errors / pattern.length
}

/**
 * How well `expected` matches `window` read outward from a fixed edge: the alignment must
 * start at window[0] (the edge next to the quote) but may stop anywhere, so extra text on the
 * far side is free while every missing or changed character near the quote costs one.
 * Unlike containmentScore, a copy of the context shifted a few characters away scores low.
 */
export function edgeAnchoredScore(window: string, expected: string): number {
  const m = expected.length
  if (m === 0) return 1
  const n = window.length
  let prev = new Uint32Array(n + 1)
  let cur = new Uint32Array(n + 1)
  for (let j = 0; j <= n; j++) prev[j] = j
  for (let i = 1; i <= m; i++) {
    cur[0] = i
    const c = expected.charCodeAt(i - 1)
    for (let j = 1; j <= n; j++) {
      const sub = (prev[j - 1] ?? 0) + (c === window.charCodeAt(j - 1) ? 0 : 1)
      cur[j] = Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1)
    }
    ;[prev, cur] = [cur, prev]
  }
  let best = m
  for (let j = 0; j <= n; j++) best = Math.min(best, prev[j] ?? m)
  return 1 - best / m
}

export function reverse(s: string): string {
  return s.split('').reverse().join('')
}
