// Where an annotation sits in the article's clean text. The exporter trusts a position only
// when the text there still equals the quote; otherwise it looks for the quote, preferring
// the occurrence whose surroundings match. Fuzzy re-anchoring is the annotation engine's job:
// an annotation found neither way is exported without a mark (its quote and note still appear).
import type { ExportAnnotation } from '../../shared/export-types'

export interface TextRange {
  start: number
  end: number
}

function contextScore(text: string, start: number, end: number, a: ExportAnnotation): number {
  let score = 0
  if (a.prefix) {
    const before = text.slice(Math.max(0, start - a.prefix.length), start)
    while (
      score < before.length &&
      before[before.length - 1 - score] === a.prefix[a.prefix.length - 1 - score]
    )
      score++
  }
  if (a.suffix) {
    const after = text.slice(end, end + a.suffix.length)
    let n = 0
    while (n < after.length && after[n] === a.suffix[n]) n++
    score += n
  }
  return score
}

export function locateAnnotation(text: string, a: ExportAnnotation): TextRange | null {
  // The annotation engine could not place it: marking a look-alike passage would mislead.
  if (a.anchorStatus === 'needs-review') return null
  if (
    a.start !== undefined &&
    a.end !== undefined &&
    a.start >= 0 &&
    a.end <= text.length &&
    a.start < a.end
  ) {
    if (a.exact === '' || text.slice(a.start, a.end) === a.exact)
      return { start: a.start, end: a.end }
  }
  if (a.exact === '') return null
  let best: TextRange | null = null
  let bestScore = -1
  for (let i = text.indexOf(a.exact); i >= 0; i = text.indexOf(a.exact, i + 1)) {
    const s = contextScore(text, i, i + a.exact.length, a)
    if (s > bestScore) {
      best = { start: i, end: i + a.exact.length }
      bestScore = s
    }
  }
  return best
}
