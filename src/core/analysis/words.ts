// Words of an article's text for fingerprints, keywords and entities: a real Chinese segmenter
// (jieba, via @node-rs/jieba) over the text folded the way search folds it (Traditional as
// Simplified, full-width letters and digits as ASCII, case), so a copy converted to Traditional
// or retyped in full-width gives the same words. Punctuation and spaces are not words.
import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict.js'
import { foldScriptAndWidth } from '../search/fold'
import { termLists } from './term-lists'

let jieba: Jieba | null = null

/**
 * The segmenter, loaded once per thread (its dictionary takes about 0.1–0.7 s to load), with
 * the shipped news dictionary's compounds (进博会, 国家发改委) added before its first use, so
 * fingerprints and terms always see the same words.
 */
export function segmenter(): Jieba {
  if (jieba) return jieba
  const loaded = Jieba.withDict(dict)
  loaded.loadDict(termLists().segmenterDict)
  return (jieba = loaded)
}

/** The text as fingerprints and terms read it: script, width and case folded. */
export function foldForWords(text: string): string {
  return foldScriptAndWidth(text).toLowerCase()
}

// A word is anything with a letter or a digit in it; what the segmenter cuts out of runs of
// punctuation and spaces is not.
const WORDLIKE = /[\p{L}\p{N}]/u

/**
 * Characters of an article the analysis reads: a book-length text (the importer takes tens of
 * megabytes) is judged on its beginning, so its words never cost more than this much memory.
 * Terms read no more either (terms.ts MAX_TEXT_CHARS).
 */
export const MAX_ANALYSED_CHARS = 100_000

/** At most MAX_ANALYSED_CHARS of `text`, never ending inside a surrogate pair. */
export function analysedPart(text: string): string {
  if (text.length <= MAX_ANALYSED_CHARS) return text
  const end = /[\ud800-\udbff]/u.test(text.charAt(MAX_ANALYSED_CHARS - 1))
    ? MAX_ANALYSED_CHARS - 1
    : MAX_ANALYSED_CHARS
  return text.slice(0, end)
}

let lastText: string | null = null
let lastTokens: readonly string[] = []

/**
 * What the segmenter cuts (the analysed part of) `text` into, folded, punctuation and spaces
 * included. The last text's tokens are kept: an article's fingerprint and its terms (terms.ts)
 * segment it once.
 */
export function tokensOf(text: string): readonly string[] {
  const part = analysedPart(text)
  if (part === lastText) return lastTokens
  lastTokens = segmenter().cut(foldForWords(part), true)
  lastText = part
  return lastTokens
}

/** The words of (the analysed part of) `text`, folded, in order. */
export function wordsOf(text: string): string[] {
  return tokensOf(text).filter((w) => WORDLIKE.test(w))
}
