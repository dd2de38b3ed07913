// Annotation shapes shared by the core, the API, the renderer and the CLI.
// The model follows the W3C Web Annotation Data Model (https://www.w3.org/TR/annotation-model/):
// a highlight targets an article's clean text (articles.clean_text) through two selectors.

export const ANNOTATION_COLORS = ['yellow', 'green', 'blue', 'pink', 'purple'] as const
export type AnnotationColor = (typeof ANNOTATION_COLORS)[number]
export const DEFAULT_ANNOTATION_COLOR: AnnotationColor = 'yellow'

/**
 * anchored: the highlight sits on exactly the text the user selected.
 * fuzzy: re-anchored after the clean text changed, onto text that differs a little from the
 *   original quote (the UI may ask the user to confirm).
 * needs-review: the passage could not be found with enough confidence; the selectors still
 *   describe the text as it was, and the highlight is not shown in the text until reattached.
 */
export type AnchorStatus = 'anchored' | 'fuzzy' | 'needs-review'
export const ANCHOR_STATUSES = [
  'anchored',
  'fuzzy',
  'needs-review'
] as const satisfies readonly AnchorStatus[]

/** The quoted text with ~32 characters of context on each side. */
export interface TextQuoteSelector {
  type: 'TextQuoteSelector'
  exact: string
  prefix: string
  suffix: string
}

/**
 * Offsets into articles.clean_text in UTF-16 code units (JavaScript string indices), end
 * exclusive. The W3C model leaves the unit open; UTF-16 matches the DOM and Hypothesis. Every
 * BMP character, which includes all common CJK, is one unit, so CJK ranges are exact to the
 * character; astral characters (emoji, CJK extension B) count as two.
 */
export interface TextPositionSelector {
  type: 'TextPositionSelector'
  start: number
  end: number
}

/**
 * Gleaner's own addition, outside the W3C model (never exported as a W3C selector): up to ~128
 * characters on each side of the quote, a superset of the quote selector's 32-character
 * prefix/suffix. It is used only to check a re-anchor that moved or changed: articles repeat
 * lines (a summary quoting the body, templated "确诊病例2/3：…" paragraphs), and 32 characters
 * of context are often identical around two such copies. Optional: selectors written before it
 * existed, or by other programs, anchor on the quote selector alone.
 */
export interface ExtendedContext {
  type: 'GleanerContextSelector'
  prefix: string
  suffix: string
}

export interface Selectors {
  quote: TextQuoteSelector
  position: TextPositionSelector
  context?: ExtendedContext
}

/** A highlight (selectors set) or an article-level note (selectors null). */
export interface Annotation {
  id: number
  articleId: number
  selectors: Selectors | null
  /** The highlighted text (selectors.quote.exact), null for article notes. */
  exact: string | null
  color: AnnotationColor | null
  /** Plain text; '' when none. */
  note: string
  tags: string[]
  /** The articles.cleaning_version the selectors describe; null for article notes. */
  cleaningVersion: number | null
  anchorStatus: AnchorStatus
  createdAt: string
  updatedAt: string
  /** In a team library: the member (PostgreSQL role) who made it. Absent in a personal library. */
  author?: string
  /**
   * In a team library: two members edited the note at once and both texts were kept in it
   * (core/team/protocol.ts); the member resolves it by editing the note.
   */
  conflict?: boolean
}

/** A highlight over [start, end) of the article's current clean text. */
export interface NewHighlight {
  articleId: number
  start: number
  end: number
  color?: AnnotationColor
  note?: string
  tags?: string[]
}

/** A note on the article as a whole. */
export interface NewArticleNote {
  articleId: number
  note: string
  tags?: string[]
}

export type NewAnnotation = NewHighlight | NewArticleNote

export interface AnnotationPatch {
  note?: string
  color?: AnnotationColor
  tags?: string[]
}

export type AnchorMethod = 'position' | 'quote' | 'fuzzy'

export type AnchorResult =
  | {
      start: number
      end: number
      method: AnchorMethod
      /** 0..1: how well quote, context and position agree (1 = all exact). */
      confidence: number
    }
  | {
      method: 'failed'
      reason: 'empty-quote' | 'not-found' | 'low-confidence' | 'ambiguous'
      confidence: number
      /** The best place found, below the threshold: a suggestion to show, never applied. */
      candidate?: { start: number; end: number }
    }

/** What reanchorArticle did, by outcome. */
export interface ReanchorCounts {
  total: number
  /** Same text at the same place. */
  unchanged: number
  /** Same text, found elsewhere (the text around it changed). */
  moved: number
  fuzzy: number
  needsReview: number
}

/** Orders of the library-wide list of annotations (All notes & highlights, the review list). */
export const ANNOTATION_SORTS = ['newest', 'oldest', 'article'] as const
export type AnnotationSort = (typeof ANNOTATION_SORTS)[number]

/** The most annotations one page of listAllAnnotations returns. */
export const MAX_ANNOTATION_PAGE = 1000

/** Which annotations across the library to list (every filter optional; all must hold). */
export interface AnnotationQuery {
  /** Highlights of any of these colours (article notes have none and drop out). */
  colors?: AnnotationColor[]
  /** Carrying this tag (the annotation's own tags). */
  tag?: string
  /** On articles of this collection (manual or smart). */
  collectionId?: number
  /** Created at or after this instant (ISO 8601). */
  from?: string
  /** Created before this instant (ISO 8601). */
  to?: string
  /** In the highlighted text or the note (case-insensitive for Latin letters). */
  text?: string
  status?: AnchorStatus
  /** newest (default): newest first; oldest; article: by article (newest article first), in text order. */
  sort?: AnnotationSort
  offset?: number
  /** Default 100, at most MAX_ANNOTATION_PAGE. */
  limit?: number
}

/** An annotation in the library-wide list, with what to show and cite of its article. */
export interface AnnotationListItem extends Annotation {
  article: { title: string; source: string | null; publishedAt: string | null }
}

export interface AnnotationPage {
  /** Annotations matching the query (on articles in the library, not in the trash). */
  total: number
  offset: number
  items: AnnotationListItem[]
}
