// File names made from titles, for the exporter (one Markdown file per article) and the export
// panel (a default name for the briefing). One rule in one place, so the window proposes the
// names the core would write. Names work on Windows, macOS, Linux and in Obsidian (whose links
// break on # ^ [ ] |), and are cut where a reader would cut them: after a whole word (a
// dictionary word in Chinese), never inside a word, a surrogate pair or a grapheme.

const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/iu

/**
 * Characters a name must not carry though they print as nothing (or as something else): C0 and
 * C1 controls, bidirectional overrides and isolates (U+202E makes "report", U+202E, "lmth.exe"
 * read as "reportexe.html"), zero-width spaces and the BOM (not the joiners that emoji and
 * scripts need), noncharacters, and lone surrogates (not valid UTF-8 on disk).
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufdd0-\ufdef\ufffe\uffff]|\p{Cs}/gu

/**
 * Most file systems allow 255 bytes of UTF-8 per name; a stem stays well under that, so a
 * " (12)" for uniqueness, a date and an extension still fit (80 Chinese characters are 240).
 */
export const MAX_STEM_BYTES = 180

const encoder = new TextEncoder()
const byteLength = (s: string): number => encoder.encode(s).length

/** Trailing spaces and dots are refused or dropped by Windows; leading dots hide files. */
const tidy = (s: string): string => s.trim().replace(/^[.\s]+|[.\s]+$/gu, '')

function segments(text: string, granularity: 'word' | 'grapheme'): string[] {
  return [...new Intl.Segmenter(undefined, { granularity }).segment(text)].map((x) => x.segment)
}

/** The longest prefix of whole pieces within both limits. */
function takePieces(pieces: string[], maxChars: number, maxBytes: number): string {
  let out = ''
  let chars = 0
  let bytes = 0
  for (const piece of pieces) {
    const c = [...piece].length
    const b = byteLength(piece)
    if (chars + c > maxChars || bytes + b > maxBytes) break
    out += piece
    chars += c
    bytes += b
  }
  return out
}

/**
 * `text` cut to at most `maxChars` characters (code points) and `maxBytes` UTF-8 bytes, after a
 * whole word; when even the first word is longer (a long URL, an unsegmented run), after a
 * whole grapheme.
 */
export function cutAtBoundary(text: string, maxChars: number, maxBytes = Infinity): string {
  if ([...text].length <= maxChars && byteLength(text) <= maxBytes) return text
  const byWords = tidy(takePieces(segments(text, 'word'), maxChars, maxBytes))
  if (byWords !== '') return byWords
  return tidy(takePieces(segments(text, 'grapheme'), maxChars, maxBytes))
}

export function safeFileStem(title: string, fallback: string, maxLength = 80): string {
  let s = tidy(
    title
      .normalize('NFC')
      .replace(INVISIBLE, ' ')
      .replace(/[/\\:*?"<>|#^[\]]/gu, ' ')
      .replace(/\s+/gu, ' ')
  )
  s = cutAtBoundary(s, maxLength, MAX_STEM_BYTES)
  if (s === '' || RESERVED.test(s)) s = fallback
  return s
}

/** YYYY-MM-DD of `date` in local time: the day the user exported, as they would write it. */
export function localDate(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`
}

/** A name for an export of `title` made on `date`, without extension: "周报 Weekly 12 2026-12-07". */
export function exportStem(title: string, date: Date, fallback = 'Gleaner export'): string {
  return `${safeFileStem(title, fallback, 60)} ${localDate(date)}`
}
