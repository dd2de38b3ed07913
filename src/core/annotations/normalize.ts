// A folded view of a text for matching: NFKC (full-width punctuation and digits become ASCII),
// curly quotes folded, whitespace dropped. Re-cleaning often changes exactly these things
// (indentation, CJK–Latin spacing, blank lines, punctuation width); in this view they vanish
// (a run of line breaks stays as one '\n'), and offsets
// map back to the original text.

const QUOTE_FOLD: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u300c': '"',
  '\u300d': '"',
  '\u300e': '"',
  '\u300f': '"'
}

export interface FoldedText {
  text: string
  /** For each folded unit: offset in the original of the character it came from. */
  starts: number[]
  /** For each folded unit: end offset in the original of the character it came from. */
  ends: number[]
}

export function foldText(original: string): FoldedText {
  const parts: string[] = []
  const starts: number[] = []
  const ends: number[] = []
  let i = 0
  for (const ch of original) {
    const end = i + ch.length
    let f = QUOTE_FOLD[ch] ?? ch.normalize('NFKC')
    if (/\s/u.test(f)) {
      // Line breaks survive as one '\n': paragraph boundaries still mean something.
      const breaks = /[\n\r\u2028\u2029]/u.test(f) && parts[parts.length - 1] !== '\n'
      f = breaks ? '\n' : f.replace(/\s+/gu, '')
    }
    for (let k = 0; k < f.length; k++) {
      starts.push(i)
      ends.push(end)
    }
    parts.push(f)
    i = end
  }
  return { text: parts.join(''), starts, ends }
}

/** Folded offset of the first folded unit at or after original offset `at`. */
export function foldedOffset(f: FoldedText, at: number): number {
  let lo = 0
  let hi = f.starts.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((f.starts[mid] ?? 0) < at) lo = mid + 1
    else hi = mid
  }
  return lo
}
