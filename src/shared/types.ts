// Data shapes that cross process boundaries (main ⇄ preload ⇄ renderer, core ⇄ CLI).
// Plain JSON-serialisable values only: no Node, no DOM, no class instances.
import type { ErrorData } from './errors'
import type { CopyBadge } from './story-types'

/** Why a file did not become an article; stable codes so UIs and scripts can group them. */
export type ImportFailureCode =
  | 'empty'
  | 'too-large'
  | 'binary'
  | 'undecodable'
  | 'unreadable'
  | 'unsupported'
  | 'parse-error'
  | 'no-content'
  | 'internal'
  /** A symbolic link (or a watched path) leading out of the folder being imported. */
  | 'outside-folder'
  /** The run's budget (bytes read, archive entries, inflated bytes) is spent. */
  | 'over-budget'

/**
 * 'in-trash': the article this file (or its bytes, or its text) became is in the trash, so
 * it is not brought back or imported again; restoring it is the user's call.
 */
export type ImportStatus =
  'imported' | 'updated' | 'duplicate' | 'unchanged' | 'in-trash' | 'failed'

export interface ImportFileResult {
  path: string
  status: ImportStatus
  /** One line, specific to this file: what was wrong or why it was skipped. */
  reason?: string
  code?: ImportFailureCode
  articleId?: number
  /** Non-fatal problems, e.g. "date 'Invalid Date' not understood; no date set". */
  warnings?: string[]
}

export interface ImportCounts {
  total: number
  imported: number
  updated: number
  duplicates: number
  unchanged: number
  inTrash: number
  failed: number
}

export interface ImportRunSummary {
  id: number
  startedAt: string
  finishedAt: string | null
  /** The paths the user gave (files or folders). */
  roots: string[]
  counts: ImportCounts
  /** The run stopped before the end: cancelled by the user, or aborted. */
  cancelled: boolean
  /** The process running it died (a crash, a kill); found and marked at a later start. */
  aborted: boolean
}

export interface ImportRun extends ImportRunSummary {
  results: ImportFileResult[]
}

export interface ImportProgress {
  runId: number
  done: number
  /** Files found so far; grows while folders are still being walked. */
  total: number
  currentPath: string
  counts: ImportCounts
  filesPerSecond: number
  finished: boolean
  /** The id the window that started the run gave it (importPaths' opts.clientId), if any. */
  clientId?: string
}

export interface CategoryNode {
  id: number
  name: string
  /** Full path from the root, e.g. ['金融', '新浪财经', '新浪财经－国內']. */
  path: string[]
  /** Articles in this category or any category below it. */
  count: number
  children: CategoryNode[]
}

export interface ArticleSummary {
  id: number
  title: string
  author: string | null
  source: string | null
  /** ISO 8601 UTC, or null when the file had no usable date. */
  publishedAt: string | null
  importedAt: string
  categoryPath: string[]
  snippet: string
  read: boolean
  starred: boolean
  annotationCount: number
  /** In a collection's list: the note on the article's place in that collection. */
  itemNote?: string | null
  /**
   * In search results: the title and a passage with the matches marked (<mark> around
   * HTML-escaped text, nothing else).
   */
  match?: { titleHtml: string; snippetHtml: string }
  /** In a list that collapses copies: the row stands for its copy group, with these others. */
  copies?: CopyBadge
}

export interface ArticleDetail extends ArticleSummary {
  tags: string[]
  editor: string | null
  originalTitle: string | null
  url: string | null
  cleanHtml: string
  cleanText: string
  /** The front matter as parsed (all keys kept). */
  meta: Record<string, unknown>
  cleaningVersion: number
  sourcePath: string | null
  encoding: string
  format: string
}

/** 'position': a manual collection's own order (only with collectionId). */
export type ArticleSort =
  'date-desc' | 'date-asc' | 'title' | 'source' | 'imported-desc' | 'position'

/** Smart views of the library (the left pane's fixed entries). */
export type ArticleView = 'all' | 'unread' | 'starred' | 'annotated' | 'recent' | 'following'

export interface ArticleQuery {
  view?: ArticleView
  /** Articles of this (manual) collection; sort 'position' keeps its order (the default). */
  collectionId?: number
  /** Articles by this source (site or feed name). */
  source?: string
  tag?: string
  /** Category path prefix: articles in it or below it. */
  categoryPath?: string[]
  /** Articles of this story (core/analysis/stories.ts). */
  storyId?: number
  /** Articles naming this entity (any kind). */
  entity?: string
  /** Articles with this keyword. */
  keyword?: string
  /** Articles that arrived from this feed subscription. */
  feedId?: number
  /** One row per copy group (its first report), with a badge counting the others. */
  collapseCopies?: boolean
  sort?: ArticleSort
  offset?: number
  limit?: number
}

export interface ArticlePage {
  total: number
  offset: number
  items: ArticleSummary[]
}

/** An article in the trash (deleted, kept until the trash is emptied). */
export interface TrashedArticle extends ArticleSummary {
  /** When it was deleted (ISO 8601 UTC). */
  deletedAt: string
}

export interface TrashQuery {
  offset?: number
  limit?: number
}

/** The trash, newest deletion first. */
export interface TrashPage {
  total: number
  offset: number
  items: TrashedArticle[]
}

/** What emptying the trash removed for good. */
export interface EmptyTrashResult {
  /** The articles removed, with their highlights, notes and places in collections. */
  ids: number[]
  /** Original files that no article left in the library came from, removed with them. */
  originals: number
  /** Their size in bytes. */
  originalBytes: number
}

export interface LibraryInfo {
  path: string
  articleCount: number
  schemaVersion: number
  /** Where the user's own site rules go (beside the library file). */
  userRulesFile: string
  /**
   * Problems found while opening the library, e.g. a broken user rules file (file:line: message),
   * and what was repaired on the way in (an interrupted restore finished).
   */
  problems: string[]
  /** Set when the library is damaged and open read-only; null while it is sound. */
  damage: LibraryDamage | null
}

/** A backup a damaged library can be restored from. */
export interface BackupEntry {
  path: string
  /** When it was written (ISO 8601). */
  createdAt: string
  bytes: number
}

export interface LibraryDamage {
  /** The `library-corrupt` error, as data (its code and params are what the window translates). */
  error: ErrorData
  /** What SQLite found, in its own words (at most 20). */
  problems: string[]
  /** Backups found in the library's backups folder, newest first. */
  backups: BackupEntry[]
  backupsDir: string
}

export interface RecleanResult {
  total: number
  /** Articles whose clean HTML differs from before. */
  changed: number
  unchanged: number
  failed: { id: number; reason: string }[]
  /** Articles with highlights, whose highlights were re-anchored against the new text. */
  annotated: number[]
  /** Highlights that could not be found again and now wait for the user's review. */
  needsReview: number
  /** Stopped by cancelTask before every article was done (what was done stays done). */
  cancelled: boolean
}

/**
 * Long runs on the library besides imports: re-cleaning, rebuilding the search index, reading
 * copies, keywords and entities of articles analysed by an older version (or none).
 */
export type TaskKind = 'reclean' | 'reindex' | 'analyse' | 'images' | 'poll'

/** A long run's progress (the taskProgress event); cancelTask(taskId) stops it. */
export interface TaskProgress {
  /** This run's id in the process that runs it. */
  taskId: number
  kind: TaskKind
  /** Articles done of the total. */
  done: number
  total: number
  /** The run's last event. */
  finished: boolean
  /** It ended because cancelTask stopped it. */
  cancelled: boolean
  /** The window that started it (its request's clientId), when one did. */
  clientId?: string
}

export interface SourceCount {
  source: string
  count: number
}

export interface TagCount {
  tag: string
  count: number
}

/** A block the cleaner removed, and the rule that removed it (the reader's "show removed"). */
export interface RemovedBlockInfo {
  rule: string
  text: string
  /**
   * Set when the block is a line learned as its source's boilerplate (rule
   * 'source-boilerplate'): the source, where the line sits, its id there, and how many of the
   * source's articles it was seen in. setSourceBoilerplate(source, edge, hash, false) keeps it.
   */
  source?: string
  edge?: 'head' | 'tail'
  hash?: string
  repeats?: number
}

/** A line learned as a source's boilerplate (it repeats at the head or tail of its articles). */
export interface SourceBoilerplateLine {
  source: string
  edge: 'head' | 'tail'
  hash: string
  text: string
  /** Articles of the source it was seen in (of different bodies, up to a few; then all). */
  articles: number
  /** Taken out of the source's articles; false once the user kept it for the source. */
  on: boolean
}

/** What the article was made from: the original file's text and the cleaning report. */
export interface ArticleSource {
  id: number
  /** The original file decoded as text (for "original" view); null when it is not text. */
  originalText: string | null
  encoding: string
  sourcePath: string | null
  removed: RemovedBlockInfo[]
}

/** A file that did not import, from any run (the "Import problems" view). */
export interface ImportProblem {
  runId: number
  at: string
  path: string
  code: ImportFailureCode | null
  reason: string
}

/** The backups the app and the web preview make while open (the library's own setting). */
export interface BackupSettings {
  enabled: boolean
  /** Hours between backups (1 to a year). */
  everyHours: number
  /** Scheduled backups kept; older ones are removed (1 to 1000). */
  keep: number
}

/** The schedule, and what is on disk: for the window's Backups dialog. */
export interface BackupStatus {
  settings: BackupSettings
  /** The folder backups go to, beside the library. */
  folder: string
  /** ISO time of the newest backup (scheduled or made by hand); null when there is none. */
  latest: string | null
  /** Backups in the folder, scheduled and made by hand. */
  count: number
}
