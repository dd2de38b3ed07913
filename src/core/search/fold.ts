// Script and width folding, applied to the text before it is indexed, to every query term and
// to the text a snippet is cut from, so that 知識分子 and 知识分子, 博客來 and 博客来, ＡＢＣ１２３
// and ABC123 are the same words to search.
//
// Traditional → Simplified comes from OpenCC's data (opencc-js), per character only: the
// phrase dictionaries rewrite words into words of another length (軟體 → 软件), which would
// make the index disagree with the article's own text, and a highlight has to mark the
// characters the article really has. Every fold here is one UTF-16 unit in, one out, so the
// snippet's fast path (folded offsets = original offsets) still holds.
import { ConverterBuilder } from 'opencc-js/core'
import type { DictLike } from 'opencc-js/core'
import * as t2cn from 'opencc-js/preset/t2cn'

/** The source characters of a dictionary's one-character entries. */
function singleCharKeys(dict: DictLike): string[] {
  const keys: string[] = []
  const add = (k: string): void => {
    if (Array.from(k).length === 1) keys.push(k)
  }
  if (typeof dict === 'string') {
    for (const entry of dict.split('|')) add(entry.split(' ')[0] ?? '')
  } else for (const [k] of dict) add(k)
  return keys
}

// OpenCC's standard Traditional, then Taiwan's and Hong Kong's variants, each as opencc's own
// converter to Simplified (a variant such as 衞 or 粧 goes to the standard form first).
const REGIONS = ['t', 'tw', 'hk'] as const

function buildTable(): Map<number, number> {
  const converter = ConverterBuilder(t2cn)
  const [standard, ...regional] = REGIONS.map((from) => converter({ from, to: 'cn' }))
  // Every character some dictionary of those conversions starts from.
  const sources = new Set<string>()
  for (const config of Object.values(t2cn.configs))
    for (const group of config.conversionChain)
      for (const dict of group) for (const k of singleCharKeys(dict)) sources.add(k)
  // The Simplified forms of standard Traditional characters. A regional variant rule never
  // moves one of them: Taiwan's 么 → 幺 would fold every 什么 of Simplified text into 什幺.
  const simplified = new Set<string>()
  for (const ch of sources) {
    const s = standard!(ch)
    if (s !== ch) simplified.add(s)
  }
  const table = new Map<number, number>()
  for (const ch of sources) {
    let out = standard!(ch)
    if (out === ch && !simplified.has(ch)) {
      for (const convert of regional) {
        out = convert(ch)
        if (out !== ch) break
      }
    }
    // Only one-unit-for-one-unit entries (a handful of supplementary-plane characters whose
    // Simplified form is in the BMP are left alone: they would shift every offset after them).
    if (out !== ch && out.length === ch.length && Array.from(out).length === 1)
      table.set(ch.codePointAt(0)!, out.codePointAt(0)!)
  }
  // Folding must be idempotent: a character whose Simplified form is itself a source folds
  // straight to the end of the chain.
  for (const [k, v] of table) {
    let end = v
    for (let i = 0; i < 4 && table.has(end); i++) end = table.get(end)!
    table.set(k, end)
  }
  return table
}

interface ScriptTable {
  /** BMP code unit → its fold; 0 where it stays (most lookups: an array beats a Map). */
  bmp: Uint16Array
  astral: Map<number, number>
  signature: string
}

let built: ScriptTable | null = null

// Built on first use, not at import: the app's start and each parse worker's do not pay for
// it until they index or search.
function scriptTable(): ScriptTable {
  if (built) return built
  const table = buildTable()
  const bmp = new Uint16Array(0x10000)
  const astral = new Map<number, number>()
  let h = 0x811c9dc5
  for (const [k, v] of [...table].sort((a, b) => a[0] - b[0])) {
    if (k < 0x10000) bmp[k] = v
    else astral.set(k, v)
    h = Math.imul(h ^ k, 0x01000193) >>> 0
    h = Math.imul(h ^ v, 0x01000193) >>> 0
  }
  built = { bmp, astral, signature: `${table.size}:${h.toString(16)}` }
  return built
}

/** Identifies the table's content: a different opencc-js may fold differently (index rebuild). */
export function foldTableSignature(): string {
  return scriptTable().signature
}

// Full-width digits and Latin letters (０ … ９, Ａ … Ｚ, ａ … ｚ) are the ASCII ones moved by a
// constant, as NFKC maps them. Full-width punctuation is left: the index reads it as a
// separator either way, and folding it would copy nearly every Chinese text for nothing.
// Other NFKC compatibility forms (①, ㈱, ﬁ) fold to several characters and are left too.
const FULLWIDTH_SHIFT = 0xff01 - 0x21

function isFullWidthAlnum(c: number): boolean {
  return (
    (c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a)
  )
}

/** `text` with Traditional characters as Simplified, full-width letters and digits as ASCII. */
export function foldScriptAndWidth(text: string): string {
  const { bmp, astral } = scriptTable()
  let out: string[] | null = null
  let copied = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    // Nothing below U+3000 folds (ASCII, Latin, Cyrillic … stay as they are).
    if (c < 0x3000) continue
    let f: number
    let width = 1
    if (c >= 0xd800 && c <= 0xdbff) {
      const cp = text.codePointAt(i)!
      width = cp > 0xffff ? 2 : 1
      f = astral.get(cp) ?? 0
    } else if (isFullWidthAlnum(c)) f = c - FULLWIDTH_SHIFT
    else f = bmp[c]!
    if (f !== 0) {
      out ??= []
      out.push(text.slice(copied, i), String.fromCodePoint(f))
      copied = i + width
    }
    i += width - 1
  }
  if (out === null) return text
  out.push(text.slice(copied))
  return out.join('')
}

let phraseConverter: ((text: string) => string) | null = null

/**
 * A query term as OpenCC converts it to Simplified with its phrase dictionary (瞭解 → 了解,
 * 憑藉 → 凭借, 彷彿 → 仿佛), when that differs from its per-character fold; else null. Not
 * Taiwan's vocabulary (軟體 → 软件, 資料 → 数据): those are other words, not other spellings. Some Traditional
 * words use characters that are Simplified characters too (瞭 of 瞭望), which no per-character
 * fold may move: searching the phrase's Simplified form as well finds the Simplified articles.
 * Only for queries: indexed text keeps its own characters.
 */
export function phraseFold(term: string): string | null {
  phraseConverter ??= ConverterBuilder(t2cn)({ from: 'tw', to: 'cn' })
  const phrased = phraseConverter(term)
  return phrased !== foldScriptAndWidth(term) && phrased !== term ? phrased : null
}
