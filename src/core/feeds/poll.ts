// One feed's poll: a conditional GET, the feed read with the ingest parser, new and edited items
// (by key, then by the item document's hash) imported through the import core as one run, full
// text fetched for summary-only items when the feed asks for it, and the outcome recorded with
// the backoff that follows failures.
import type { FeedPollResult, FeedSummary } from '../../shared/capture-types'
import type { ImportFileResult } from '../../shared/types'
import type { CaptureContext } from '../capture/context'
import { decodeBytes } from '../encoding/decode-bytes'
import { readFeedDocument, type FeedDocument, type FeedEntry } from '../ingest/feed'
import type { SourceItem } from '../importer/sources'
import { noImportCounts } from '../importer/run'
import { writeTx } from '../library/write-tx'
import { FetchError, isPublicAddress, MAX_FEED_BYTES, MAX_PAGE_BYTES, type Fetcher } from './fetch'
import {
  documentHash,
  itemDocument,
  itemKey,
  itemPath,
  MAX_ITEMS_PER_POLL,
  wantsPage
} from './items'
import { feedState, knownItems, recordPoll, rememberItems, type FeedState } from './store'

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5'
const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1'

export interface PollDeps {
  ctx: CaptureContext
  fetcher: Fetcher
  signal?: AbortSignal
  clientId?: string
}

function errorOf(e: unknown): NonNullable<FeedSummary['lastError']> {
  if (e instanceof FetchError)
    return {
      code: e.code,
      message: e.message,
      ...(e.status !== undefined ? { status: e.status } : {})
    }
  const message = e instanceof Error ? e.message : String(e)
  return { code: 'network', message }
}

function isoDate(raw: string | null): string | undefined {
  if (!raw) return undefined
  const t = Date.parse(raw)
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined
}

interface Planned {
  key: string
  path: string
  hash: string
  entry: FeedEntry
  bytes: Uint8Array
  /** Set when the item's page was fetched for its full text. */
  page?: { bytes: Uint8Array; url: string }
  warning?: string
}

export async function pollFeed(deps: PollDeps, feedId: number): Promise<FeedPollResult> {
  const { ctx, fetcher } = deps
  const state = feedState(ctx.db, feedId)
  const at = ctx.now()
  const failed = (e: unknown): FeedPollResult => {
    const error = errorOf(e)
    const fe = e instanceof FetchError ? e : null
    writeTx(ctx.db, () =>
      recordPoll(ctx.db, feedId, {
        at,
        ok: false,
        error,
        pause: error.code === 'gone',
        retryAt: fe?.retryAt ?? null
      })
    )
    return {
      feedId,
      url: state.url,
      status: 'failed',
      error,
      runId: null,
      counts: noImportCounts(),
      results: []
    }
  }

  let got
  try {
    got = await fetcher.get({
      url: state.url,
      etag: state.etag,
      lastModified: state.lastModified,
      accept: FEED_ACCEPT,
      maxBytes: MAX_FEED_BYTES,
      publicOnly: false,
      ...(deps.signal ? { signal: deps.signal } : {})
    })
  } catch (e) {
    if (deps.signal?.aborted) throw e
    return failed(e)
  }
  const moved = got.movedTo ?? undefined
  if (got.status === 304) {
    writeTx(ctx.db, () =>
      recordPoll(ctx.db, feedId, {
        at,
        ok: true,
        ...(moved ? { url: moved } : {}),
        etag: got.etag ?? state.etag,
        lastModified: got.lastModified ?? state.lastModified
      })
    )
    return {
      feedId,
      url: moved ?? state.url,
      status: 'not-modified',
      error: null,
      runId: null,
      counts: noImportCounts(),
      results: []
    }
  }

  const text = decodeBytes(got.body, { charset: got.charset })
  if (!text.ok)
    return failed(
      new FetchError('not-a-feed', `${got.finalUrl}: ${text.reason}`, { url: got.finalUrl })
    )
  const read = readFeedDocument(text.text)
  if (!read.ok)
    return failed(
      new FetchError('not-a-feed', `${got.finalUrl} is not a feed: ${read.reason}`, {
        url: got.finalUrl
      })
    )
  const feed = read.feed

  const known = knownItems(ctx.db, feedId)
  const feedUrl = moved ?? state.url
  const planned: Planned[] = []
  const seen = new Set<string>()
  // Oldest first, so articles arrive in the order the feed published them.
  for (const entry of feed.entries.slice(0, MAX_ITEMS_PER_POLL).reverse()) {
    if (!entry.title && !entry.html && !entry.text) continue
    const key = itemKey(entry)
    if (seen.has(key)) continue
    seen.add(key)
    const bytes = itemDocument(feed, entry)
    const hash = documentHash(bytes)
    if (known.get(key) === hash) continue
    planned.push({ key, path: itemPath(state.url, key), hash, entry, bytes })
  }
  const skippedItems = Math.max(0, feed.entries.length - MAX_ITEMS_PER_POLL)

  // Pages linked from a feed on the public internet must be public too; a feed on the user's
  // own network (an intranet RSSHub) may link to that network.
  const publicOnly = isPublicAddress(got.remoteAddress)
  if (state.fullText)
    await Promise.all(
      planned
        .filter((p) => known.get(p.key) === undefined && wantsPage(feed, p.entry))
        .map(async (p) => {
          try {
            const page = await fetcher.get({
              url: p.entry.link as string,
              accept: PAGE_ACCEPT,
              maxBytes: MAX_PAGE_BYTES,
              publicOnly,
              ...(deps.signal ? { signal: deps.signal } : {})
            })
            if (page.status !== 200) throw new Error(`answered ${page.status}`)
            const type = page.contentType.split(';')[0]?.trim().toLowerCase() ?? ''
            if (type && !/html|xml/.test(type)) throw new Error(`is ${type}, not a web page`)
            p.page = { bytes: page.body, url: page.finalUrl }
          } catch (e) {
            if (deps.signal?.aborted) throw e
            p.warning = `full text not fetched (${e instanceof Error ? e.message : String(e)}); the feed's summary was kept`
          }
        })
    )

  let runId: number | null = null
  let counts = noImportCounts()
  let results: ImportFileResult[] = []
  if (planned.length) {
    const hintsFor = (p: Planned): NonNullable<Extract<SourceItem, { kind: 'bytes' }>['hints']> => {
      const published = isoDate(p.entry.date)
      return {
        ...(p.entry.link ? { url: p.entry.link } : {}),
        ...(p.entry.title ? { title: p.entry.title } : {}),
        ...((state.title ?? feed.title) ? { source: (state.title ?? feed.title) as string } : {}),
        ...(published ? { publishedAt: published } : {}),
        categoryPath: state.categoryPath,
        tags: state.tags
      }
    }
    const run = await ctx.importItems(
      [feedUrl],
      async function* () {
        for (const p of planned)
          yield {
            kind: 'bytes',
            path: p.path,
            bytes: p.page?.bytes ?? p.bytes,
            hints: hintsFor(p)
          } satisfies SourceItem
      },
      {
        ...(deps.clientId ? { clientId: deps.clientId } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
        // A poll is the feed's doing, on its schedule: Undo stays with the user's own edits.
        undoable: false
      }
    )
    runId = run.id
    counts = run.counts
    const byPath = new Map(planned.map((p) => [p.path, p]))
    results = run.results.map((r) => {
      const p = byPath.get(r.path)
      return p?.warning ? { ...r, warnings: [...(r.warnings ?? []), p.warning] } : r
    })
    const remembered = new Map<string, number | null>()
    for (const r of run.results) {
      const p = byPath.get(r.path)
      if (p) remembered.set(p.key, r.articleId ?? null)
    }
    writeTx(ctx.db, () =>
      rememberItems(
        ctx.db,
        feedId,
        // Items a cancelled run never reached stay unknown, so the next poll takes them.
        planned
          .filter((p) => remembered.has(p.key))
          .map((p) => ({ key: p.key, hash: p.hash, articleId: remembered.get(p.key) ?? null })),
        at.toISOString()
      )
    )
  }
  writeTx(ctx.db, () =>
    recordPoll(ctx.db, feedId, {
      at,
      ok: true,
      ...(moved ? { url: moved } : {}),
      title: feed.title,
      siteUrl: feed.siteUrl,
      etag: got.etag,
      lastModified: got.lastModified
    })
  )
  if (skippedItems > 0)
    results.push({
      path: feedUrl,
      status: 'failed',
      code: 'over-budget',
      reason: `the feed lists ${feed.entries.length} items; only the first ${MAX_ITEMS_PER_POLL} are read`
    })
  return { feedId, url: feedUrl, status: 'fetched', error: null, runId, counts, results }
}

export type { FeedState, FeedDocument }
