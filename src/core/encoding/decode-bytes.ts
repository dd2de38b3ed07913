// Bytes → text: the one decoder, for imported files, the parts of an MHTML archive and the
// original shown beside an article. Decides whether the bytes are text at all, and in which
// encoding. Order matters: binary signatures first, then BOMs, then a charset the container
// declared (an MHTML part's Content-Type, as a browser honours HTTP's), then NUL patterns
// (UTF-16 without BOM is valid UTF-8 when mostly ASCII, so strict UTF-8 must not be tried
// before it), then strict UTF-8, then the file's own <meta charset> / XML declaration, then
// detection for legacy encodings (GB18030/GBK, Big5, …).
import { isUtf8 } from 'node:buffer'
import chardet from 'chardet'
import iconv from 'iconv-lite'
import type { ImportFailureCode } from '../../shared/types'

export interface DecodeOptions {
  /**
   * The charset the bytes' container declares (an MHTML part's Content-Type). It is tried
   * first, and kept when it decodes cleanly; a wrong label falls through to detection.
   */
  charset?: string | null
}

export type DecodeResult =
  | { ok: true; text: string; encoding: string; warnings?: string[] }
  | { ok: false; code: ImportFailureCode; reason: string }

interface Signature {
  bytes: number[]
  offset?: number
  name: string
}

// File-type signatures of formats users drop by mistake next to their articles.
const BINARY_SIGNATURES: Signature[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], name: 'PNG image' },
  { bytes: [0xff, 0xd8, 0xff], name: 'JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], name: 'GIF image' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], name: 'ZIP archive' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], name: 'ZIP archive' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], name: 'PDF document' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], name: 'ELF executable' },
  { bytes: [0x1f, 0x8b], name: 'gzip archive' },
  { bytes: [0x42, 0x4d], name: 'BMP image' },
  { bytes: [0x57, 0x45, 0x42, 0x50], offset: 8, name: 'WebP image' },
  { bytes: [0x4d, 0x5a], name: 'Windows executable' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], name: 'legacy Office document' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], name: 'SQLite database' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], name: '7-Zip archive' },
  { bytes: [0x52, 0x61, 0x72, 0x21], name: 'RAR archive' }
]

/** Share of control characters (other than tab, newline, CR, form feed) above which text is binary. */
const MAX_CONTROL_RATIO = 0.02
const SAMPLE_BYTES = 64 * 1024
/** Stray NULs in UTF-8 text are dropped when at most one byte in this many is a NUL … */
const MAX_STRAY_NUL_SHARE = 100
/** … and none runs longer than this (a block of NULs is binary data, not a stray byte). */
const MAX_NUL_RUN = 16
/** Share of printable characters (see plausibility) above which a legacy decoding is believed. */
const PLAUSIBLE = 0.98

function matchSignature(bytes: Uint8Array): string | null {
  for (const sig of BINARY_SIGNATURES) {
    const start = sig.offset ?? 0
    if (bytes.length < start + sig.bytes.length) continue
    // 'BM' and 'MZ' are two ASCII letters: a text file may start with them. Require a NUL soon after.
    if (sig.bytes.length === 2 && sig.name !== 'gzip archive' && !bytes.subarray(0, 64).includes(0))
      continue
    if (sig.bytes.every((b, i) => bytes[start + i] === b)) return sig.name
  }
  return null
}

function longestNulRun(bytes: Uint8Array): number {
  let longest = 0
  let run = 0
  for (let i = bytes.indexOf(0); i >= 0 && i < bytes.length; i++) {
    if (bytes[i] === 0) longest = Math.max(longest, ++run)
    else {
      run = 0
      const next = bytes.indexOf(0, i)
      if (next < 0) break
      i = next - 1
    }
  }
  return longest
}

/** Offset of the first byte that breaks UTF-8, or -1 when the whole buffer is valid. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0
  const n = bytes.length
  while (i < n) {
    const b = bytes[i]!
    if (b < 0x80) {
      i++
      continue
    }
    let need: number
    let min: number
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1
      min = 0x80
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      min = 0x800
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      min = 0x10000
    } else return i
    let cp = b & (0x3f >> need)
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]
      if (c === undefined || (c & 0xc0) !== 0x80) return i
      cp = (cp << 6) | (c & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i
    i += need + 1
  }
  return -1
}

/**
 * Valid multi-byte UTF-8 sequences and bytes that break UTF-8. A UTF-8 page with a few broken
 * bytes (a character cut by a CMS's truncation, "papierosÃ...") has many of the first and few of
 * the second; text in a legacy encoding has almost none of the first.
 */
function utf8Tally(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0
  let invalid = 0
  let i = 0
  while (i < bytes.length) {
    const bad = firstInvalidUtf8Offset(bytes.subarray(i))
    const end = bad < 0 ? bytes.length : i + bad
    for (let k = i; k < end; k++) if ((bytes[k]! & 0xc0) === 0xc0) valid++
    if (bad < 0) break
    invalid++
    i = end + 1
  }
  return { valid, invalid }
}

/** A mostly-UTF-8 file has at least this many valid multi-byte characters … */
const MIN_UTF8_CHARS = 20
/** … and at most one broken byte for this many of them. */
const UTF8_PER_BROKEN_BYTE = 10

// Reused: constructing a decoder per file costs more than decoding a small file.
const UTF8 = new TextDecoder('utf-8')

/** The characters controlRatio counts. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0e-\x1f\x7f]/

function controlRatio(text: string): number {
  const sample = text.length > SAMPLE_BYTES ? text.slice(0, SAMPLE_BYTES) : text
  if (sample.length === 0) return 0
  // Text files have none: one native scan instead of a loop over every character.
  if (!CONTROL.test(sample)) return 0
  let controls = 0
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i)
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) controls++
  }
  return controls / sample.length
}

/** How text-like a decoded sample is: share of characters that are printable and not U+FFFD. */
function plausibility(text: string): number {
  if (text.length === 0) return 0
  let good = 0
  for (const ch of text) {
    const c = ch.codePointAt(0)!
    if (c === 0xfffd) continue
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) continue
    if (c >= 0xd800 && c <= 0xdfff) continue
    // Private use and unassigned-looking planes are where wrong byte orders land.
    if (c >= 0xe000 && c <= 0xf8ff) continue
    good++
  }
  return good / [...text].length
}

function decodeUtf16(bytes: Uint8Array, le: boolean): string {
  return iconv.decode(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    le ? 'utf-16le' : 'utf-16be'
  )
}

/**
 * UTF-16 without BOM: in mostly-ASCII text every other byte is NUL. For text that is
 * mostly CJK there are few NULs, so both byte orders are decoded and scored instead.
 */
function guessUtf16(bytes: Uint8Array): { text: string; encoding: string } | null {
  if (bytes.length < 2 || bytes.length % 2 !== 0) return null
  const sample = bytes.subarray(0, Math.min(bytes.length, SAMPLE_BYTES) & ~1)
  let evenNul = 0
  let oddNul = 0
  for (let i = 0; i < sample.length; i += 2) {
    if (sample[i] === 0) evenNul++
    if (sample[i + 1] === 0) oddNul++
  }
  const pairs = sample.length / 2
  const candidates: Array<{ le: boolean; nulShare: number }> = [
    { le: true, nulShare: oddNul / pairs },
    { le: false, nulShare: evenNul / pairs }
  ]
  let best: { text: string; encoding: string; score: number } | null = null
  for (const { le, nulShare } of candidates) {
    const other = le ? evenNul / pairs : oddNul / pairs
    // NULs on the wrong side mean it is not this byte order (or not UTF-16 at all).
    if (other > 0.05 && other > nulShare / 4) continue
    const text = decodeUtf16(sample, le)
    const score = plausibility(text)
    if (score > 0.97 && (!best || score > best.score))
      best = { text, encoding: le ? 'UTF-16LE' : 'UTF-16BE', score }
  }
  if (!best) return null
  return { text: decodeUtf16(bytes, best.encoding === 'UTF-16LE'), encoding: best.encoding }
}

/** Encodings we accept from detection or a declaration, mapped to iconv-lite names and the name we report. */
const LEGACY_ENCODINGS: Record<string, string> = {
  gb18030: 'GB18030',
  gbk: 'GB18030', // GB18030 is a superset of GBK and GB2312: decode with it, report what was detected
  gb2312: 'GB18030',
  'x-gbk': 'GB18030',
  'gb_2312-80': 'GB18030',
  'euc-cn': 'GB18030',
  cp936: 'GB18030',
  'windows-936': 'GB18030',
  big5: 'Big5',
  'big5-hkscs': 'Big5-HKSCS',
  shift_jis: 'Shift_JIS',
  'shift-jis': 'Shift_JIS',
  sjis: 'Shift_JIS',
  'windows-31j': 'Shift_JIS',
  'euc-jp': 'EUC-JP',
  'euc-kr': 'EUC-KR',
  'iso-2022-jp': 'ISO-2022-JP',
  'windows-1252': 'windows-1252',
  'iso-8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'us-ascii': 'windows-1252',
  'iso-8859-15': 'ISO-8859-15',
  'windows-1251': 'windows-1251',
  'koi8-r': 'KOI8-R',
  'iso-8859-2': 'ISO-8859-2',
  'windows-1250': 'windows-1250'
}

function reportName(detected: string): string {
  const lower = detected.toLowerCase()
  if (lower === 'gbk' || lower === 'x-gbk') return 'GBK'
  if (lower === 'gb2312') return 'GB2312'
  return LEGACY_ENCODINGS[lower] ?? detected
}

/** `<meta charset>` or `encoding=` hint in the first bytes (read as ASCII). */
function declaredCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1')
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head) ??
    /<\?xml[^>]+encoding\s*=\s*["']([\w-]+)/i.exec(head)
  return m?.[1]?.toLowerCase() ?? null
}

function tryLegacy(bytes: Uint8Array, name: string): { text: string; score: number } | null {
  const iconvName = LEGACY_ENCODINGS[name.toLowerCase()]
  if (!iconvName || !iconv.encodingExists(iconvName)) return null
  const text = iconv.decode(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    iconvName
  )
  return {
    text,
    score: plausibility(text.length > SAMPLE_BYTES ? text.slice(0, SAMPLE_BYTES) : text)
  }
}

function finish(text: string, encoding: string): DecodeResult {
  const ratio = controlRatio(text)
  if (ratio > MAX_CONTROL_RATIO)
    return {
      ok: false,
      code: 'binary',
      reason: `binary content (${(ratio * 100).toFixed(1)}% control characters as ${encoding})`
    }
  if (text.trim().length === 0)
    return { ok: false, code: 'empty', reason: 'file holds only whitespace' }
  return { ok: true, text, encoding }
}

/** A declared charset's text when it decodes cleanly (UTF-8 strictly, others plausibly). */
function tryDeclared(bytes: Uint8Array, name: string): { text: string; encoding: string } | null {
  const key = name
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase()
  if (key === 'utf-8' || key === 'utf8')
    return isUtf8(bytes) ? { text: UTF8.decode(bytes), encoding: 'UTF-8' } : null
  const decoded = tryLegacy(bytes, key)
  return decoded && decoded.score > PLAUSIBLE
    ? { text: decoded.text, encoding: reportName(key) }
    : null
}

export function decodeBytes(bytes: Uint8Array, opts: DecodeOptions = {}): DecodeResult {
  if (bytes.length === 0) return { ok: false, code: 'empty', reason: 'file is empty (0 bytes)' }
  const signature = matchSignature(bytes)
  if (signature)
    return { ok: false, code: 'binary', reason: `binary content (${signature} signature)` }

  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const body = bytes.subarray(3)
    const bad = firstInvalidUtf8Offset(body)
    if (bad >= 0)
      return {
        ok: false,
        code: 'undecodable',
        reason: `starts with a UTF-8 byte order mark but is not valid UTF-8 (byte ${bad + 3})`
      }
    return finish(UTF8.decode(body), 'UTF-8 (BOM)')
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return finish(decodeUtf16(bytes.subarray(2), true), 'UTF-16LE')
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return finish(decodeUtf16(bytes.subarray(2), false), 'UTF-16BE')
  if (opts.charset) {
    const declared = tryDeclared(bytes, opts.charset)
    if (declared) return finish(declared.text, declared.encoding)
  }

  const firstNul = bytes.indexOf(0)
  if (firstNul >= 0) {
    // NULs in otherwise valid UTF-8 are damage, not UTF-16 (whose ASCII has a NUL in every
    // other byte, and whose CJK bytes are not valid UTF-8 once NULs are dropped). A few of them,
    // scattered, are a corrupted download that browsers show fine: they are dropped with a
    // warning. Runs or many of them are a binary file behind a text extension.
    const nuls = bytes.reduce((n, b) => (b === 0 ? n + 1 : n), 0)
    const clean = bytes.filter((b) => b !== 0)
    if (nuls * 20 <= bytes.length && firstInvalidUtf8Offset(clean) < 0) {
      if (nuls * MAX_STRAY_NUL_SHARE <= bytes.length && longestNulRun(bytes) <= MAX_NUL_RUN) {
        const done = finish(UTF8.decode(clean), 'UTF-8')
        if (done.ok)
          done.warnings = [
            `dropped ${nuls} NUL byte${nuls === 1 ? '' : 's'} (the first at offset ${firstNul}): the file was damaged`
          ]
        return done
      }
      return {
        ok: false,
        code: 'binary',
        reason: `NUL byte at offset ${firstNul} inside UTF-8 text (${nuls} in all): the file looks damaged`
      }
    }
    const utf16 = guessUtf16(bytes)
    if (utf16) return finish(utf16.text, utf16.encoding)
    return {
      ok: false,
      code: 'binary',
      reason: `binary content (NUL byte at offset ${firstNul}, not UTF-16 text)`
    }
  }

  // Node's native check accepts exactly the UTF-8 firstInvalidUtf8Offset accepts; the
  // byte-by-byte scan only runs to say where a file that is not UTF-8 goes wrong.
  if (isUtf8(bytes)) return finish(UTF8.decode(bytes), 'UTF-8')
  const bad = firstInvalidUtf8Offset(bytes)
  if (bad < 0) return finish(UTF8.decode(bytes), 'UTF-8')

  // UTF-8 with a few broken bytes is UTF-8, as a browser shows it: decoding the whole file as
  // windows-1252 instead turned every accented letter of the page into mojibake.
  const tally = utf8Tally(bytes)
  if (tally.valid >= MIN_UTF8_CHARS && tally.invalid * UTF8_PER_BROKEN_BYTE <= tally.valid) {
    const done = finish(UTF8.decode(bytes), 'UTF-8')
    if (done.ok)
      done.warnings = [
        `${tally.invalid} byte${tally.invalid === 1 ? '' : 's'} not valid UTF-8 (the first at offset ${bad}) shown as \uFFFD`
      ]
    return done
  }

  // Not UTF-8: a declared charset wins when it decodes cleanly, then chardet's candidates.
  const tried = new Set<string>()
  const candidates: string[] = []
  const declared = declaredCharset(bytes)
  if (declared) candidates.push(declared)
  for (const match of chardet.analyse(bytes)) candidates.push(match.name)
  for (const name of candidates) {
    const key = name.toLowerCase()
    if (tried.has(key)) continue
    const decoded = tryLegacy(bytes, key)
    if (decoded) tried.add(key)
    if (decoded && decoded.score > PLAUSIBLE) return finish(decoded.text, reportName(name))
  }
  return {
    ok: false,
    code: 'undecodable',
    reason: `not valid UTF-8 (byte ${bad}) and no other encoding fits${
      tried.size ? ` (tried ${[...tried].join(', ')})` : ''
    }`
  }
}
