// The API's feed methods, and the schedule that polls feeds while the service is open.
import type { GleanerApi } from '../../shared/api'
import type {
  FeedPollResult,
  FeedSummary,
  OpmlImportResult,
  RemovedFeed
} from '../../shared/capture-types'
import type { CaptureContext } from '../capture/context'
import { noImportCounts } from '../importer/run'
import { createFetcher, type Fetcher } from './fetch'
import { createHostLimiter } from './host-limit'
import { readOpml, writeOpml } from './opml'
import { pollFeed } from './poll'
import { startSchedule, type Schedule } from './schedule'
import { feedState, feedSummary, listFeedStates, summaryOf } from './store'

export type FeedMethods = Pick<
  GleanerApi,
  | 'listFeeds'
  | 'addFeed'
  | 'updateFeed'
  | 'removeFeed'
  | 'restoreFeed'
  | 'pollFeeds'
  | 'importOpml'
  | 'exportOpml'
>

export interface FeedsPart {
  methods: FeedMethods
  /** The fetcher every feed and page request goes through (its limiter counts per host). */
  fetcher: Fetcher
  /** Resolves when the polls running now (the background first polls included) are done. */
  idle(): Promise<void>
  /** Stops the schedule and any poll in flight (the service is closing). */
  stop(): void
}

const DEFAULT_PER_HOST = 2
const DEFAULT_POLL_CONCURRENCY = 8

export function createFeedsPart(ctx: CaptureContext): FeedsPart {
  const fetcher = createFetcher({
    limiter: createHostLimiter(ctx.options.perHostLimit ?? DEFAULT_PER_HOST),
    allowPrivateAddresses: ctx.options.allowPrivateAddresses ?? false
  })
  const concurrency = Math.max(1, ctx.options.pollConcurrency ?? DEFAULT_POLL_CONCURRENCY)
  const stopping = new AbortController()
  /** One poll per feed at a time: "poll now" during a scheduled poll shares it. */
  const inFlight = new Map<number, Promise<FeedPollResult>>()
  const background = new Set<Promise<unknown>>()

  const pollOne = (id: number, clientId: string | undefined): Promise<FeedPollResult> => {
    const running = inFlight.get(id)
    if (running) return running
    const p = pollFeed(
      { ctx, fetcher, signal: stopping.signal, ...(clientId ? { clientId } : {}) },
      id
    ).finally(() => inFlight.delete(id))
    inFlight.set(id, p)
    return p
  }

  /** Polls feeds, `concurrency` at once; announces one change so every window's Feeds refresh. */
  const pollMany = async (ids: number[], clientId?: string): Promise<FeedPollResult[]> => {
    const results: FeedPollResult[] = new Array(ids.length)
    // Every window hears a poll start and end (its Feeds section shows the feeds in flight).
    const task = ctx.tasks.start('poll', clientId)
    task.progress(0, ids.length)
    let finished = 0
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < ids.length && !stopping.signal.aborted) {
        const i = next++
        const id = ids[i] as number
        try {
          results[i] = await pollOne(id, clientId)
          task.progress(++finished, ids.length)
        } catch (e) {
          if (stopping.signal.aborted) return
          // A feed removed while it waited its turn, or a library error: this feed only.
          results[i] = {
            feedId: id,
            url: '',
            status: 'skipped',
            error: { code: 'network', message: e instanceof Error ? e.message : String(e) },
            runId: null,
            counts: noImportCounts(),
            results: []
          }
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker))
    task.finish(finished, ids.length, stopping.signal.aborted)
    const done = results.filter((r) => r !== undefined)
    if (done.length && !stopping.signal.aborted)
      ctx.changes.record('pollFeeds', [done.map((r) => r.feedId)], {
        inverse: null,
        touched: { feeds: true },
        summary: { count: done.length }
      })
    return done
  }

  const inBackground = (work: Promise<unknown>): void => {
    const p = work.catch(() => undefined).finally(() => background.delete(p))
    background.add(p)
  }

  const schedule: Schedule | null = ctx.options.scheduleFeeds
    ? startSchedule({ db: ctx.db, now: () => ctx.now(), poll: (ids) => pollMany(ids) })
    : null

  const methods: FeedMethods = {
    async listFeeds() {
      return listFeedStates(ctx.db).map((s) => ({ ...summaryOf(s), polling: inFlight.has(s.id) }))
    },
    async addFeed(url, options) {
      const feed = ctx.changes.run<FeedSummary>('addFeed', [url, options ?? {}])
      // The first poll runs now, in the background: subscribing answers at once.
      inBackground(pollMany([feed.id]))
      return feed
    },
    async updateFeed(id, patch) {
      const feed = ctx.changes.run<FeedSummary>('updateFeed', [id, patch])
      schedule?.wake()
      return feed
    },
    async removeFeed(id) {
      feedState(ctx.db, id)
      return ctx.changes.run<RemovedFeed>('removeFeed', [id])
    },
    async restoreFeed(removed) {
      const feed = ctx.changes.run<FeedSummary>('restoreFeed', [removed])
      schedule?.wake()
      return feed
    },
    async pollFeeds(ids, options) {
      const targets = ids?.length
        ? ids.map((id) => feedSummary(ctx.db, id).id)
        : listFeedStates(ctx.db)
            .filter((f) => !f.paused)
            .map((f) => f.id)
      const results = await pollMany(targets, options?.clientId)
      schedule?.wake()
      return results
    },
    async importOpml(opml) {
      const entries = readOpml(opml)
      const result = ctx.changes.run<OpmlImportResult>('importOpml', [entries])
      if (result.added.length) inBackground(pollMany(result.added.map((f) => f.id)))
      return result
    },
    async exportOpml() {
      return writeOpml(listFeedStates(ctx.db).map(summaryOf), ctx.now())
    }
  }

  return {
    methods,
    fetcher,
    async idle() {
      while (background.size || inFlight.size)
        await Promise.all(
          [...background, ...inFlight.values()].map((p) => p.catch(() => undefined))
        )
    },
    stop() {
      schedule?.stop()
      stopping.abort()
      fetcher.close()
    }
  }
}
