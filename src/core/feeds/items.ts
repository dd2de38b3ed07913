// A feed item as the import core takes it: its key across polls, and a one-item JSON Feed
// document of its own. One item per document, under a path that stays the same for the item
// (not for the feed), so an edited item re-imports as 'updated' rather than as a new article,
// and the stored original is the item, not a whole feed re-stored at every poll.
import { createHash } from 'node:crypto'
import type { FeedDocument, FeedEntry } from '../ingest/feed'

/** Items read from one poll at most: a feed of a million items is refused beyond this. */
export const MAX_ITEMS_PER_POLL = 1000
/** An item's text shorter than this is a summary, whatever element it came in. */
export const SUMMARY_CHARS = 280

const sha = (s: string): string => createHash('sha256').update(s).digest('hex')

/** GUID / id, else the link, else a hash of the title and date. */
export function itemKey(entry: FeedEntry): string {
  if (entry.id) return `id:${entry.id}`
  if (entry.link) return `link:${entry.link}`
  return `hash:${sha(`${entry.title ?? ''}\u0000${entry.date ?? ''}\u0000${entry.text ?? entry.html ?? ''}`).slice(0, 32)}`
}

/** Where an item's article says it came from: the feed's address and the item's key. */
export function itemPath(feedUrl: string, key: string): string {
  return `${feedUrl}#item-${sha(key).slice(0, 16)}`
}

/** The item's own document (UTF-8 JSON Feed 1.1): what is parsed, stored and compared. */
export function itemDocument(feed: FeedDocument, entry: FeedEntry): Uint8Array {
  const item: Record<string, unknown> = {}
  if (entry.id) item.id = entry.id
  if (entry.link) item.url = entry.link
  if (entry.title) item.title = entry.title
  if (entry.html) item.content_html = entry.html
  else if (entry.text) item.content_text = entry.text
  if (entry.date) item.date_published = entry.date
  if (entry.author) item.authors = [{ name: entry.author }]
  if (entry.tags.length) item.tags = entry.tags
  // `version` first: the parser recognises a JSON Feed by its first bytes.
  const doc: Record<string, unknown> = { version: 'https://jsonfeed.org/version/1.1' }
  if (feed.title) doc.title = feed.title
  if (feed.siteUrl) doc.home_page_url = feed.siteUrl
  if (feed.language) doc.language = feed.language
  doc.items = [item]
  return new TextEncoder().encode(JSON.stringify(doc))
}

export function documentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Text that ends the way a cut-off description does ("…", "Read more", 阅读全文). */
const TRUNCATED =
  /(?:\u2026|\.\.\.|\[…\]|read more|continue reading|阅读全文|查看全文|全文)\s*(?:»|>>|→)?\s*$/iu

function plainText(entry: FeedEntry): string {
  const raw = entry.html ? entry.html.replace(/<[^>]*>/g, ' ') : (entry.text ?? '')
  return raw.replace(/&nbsp;|\s+/g, ' ').trim()
}

/**
 * Whether the item's page is worth fetching for its full text: an Atom <summary> or JSON Feed
 * summary without content, or any item whose text is short or cut off. An RSS <description> is
 * the article in most feeds (RSSHub's included), so it alone does not count as a summary.
 */
export function wantsPage(feed: FeedDocument, entry: FeedEntry): boolean {
  if (!entry.link) return false
  if (entry.summaryOnly && feed.kind !== 'rss' && feed.kind !== 'rdf') return true
  const text = plainText(entry)
  return text.replace(/\s/g, '').length < SUMMARY_CHARS || TRUNCATED.test(text)
}
