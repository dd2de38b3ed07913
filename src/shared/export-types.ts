// Shapes for collections and exports that cross process boundaries (UI, CLI, core).
// Plain JSON values only. The exporter keeps its own small annotation shape so it does not
// depend on the annotation engine's richer model: whatever that model becomes, it can be
// projected onto ExportAnnotation.
import type { AnchorStatus } from './annotation-types'
import type { ArticleTerm } from './story-types'
import type { ArticleDetail } from './types'

export const EXPORT_FORMATS = ['markdown', 'html', 'pdf', 'docx', 'json', 'csv'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** Other names people type for a format (`--format md`), lower case. */
export const EXPORT_FORMAT_ALIASES: Readonly<Record<string, ExportFormat>> = {
  md: 'markdown',
  htm: 'html'
}

/** The format a name stands for (any case, aliases included), or null. */
export function exportFormatNamed(name: string): ExportFormat | null {
  const n = name.trim().toLowerCase()
  if ((EXPORT_FORMATS as readonly string[]).includes(n)) return n as ExportFormat
  return EXPORT_FORMAT_ALIASES[n] ?? null
}

/**
 * The extensions an export's path may end in, the first being the one to propose. Markdown
 * writes a folder (one file per article and an index), or one file when the path ends in .md.
 */
export const EXPORT_EXTENSIONS: Readonly<Record<ExportFormat, readonly string[]>> = {
  markdown: ['.md', '.markdown'],
  html: ['.html', '.htm'],
  pdf: ['.pdf'],
  docx: ['.docx'],
  json: ['.json'],
  csv: ['.csv']
}

/** The languages export headings are written in. */
export const EXPORT_LOCALES = ['en', 'zh'] as const
export type ExportLocale = (typeof EXPORT_LOCALES)[number]

export interface ExportAnnotation {
  id: number
  /** The highlighted text; empty for a note on the whole article. */
  exact: string
  prefix?: string
  suffix?: string
  /** Offsets into article.cleanText (TextPositionSelector), when known. */
  start?: number
  end?: number
  /** A palette name (yellow, green, blue, pink, purple, orange) or #rrggbb. */
  color: string
  note: string
  tags: string[]
  createdAt: string
  updatedAt: string
  /** needs-review: the passage was not found again after re-cleaning; listed, not marked. */
  anchorStatus?: AnchorStatus
}

export interface ExportArticle {
  article: ArticleDetail
  /** In reading order (by position in the text, article notes last). */
  annotations: ExportAnnotation[]
  /** The collection item's note, when exported from a collection. */
  itemNote?: string
  /** The article's keywords, most telling first (core/analysis). */
  keywords?: string[]
  /** Its named entities (people, organisations, places). */
  entities?: ArticleTerm[]
  /** Its images kept in the library, in the article's order (never fetched for an export). */
  images?: ExportImage[]
}

/** An image of an article as kept in the library (core/images). */
export interface ExportImage {
  /** The image's address in the article's HTML. */
  url: string
  sha256: string
  contentType: string
  bytes: Uint8Array
  /** Its <figcaption> or alt text. */
  caption: string | null
}

export interface ExportBundle {
  title: string
  /** ISO 8601 UTC. */
  generatedAt: string
  articles: ExportArticle[]
  /**
   * The annotations alone (an export of notes and highlights): each article's title and
   * details head its annotations, listed with their quotes; the article's text is left out.
   */
  notesOnly?: boolean
}

export interface ExportOptions {
  /** A folder whose files override the shipped templates of the same name. */
  templateDir?: string
  /** The language of the export's own headings and labels (the articles keep theirs); en by default. */
  locale?: ExportLocale
}

export interface ExportResult {
  format: ExportFormat
  /** Absolute paths of the files written (Markdown writes one per article plus an index). */
  files: string[]
  articleCount: number
  annotationCount: number
}

export interface CollectionSummary {
  id: number
  name: string
  /** A saved search: the collection's articles are that search's results. null for manual ones. */
  query: string | null
  createdAt: string
  /** Articles in a manual collection; null for a smart collection when no search was given to count it. */
  itemCount: number | null
}

export interface CollectionItem {
  articleId: number
  position: number
  note: string | null
  title: string
  source: string | null
  publishedAt: string | null
}

/** Everything deleteCollection removed, so restoreCollection can put it back (undo). */
export interface DeletedCollection {
  id: number
  name: string
  query: string | null
  createdAt: string
  items: { articleId: number; position: number; note: string | null }[]
}
