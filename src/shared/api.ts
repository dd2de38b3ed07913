// The one API contract: a table of every method with the schema of its arguments and the type
// of its result. The GleanerApi type, the method list and the checks on calls from outside
// (validate.ts: IPC from the window, the web preview's HTTP) all come from this table.
// Main implements it over the core (src/core/service.ts); ipc.ts binds it; preload exposes it
// as window.gleaner; the renderer, the CLI, the web preview and the tests all drive that same
// implementation.
import { z } from 'zod/mini'
import * as s from './api-schemas'
import type {
  CollectionItem,
  CollectionSummary,
  DeletedCollection,
  ExportResult
} from './export-types'
import type { Annotation, AnnotationPage } from './annotation-types'
import type { SearchResult, SearchSynonym } from './search-types'
import type { DeletedCategory } from './taxonomy-types'
import type {
  ClipperClient,
  ClipperPairing,
  FeedPollResult,
  FeedSummary,
  OpmlImportResult,
  RemoteImagePolicy,
  RemovedFeed
} from './capture-types'
import type { LibraryChange, UndoState } from './change-types'
import type { TeamMember, TeamStatus, TeamSyncReport } from './team-types'
import type {
  ArticleCopies,
  ArticleInsight,
  StoryDetail,
  StoryPage,
  StorySummary,
  TermCount
} from './story-types'
import type {
  ArticleDetail,
  ArticlePage,
  ArticleSource,
  SourceBoilerplateLine,
  BackupStatus,
  ImportProblem,
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
  TrashPage
} from './types'

/** What a method's table entry says of its result (a type only: results come from our core). */
declare const RESULT: unique symbol
interface Returns<R> {
  readonly [RESULT]?: R
}
const returns = <R>(): Returns<R> => ({})

type Param = readonly [name: string, schema: z.ZodMiniType]
type Schemas<P extends readonly Param[]> = { -readonly [K in keyof P]: P[K][1] }

export interface MethodSpec<A extends z.ZodMiniType<unknown[]>, R> {
  /** The arguments, as one tuple schema (optional trailing arguments may be left out). */
  args: A
  /** The arguments' names, for error messages: `importPaths: paths[0] must be …`. */
  names: readonly string[]
  result: Returns<R>
}

/** One method: its named arguments in order, and the type its promise resolves to. */
function method<const P extends readonly Param[], R>(
  params: P,
  result: Returns<R>
): MethodSpec<z.ZodMiniTuple<Schemas<P>, null>, R> {
  const schemas = params.map(([, schema]) => schema)
  return {
    args: z.tuple(schemas as [z.ZodMiniType]) as unknown as z.ZodMiniTuple<Schemas<P>, null>,
    names: params.map(([name]) => name),
    result
  }
}

export const API = {
  libraryInfo: method([], returns<LibraryInfo>()),
  /** Import files and folders (recursive). Resolves when the run ends; progress arrives as events. */
  importPaths: method(
    [
      ['paths', s.importPathList],
      ['options', z.optional(s.clientOptions)]
    ],
    returns<ImportRun>()
  ),
  cancelImport: method([['runId', s.id]], returns<void>()),
  listImportRuns: method([['limit', s.id]], returns<ImportRunSummary[]>()),
  getImportRun: method([['runId', s.id]], returns<ImportRun | null>()),
  categories: method([], returns<CategoryNode[]>()),
  /** Sources (sites, feeds) with article counts, most first. */
  sources: method([], returns<SourceCount[]>()),
  tags: method([], returns<TagCount[]>()),
  /** Renames a category (its path and every path below follow); returns the new path. */
  renameCategory: method(
    [
      ['id', s.id],
      ['name', s.name]
    ],
    returns<string[]>()
  ),
  /** Deletes a category and all below it (articles keep no category); restoreCategory undoes it. */
  deleteCategory: method([['id', s.id]], returns<DeletedCategory>()),
  /** Puts a deleted category branch back; returns its path. */
  restoreCategory: method([['snapshot', s.deletedCategory]], returns<string[]>()),
  /** Moves a category's articles and sub-categories into another (same names merge); returns the target path. */
  mergeCategory: method(
    [
      ['sourceId', s.id],
      ['targetId', s.id]
    ],
    returns<string[]>()
  ),
  /** Tags articles; returns the ids that did not have the tag. */
  addTag: method(
    [
      ['articleIds', s.ids],
      ['tag', s.name]
    ],
    returns<number[]>()
  ),
  /** Untags articles; returns the ids that had the tag. */
  removeTag: method(
    [
      ['articleIds', s.ids],
      ['tag', s.name]
    ],
    returns<number[]>()
  ),
  /** Renames a tag everywhere (onto an existing tag: merges them). */
  renameTag: method(
    [
      ['from', s.name],
      ['to', s.name]
    ],
    returns<void>()
  ),
  /** Removes a tag from every article; returns their ids (addTag undoes it). */
  deleteTag: method([['tag', s.name]], returns<number[]>()),
  listArticles: method([['query', s.articleQuery]], returns<ArticlePage>()),
  getArticle: method([['id', s.id]], returns<ArticleDetail | null>()),
  /** `auto`: marked read by opening it; announced like any change but not put on the undo stack. */
  setRead: method(
    [
      ['ids', s.ids],
      ['read', s.bool],
      ['options', z.optional(s.readOptions)]
    ],
    returns<void>()
  ),
  setStarred: method(
    [
      ['ids', s.ids],
      ['starred', s.bool]
    ],
    returns<void>()
  ),
  /** Moves articles out of the library; returns the ids deleted, for undo with restoreArticles. */
  deleteArticles: method([['ids', s.ids]], returns<number[]>()),
  restoreArticles: method([['ids', s.ids]], returns<number[]>()),
  /** Articles in the trash, newest deletion first. */
  listTrash: method([['query', s.trashQuery]], returns<TrashPage>()),
  /**
   * Removes articles in the trash for good (null: every one), with their highlights, notes,
   * places in collections and the original files no other article came from. Cannot be
   * undone; logged and announced like every change.
   */
  emptyTrash: method([['ids', z.nullable(s.ids)]], returns<EmptyTrashResult>()),
  /** The original file's text and what the cleaner removed (reader toggles). */
  getArticleSource: method([['id', s.id]], returns<ArticleSource | null>()),
  /** Files that failed to import, newest run first. */
  listImportProblems: method([['limit', s.id]], returns<ImportProblem[]>()),

  /** An article's annotations in text order (article notes last). */
  listAnnotations: method([['articleId', s.id]], returns<Annotation[]>()),
  /** Every annotation whose anchor needs the user's review after the text changed. */
  listAnnotationsNeedingReview: method([], returns<Annotation[]>()),
  /**
   * Annotations across the library (All notes & highlights, the review list): one page of those
   * matching the filters, each with its article's title, source and date, and the true total.
   */
  listAllAnnotations: method([['query', s.annotationQuery]], returns<AnnotationPage>()),
  /** Tags used on annotations, with how many annotations carry each, most first. */
  annotationTags: method([], returns<TagCount[]>()),
  createAnnotation: method([['annotation', s.newAnnotation]], returns<Annotation>()),
  updateAnnotation: method(
    [
      ['id', s.id],
      ['patch', s.annotationPatch]
    ],
    returns<Annotation>()
  ),
  /** Returns the deleted annotation, for undo with restoreAnnotation. */
  deleteAnnotation: method([['id', s.id]], returns<Annotation>()),
  restoreAnnotation: method([['annotation', s.annotationSnapshot]], returns<Annotation>()),
  /** Re-attaches a needs-review annotation to [start, end) of the current clean text. */
  reattachAnnotation: method(
    [
      ['id', s.id],
      ['start', s.whole],
      ['end', s.whole]
    ],
    returns<Annotation>()
  ),
  /** Accepts where a fuzzy re-anchor put a highlight (it is shown as exact from then on). */
  confirmAnnotation: method([['id', s.id]], returns<Annotation>()),

  /** Articles cleaned by an older cleaner version than this one. */
  recleanNeeded: method([], returns<number>()),
  /**
   * Rebuilds articles from their kept originals: the given ids, or every outdated one (all:
   * every one). Resolves when the run ends; progress arrives as taskProgress events (kind
   * 'reclean'), and cancelTask stops it between batches.
   */
  reclean: method(
    [
      ['ids', z.nullable(s.ids)],
      ['all', s.bool],
      ['options', z.optional(s.clientOptions)]
    ],
    returns<RecleanResult>()
  ),
  /** Stops a re-clean or search-index rebuild of this process (see taskProgress). */
  cancelTask: method([['taskId', s.id]], returns<void>()),

  /** Full-text search with the query language (words, "phrases", -exclude, OR, filters). */
  search: method(
    [
      ['query', s.searchQuery],
      ['options', s.searchOptions]
    ],
    returns<SearchResult>()
  ),
  /**
   * Every hit's id in the order search() pages through them (for acting on all hits). More
   * than 100,000 hits is refused ('search-too-many-hits', with the total); a query that
   * cannot run is refused with its 'query-…' code.
   */
  searchIds: method(
    [
      ['query', s.searchQuery],
      ['options', s.searchIdsOptions]
    ],
    returns<number[]>()
  ),
  /** The backup schedule the app and the web preview follow while open, and what is on disk. */
  backupStatus: method([], returns<BackupStatus>()),
  /** Changes the schedule (a setting, not an edit of the library's articles: no undo). */
  setBackupSettings: method([['settings', s.backupSettings]], returns<BackupStatus>()),
  /** Lines learned as sources' boilerplate (one source's, or every source's), switched on or off. */
  sourceBoilerplate: method([['source', z.nullable(s.name)]], returns<SourceBoilerplateLine[]>()),
  /**
   * Switches a learned line off for its source (its text stays in the source's articles, which
   * are re-cleaned as a 'reclean' task) or on again. Undoable.
   */
  setSourceBoilerplate: method(
    [
      ['source', s.name],
      ['edge', s.lineEdge],
      ['hash', s.lineHash],
      ['on', s.bool]
    ],
    returns<void>()
  ),
  listSynonyms: method([], returns<SearchSynonym[]>()),
  addSynonym: method(
    [
      ['a', s.name],
      ['b', s.name]
    ],
    returns<void>()
  ),
  /** Removes a synonym pair this library added (shipped pairs stay); returns whether it was there. */
  removeSynonym: method(
    [
      ['a', s.name],
      ['b', s.name]
    ],
    returns<boolean>()
  ),

  listCollections: method([], returns<CollectionSummary[]>()),
  /**
   * query non-null makes a smart collection (a saved search); articleIds start a manual one
   * with those articles (one change: picked articles gathered into a new collection).
   */
  createCollection: method(
    [
      ['name', s.name],
      ['query', z.nullable(s.text())],
      ['articleIds', z.optional(s.ids)]
    ],
    returns<CollectionSummary>()
  ),
  renameCollection: method(
    [
      ['id', s.id],
      ['name', s.name]
    ],
    returns<CollectionSummary>()
  ),
  /** Returns what was removed, for undo with restoreCollection. */
  deleteCollection: method([['id', s.id]], returns<DeletedCollection>()),
  restoreCollection: method([['snapshot', s.deletedCollection]], returns<CollectionSummary>()),
  collectionItems: method([['id', s.id]], returns<CollectionItem[]>()),
  addToCollection: method(
    [
      ['id', s.id],
      ['articleIds', s.ids]
    ],
    returns<{ added: number[]; alreadyPresent: number[] }>()
  ),
  removeFromCollection: method(
    [
      ['id', s.id],
      ['articleIds', s.ids]
    ],
    returns<number>()
  ),
  /** Moves an article to just before another (null: to the end). */
  moveInCollection: method(
    [
      ['id', s.id],
      ['articleId', s.id],
      ['beforeArticleId', z.nullable(s.id)]
    ],
    returns<void>()
  ),
  setCollectionItemNote: method(
    [
      ['id', s.id],
      ['articleId', s.id],
      ['note', z.nullable(s.text())]
    ],
    returns<void>()
  ),

  /** The article's copy group (near-duplicates from other outlets), first report first; null: none. */
  getCopies: method([['articleId', s.id]], returns<ArticleCopies | null>()),
  /** The article's keywords, named entities, story and copy count (the reader's insight line). */
  articleInsight: method([['articleId', s.id]], returns<ArticleInsight>()),
  /** Keywords or entities (one kind, or every entity kind) with live article counts, most first. */
  termFacets: method(
    [
      ['kind', z.nullable(s.termKind)],
      ['limit', s.whole]
    ],
    returns<TermCount[]>()
  ),
  /** Stories (articles about one event), latest activity first, followed ones first. */
  listStories: method([['query', s.storyQuery]], returns<StoryPage>()),
  getStory: method([['id', s.id]], returns<StoryDetail | null>()),
  /** Names a story (null: back to the name made from its first report). Undoable. */
  renameStory: method(
    [
      ['id', s.id],
      ['name', z.nullable(s.name)]
    ],
    returns<StorySummary>()
  ),
  /** Follows a story (it shows in the Following view) or stops. Undoable. */
  followStory: method(
    [
      ['id', s.id],
      ['followed', s.bool]
    ],
    returns<StorySummary>()
  ),
  /** Moves articles of a story into a new story of their own; returns it. Undoable. */
  splitStory: method(
    [
      ['id', s.id],
      ['articleIds', s.ids]
    ],
    returns<StorySummary>()
  ),
  /** Moves every article of one story into another; returns the target. Undoable. */
  mergeStories: method(
    [
      ['targetId', s.id],
      ['sourceId', s.id]
    ],
    returns<StorySummary>()
  ),

  /** Feed subscriptions, in the order they were added. */
  listFeeds: method([], returns<FeedSummary[]>()),
  /**
   * Subscribes to a feed (RSS 2.0, RSS 1.0, Atom, JSON Feed); it is polled at once in the
   * background, then on its schedule. Refused with `feed-exists` when already subscribed. Undoable.
   */
  addFeed: method(
    [
      ['url', s.feedUrl],
      ['options', z.optional(s.feedOptions)]
    ],
    returns<FeedSummary>()
  ),
  /** Changes a feed's category, tags, full-text, interval, name, or pauses/resumes it. Undoable. */
  updateFeed: method(
    [
      ['id', s.id],
      ['patch', s.feedPatch]
    ],
    returns<FeedSummary>()
  ),
  /** Unsubscribes (its articles stay in the library). Undoable (restoreFeed). */
  removeFeed: method([['id', s.id]], returns<RemovedFeed>()),
  /** Puts a removed subscription back, with what it had seen. */
  restoreFeed: method([['removed', s.removedFeed]], returns<FeedSummary>()),
  /**
   * Polls the given feeds now (none given: every feed not paused), whatever their schedule;
   * resolves when their new items are in the library. Progress arrives as importProgress events.
   */
  pollFeeds: method(
    [
      ['ids', z.optional(s.ids)],
      ['options', z.optional(s.clientOptions)]
    ],
    returns<FeedPollResult[]>()
  ),
  /** Subscribes to every feed an OPML file lists (its outline folders become categories). */
  importOpml: method([['opml', s.opmlText]], returns<OpmlImportResult>()),
  /** The subscriptions as an OPML 2.0 document (the window saves it; the CLI writes a file). */
  exportOpml: method([], returns<string>()),

  /**
   * Starts pairing a browser clipper: a one-time code (valid a few minutes) the user types into
   * the extension's popup. The clip endpoint listens on loopback only while the app runs.
   */
  startClipperPairing: method([], returns<ClipperPairing>()),
  /** Browsers paired with this library. */
  listClipperClients: method([], returns<ClipperClient[]>()),
  /** Forgets a paired browser: its token is refused from then on. */
  revokeClipperClient: method([['id', s.id]], returns<void>()),

  /** Whether an article's remote images may be fetched, and how many are kept. */
  remoteImagePolicy: method([['articleId', s.id]], returns<RemoteImagePolicy>()),
  /**
   * Allows (or stops allowing) remote images for the article, its source or the whole library.
   * Allowed images are fetched once in the background and kept in the library. Undoable.
   */
  setRemoteImages: method(
    [
      ['scope', s.remoteImageScope],
      ['articleId', s.id],
      ['allowed', s.bool]
    ],
    returns<RemoteImagePolicy>()
  ),

  /**
   * This library's team library and its sync (state, last error, pending edits, who is
   * connected); null when the library is personal. Every window hears changes as teamStatus
   * events.
   */
  teamStatus: method([], returns<TeamStatus | null>()),
  /** Syncs now: pushes this copy's edits and pulls the team's; refused when personal. */
  syncTeam: method([], returns<TeamSyncReport>()),
  /**
   * Keeps (or with null forgets) the server password of this library's team library in the
   * host's keychain (the app's OS keychain); never in the library file. Refused with
   * `keychain-unavailable` where the host has none (the web preview, the CLI: PGPASSWORD or
   * ~/.pgpass there), and `team-not-joined` when the library is personal.
   */
  setTeamPassword: method([['password', z.nullable(s.text())]], returns<void>()),
  /** The team library's members and their access (PostgreSQL roles); refused when personal. */
  teamMembers: method([], returns<TeamMember[]>()),

  /** Undoes the last undoable change made in this library by its user; null when none. */
  undo: method([], returns<LibraryChange | null>()),
  /** Redoes the last undone change; null when none (a new edit ends the redo stack). */
  redo: method([], returns<LibraryChange | null>()),
  /** What Undo and Redo would do now (for the Edit menu's labels). */
  undoState: method([], returns<UndoState>()),
  /** The change log, newest first. */
  history: method([['query', s.historyQuery]], returns<LibraryChange[]>()),

  /** Exports a collection, a selection or a search result to a file (a folder for Markdown). */
  exportArticles: method([['request', s.exportRequest]], returns<ExportResult>())
}

type Api = typeof API
export type ApiMethod = keyof Api

/** A method's arguments as a caller passes them (and, checked, as the core receives them). */
export type ApiArgs<M extends ApiMethod> = z.input<Api[M]['args']>
export type ApiResult<M extends ApiMethod> = Api[M]['result'] extends Returns<infer R> ? R : never

/** The API as callers see it, derived from the table (doc comments included). */
export type GleanerApi = {
  [M in ApiMethod]: (...args: ApiArgs<M>) => Promise<ApiResult<M>>
}

export type ImportRequestOptions = z.input<typeof s.clientOptions>
export type TaskRequestOptions = z.input<typeof s.clientOptions>
export type ExportRequest = z.input<typeof s.exportRequest>

/** Method names as data, for binders that must refuse anything else. */
export const API_METHODS = Object.keys(API) as readonly ApiMethod[]

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
  /** A team library's sync state changed (syncing, offline, synced, who is connected). */
  teamStatus: TeamStatus | null
  /** Sent by the Electron shell's menu only; the core, the web preview and tests never emit it. */
  menuCommand: MenuCommandEvent
}

export type EventName = keyof GleanerEvents
export const EVENT_NAMES = [
  'importProgress',
  'taskProgress',
  'libraryChanged',
  'teamStatus',
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
