// What parsing one file yields: the core's neutral model of a parsed article. Pure data, so
// parsing can run in worker_threads; ingest produces it, and storage, search and the importer
// read it without depending on one another.
import type { ImportFailureCode } from '../../shared/types'
import type { ArticleAnalysisDraft } from '../analysis/analyse'

export type ArticleFormat =
  | 'hexo' // front matter (YAML) + HTML body, the seed's format
  | 'markdown' // front matter (YAML/TOML) + Markdown body, or plain Markdown
  | 'html-page' // a whole web page saved from a browser
  | 'html-fragment' // an article body in HTML, without front matter or page chrome
  | 'mhtml'
  | 'text'
  | 'feed'

/** One block the cleaner took out, and the rule that did it (shown as "removed" in the reader). */
export interface RemovedBlock {
  rule: string
  /** Text of what was removed, as removedText() keeps it, for display. */
  text: string
}

/** Characters a removal report keeps of one block, the ellipsis included. */
export const REMOVED_TEXT_MAX = 200

/**
 * The text a removal report keeps of a block, for the page extractor and the cleaner alike: one
 * line, at most REMOVED_TEXT_MAX characters (enough to recognise a paragraph), never a broken
 * surrogate pair.
 */
export function removedText(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim()
  if (t.length <= REMOVED_TEXT_MAX) return t
  let cut = REMOVED_TEXT_MAX - 1
  if (/[\ud800-\udbff]/.test(t.charAt(cut - 1))) cut--
  return `${t.slice(0, cut)}…`
}

/** Who first published the story, as the article's own credits say (clean/bylines.ts). */
export interface ArticleOrigin {
  /** The outlet credited: 来源：新华社, 据新华社报道, 新华社北京7月26日电 → 新华社. */
  outlet: string | null
  /** Reporters a credit names: （记者 张三 李四） → 张三, 李四. */
  reporters: string[]
  /** The credits as printed, for showing and checking. */
  lines: string[]
}

/** Where storage keeps an article's origin: in its metadata, under this key. */
export const ORIGIN_META_KEY = 'byline:origin'

export interface ParsedArticle {
  format: ArticleFormat
  encoding: string
  title: string
  author: string | null
  /** Site or feed name, when known (for Hexo posts: the author field, e.g. 新浪财经). */
  source: string | null
  url: string | null
  /** ISO 8601 UTC. */
  publishedAt: string | null
  /** Hexo category hierarchy, root first. Empty when none. */
  categoryPath: string[]
  tags: string[]
  editor: string | null
  originalTitle: string | null
  /** Origin credits read from the text (they stay in it); stored in meta under ORIGIN_META_KEY. */
  origin: ArticleOrigin | null
  /** The front matter / metadata as parsed; all keys kept. */
  meta: Record<string, unknown>
  /** Sanitised clean HTML. */
  cleanHtml: string
  /** Plain text of cleanHtml: paragraphs separated by '\n\n'. */
  cleanText: string
  removed: RemovedBlock[]
  warnings: string[]
  /** Set by a parse worker (importer/writer-hints.ts); absent when parsed on the writer's thread. */
  writerHints?: WriterHints
}

/**
 * Work a parse worker does for the single writer, carried with the article: its duplicate key
 * (library/content-key.ts) and its full-text index columns (search/document.ts).
 */
export interface WriterHints {
  contentKey: string
  searchColumns: string[]
  /** The lines that may be its source's boilerplate (core/boilerplate/edge-lines.ts). */
  edges?: EdgeLines
  /** Its copy fingerprint, keywords and entities (core/analysis/analyse.ts). */
  analysis?: ArticleAnalysisDraft
}

/** Where a line sits in an article: among its first or its last paragraphs. */
export type Edge = 'head' | 'tail'

export interface EdgeLine {
  edge: Edge
  /** Of the line with full- and half-width forms folded. */
  hash: string
  /** The paragraph as one line (what is stored and shown). */
  text: string
}

export interface EdgeLines {
  lines: EdgeLine[]
  /** Stands for the article's body: copies of one body share it. */
  witness: string
}

export type ParseOutcome =
  | { ok: true; encoding: string; articles: ParsedArticle[] }
  | { ok: false; code: ImportFailureCode; reason: string }
