// Real feeds for the capture tests and bench:feeds: the corpus's RSSHub posts (front matter +
// HTML body, as RSSHub wrote them to disk) turned back into the RSS 2.0, Atom and JSON Feed
// documents an RSSHub instance serves.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import matter from 'gray-matter'
import { filesUnder, RSSHUB } from './corpus'

export interface Post {
  /** The post's stable id in the feed (its guid / id). */
  id: string
  title: string
  /** RFC 822 date as RSSHub writes it. */
  date: string
  author: string
  categories: string[]
  html: string
  /** Where the test server serves the post as a page (set by the caller). */
  link: string
}

/** The corpus's RSSHub posts (sorted by path), read once. */
let cached:
  | {
      path: string
      title: string
      date: string
      author: string
      categories: string[]
      html: string
    }[]
  | null = null

function corpusPosts(): NonNullable<typeof cached> {
  if (cached) return cached
  cached = filesUnder(RSSHUB)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .flatMap((path) => {
      let fm: matter.GrayMatterFile<string>
      try {
        fm = matter(readFileSync(path, 'utf8').trimStart())
      } catch {
        // A few posts' front matter is not YAML gray-matter reads; the others are plenty.
        return []
      }
      const data = fm.data as Record<string, unknown>
      const date = data.date instanceof Date ? data.date.toUTCString() : String(data.date ?? '')
      return [
        {
          path,
          title: String(data.title ?? ''),
          date,
          author: String(data.author ?? ''),
          categories: Array.isArray(data.categories) ? data.categories.map(String) : [],
          html: fm.content.trim()
        }
      ]
    })
    .filter((p) => p.title && p.html)
  return cached
}

/** `count` posts from the corpus starting at `from` (wrapping around), linked under `linkBase`. */
export function posts(count: number, linkBase: string, from = 0): Post[] {
  const all = corpusPosts()
  return Array.from({ length: count }, (_, i) => {
    const n = from + i
    const p = all[n % all.length]!
    const round = Math.floor(n / all.length)
    return {
      id: `post-${n}`,
      // Posts reused past the corpus's end get their own title and date, so they are new articles.
      title: round ? `${p.title} (${round})` : p.title,
      date: round ? new Date(Date.parse(p.date) + round * 86_400_000).toUTCString() : p.date,
      author: p.author,
      categories: p.categories,
      html: round ? `<p>Round ${round}.</p>${p.html}` : p.html,
      link: `${linkBase}/post-${n}.html`
    }
  })
}

export const corpusPostCount = (): number => corpusPosts().length
export const corpusPostFile = (i: number): string => corpusPosts()[i % corpusPosts().length]!.path

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const cdata = (s: string): string => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`

export interface FeedHead {
  title: string
  site: string
  language?: string
}

/** RSS 2.0 as RSSHub writes it: the whole post in <description>. */
export function rss2(head: FeedHead, items: Post[], opts: { summaryOnly?: boolean } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${cdata(head.title)}</title>
<link>${esc(head.site)}</link>
<description>${cdata(`${head.title} - Made with love by RSSHub`)}</description>
<language>${head.language ?? 'zh-cn'}</language>
${items
  .map(
    (p) => `<item>
<title>${cdata(p.title)}</title>
<description>${cdata(opts.summaryOnly ? summaryOf(p) : p.html)}</description>
<pubDate>${p.date}</pubDate>
<guid isPermaLink="false">${esc(p.id)}</guid>
<link>${esc(p.link)}</link>
<author>${cdata(p.author)}</author>
${p.categories.map((c) => `<category>${cdata(c)}</category>`).join('\n')}
</item>`
  )
  .join('\n')}
</channel>
</rss>`
}

/** The first words of a post and an ellipsis: what a summary-only feed gives. */
export function summaryOf(p: Post): string {
  const text = p.html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return `${text.slice(0, 60)}…`
}

export function atom(head: FeedHead, items: Post[], opts: { summaryOnly?: boolean } = {}): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${head.language ?? 'zh-CN'}">
<title>${esc(head.title)}</title>
<link rel="alternate" href="${esc(head.site)}"/>
<id>${esc(head.site)}</id>
<updated>2021-06-01T00:00:00Z</updated>
${items
  .map(
    (p) => `<entry>
<title>${esc(p.title)}</title>
<id>${esc(p.id)}</id>
<link rel="alternate" href="${esc(p.link)}"/>
<published>${new Date(Date.parse(p.date)).toISOString()}</published>
<updated>${new Date(Date.parse(p.date)).toISOString()}</updated>
<author><name>${esc(p.author)}</name></author>
${p.categories.map((c) => `<category term="${esc(c)}"/>`).join('\n')}
${opts.summaryOnly ? `<summary type="text">${esc(summaryOf(p))}</summary>` : `<content type="html">${esc(p.html)}</content>`}
</entry>`
  )
  .join('\n')}
</feed>`
}

export function jsonFeed(head: FeedHead, items: Post[]): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: head.title,
    home_page_url: head.site,
    language: head.language ?? 'zh-CN',
    items: items.map((p) => ({
      id: p.id,
      url: p.link,
      title: p.title,
      content_html: p.html,
      date_published: new Date(Date.parse(p.date)).toISOString(),
      authors: [{ name: p.author }],
      tags: p.categories
    }))
  })
}

/** The post as the page its link points to (a site's article page around the text). */
export function postPage(p: Post): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(p.title)}</title></head>
<body><header><nav><a href="/">首页</a> <a href="/news">新闻</a></nav></header>
<main><article><h1>${esc(p.title)}</h1><p class="meta">${esc(p.author)} · ${esc(p.date)}</p>
${p.html}
</article></main><footer>© site</footer></body></html>`
}

export const corpusRoot = (): string => join(RSSHUB)
