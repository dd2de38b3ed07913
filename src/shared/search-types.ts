// Search results and synonyms as they cross process boundaries (plain JSON).
import type { ArticleQuery } from './types'

export type SearchSort = 'relevance' | 'date-desc' | 'date-asc'

/** The left pane's selection a search is limited to (the same filters as the list's). */
export type SearchScope = Pick<
  ArticleQuery,
  'view' | 'categoryPath' | 'collectionId' | 'source' | 'tag'
>

export interface SearchOptions {
  /** Hits per page, 1–500; default 50. */
  limit?: number
  offset?: number
  /** Default 'relevance' (bm25); queries with only filters fall back to newest first. */
  sort?: SearchSort
}

export interface SearchHit {
  id: number
  title: string
  /** The title with matches wrapped in <mark>; text HTML-escaped, no other tags. */
  titleHtml: string
  /** ISO 8601 UTC, or null when the article has no date. */
  publishedAt: string | null
  source: string | null
  author: string | null
  /** A passage of the cleaned text around the best match: only <mark> tags, text escaped. */
  snippetHtml: string
  /** Higher is more relevant (negated bm25); 0 when the query had no search words. */
  score: number
  /** What the list row shows besides the match (as ArticleSummary has them). */
  importedAt: string
  categoryPath: string[]
  read: boolean
  starred: boolean
  annotationCount: number
}

export interface SearchResult {
  /** Number of matching articles (all pages). */
  total: number
  offset: number
  items: SearchHit[]
  /** The sort actually applied. */
  sort: SearchSort
  /** Set when the query could not be understood; total is then 0. Written for the user. */
  error?: string
  /** The error's stable code and values, for the window to say it in the user's language. */
  errorCode?: string
  errorParams?: Record<string, string | number>
  /** The strings highlighted in the hits (query words and their synonyms). */
  highlightTerms: string[]
}

export interface SearchSynonym {
  a: string
  b: string
  /** 'default' pairs ship with Gleaner; 'user' pairs were added to this library. */
  origin: 'default' | 'user'
}
