// Capture beyond files: feed subscriptions, the browser clipper's pairing, images kept in the
// library. Shared by the core, the window, the CLI and the clipper endpoint.
import type { ImportFileResult, ImportCounts } from './types'

/** A feed subscription as the Feeds section and `gleaner feeds list` show it. */
export interface FeedSummary {
  id: number
  /** The URL subscribed to (http or https), as given (after a permanent redirect: the new one). */
  url: string
  /** The feed's own title once polled; null before the first successful poll. */
  title: string | null
  /** The feed's site (its <link>), when it names one. */
  siteUrl: string | null
  /** Where its articles are filed (root first); empty: the feed's own categories, if any. */
  categoryPath: string[]
  /** Tags given to each article that arrives from it. */
  tags: string[]
  /** Items that carry only a summary get their linked page fetched and extracted. */
  fullText: boolean
  paused: boolean
  /** Minutes between polls. */
  intervalMinutes: number
  /** ISO 8601 UTC of the last poll attempt (null: never polled). */
  lastPollAt: string | null
  /** ISO 8601 UTC of the last poll that succeeded (200 or 304). */
  lastSuccessAt: string | null
  /** When it is due next (ISO 8601 UTC); backoff after errors moves it later. */
  nextPollAt: string
  /** The last poll's error, in a stable code and its English line; null after a success. */
  lastError: { code: FeedErrorCode; message: string; status?: number } | null
  /** Failed polls in a row (the backoff's exponent). */
  failures: number
  /**
   * A poll of it is under way in the process that keeps the library (the schedule's, a window's
   * Poll now, or the first poll after subscribing); polls start and end with taskProgress
   * events of kind 'poll', so every window can show it.
   */
  polling: boolean
  /** Live articles that arrived from this feed, and how many of them are unread. */
  articleCount: number
  unread: number
}

export type FeedErrorCode =
  | 'network' // DNS, refused, reset
  | 'timeout'
  | 'http' // 4xx/5xx other than below
  | 'gone' // 410: the feed is paused, not retried
  | 'rate-limited' // 429 (Retry-After honoured)
  | 'too-large'
  | 'not-a-feed'
  | 'bad-redirect' // to a non-http(s) address, or too many
  | 'refused-address' // an address the policy refuses (see fetch policy)

export interface FeedOptions {
  categoryPath?: string[]
  tags?: string[]
  fullText?: boolean
  intervalMinutes?: number
}

export interface FeedPatch extends FeedOptions {
  paused?: boolean
  /** The user's own name for it (null: the feed's title). */
  title?: string | null
}

/** What one feed's poll did. `results` has the same shape as an import run's (`import --json`). */
export interface FeedPollResult {
  feedId: number
  url: string
  status: 'fetched' | 'not-modified' | 'failed' | 'skipped'
  error: FeedSummary['lastError']
  /** The import run the new items went through (null when nothing new arrived). */
  runId: number | null
  counts: ImportCounts
  results: ImportFileResult[]
}

/** What undoes removeFeed: the subscription as it was (its articles are never deleted). */
export interface RemovedFeed {
  feed: FeedSummary
  /** The feed's remembered items (guid/link → article), so a re-add does not re-import them. */
  items: { key: string; articleId: number | null; seenAt: string }[]
  etag: string | null
  lastModified: string | null
}

/** OPML import: what was subscribed and what was skipped (already there, or not a feed URL). */
export interface OpmlImportResult {
  added: FeedSummary[]
  skipped: { url: string; reason: string }[]
}

/** A one-time code the window shows; the clipper's popup sends it back to get its token. */
export interface ClipperPairing {
  code: string
  /** ISO 8601 UTC; the code is refused after it (and after one use). */
  expiresAt: string
  /** The loopback address the clipper talks to, e.g. http://127.0.0.1:47615 */
  endpoint: string
}

export interface ClipperClient {
  id: number
  /** The extension's Origin (chrome-extension://… or moz-extension://…). */
  origin: string
  /** The browser's own description at pairing (user agent). */
  label: string
  pairedAt: string
  lastClipAt: string | null
}

/** Who allowed an article's remote images: the article itself, its source, or the whole library. */
export type RemoteImageScope = 'article' | 'source' | 'library'

export interface RemoteImagePolicy {
  /** The widest scope that allows it, or null when remote images stay blocked. */
  allowedBy: RemoteImageScope | null
  /** The article's source (what a 'source' allowance names), when it has one. */
  source: string | null
  /** Images of this article kept in the library (fetched or imported with it). */
  stored: number
  /** Remote images the article refers to that are not stored (yet, or refused). */
  missing: number
}
