// Which source an article belongs to, for learning that source's boilerplate: the feed or site
// name the article carries (a Hexo post's author field is its feed, e.g. 快科技; a saved page's
// site name), else its address's host. Articles with neither have no source to learn from.

/** A source's key; also what the reader shows as the source's name. */
export function sourceKeyOf(a: { source: string | null; url: string | null }): string | null {
  const name = a.source?.replace(/\s+/g, ' ').trim()
  if (name) return name.slice(0, 200)
  if (!a.url) return null
  try {
    const host = new URL(a.url).hostname.toLowerCase().replace(/^www\./, '')
    return host || null
  } catch {
    return null
  }
}
