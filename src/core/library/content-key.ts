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

/**
 * Whether two article addresses are different pages of one site: the same host (www. aside)
 * and another path (`/story` and `/story/slides/4`). Query, fragment, scheme and a trailing
 * slash do not make another page (tracking parameters, anchors). The same text at another
 * host is the same article republished (a wire story on two portals): a duplicate, as before;
 * a missing address cannot tell.
 */
export function differentPages(a: string | null, b: string | null): boolean {
  if (!a || !b) return false
  let x: URL
  let y: URL
  try {
    x = new URL(a)
    y = new URL(b)
  } catch {
    return false
  }
  const host = (u: URL): string => u.hostname.replace(/^www\./, '')
  const path = (u: URL): string => u.pathname.replace(/\/+$/, '')
  return host(x) === host(y) && path(x) !== path(y)
}
