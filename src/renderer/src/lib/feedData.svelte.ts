// The left pane's Feeds section: the subscriptions with their unread counts, last poll and last
// error, loaded from the core and refreshed when a change says feeds (or which articles exist,
// or read flags) changed — in every window, as LibraryData's sections are. Loaded apart from
// LibraryData so that a failure here leaves the rest of the pane whole. Refreshes coalesce.
import type { GleanerApi } from '../../../shared/api'
import type { FeedSummary } from '../../../shared/capture-types'
import type { Touched } from '../../../shared/change-types'
import type { ErrorData } from '../../../shared/errors'
import { errorData } from '../../../shared/errors'
import { SvelteSet } from 'svelte/reactivity'
import { coalesced } from './coalesced'

type FeedApi = Pick<GleanerApi, 'listFeeds'>

export class FeedData {
  feeds: FeedSummary[] = $state.raw([])
  /** Why the list could not load, if it could not. */
  error: ErrorData | null = $state.raw(null)
  loaded = $state(false)
  /**
   * Feeds this window asked to poll, until the answer comes (at once, before the core's task
   * event does); polls the core runs by itself are FeedSummary.polling.
   */
  readonly polling = new SvelteSet<number>()
  #api: FeedApi

  constructor(api: FeedApi) {
    this.#api = api
  }

  async load(): Promise<void> {
    try {
      this.feeds = await this.#api.listFeeds()
      this.error = null
    } catch (err) {
      this.error = errorData(err)
    }
    this.loaded = true
  }

  /** Reloads now, or once more after the reload in flight (never two at once). */
  readonly refresh = coalesced(() => this.load())

  /** Marks feeds as being polled until `work` settles; returns what it returns. */
  async whilePolling<T>(ids: number[], work: () => Promise<T>): Promise<T> {
    for (const id of ids) this.polling.add(id)
    try {
      return await work()
    } finally {
      for (const id of ids) this.polling.delete(id)
    }
  }

  feed(id: number): FeedSummary | undefined {
    return this.feeds.find((f) => f.id === id)
  }

  /**
   * Whether a change touched what the section shows: the feeds themselves, which articles exist
   * (an import, a delete: the counts), or read flags (the unread counts).
   */
  static touches(t: Touched): boolean {
    return t.feeds === true || t.list || t.flags?.read !== undefined
  }
}
