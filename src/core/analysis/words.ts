// Words of an article's text for fingerprints, keywords and entities: a real Chinese segmenter
// (jieba, via @node-rs/jieba) over the text folded the way search folds it (Traditional as
// Simplified, full-width letters and digits as ASCII, case), so a copy converted to Traditional
// or retyped in full-width gives the same words. Punctuation and spaces are not words.
import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict.js'
import { foldScriptAndWidth } from '../search/fold'

let jieba: Jieba | null = null

/** The segmenter, loaded once per thread (its dictionary takes about 0.1–0.7 s to load). */
export function segmenter(): Jieba {
  return (jieba ??= Jieba.withDict(dict))
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
 */
export const MAX_ANALYSED_CHARS = 200_000

/** At most MAX_ANALYSED_CHARS of `text`, never ending inside a surrogate pair. */
export function analysedPart(text: string): string {
  if (text.length <= MAX_ANALYSED_CHARS) return text
  const end = /[\ud800-\udbff]/u.test(text.charAt(MAX_ANALYSED_CHARS - 1))
    ? MAX_ANALYSED_CHARS - 1
    : MAX_ANALYSED_CHARS
  return text.slice(0, end)
}

/** The words of (the analysed part of) `text`, folded, in order. */
export function wordsOf(text: string): string[] {
  const out: string[] = []
  for (const w of segmenter().cut(foldForWords(analysedPart(text)), true))
    if (WORDLIKE.test(w)) out.push(w)
  return out
}
