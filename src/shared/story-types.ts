// Chinese-news intelligence as it crosses process boundaries: copies (near-duplicates of one
// wire story republished by many outlets), stories (articles about one event, clustered over
// time) and the keywords and named entities read from each article (core/analysis/).

/** Named entities Gleaner reads from text. */
export const ENTITY_KINDS = ['person', 'org', 'place'] as const
export type EntityKind = (typeof ENTITY_KINDS)[number]
/** A term kept for an article: one of its keywords, or a named entity of one kind. */
export type TermKind = EntityKind | 'keyword'

/** On a list row that stands for a copy group (the list collapses copies): the others. */
export interface CopyBadge {
  /** Other articles in the group (the row itself not counted). */
  count: number
  /** Distinct outlets in the whole group (source, or the credited outlet when none). */
  outlets: number
}

/** One paragraph of a copy set against the first report's. */
export interface ParagraphDiff {
  kind: 'same' | 'added' | 'removed'
  text: string
}

export interface CopyMember {
  id: number
  title: string
  /** The site or feed it came from. */
  source: string | null
  /** The outlet the article credits (来源：新华社, 据…报道, 新华社北京7月26日电), if any. */
  outlet: string | null
  publishedAt: string | null
  importedAt: string
  /** The first report of the group: earliest date, then earliest import. */
  first: boolean
  /** How much of the shorter text the two share (0–1), against the first report. */
  similarity: number
  /** Paragraphs against the first report's (empty for the first report itself). */
  diff: ParagraphDiff[]
}

/** An article's copy group: who published first and every copy, oldest first. */
export interface ArticleCopies {
  groupId: number
  /** Credited origin of the story: the outlet most members credit, or the first report's source. */
  origin: string | null
  members: CopyMember[]
}

export interface ArticleTerm {
  kind: TermKind
  term: string
}

/** What the reader shows under an article's title. */
export interface ArticleInsight {
  keywords: string[]
  entities: ArticleTerm[]
  /** The article's story (with at least two articles), if any. */
  story: { id: number; name: string } | null
  /** Other articles in its copy group (0: none). */
  copyCount: number
}

/** A term with how many live articles carry it (facets in the left pane). */
export interface TermCount {
  kind: TermKind
  term: string
  count: number
}

export interface StorySummary {
  id: number
  /** The user's name for it, else one made from its first report's title. */
  name: string
  /** The user renamed it (the name survives re-clustering). */
  named: boolean
  followed: boolean
  articleCount: number
  outletCount: number
  /** Dates of its first and last article (ISO 8601), null when no article has a date. */
  firstAt: string | null
  lastAt: string | null
  /** Its first report (earliest date). */
  firstArticleId: number
  /** The entities most of its articles name, most first (at most 6). */
  entities: ArticleTerm[]
}

export interface StoryQuery {
  /** Only followed stories. */
  followed?: boolean
  /** Stories with at least this many articles (default 2). */
  minArticles?: number
  offset?: number
  limit?: number
}

export interface StoryPage {
  total: number
  offset: number
  items: StorySummary[]
}

/** One article on a story's timeline. */
export interface StoryEntry {
  articleId: number
  title: string
  source: string | null
  outlet: string | null
  publishedAt: string | null
  /** Copies of it (its copy group's other members) are folded into this entry. */
  copyCount: number
  /** The user put it in this story (split or merge): re-clustering leaves it there. */
  pinned: boolean
}

export interface StoryDetail extends StorySummary {
  /** Oldest first. */
  timeline: StoryEntry[]
  keywords: string[]
}
