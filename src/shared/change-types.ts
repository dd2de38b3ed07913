// The library's changes as they cross process boundaries: every user edit is one recorded
// change (core/changes/), announced to every window as one libraryChanged event, listed by
// history and undone or redone from the log. The same record is what a team library will sync:
// stable ids, an order, an actor.

/** Which front door made a change. */
export const CHANGE_ORIGINS = ['app', 'web', 'cli', 'watch', 'test'] as const
export type ChangeOrigin = (typeof CHANGE_ORIGINS)[number]

/**
 * What a change touched, so each window refreshes only what shows it. Article ids are listed up
 * to a cap; a change touching more sets `list` instead (refresh every shown row).
 */
export interface Touched {
  /** Articles whose own fields changed (title, text, read, starred, tags, category, notes). */
  articleIds: number[]
  /** Set when every id in articleIds got the same read/starred value (patch rows in place). */
  flags?: { read?: boolean; starred?: boolean }
  /** Which articles exist or match a view changed (import, delete, restore, filing, membership). */
  list: boolean
  /** The category tree, tag list or sources changed. */
  filing: boolean
  /** The list of collections (names, counts) changed. */
  collections: boolean
  /** Collections whose items, order or item notes changed. */
  collectionIds: number[]
  /** Articles whose annotations changed (highlights, notes, anchors). */
  annotationArticleIds: number[]
  /**
   * Stories, copy groups or the keyword and entity facets changed (an import, a story's name,
   * follow, split or merge): the Stories and Entities sections and story views refresh.
   */
  stories?: boolean
  /** Feed subscriptions changed (added, removed, edited, polled): the Feeds section refreshes. */
  feeds?: boolean
}

/** Words that make a change's one-line description: what was named, how many. */
export interface ChangeSummary {
  /** How many articles (or items) it touched. */
  count?: number
  /** A tag, category, collection or synonym name, as the user typed or saw it. */
  name?: string
  /** The new name of a rename or the target of a merge. */
  to?: string
  /** An article's title, when the change concerns one article. */
  title?: string
  /** Import counts. */
  imported?: number
  updated?: number
}

/** One change as the log records it and every window hears of it. */
export interface LibraryChange {
  /** Order in this library file (only grows). */
  seq: number
  /** Stable id (UUID), the same wherever the change travels. */
  id: string
  /** The API method (or internal operation) applied: 'addTag', 'deleteArticles', … */
  op: string
  /** Who: this library's user on this device; team libraries will name the member. */
  actor: string
  origin: ChangeOrigin
  /** ISO 8601 UTC. */
  at: string
  touched: Touched
  summary: ChangeSummary
  /** The change can be undone (and is not undone now). */
  undoable: boolean
  /** It stands undone now (an undo reverted it and no redo brought it back). */
  undone?: boolean
  /** Set when this change undid the change with that seq. */
  undoOf?: number
  /** Set when this change redid the change with that seq (it is then undoable again). */
  redoOf?: number
  /** For an undo or redo: the op of the change it undid or redid (for "Undo Add tag"). */
  subjectOp?: string
  /** Heard from another process through the log (the CLI, `gleaner watch`, another app). */
  external?: boolean
}

/** What Undo and Redo would do now, for the Edit menu's labels and the window's buttons. */
export interface UndoState {
  undo: LibraryChange | null
  redo: LibraryChange | null
}

export interface HistoryQuery {
  /** At most this many, newest first (default 50, at most 1000). */
  limit?: number
  /** Only changes older than this seq (paging back). */
  beforeSeq?: number
}
