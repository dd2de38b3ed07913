// Highlighting in the original text. The index holds rewritten tokens, not the text, so
// matches are found again here with the same rules: CJK literally, other scripts as words
// (case and accents ignored), punctuation between parts of a phrase ignored.
import { CJK_CHAR_CLASS, splitRuns } from './cjk'
import { foldScriptAndWidth } from './fold'

export interface Needle {
  text: string
  /** The final word may continue (econom → economy). */
  prefix: boolean
}

// A character that continues a word of the index. Not a CJK one: the index ends every word
// where a CJK run starts (購物mode holds the word mode), so a highlight does too.
const WORD_CHAR = `(?:(?!${CJK_CHAR_CLASS})[\\p{L}\\p{N}\\p{Co}])`
const SEPARATORS = '[^\\p{L}\\p{N}\\p{Co}]*'

// The index's folding (script, width: one unit for one, so offsets stay put) and unicode61's
// (accents, case), so a match in the folded text is a range of the article's own characters.
function fold(s: string): string {
  return foldScriptAndWidth(s.normalize('NFD')).replace(/\p{M}/gu, '').toLowerCase()
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A regex over folded text for one needle, or null when it has nothing to match. */
export function needleRegExp(needle: Needle): RegExp | null {
  const units: { text: string; cjk: boolean }[] = []
  for (const run of splitRuns(fold(needle.text.normalize('NFC')))) {
    if (run.cjk) units.push({ text: run.chars.join(''), cjk: true })
    else
      for (const w of run.chars.join('').match(/[\p{L}\p{N}\p{Co}]+/gu) ?? [])
        units.push({ text: w, cjk: false })
  }
  const first = units[0]
  const last = units[units.length - 1]
  if (!first || !last) return null
  let source = units.map((u) => escapeRegExp(u.text)).join(SEPARATORS)
  if (!first.cjk) source = `(?<!${WORD_CHAR})` + source
  if (!last.cjk) source += needle.prefix ? `${WORD_CHAR}*` : `(?!${WORD_CHAR})`
  return new RegExp(source, 'gu')
}

interface Folded {
  text: string
  /**
   * For each UTF-16 unit of `text`: start and end (exclusive) in the original string; null
   * when folding kept one unit per unit, so offsets are the same in both.
   */
  start: number[] | null
  end: number[] | null
}

function foldWithMap(original: string): Folded {
  const whole = fold(original)
  if (whole.length === original.length) {
    // Common case (CJK, plain or accented Latin). No offset arrays: for a long article,
    // building them cost more than the rest of the search.
    return { text: whole, start: null, end: null }
  }
  let text = ''
  const start: number[] = []
  const end: number[] = []
  let i = 0
  for (const ch of original) {
    const f = fold(ch)
    for (let k = 0; k < f.length; k++) {
      start.push(i)
      end.push(i + ch.length)
    }
    text += f
    i += ch.length
  }
  return { text, start, end }
}

export type Range = readonly [number, number]

/** Match ranges in `text` (original offsets), sorted, overlaps merged. */
export function findMatches(text: string, regexps: readonly RegExp[]): Range[] {
  if (regexps.length === 0 || text === '') return []
  const folded = foldWithMap(text)
  const ranges: [number, number][] = []
  for (const re of regexps) {
    re.lastIndex = 0
    for (const m of folded.text.matchAll(re)) {
      if (m[0].length === 0) continue
      const last = m.index + m[0].length - 1
      const s = folded.start === null ? m.index : folded.start[m.index]
      const e = folded.end === null ? last + 1 : folded.end[last]
      if (s !== undefined && e !== undefined) ranges.push([s, e])
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1])
  const merged: [number, number][] = []
  for (const r of ranges) {
    const top = merged[merged.length - 1]
    if (top && r[0] <= top[1]) top[1] = Math.max(top[1], r[1])
    else merged.push([r[0], r[1]])
  }
  return merged
}

export function escapeHtml(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

/** `text` from `from` to `to`, escaped, with the ranges inside wrapped in <mark>. */
export function markRanges(
  text: string,
  ranges: readonly Range[],
  from = 0,
  to = text.length
): string {
  let html = ''
  let pos = from
  for (const [s, e] of ranges) {
    if (e <= from || s >= to) continue
    const cs = Math.max(s, from)
    const ce = Math.min(e, to)
    html += escapeHtml(text.slice(pos, cs)) + '<mark>' + escapeHtml(text.slice(cs, ce)) + '</mark>'
    pos = ce
  }
  return html + escapeHtml(text.slice(pos, to))
}

const SNIPPET_LENGTH = 160
const LEAD_IN = 40

/**
 * A passage of about SNIPPET_LENGTH characters around the densest cluster of matches,
 * whitespace collapsed, with '…' where text was cut.
 */
export function makeSnippetHtml(text: string, regexps: readonly RegExp[]): string {
  const flat = text.replace(/\s+/gu, ' ').trim()
  const ranges = findMatches(flat, regexps)
  let start = 0
  if (ranges.length > 0) {
    let best = 0
    let bestCount = 0
    for (let i = 0; i < ranges.length; i++) {
      const windowEnd = ranges[i]![0] + SNIPPET_LENGTH - LEAD_IN
      let count = 0
      for (let j = i; j < ranges.length && ranges[j]![1] <= windowEnd; j++) count++
      if (count > bestCount) {
        best = i
        bestCount = count
      }
    }
    start = Math.max(0, ranges[best]![0] - LEAD_IN)
  }
  let end = Math.min(flat.length, start + SNIPPET_LENGTH)
  // Never cut a surrogate pair or a match in half.
  if (start > 0 && /[\udc00-\udfff]/u.test(flat[start] ?? '')) start--
  for (const [s, e] of ranges) if (s < end && e > end) end = e
  if (end < flat.length && /[\ud800-\udbff]/u.test(flat[end - 1] ?? '')) end++
  const body = markRanges(flat, ranges, start, end)
  return (start > 0 ? '…' : '') + body + (end < flat.length ? '…' : '')
}
