// How a feed subscription reads in the window: its name, its state in a few words, its last
// error in the user's language (by the error's code, never the core's English line), and the
// category path typed in the feed dialog.
import type { FeedErrorCode, FeedSummary } from '../../../shared/capture-types'
import { i18n, t, type MessageKey } from './i18n.svelte'

/** The user's name for it or the feed's own title, else the host it is fetched from. */
export function feedName(feed: Pick<FeedSummary, 'title' | 'url'>): string {
  const title = feed.title?.trim()
  if (title) return title
  try {
    return new URL(feed.url).host
  } catch {
    return feed.url
  }
}

const ERROR_TEXT: Record<FeedErrorCode, MessageKey> = {
  network: 'feedErrNetwork',
  timeout: 'feedErrTimeout',
  http: 'feedErrHttp',
  gone: 'feedErrGone',
  'rate-limited': 'feedErrRateLimited',
  'too-large': 'feedErrTooLarge',
  'not-a-feed': 'feedErrNotAFeed',
  'bad-redirect': 'feedErrBadRedirect',
  'refused-address': 'feedErrRefusedAddress'
}

/** A poll's error in the window's language (an unknown code keeps the core's English line). */
export function feedErrorText(error: NonNullable<FeedSummary['lastError']>): string {
  const key = ERROR_TEXT[error.code] as MessageKey | undefined
  if (!key) return error.message
  return t(key, { status: error.status ?? '' })
}

/** A poll's time: the time of day when it was today, else the date and time. */
export function pollTime(iso: string, now = new Date()): string {
  const full = i18n.formatDate(iso)
  const at = new Date(iso)
  const today =
    at.getFullYear() === now.getFullYear() &&
    at.getMonth() === now.getMonth() &&
    at.getDate() === now.getDate()
  return today ? full.slice(11) : full
}

export type FeedState = 'polling' | 'paused' | 'error' | 'waiting' | 'ok'

export function feedState(feed: FeedSummary, polling: boolean): FeedState {
  if (polling) return 'polling'
  if (feed.paused) return 'paused'
  if (feed.lastError) return 'error'
  if (feed.lastPollAt === null) return 'waiting'
  return 'ok'
}

/** The feed's state line: paused, polling, its last error, or when it was last polled. */
export function feedStatusText(feed: FeedSummary, polling: boolean): string {
  const state = feedState(feed, polling)
  const error = feed.lastError ? feedErrorText(feed.lastError) : null
  switch (state) {
    case 'polling':
      return t('feedStatusPolling')
    case 'paused':
      // A feed paused because it is gone says why.
      return error ? `${t('feedStatusPaused')} · ${error}` : t('feedStatusPaused')
    case 'error':
      return t('feedStatusError', {
        time: pollTime(feed.lastPollAt ?? feed.nextPollAt),
        error: error ?? ''
      })
    case 'waiting':
      return t('feedStatusWaiting')
    default:
      return t('feedStatusPolled', { time: pollTime(feed.lastPollAt!) })
  }
}

/** The address typed in the feed dialog, if it is an http(s) URL the core will take. */
export function feedUrlOf(typed: string): string | null {
  const text = typed.trim()
  if (!/^https?:\/\/\S+$/iu.test(text)) return null
  try {
    const url = new URL(text)
    return url.protocol === 'http:' || url.protocol === 'https:' ? text : null
  } catch {
    return null
  }
}
