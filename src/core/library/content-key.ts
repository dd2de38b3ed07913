// The key that finds the same article arriving in two different files. Pure (no database), so
// the parse workers can compute it and spare the single writer.
import { createHash } from 'node:crypto'
import type { ParsedArticle } from '../model/parsed-article'

/** Same article from two files: same title, date and body, whatever the bytes around them. */
export function contentKey(a: Pick<ParsedArticle, 'title' | 'publishedAt' | 'cleanText'>): string {
  const norm = (s: string): string => s.normalize('NFKC').replace(/\s+/gu, ' ').trim()
  return createHash('sha256')
    .update(norm(a.title))
    .update('\u0000')
    .update(a.publishedAt ?? '')
    .update('\u0000')
    .update(norm(a.cleanText))
    .digest('hex')
}

/** The key a parse worker computed (see importer/writer-hints.ts), or computed here. */
export function contentKeyOf(a: ParsedArticle): string {
  return a.writerHints?.contentKey ?? contentKey(a)
}
