// The one API contract. Main implements it over the core (src/core/service.ts);
// ipc.ts binds it; preload exposes it as window.gleaner; the renderer, the CLI, the web
// preview and the tests all drive that same implementation.
import type {
  CollectionItem,
  CollectionSummary,
  DeletedCollection,
  ExportFormat,
  ExportLocale,
  ExportResult
} from './export-types'
import type {
  Annotation,
  AnnotationPage,
  AnnotationPatch,
  AnnotationQuery,
  NewAnnotation
} from './annotation-types'
import type { SearchIdsOptions, SearchOptions, SearchResult, SearchSynonym } from './search-types'
import type { DeletedCategory } from './taxonomy-types'
import type { HistoryQuery, LibraryChange, UndoState } from './change-types'
import type {
  ArticleDetail,
  ArticlePage,
  ArticleSource,
  ImportProblem,
  ArticleQuery,
  CategoryNode,
  EmptyTrashResult,
  ImportProgress,
  ImportRun,
  ImportRunSummary,
  LibraryInfo,
  RecleanResult,
  SourceCount,
  TagCount,
  TaskProgress,
  TrashPage,
  TrashQuery
} from './types'

export interface GleanerApi {
  libraryInfo(): Promise<LibraryInfo>
  /** Import files and folders (recursive). Resolves when the run ends; progress arrives as events. */
  importPaths(paths: string[], opts?: ImportRequestOptions): Promise<ImportRun>
  cancelImport(runId: number): Promise<void>
  listImportRuns(limit: number): Promise<ImportRunSummary[]>
  getImportRun(runId: number): Promise<ImportRun | null>
  categories(): Promise<CategoryNode[]>
  /** Sources (sites, feeds) with article counts, most first. */
  sources(): Promise<SourceCount[]>
  tags(): Promise<TagCount[]>
  /** Renames a category (its path and every path below follow); returns the new path. */
  renameCategory(id: number, name: string): Promise<string[]>
  /** Deletes a category and all below it (articles keep no category); restoreCategory undoes it. */
  deleteCategory(id: number): Promise<DeletedCategory>
  /** Puts a deleted category branch back; returns its path. */
  restoreCategory(snapshot: DeletedCategory): Promise<string[]>
  /** Moves a category's articles and sub-categories into another (same names merge); returns the target path. */
  mergeCategory(sourceId: number, targetId: number): Promise<string[]>
  /** Tags articles; returns the ids that did not have the tag. */
  addTag(articleIds: number[], tag: string): Promise<number[]>
  /** Untags articles; returns the ids that had the tag. */
  removeTag(articleIds: number[], tag: string): Promise<number[]>
  /** Renames a tag everywhere (onto an existing tag: merges them). */
  renameTag(from: string, to: string): Promise<void>
  /** Removes a tag from every article; returns their ids (addTag undoes it). */
  deleteTag(tag: string): Promise<number[]>
  listArticles(query: ArticleQuery): Promise<ArticlePage>
  getArticle(id: number): Promise<ArticleDetail | null>
  /** `auto`: marked read by opening it; announced like any change but not put on the undo stack. */
  setRead(ids: number[], read: boolean, opts?: { auto?: boolean }): Promise<void>
  setStarred(ids: number[], starred: boolean): Promise<void>
  /** Moves articles out of the library; returns the ids deleted, for undo with restoreArticles. */
  deleteArticles(ids: number[]): Promise<number[]>
  restoreArticles(ids: number[]): Promise<number[]>
  /** Articles in the trash, newest deletion first. */
  listTrash(query: TrashQuery): Promise<TrashPage>
  /**
   * Removes articles in the trash for good (null: every one), with their highlights, notes,
   * places in collections and the original files no other article came from. Cannot be
   * undone; logged and announced like every change.
   */
  emptyTrash(ids: number[] | null): Promise<EmptyTrashResult>
  /** The original file's text and what the cleaner removed (reader toggles). */
  getArticleSource(id: number): Promise<ArticleSource | null>
  /** Files that failed to import, newest run first. */
  listImportProblems(limit: number): Promise<ImportProblem[]>

  /** An article's annotations in text order (article notes last). */
  listAnnotations(articleId: number): Promise<Annotation[]>
  /** Every annotation whose anchor needs the user's review after the text changed. */
  listAnnotationsNeedingReview(): Promise<Annotation[]>
  /**
   * Annotations across the library (All notes & highlights, the review list): one page of those
   * matching the filters, each with its article's title, source and date, and the true total.
   */
  listAllAnnotations(query: AnnotationQuery): Promise<AnnotationPage>
  /** Tags used on annotations, with how many annotations carry each, most first. */
  annotationTags(): Promise<TagCount[]>
  createAnnotation(a: NewAnnotation): Promise<Annotation>
  updateAnnotation(id: number, patch: AnnotationPatch): Promise<Annotation>
  /** Returns the deleted annotation, for undo with restoreAnnotation. */
  deleteAnnotation(id: number): Promise<Annotation>
  restoreAnnotation(a: Annotation): Promise<Annotation>
  /** Re-attaches a needs-review annotation to [start, end) of the current clean text. */
  reattachAnnotation(id: number, start: number, end: number): Promise<Annotation>
  /** Accepts where a fuzzy re-anchor put a highlight (it is shown as exact from then on). */
  confirmAnnotation(id: number): Promise<Annotation>

  /** Articles cleaned by an older cleaner version than this one. */
  recleanNeeded(): Promise<number>
  /**
   * Rebuilds articles from their kept originals: the given ids, or every outdated one (all:
   * every one). Resolves when the run ends; progress arrives as taskProgress events (kind
   * 'reclean'), and cancelTask stops it between batches.
   */
  reclean(ids: number[] | null, all: boolean, opts?: TaskRequestOptions): Promise<RecleanResult>
  /** Stops a re-clean or search-index rebuild of this process (see taskProgress). */
  cancelTask(taskId: number): Promise<void>

  /** Full-text search with the query language (words, "phrases", -exclude, OR, filters). */
  search(query: string, opts: SearchOptions): Promise<SearchResult>
  /**
   * Every hit's id in the order search() pages through them (for acting on all hits). More
   * than 100,000 hits is refused ('search-too-many-hits', with the total); a query that
   * cannot run is refused with its 'query-…' code.
   */
  searchIds(query: string, opts: SearchIdsOptions): Promise<number[]>
  listSynonyms(): Promise<SearchSynonym[]>
  addSynonym(a: string, b: string): Promise<void>
  /** Removes a synonym pair this library added (shipped pairs stay); returns whether it was there. */
  removeSynonym(a: string, b: string): Promise<boolean>

  listCollections(): Promise<CollectionSummary[]>
  /**
   * query non-null makes a smart collection (a saved search); articleIds start a manual one
   * with those articles (one change: picked articles gathered into a new collection).
   */
  createCollection(
    name: string,
    query: string | null,
    articleIds?: number[]
  ): Promise<CollectionSummary>
  renameCollection(id: number, name: string): Promise<CollectionSummary>
  /** Returns what was removed, for undo with restoreCollection. */
  deleteCollection(id: number): Promise<DeletedCollection>
  restoreCollection(snapshot: DeletedCollection): Promise<CollectionSummary>
  collectionItems(id: number): Promise<CollectionItem[]>
  addToCollection(
    id: number,
    articleIds: number[]
  ): Promise<{ added: number[]; alreadyPresent: number[] }>
  removeFromCollection(id: number, articleIds: number[]): Promise<number>
  /** Moves an article to just before another (null: to the end). */
  moveInCollection(id: number, articleId: number, beforeArticleId: number | null): Promise<void>
  setCollectionItemNote(id: number, articleId: number, note: string | null): Promise<void>

  /** Undoes the last undoable change made in this library by its user; null when none. */
  undo(): Promise<LibraryChange | null>
  /** Redoes the last undone change; null when none (a new edit ends the redo stack). */
  redo(): Promise<LibraryChange | null>
  /** What Undo and Redo would do now (for the Edit menu's labels). */
  undoState(): Promise<UndoState>
  /** The change log, newest first. */
  history(query: HistoryQuery): Promise<LibraryChange[]>

  /** Exports a collection, a selection or a search result to a file (a folder for Markdown). */
  exportArticles(request: ExportRequest): Promise<ExportResult>
}

export interface ImportRequestOptions {
  /**
   * Set by a window on the runs it starts: their progress events carry it, so each window
   * follows (and cancels) its own runs, never another window's.
   */
  clientId?: string
}

/** Set by a window on the long runs it starts: their progress events carry it back. */
export interface TaskRequestOptions {
  clientId?: string
}

export interface ExportRequest {
  /**
   * annotationIds: those annotations alone, under their articles' titles, without the articles'
   * text; annotationQuery: likewise every annotation listAllAnnotations finds (the notes view's
   * filtered list; offset and limit do not apply).
   */
  source:
    | { collectionId: number }
    | { articleIds: number[] }
    | { query: string }
    | { annotationIds: number[] }
    | { annotationQuery: AnnotationQuery }
  format: ExportFormat
  /** A file whose extension fits the format; for Markdown a folder, or a .md file. */
  outPath: string
  title?: string
  /**
   * Replace an existing file (or write into a folder that is not empty). Without it the export
   * is refused with code `file-exists` (params.path), so the window can ask first.
   */
  overwrite?: boolean
  /** The language of the export's headings and labels; en by default. */
  locale?: ExportLocale
}

export type ApiMethod = keyof GleanerApi

/** Method names as data, for binders that must refuse anything else. */
export const API_METHODS = [
  'libraryInfo',
  'importPaths',
  'cancelImport',
  'listImportRuns',
  'getImportRun',
  'categories',
  'sources',
  'tags',
  'renameCategory',
  'deleteCategory',
  'restoreCategory',
  'mergeCategory',
  'addTag',
  'removeTag',
  'renameTag',
  'deleteTag',
  'listArticles',
  'getArticle',
  'setRead',
  'setStarred',
  'deleteArticles',
  'restoreArticles',
  'listTrash',
  'emptyTrash',
  'getArticleSource',
  'listImportProblems',
  'listAnnotations',
  'listAnnotationsNeedingReview',
  'listAllAnnotations',
  'annotationTags',
  'createAnnotation',
  'updateAnnotation',
  'deleteAnnotation',
  'restoreAnnotation',
  'reattachAnnotation',
  'confirmAnnotation',
  'recleanNeeded',
  'reclean',
  'cancelTask',
  'search',
  'searchIds',
  'listSynonyms',
  'addSynonym',
  'removeSynonym',
  'listCollections',
  'createCollection',
  'renameCollection',
  'deleteCollection',
  'restoreCollection',
  'collectionItems',
  'addToCollection',
  'removeFromCollection',
  'moveInCollection',
  'setCollectionItemNote',
  'undo',
  'redo',
  'undoState',
  'history',
  'exportArticles'
] as const satisfies readonly ApiMethod[]

// Compile-time check that API_METHODS names every method exactly.
type Missing = Exclude<ApiMethod, (typeof API_METHODS)[number]>
const _allListed: Missing extends never ? true : Missing = true
void _allListed

/**
 * What the application menu asks the window to do. Each runs the same handler as the window's
 * own keys and buttons; the menu only adds a way to reach it (and its accelerator).
 */
export const MENU_COMMANDS = [
  'find',
  'nextArticle',
  'previousArticle',
  'openArticle',
  'toggleRead',
  'toggleStar',
  'deleteArticles',
  'toggleOriginal',
  'textLarger',
  'textSmaller',
  'textReset',
  'import',
  'export',
  'undo',
  'redo',
  'reclean'
] as const
export type MenuCommand = (typeof MENU_COMMANDS)[number]

/** The menuCommand event; `import` carries the paths picked in the native dialog, if any. */
export type MenuCommandEvent =
  { command: Exclude<MenuCommand, 'import'> } | { command: 'import'; paths?: string[] }

export interface GleanerEvents {
  importProgress: ImportProgress
  /** A re-clean's or search-index rebuild's progress (every window hears it; clientId says whose). */
  taskProgress: TaskProgress
  /**
   * One change to the library, from this window, another window, or another process (the CLI,
   * `gleaner watch`): what it touched says what to refresh (see change-types.ts).
   */
  libraryChanged: LibraryChange
  /** Sent by the Electron shell's menu only; the core, the web preview and tests never emit it. */
  menuCommand: MenuCommandEvent
}

export type EventName = keyof GleanerEvents
export const EVENT_NAMES = [
  'importProgress',
  'taskProgress',
  'libraryChanged',
  'menuCommand'
] as const satisfies readonly EventName[]

export type Unsubscribe = () => void

/** What the preload exposes on window.gleaner (and the web/test bridges define the same way). */
export interface GleanerBridge {
  api: GleanerApi
  on<E extends EventName>(event: E, listener: (payload: GleanerEvents[E]) => void): Unsubscribe
  /**
   * The path of a dropped File, granted to the window: in Electron, preload reads it
   * (webUtils.getPathForFile) and main records it as one the window may import (the API takes
   * no other paths from the window, see src/host/path-access.ts); null where a browser cannot
   * tell a dropped file's path.
   */
  pathForFile(file: File): Promise<string | null>
  /**
   * The address, on the page's own origin, that fetches one of an article's remote images
   * through the core (src/shared/remote-image-route.ts): the page's CSP refuses remote images
   * themselves, so this is the only way one is shown, once the user allowed it.
   */
  remoteImageUrl(articleId: number, url: string): string
  /**
   * The OS save dialog (a folder picker when `folder`); resolves to the chosen absolute path
   * (granted to the window for exportArticles' outPath), or null when cancelled. Only the
   * Electron shell has it: the web preview and test bridges leave it out, and the UI then
   * offers no button for it.
   */
  chooseSavePath?: (request: SavePathRequest) => Promise<string | null>
  /**
   * The window's language, for the shell's menu and native dialogs (they start in the OS
   * language). Only the Electron shell has it; other bridges leave it out.
   */
  setShellLanguage?: (locale: 'en' | 'zh') => void
}

/** What the renderer may ask of the native save dialog: a name and file types, never a folder. */
export interface SavePathRequest {
  /** A file (or folder) name without any directory part; the dialog opens in Documents. */
  defaultName: string
  /** Pick a folder (Markdown exports write one) instead of a file. */
  folder: boolean
  filters: { name: string; extensions: string[] }[]
}

export const IPC_INVOKE_CHANNEL = 'gleaner:invoke'
export const IPC_EVENT_CHANNEL = 'gleaner:event'
/** The native save dialog (GleanerBridge.chooseSavePath), apart from the API: it is shell UI. */
export const IPC_SAVE_PATH_CHANNEL = 'gleaner:choose-save-path'
/** A dropped file's path, sent by preload only, granted by main (GleanerBridge.pathForFile). */
export const IPC_GRANT_DROPPED_CHANNEL = 'gleaner:grant-dropped-path'
/** The shell's language (GleanerBridge.setShellLanguage), apart from the API: it is shell UI. */
export const IPC_SHELL_LANGUAGE_CHANNEL = 'gleaner:shell-language'
