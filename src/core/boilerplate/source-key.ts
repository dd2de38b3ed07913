// Which source an article belongs to, for learning that source's boilerplate. A saved web page
// belongs to its site, known by its address's host (a page's site-name or author metadata is
// missing or differs from page to page). A feed post or a Markdown/Hexo file belongs to the feed
// or site name it carries (a Hexo post's author field is its feed, e.g. 快科技), else its host.
// Articles with neither have no source to learn from.
import type { ArticleFormat } from '../model/parsed-article'

const PAGE_FORMATS: ReadonlySet<string> = new Set<ArticleFormat>(['html-page', 'mhtml'])

export interface SourceFields {
  source: string | null
  url: string | null
  format: string
}

function hostOf(url: string | null): string | null {
  if (!url) return null
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '') || null
  } catch {
    return null
  }
}

/** A source's key; also what the reader shows as the source's name. */
export function sourceKeyOf(a: SourceFields): string | null {
  const host = hostOf(a.url)
  if (host && PAGE_FORMATS.has(a.format)) return host
  const name = a.source?.replace(/\s+/g, ' ').trim()
  return name ? name.slice(0, 200) : host
}

/** Whether a key names a host (as sourceKeyOf makes them) rather than a feed or site name. */
export function isHostKey(key: string): boolean {
  return !/\s/.test(key) && /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(key)
}
