// The last step shared by every format: clean the body, pick the title, fill ParsedArticle.
import { cleanArticleHtml } from '../clean/clean-article'
import { elementsIn, textOf, type Document } from '../html/html-tree'
import { parseHtmlFragment } from '../html/parse-html'
import type { ParsedArticle } from '../model/parsed-article'
import { oneLine } from './fields'

/** What a format's reader found, before cleaning: the facts it read go into ParsedArticle as they are. */
export interface ArticleDraft extends Pick<
  ParsedArticle,
  | 'format'
  | 'encoding'
  | 'author'
  | 'source'
  | 'url'
  | 'publishedAt'
  | 'categoryPath'
  | 'tags'
  | 'meta'
  | 'warnings'
> {
  path: string
  /** The body as HTML, or as the tree plain text was made into (see textToTree). */
  bodyHtml: string | Document
  /** Title from metadata (front matter, page <title>…); null falls back to body heading, then file name. */
  title: string | null
}

export function fileStem(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path
  const dot = base.lastIndexOf('.')
  return oneLine(dot > 0 ? base.slice(0, dot) : base)
}

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'])

function firstHeading(html: string): string | null {
  if (!/<h[1-6]/i.test(html)) return null
  const heading = elementsIn(parseHtmlFragment(html)).find((el) => HEADINGS.has(el.name))
  const text = heading ? oneLine(textOf(heading)) : ''
  return text || null
}

/** Either a full article, or null when there is neither a title nor any body text. */
export function assembleArticle(draft: ArticleDraft): { article: ParsedArticle; hasBody: boolean } {
  const cleaned = cleanArticleHtml(draft.bodyHtml, draft.url)
  const warnings = [...draft.warnings]
  let title = draft.title ? oneLine(draft.title) : ''
  if (!title) {
    title = firstHeading(cleaned.html) ?? ''
    if (!title) {
      title = fileStem(draft.path) || 'Untitled'
      warnings.push('no title found; file name used')
    }
  }
  // Image-only posts (wallpapers, episode covers) are content too.
  const hasBody = cleaned.text.trim() !== '' || /<img\s/i.test(cleaned.html)
  if (!hasBody) warnings.push('article has no body text')
  const article: ParsedArticle = {
    format: draft.format,
    encoding: draft.encoding,
    title,
    author: draft.author,
    source: draft.source,
    url: draft.url,
    publishedAt: draft.publishedAt,
    categoryPath: draft.categoryPath,
    tags: draft.tags,
    editor: cleaned.editor,
    originalTitle: cleaned.originalTitle,
    origin: cleaned.origin,
    meta: draft.meta,
    cleanHtml: cleaned.html,
    cleanText: cleaned.text,
    removed: cleaned.removed,
    warnings
  }
  return { article, hasBody }
}
