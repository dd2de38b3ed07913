// jieba's own dictionaries as numbers: each word's part-of-speech tag (dict.txt, the tag
// `Jieba.tag` would give it) and its prior inverse document frequency (idf.txt, the weight a
// keyword starts from before the library has articles of its own; a word the list lacks gets
// the median, as jieba's keyword extractor does).
//
// Looking tags up here after `cut` costs a third of what `tag` does (which builds an object per
// word across the native boundary), and `tag` alone took most of an article's time budget. The
// table holds 32-bit word hashes in open addressing, not a Map of strings: every parse worker
// keeps one, and 7 MB of typed arrays beat some 40 MB of string keys. Words sharing a hash (a
// few pairs among 350,000) share a tag and an idf, which a ranking can bear.
import { dict as dictText, idf as idfText } from '@node-rs/jieba/dict.js'

interface Lexicon {
  keys: Uint32Array
  /** Index into `tagNames` + 1; 0: the word has no tag (only an idf). */
  tags: Uint8Array
  /** idf × 1000; 0: not listed. */
  idfs: Uint16Array
  mask: number
  tagNames: string[]
  medianIdf: number
}

const IDF_SCALE = 1000

/** FNV-1a over UTF-16 units, never 0 (0 marks an empty slot). */
function hashWord(s: string, from = 0, to = s.length): number {
  let h = 0x811c9dc5
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0 || 1
}

function slotFor(lex: Lexicon, h: number): number {
  let slot = h & lex.mask
  while (lex.keys[slot] !== 0 && lex.keys[slot] !== h) slot = (slot + 1) & lex.mask
  return slot
}

/** Each "word value…" line of a jieba data file: the word's span and the line's last field. */
function eachLine(text: string, visit: (from: number, to: number, last: string) => void): void {
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const space = text.indexOf(' ', start)
    if (space > start && space < end) {
      const lastSpace = text.lastIndexOf(' ', end - 1)
      visit(start, space, text.slice(lastSpace + 1, end).trim())
    }
    start = end + 1
  }
}

function build(): Lexicon {
  const decoder = new TextDecoder()
  const dict = decoder.decode(dictText)
  const idf = decoder.decode(idfText)
  let size = 1
  // At most half full: both files list about 620,000 words together, most of them twice.
  while (size < 2 * 400_000) size <<= 1
  const lex: Lexicon = {
    keys: new Uint32Array(size),
    tags: new Uint8Array(size),
    idfs: new Uint16Array(size),
    mask: size - 1,
    tagNames: [],
    medianIdf: 0
  }
  const tagIndex = new Map<string, number>()
  eachLine(dict, (from, to, tag) => {
    let t = tagIndex.get(tag)
    if (t === undefined) {
      t = lex.tagNames.push(tag)
      tagIndex.set(tag, t)
    }
    const h = hashWord(dict, from, to)
    const slot = slotFor(lex, h)
    lex.keys[slot] = h
    lex.tags[slot] = t
  })
  const all: number[] = []
  eachLine(idf, (from, to, value) => {
    const v = Number(value)
    if (!Number.isFinite(v) || v <= 0) return
    const h = hashWord(idf, from, to)
    const slot = slotFor(lex, h)
    lex.keys[slot] = h
    lex.idfs[slot] = Math.min(0xffff, Math.round(v * IDF_SCALE))
    all.push(v)
  })
  all.sort((a, b) => a - b)
  lex.medianIdf = all[all.length >> 1] ?? 0
  return lex
}

let lexicon: Lexicon | null = null

function lex(): Lexicon {
  return (lexicon ??= build())
}

/** What jieba's dictionaries say about a (folded, Simplified) word. */
export interface WordFacts {
  /** Its part-of-speech tag in jieba's dictionary, null when the dictionary lacks it. */
  tag: string | null
  /** Its idf in jieba's list, null when the list lacks it. */
  idf: number | null
}

const NOTHING: WordFacts = { tag: null, idf: null }

export function wordFacts(word: string): WordFacts {
  const l = lex()
  const slot = slotFor(l, hashWord(word))
  if (l.keys[slot] === 0) return NOTHING
  const t = l.tags[slot]!
  const idf = l.idfs[slot]!
  return { tag: t === 0 ? null : l.tagNames[t - 1]!, idf: idf === 0 ? null : idf / IDF_SCALE }
}

/** The idf a word jieba's list lacks is given. */
export function defaultIdf(): number {
  return lex().medianIdf
}
