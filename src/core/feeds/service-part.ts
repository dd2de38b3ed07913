// The API's feed methods, and the schedule that polls feeds while the service is open.
import { GleanerError } from '../../shared/errors'
import type { GleanerApi } from '../../shared/api'
import type { CaptureContext } from '../capture/context'

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
  /** Stops the schedule and any poll in flight (the service is closing). */
  stop(): void
}

export function createFeedsPart(ctx: CaptureContext): FeedsPart {
  void ctx
  const notBuilt = (): never => {
    throw new GleanerError('not-built', 'feeds are not built yet')
  }
  return {
    methods: {
      listFeeds: async () => notBuilt(),
      addFeed: async () => notBuilt(),
      updateFeed: async () => notBuilt(),
      removeFeed: async () => notBuilt(),
      restoreFeed: async () => notBuilt(),
      pollFeeds: async () => notBuilt(),
      importOpml: async () => notBuilt(),
      exportOpml: async () => notBuilt()
    },
    stop() {}
  }
}
