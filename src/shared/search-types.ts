// Search results and synonyms as they cross process boundaries (plain JSON).
import type { ErrorData } from './errors'
import type { ArticleQuery } from './types'

export type SearchSort = 'relevance' | 'date-desc' | 'date-asc'

/**
 * Where a search looks: the left pane's selection, with the same meaning as in ArticleQuery
 * (a category path includes its sub-categories; a smart collection adds its saved search).
 * Fields given together all apply.
 */
export type SearchScope = Pick<
  ArticleQuery,
  | 'view'
  | 'collectionId'
  | 'source'
  | 'tag'
  | 'categoryPath'
  | 'storyId'
  | 'entity'
  | 'keyword'
  | 'feedId'
>

export interface SearchOptions {
  /** Hits per page, 1–500; default 50. */
  limit?: number
  /** Hits to skip. Every hit is reachable: pages of one order never repeat or skip a hit. */
  offset?: number
  /**
   * Default 'relevance' (bm25 over every hit, ties newest first); queries with only filters
   * fall back to newest first. Dates: undated articles last; ties by id in the same direction.
   */
  sort?: SearchSort
  scope?: SearchScope
}

/** searchIds: every hit at once, so there is no page. */
export type SearchIdsOptions = Pick<SearchOptions, 'sort' | 'scope'>

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

/** Why a query could not be run; `params` hold the values its sentence names. */
export type SearchQueryErrorCode =
  /** A quote is never closed. {position, quote} */
  | 'query-unclosed-quote'
  /** after:/before: value is not a date. {field, value} */
  | 'query-bad-date'
  /** after:/before: value looks like a date but is not one (2021-02-30). {field, value} */
  | 'query-impossible-date'
  /** has:/is: with a value it does not know. {field, value, allowed} */
  | 'query-unknown-value'
  /** A field with nothing after the colon. {field, example} */
  | 'query-missing-value'
  /** OR with no term before it or twice in a row {side: 'both'}, or at the end {side: 'right'}. */
  | 'query-or-missing-term'
  /** -term inside an OR. {near} */
  | 'query-excluded-in-or'
  /** category:/tag:/collection: names nothing in this library. {field, value} */
  | 'query-unknown-name'
  /** Only punctuation. {query} */
  | 'query-nothing-to-search'
  /** The full-text engine refused the expression (should not happen). {query} */
  | 'query-unsearchable'

export interface SearchQueryErrorData extends ErrorData {
  code: SearchQueryErrorCode
}

export interface SearchResult {
  /** Number of matching articles (all pages), counted exactly. */
  total: number
  offset: number
  items: SearchHit[]
  /** The sort actually applied. */
  sort: SearchSort
  /** Set when the query could not be understood; total is then 0. English, for the user. */
  error?: string
  /** The same refusal as data (code and params), so the window can say it in its language. */
  queryError?: SearchQueryErrorData
  /** The strings highlighted in the hits (query words and their synonyms). */
  highlightTerms: string[]
}

export interface SearchSynonym {
  a: string
  b: string
  /** 'default' pairs ship with Gleaner; 'user' pairs were added to this library. */
  origin: 'default' | 'user'
}
