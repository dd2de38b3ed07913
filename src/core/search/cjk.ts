// How text becomes index tokens. SQLite's unicode61 tokenizer reads a run of CJK characters
// as one "word", so before indexing every CJK run is rewritten as its overlapping character
// bigrams plus the run's last character (上海市 → "上海 海市 市"). Every occurrence of every
// character then starts a token at its own position, which makes any CJK substring findable:
// one character is a prefix query (上*), two or more are a phrase of adjacent bigrams.
// Non-CJK text is left to unicode61 (words, case folding, diacritics removed).
//
// Why not Intl.Segmenter words: a word index misses literal matches whenever the text was
// segmented differently from the query (马上|海边 contains 上海), so it needs a substring
// fallback anyway, and its output depends on the ICU build, which differs between Node
// (CLI) and Electron (app): a library used by both would re-index on every switch. The
// ranges below are fixed in code, so the tokens depend only on this file and SQLite.

import { foldScriptAndWidth } from './fold'

/**
 * Bump when the transform below changes: stored libraries then rebuild their index.
 * 2: text is folded first (Traditional → Simplified, full-width → ASCII; see fold.ts).
 */
export const TOKENIZATION_VERSION = 2

// Han ideographs (with extensions and compatibility forms), kana, Hangul, and the
// ideographic iteration/number marks. Fixed ranges, not \p{Script=Han}: that property
// follows the runtime's Unicode version, and index and query must agree across runtimes.
const CJK_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x11ff], // Hangul Jamo
  [0x3005, 0x3007], // 々 〆 〇
  [0x3021, 0x3029], // Hangzhou numerals
  [0x3040, 0x30ff], // Hiragana, Katakana
  [0x3130, 0x318f], // Hangul compatibility Jamo
  [0x31f0, 0x31ff], // Katakana phonetic extensions
  [0x3400, 0x4dbf], // CJK Extension A
  [0x4e00, 0x9fff], // CJK Unified Ideographs
  [0xa960, 0xa97f], // Hangul Jamo Extended-A
  [0xac00, 0xd7af], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xff66, 0xff9f], // Halfwidth Katakana
  [0x20000, 0x323af] // Extensions B–H and compatibility supplement
]

export function isCjkCodePoint(cp: number): boolean {
  if (cp < 0x1100) return false
  for (const [lo, hi] of CJK_RANGES) {
    if (cp < lo) return false
    if (cp <= hi) return true
  }
  return false
}

/** A maximal run of CJK characters, or of anything else. */
export interface TextRun {
  cjk: boolean
  /** Code points (so characters outside the BMP count as one). */
  chars: string[]
}

export function splitRuns(text: string): TextRun[] {
  const runs: TextRun[] = []
  let current: TextRun | null = null
  for (const ch of text) {
    const cjk = isCjkCodePoint(ch.codePointAt(0) ?? 0)
    if (!current || current.cjk !== cjk) {
      current = { cjk, chars: [] }
      runs.push(current)
    }
    current.chars.push(ch)
  }
  return runs
}

/** One CJK character, as a regular-expression class (for a `u` regex). */
export const CJK_CHAR_CLASS = `[${CJK_RANGES.map(([lo, hi]) => `\\u{${lo.toString(16)}}-\\u{${hi.toString(16)}}`).join('')}]`

const CJK_RUN = new RegExp(`${CJK_CHAR_CLASS}+`, 'gu')

function runToGrams(run: string): string {
  const c = Array.from(run)
  let out = ' '
  for (let i = 0; i + 1 < c.length; i++) out += c[i]! + c[i + 1]! + ' '
  return out + c[c.length - 1]! + ' '
}

/** The text as stored in the full-text index: folded, CJK runs as bigrams + final character. */
export function toIndexText(text: string): string {
  if (!text) return ''
  return foldScriptAndWidth(text).replace(CJK_RUN, runToGrams)
}

export function containsCjk(text: string): boolean {
  for (const ch of text) if (isCjkCodePoint(ch.codePointAt(0) ?? 0)) return true
  return false
}
