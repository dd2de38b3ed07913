// The feed subscriptions' undoable operations (spread into core/changes/ops.ts): each applies
// in the change runner's transaction and names its inverse as data.
import { GleanerError } from '../../shared/errors'
import type {
  FeedOptions,
  FeedPatch,
  FeedSummary,
  OpmlImportResult,
  RemovedFeed
} from '../../shared/capture-types'
import type { OpCall } from '../changes/log'
import type { Op, OpOutcome } from '../changes/ops'
import type { Db } from '../library/open'
import type { OpmlEntry } from './opml'
import {
  deleteFeed,
  feedIdByUrl,
  feedState,
  feedSummary,
  insertFeed,
  normaliseFeedUrl,
  patchFeed,
  patchFrom,
  reinsertFeed
} from './store'

const call = (op: string, ...args: unknown[]): OpCall => ({ op, args })
const FEEDS = { feeds: true } as const
/** Removing a feed changes what its filter lists, not the articles themselves. */
const FEEDS_AND_LIST = { feeds: true, list: true } as const

function nameOf(f: FeedSummary): string {
  return f.title ?? f.url
}

function restoreAll(db: Db, removed: RemovedFeed[]): OpOutcome {
  const ids = removed.map((r) => reinsertFeed(db, r))
  return {
    result: ids.map((id) => feedSummary(db, id)),
    inverse: call('removeFeeds', ids),
    touched: FEEDS_AND_LIST,
    summary: { count: ids.length, name: removed[0] ? nameOf(removed[0].feed) : '' }
  }
}

export const FEED_OPS: Record<string, Op> = {
  addFeed(db, [url, options]: unknown[]) {
    const id = insertFeed(db, url as string, (options as FeedOptions | undefined) ?? {}, new Date())
    const feed = feedSummary(db, id)
    return {
      result: feed,
      inverse: call('removeFeed', id),
      touched: FEEDS,
      summary: { name: feed.url }
    }
  },
  updateFeed(db, [id, patch]: unknown[]) {
    const before = feedState(db, id as number)
    patchFeed(db, id as number, patch as FeedPatch, new Date())
    const after = feedSummary(db, id as number)
    return {
      result: after,
      inverse: call('updateFeed', id, patchFrom(before)),
      touched: FEEDS,
      summary: { name: nameOf(after) },
      noop:
        JSON.stringify(patchFrom(before)) === JSON.stringify(patchFrom(feedState(db, id as number)))
    }
  },
  removeFeed(db, [id]: unknown[]) {
    const removed = deleteFeed(db, id as number)
    return {
      result: removed,
      inverse: call('restoreFeed', removed),
      touched: FEEDS_AND_LIST,
      summary: { name: nameOf(removed.feed) }
    }
  },
  restoreFeed(db, [removed]: unknown[]) {
    const out = restoreAll(db, [removed as RemovedFeed])
    const [feed] = out.result as FeedSummary[]
    if (!feed) throw new GleanerError('feed-restore-invalid', 'not a removed feed')
    return {
      ...out,
      result: feed,
      inverse: call('removeFeed', feed.id),
      summary: { name: nameOf(feed) }
    }
  },
  /** Subscribes to each entry not subscribed already (an OPML file's outlines). */
  importOpml(db, [entries]: unknown[]) {
    const result: OpmlImportResult = { added: [], skipped: [] }
    for (const e of entries as OpmlEntry[]) {
      let url: string
      try {
        url = normaliseFeedUrl(e.url)
      } catch (err) {
        result.skipped.push({ url: e.url, reason: (err as Error).message })
        continue
      }
      if (feedIdByUrl(db, url) !== null) {
        result.skipped.push({ url, reason: 'already subscribed' })
        continue
      }
      const id = insertFeed(db, url, { categoryPath: e.categoryPath }, new Date())
      if (e.title) db.prepare('UPDATE feeds SET title = ? WHERE id = ?').run(e.title, id)
      result.added.push(feedSummary(db, id))
    }
    return {
      result,
      inverse: result.added.length
        ? call(
            'removeFeeds',
            result.added.map((f) => f.id)
          )
        : null,
      touched: FEEDS,
      summary: { count: result.added.length },
      noop: result.added.length === 0
    }
  },
  /** The inverse of an OPML import (and of restoreFeeds). */
  removeFeeds(db, [ids]: unknown[]) {
    const removed = (ids as number[])
      .filter((id) => db.prepare('SELECT 1 FROM feeds WHERE id = ?').get(id) !== undefined)
      .map((id) => deleteFeed(db, id))
    return {
      result: removed,
      inverse: call('restoreFeeds', removed),
      touched: FEEDS_AND_LIST,
      summary: { count: removed.length }
    }
  },
  restoreFeeds(db, [removed]: unknown[]) {
    return restoreAll(db, removed as RemovedFeed[])
  }
}
