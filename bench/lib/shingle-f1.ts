// The ScrapingHub article-extraction-benchmark metric (its evaluate.py), ported so that
// Gleaner and the peers' published outputs are scored by the same code in the same run.

export interface Confusion {
  tp: number
  fp: number
  fn: number
}

export interface Scores {
  precision: number
  recall: number
  f1: number
}

// Python's `\w` with re.UNICODE is str.isalnum() or '_': letters (L*) and numbers (N*);
// combining marks are not word characters there, so they are not here either.
const TOKEN_RE = /[\p{L}\p{N}_]+/gu

export function tokenize(text: string): string[] {
  return text.match(TOKEN_RE) ?? []
}

/** Word 4-gram shingles as a multiset; a text shorter than n tokens yields one shingle of all of them. */
export function shingles(text: string, n = 4): Map<string, number> {
  const tokens = tokenize(text)
  const counts = new Map<string, number>()
  const windows = Math.max(1, tokens.length - n + 1)
  for (let i = 0; i < windows; i++) {
    const window = tokens.slice(i, i + n)
    if (window.length === 0) continue
    // U+0001 cannot occur inside a \w token, so joined keys cannot collide.
    const key = window.join('\u0001')
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

/** Per-page TP/FP/FN over shingles, normalised to sum to 1 (so long pages do not weigh more). */
export function shingleConfusion(truth: string, predicted: string, n = 4): Confusion {
  const t = shingles(truth, n)
  const p = shingles(predicted, n)
  let tp = 0
  let fp = 0
  let fn = 0
  for (const [key, tc] of t) {
    const pc = p.get(key) ?? 0
    tp += Math.min(tc, pc)
    fn += Math.max(0, tc - pc)
  }
  for (const [key, pc] of p) fp += Math.max(0, pc - (t.get(key) ?? 0))
  const sum = tp + fp + fn
  return sum > 0 ? { tp: tp / sum, fp: fp / sum, fn: fn / sum } : { tp, fp, fn }
}

export function precisionOf({ tp, fp, fn }: Confusion): number {
  if (fp === 0 && fn === 0) return 1
  if (tp === 0 && fp === 0) return 0
  return tp / (tp + fp)
}

export function recallOf({ tp, fp, fn }: Confusion): number {
  if (fp === 0 && fn === 0) return 1
  if (tp === 0 && fn === 0) return 0
  return tp / (tp + fn)
}

/** Per-page F1 (for tests and per-page tables; the benchmark's F1 is over averaged P and R). */
export function pageF1(truth: string, predicted: string): number {
  const c = shingleConfusion(truth, predicted)
  const p = precisionOf(c)
  const r = recallOf(c)
  return p + r > 0 ? (2 * p * r) / (p + r) : 0
}

/** Macro-averaged precision and recall over pages, then F1 of those averages (as evaluate.py). */
export function aggregate(pages: readonly Confusion[]): Scores {
  const ps = pages.filter((c) => c.tp + c.fp > 0).map(precisionOf)
  const rs = pages.filter((c) => c.tp + c.fn > 0).map(recallOf)
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0)
  const precision = mean(ps)
  const recall = mean(rs)
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0
  return { precision, recall, f1 }
}
