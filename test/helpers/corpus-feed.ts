// Real corpus posts (../shared/corpus/rsshub, what an RSSHub scraper wrote) served back as the
// RSS 2.0 feed they came from: each post one item with its title, date, categories and HTML
// body, a link and guid under the test server's origin.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import matter from 'gray-matter'
import { RSSHUB } from './corpus'

export interface CorpusItem {
  title: string
  /** RFC 822, as RSS dates are written. */
  pubDate: string
  categories: string[]
  html: string
}

/** A corpus post (a path under corpus/rsshub) as a feed item. */
export function corpusItem(post: string): CorpusItem {
  // The scraper's posts may start with a blank line before their front matter.
  const parsed = matter(readFileSync(join(RSSHUB, post), 'utf8').trimStart())
  const data = parsed.data as { title?: unknown; date?: unknown; categories?: unknown }
  const date = new Date(data.date instanceof Date ? data.date : String(data.date))
  return {
    title: String(data.title),
    pubDate: date.toUTCString(),
    categories: Array.isArray(data.categories) ? data.categories.map(String) : [],
    html: parsed.content.trim()
  }
}

const escapeXml = (s: string): string =>
  s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;')

/** HTML inside CDATA (a body holding "]]>" is split across two sections). */
const cdata = (s: string): string => `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`

/**
 * An RSS 2.0 document of the given posts; item i links to `${origin}/posts/${i}` (its guid too).
 */
export function corpusRss(
  posts: readonly string[],
  feed: { title: string; origin: string }
): string {
  const items = posts.map((post, i) => {
    const item = corpusItem(post)
    const link = `${feed.origin}/posts/${i}`
    return [
      '<item>',
      `<title>${escapeXml(item.title)}</title>`,
      `<link>${escapeXml(link)}</link>`,
      `<guid isPermaLink="true">${escapeXml(link)}</guid>`,
      `<pubDate>${item.pubDate}</pubDate>`,
      ...item.categories.map((c) => `<category>${escapeXml(c)}</category>`),
      `<description>${cdata(item.html)}</description>`,
      '</item>'
    ].join('\n')
  })
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0">',
    '<channel>',
    `<title>${escapeXml(feed.title)}</title>`,
    `<link>${escapeXml(feed.origin)}/</link>`,
    `<description>${escapeXml(feed.title)}</description>`,
    ...items,
    '</channel>',
    '</rss>'
  ].join('\n')
}
