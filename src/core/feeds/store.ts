// The feeds and feed_items tables (migration 13): subscriptions as the API shows them, the
// items each feed has delivered, and what a poll records. Synchronous: the change ops call it
// inside their transaction.
import { GleanerError } from '../../shared/errors'
import type { FeedOptions, FeedPatch, FeedSummary, RemovedFeed } from '../../shared/capture-types'
import type { Db } from '../library/open'

export const DEFAULT_INTERVAL_MINUTES = 60
/** Backoff never waits longer than this between polls of a failing feed. */
export const MAX_BACKOFF_MINUTES = 24 * 60

interface FeedRow {
  id: number
  url: string
  title: string | null
  user_title: string | null
  site_url: string | null
  category_path: string
  tags: string
  full_text: number
  paused: number
  interval_minutes: number
  etag: string | null
  last_modified: string | null
  added_at: string
  last_poll_at: string | null
  last_success_at: string | null
  next_poll_at: string
  last_error: string | null
  failures: number
}

/** What a poll needs of a feed beyond its summary. */
export interface FeedState extends FeedSummary {
  etag: string | null
  lastModified: string | null
  /** The feed's own title (FeedSummary.title is the user's name for it when given). */
  feedTitle: string | null
}

const COUNTS = `
  SELECT fi.feed_id AS feed_id, count(*) AS n, sum(a.read = 0) AS unread
    FROM feed_items fi JOIN articles a ON a.id = fi.article_id
   WHERE a.deleted_at IS NULL`

function parseList(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json)
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

function toState(r: FeedRow, counts: { n: number; unread: number } | undefined): FeedState {
  let lastError: FeedSummary['lastError'] = null
  if (r.last_error) {
    try {
      lastError = JSON.parse(r.last_error) as FeedSummary['lastError']
    } catch {
      lastError = { code: 'network', message: r.last_error }
    }
  }
  return {
    id: r.id,
    url: r.url,
    title: r.user_title ?? r.title,
    feedTitle: r.title,
    siteUrl: r.site_url,
    categoryPath: parseList(r.category_path),
    tags: parseList(r.tags),
    fullText: r.full_text === 1,
    paused: r.paused === 1,
    intervalMinutes: r.interval_minutes,
    lastPollAt: r.last_poll_at,
    lastSuccessAt: r.last_success_at,
    nextPollAt: r.next_poll_at,
    lastError,
    failures: r.failures,
    articleCount: counts?.n ?? 0,
    unread: counts?.unread ?? 0,
    // Known only to the feeds part, which fills it in (service-part.ts).
    polling: false,
    etag: r.etag,
    lastModified: r.last_modified
  }
}

export function summaryOf(state: FeedState): FeedSummary {
  const { etag: _e, lastModified: _l, feedTitle: _t, ...summary } = state
  void _e
  void _l
  void _t
  return summary
}

export function feedState(db: Db, id: number): FeedState {
  const row = db.prepare('SELECT * FROM feeds WHERE id = ?').get(id) as FeedRow | undefined
  if (!row) throw new GleanerError('feed-not-found', `no feed #${id}`, { id })
  const counts = db.prepare(`${COUNTS} AND fi.feed_id = ?`).get(id) as
    { n: number; unread: number | null } | undefined
  return toState(row, counts ? { n: counts.n, unread: counts.unread ?? 0 } : undefined)
}

export function feedSummary(db: Db, id: number): FeedSummary {
  return summaryOf(feedState(db, id))
}

export function listFeedStates(db: Db): FeedState[] {
  const rows = db.prepare('SELECT * FROM feeds ORDER BY id').all() as FeedRow[]
  const counts = new Map(
    (
      db.prepare(`${COUNTS} GROUP BY fi.feed_id`).all() as {
        feed_id: number
        n: number
        unread: number | null
      }[]
    ).map((c) => [c.feed_id, { n: c.n, unread: c.unread ?? 0 }])
  )
  return rows.map((r) => toState(r, counts.get(r.id)))
}

export function feedIdByUrl(db: Db, url: string): number | null {
  return (db.prepare('SELECT id FROM feeds WHERE url = ?').pluck().get(url) as number) ?? null
}

/** Feeds not paused whose next poll is at or before `at`, soonest first. */
export function dueFeedIds(db: Db, at: Date): number[] {
  return db
    .prepare('SELECT id FROM feeds WHERE paused = 0 AND next_poll_at <= ? ORDER BY next_poll_at')
    .pluck()
    .all(at.toISOString()) as number[]
}

export function earliestNextPoll(db: Db): string | null {
  return (
    (db.prepare('SELECT min(next_poll_at) FROM feeds WHERE paused = 0').pluck().get() as
      string | null) ?? null
  )
}

function cleanPath(path: readonly string[] | undefined): string[] {
  return (path ?? []).map((p) => p.trim()).filter((p) => p !== '')
}

function cleanInterval(minutes: number | undefined): number {
  if (minutes === undefined) return DEFAULT_INTERVAL_MINUTES
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 7 * 24 * 60)
    throw new GleanerError(
      'feed-interval-invalid',
      `a feed's interval must be a whole number of minutes from 1 to ${7 * 24 * 60}; got ${minutes}`,
      { minutes }
    )
  return minutes
}

/** A feed URL as stored: http(s) only, no credentials, no fragment. */
export function normaliseFeedUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new GleanerError('feed-url-invalid', `not a feed address: ${raw}`, { url: raw })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new GleanerError(
      'feed-url-invalid',
      `a feed address must be http or https; got ${url.protocol}`,
      { url: raw }
    )
  if (url.username || url.password)
    throw new GleanerError('feed-url-invalid', 'a feed address may not carry credentials', {
      url: raw
    })
  url.hash = ''
  return url.href
}

export function insertFeed(db: Db, rawUrl: string, options: FeedOptions, now: Date): number {
  const url = normaliseFeedUrl(rawUrl)
  if (feedIdByUrl(db, url) !== null)
    throw new GleanerError('feed-exists', `already subscribed to ${url}`, { url })
  const at = now.toISOString()
  const info = db
    .prepare(
      `INSERT INTO feeds (url, category_path, tags, full_text, interval_minutes, added_at, next_poll_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`
    )
    .run(
      url,
      JSON.stringify(cleanPath(options.categoryPath)),
      JSON.stringify(cleanPath(options.tags)),
      options.fullText ? 1 : 0,
      cleanInterval(options.intervalMinutes),
      at,
      at
    )
  return Number(info.lastInsertRowid)
}

/** The patch that puts a feed back as `before` was (updateFeed's inverse). */
export function patchFrom(before: FeedState): FeedPatch {
  return {
    categoryPath: before.categoryPath,
    tags: before.tags,
    fullText: before.fullText,
    intervalMinutes: before.intervalMinutes,
    paused: before.paused,
    title: before.title === before.feedTitle ? null : before.title
  }
}

export function patchFeed(db: Db, id: number, patch: FeedPatch, now: Date): void {
  const before = feedState(db, id)
  const sets: string[] = []
  const params: unknown[] = []
  const set = (column: string, value: unknown): void => {
    sets.push(`${column} = ?`)
    params.push(value)
  }
  if (patch.categoryPath !== undefined)
    set('category_path', JSON.stringify(cleanPath(patch.categoryPath)))
  if (patch.tags !== undefined) set('tags', JSON.stringify(cleanPath(patch.tags)))
  if (patch.fullText !== undefined) set('full_text', patch.fullText ? 1 : 0)
  if (patch.intervalMinutes !== undefined)
    set('interval_minutes', cleanInterval(patch.intervalMinutes))
  if (patch.title !== undefined) set('user_title', patch.title?.trim() || null)
  if (patch.paused !== undefined) {
    set('paused', patch.paused ? 1 : 0)
    // Resuming a feed (a 410 paused it, or the user did) polls it at once, afresh.
    if (!patch.paused && before.paused) {
      set('next_poll_at', now.toISOString())
      set('failures', 0)
    }
  }
  if (!sets.length) return
  db.prepare(`UPDATE feeds SET ${sets.join(', ')} WHERE id = ?`).run(...params, id)
}

export function feedItems(db: Db, feedId: number): RemovedFeed['items'] {
  return (
    db
      .prepare(
        'SELECT item_key, article_id, seen_at FROM feed_items WHERE feed_id = ? ORDER BY seen_at'
      )
      .all(feedId) as { item_key: string; article_id: number | null; seen_at: string }[]
  ).map((r) => ({ key: r.item_key, articleId: r.article_id, seenAt: r.seen_at }))
}

/**
 * A removed feed as this module hands it out: RemovedFeed, plus the feed's own title (the
 * summary's title is the user's name for it when given), so restoring keeps both.
 */
interface RemovedFeedRecord extends RemovedFeed {
  ownTitle?: string | null
}

export function deleteFeed(db: Db, id: number): RemovedFeed {
  const state = feedState(db, id)
  const removed: RemovedFeedRecord = {
    feed: summaryOf(state),
    items: feedItems(db, id),
    etag: state.etag,
    lastModified: state.lastModified,
    ownTitle: state.feedTitle
  }
  db.prepare('DELETE FROM feed_items WHERE feed_id = ?').run(id)
  db.prepare('DELETE FROM feeds WHERE id = ?').run(id)
  return removed
}

/** Puts a removed feed back under its old id (its articles' links with it). */
export function reinsertFeed(db: Db, removed: RemovedFeedRecord): number {
  const f = removed.feed
  const ownTitle = removed.ownTitle === undefined ? f.title : removed.ownTitle
  if (typeof f?.url !== 'string' || !Array.isArray(removed.items))
    throw new GleanerError('feed-restore-invalid', 'not a removed feed')
  const url = normaliseFeedUrl(f.url)
  if (feedIdByUrl(db, url) !== null)
    throw new GleanerError('feed-exists', `already subscribed to ${url}`, { url })
  const taken = db.prepare('SELECT 1 FROM feeds WHERE id = ?').get(f.id) !== undefined
  const info = db
    .prepare(
      `INSERT INTO feeds (id, url, title, user_title, site_url, category_path, tags, full_text,
         paused, interval_minutes, etag, last_modified, added_at, last_poll_at, last_success_at,
         next_poll_at, last_error, failures)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    .run(
      taken ? null : f.id,
      url,
      ownTitle,
      f.title !== ownTitle ? f.title : null,
      f.siteUrl,
      JSON.stringify(cleanPath(f.categoryPath)),
      JSON.stringify(cleanPath(f.tags)),
      f.fullText ? 1 : 0,
      f.paused ? 1 : 0,
      cleanInterval(f.intervalMinutes),
      removed.etag,
      removed.lastModified,
      new Date().toISOString(),
      f.lastPollAt,
      f.lastSuccessAt,
      f.nextPollAt,
      f.lastError ? JSON.stringify(f.lastError) : null,
      f.failures ?? 0
    )
  const id = Number(info.lastInsertRowid)
  const put = db.prepare(
    'INSERT OR IGNORE INTO feed_items (feed_id, item_key, article_id, seen_at) VALUES (?, ?, ?, ?)'
  )
  for (const item of removed.items)
    if (typeof item.key === 'string')
      put.run(id, item.key, typeof item.articleId === 'number' ? item.articleId : null, item.seenAt)
  return id
}

/** What the feed had delivered before: its item keys with the hash of each item's document. */
export function knownItems(db: Db, feedId: number): Map<string, string | null> {
  const rows = db
    .prepare('SELECT item_key, item_hash FROM feed_items WHERE feed_id = ?')
    .all(feedId) as { item_key: string; item_hash: string | null }[]
  return new Map(rows.map((r) => [r.item_key, r.item_hash]))
}

export function rememberItems(
  db: Db,
  feedId: number,
  items: { key: string; hash: string; articleId: number | null }[],
  at: string
): void {
  // A failed item keeps its hash too: it is tried again when the feed changes it, not at every poll.
  const put = db.prepare(
    `INSERT INTO feed_items (feed_id, item_key, article_id, item_hash, seen_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (feed_id, item_key) DO UPDATE SET
       article_id = coalesce(excluded.article_id, article_id), item_hash = excluded.item_hash`
  )
  for (const i of items) put.run(feedId, i.key, i.articleId, i.hash, at)
}

export interface PollRecord {
  at: Date
  ok: boolean
  /** The address to keep polling (a permanent redirect's target). */
  url?: string
  title?: string | null
  siteUrl?: string | null
  etag?: string | null
  lastModified?: string | null
  error?: FeedSummary['lastError']
  /** 410: the feed stops being polled until the user resumes it. */
  pause?: boolean
  /** The server's Retry-After, which wins over the backoff. */
  retryAt?: Date | null
}

/** Records a poll's outcome and when the feed is due next (backoff after failures in a row). */
export function recordPoll(db: Db, id: number, r: PollRecord): void {
  const before = feedState(db, id)
  const failures = r.ok ? 0 : before.failures + 1
  const minutes = r.ok
    ? before.intervalMinutes
    : Math.min(before.intervalMinutes * 2 ** failures, MAX_BACKOFF_MINUTES)
  let next = new Date(r.at.getTime() + minutes * 60_000)
  if (r.retryAt && r.retryAt.getTime() > r.at.getTime()) next = r.retryAt
  const url = r.url && r.url !== before.url && feedIdByUrl(db, r.url) === null ? r.url : before.url
  db.prepare(
    `UPDATE feeds SET url = ?, title = ?, site_url = ?, etag = ?, last_modified = ?,
       last_poll_at = ?, last_success_at = ?, next_poll_at = ?, last_error = ?, failures = ?,
       paused = ? WHERE id = ?`
  ).run(
    url,
    r.title !== undefined ? r.title : before.feedTitle,
    r.siteUrl !== undefined ? r.siteUrl : before.siteUrl,
    r.etag !== undefined ? r.etag : before.etag,
    r.lastModified !== undefined ? r.lastModified : before.lastModified,
    r.at.toISOString(),
    r.ok ? r.at.toISOString() : before.lastSuccessAt,
    next.toISOString(),
    r.ok || !r.error ? null : JSON.stringify(r.error),
    failures,
    r.pause ? 1 : before.paused ? 1 : 0,
    id
  )
}
