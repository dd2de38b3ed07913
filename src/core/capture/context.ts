// What the capture parts (feeds, the clipper, images) get from the service they live in: the
// library, its one writer's queue for imports, the change runner, events and tasks. Each part
// is a module of its own (feeds/service-part.ts, clipper/service-part.ts,
// images/service-part.ts); service.ts only hands this over and spreads their methods.
import type { GleanerEvents, EventName } from '../../shared/api'
import type { ImportRun } from '../../shared/types'
import type { ChangeRunner } from '../changes/runner'
import type { RunSpend } from '../importer/budget'
import type { SourceItem } from '../importer/sources'
import type { LibraryHealth } from '../library/health'
import type { Db } from '../library/open'
import type { TaskRegistry } from '../tasks'

export interface CaptureImportOptions {
  /** The window that asked (its importProgress events carry it). */
  clientId?: string
  signal?: AbortSignal
  /**
   * Whether Undo takes the run's articles back out (default true: a clip is the user's own
   * act). A feed's poll is not: it arrives on the feed's schedule, and must not come between
   * the user and the edit they mean to undo (their articles can still be deleted).
   */
  undoable?: boolean
}

export interface CaptureContext {
  db: Db
  health: LibraryHealth
  changes: ChangeRunner
  tasks: TaskRegistry
  emit<E extends EventName>(event: E, payload: GleanerEvents[E]): void
  /**
   * Imports captured items through the import core, on the library's one writer queue, as an
   * import run: search-indexed, placed in stories, recorded as one undoable change labelled by
   * `roots` (a feed's URL, a clipped page's), with importProgress events. Resolves when the run
   * is written and announced.
   */
  importItems(
    roots: string[],
    items: (spend: RunSpend) => AsyncGenerator<SourceItem>,
    opts?: CaptureImportOptions
  ): Promise<ImportRun>
  /** Runs `work` on the writer's queue (after imports and re-cleans already queued). */
  onWriterQueue<T>(work: () => Promise<T> | T): Promise<T>
  now(): Date
  options: CaptureOptions
}

/** How the capture parts behave in this process (ServiceOptions.capture). */
export interface CaptureOptions {
  /**
   * Poll feeds on their schedule while the service is open (the app and the web preview, and
   * `gleaner watch`); one-shot CLI commands and most tests leave it off. Default false.
   */
  scheduleFeeds?: boolean
  /**
   * Let feeds, their linked pages and images be fetched from loopback and private addresses
   * even when the feed itself is public. Only tests serve from 127.0.0.1 and need it; a feed
   * the user subscribed to on an intranet is allowed its own network without it.
   */
  allowPrivateAddresses?: boolean
  /** Requests to one host at once at most (default 2). */
  perHostLimit?: number
  /** Feeds polled at once at most (default 8). */
  pollConcurrency?: number
}
