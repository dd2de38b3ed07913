import { afterEach, describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { importPaths } from '../../src/core/importer/run'
import { parseArticleFile } from '../../src/core/ingest/parse'
import type { ParsedArticle } from '../../src/core/model/parsed-article'
import { openLibraryDb, type Db } from '../../src/core/library/open'
import { tempDir } from '../helpers/corpus'

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="rss.xsl"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>新浪财经 &amp; 要闻</title>
    <link>https://finance.sina.com.cn/</link>
    <description>财经新闻</description>
    <item>
      <title><![CDATA[第四届进博会：提升城市软实力]]></title>
      <link>https://finance.sina.com.cn/a/1.shtml</link>
      <pubDate>Mon, 26 Jul 2021 04:03:03 GMT</pubDate>
      <dc:creator>王翔</dc:creator>
      <category>金融</category>
      <category domain="sina">国内</category>
      <description>摘要不该成为正文</description>
      <content:encoded><![CDATA[<p>\u3000\u30007月26日上午，第四届进博会城市服务保障工作推进会召开。</p><script>alert('x')</script><p>第二段。</p>]]></content:encoded>
    </item>
    <item>
      <title>Markets rally on rate hopes</title>
      <guid isPermaLink="true">https://example.com/markets</guid>
      <author>desk@example.com (Jane Doe)</author>
      <pubDate>Tue, 27 Jul 2021 10:00:00 +0800</pubDate>
      <description>&lt;p&gt;Stocks rose &amp;amp; bonds fell.&lt;/p&gt;&lt;script&gt;steal()&lt;/script&gt;</description>
    </item>
    <item>
      <title></title>
      <description></description>
    </item>
    <item>
      <description>No title here, just a short note about the weather in the harbour today and more words after that</description>
      <pubDate>not a date</pubDate>
    </item>
  </channel>
</rss>`

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Example Atom</title>
  <link rel="self" href="https://example.org/atom.xml"/>
  <link rel="alternate" href="https://example.org/"/>
  <updated>2024-03-01T12:00:00Z</updated>
  <entry>
    <title type="html">Rust &amp;lt;3 SQLite</title>
    <link rel="replies" href="https://example.org/1#comments"/>
    <link rel="alternate" type="text/html" href="https://example.org/1"/>
    <id>urn:uuid:1</id>
    <published>2024-03-01T08:30:00+08:00</published>
    <updated>2024-03-02T00:00:00Z</updated>
    <author><name>Ada Lovelace</name></author>
    <category term="databases"/>
    <category term="rust" label="Rust"/>
    <summary>Short summary.</summary>
    <content type="html"><![CDATA[<p>Body with <b>bold</b>.</p><script>evil()</script>]]></content>
  </entry>
  <entry>
    <title>中文条目</title>
    <link href="https://example.org/2"/>
    <updated>2024-03-03T09:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>第一段 &amp; 更多。</p><p>第二段。</p></div></content>
  </entry>
  <entry>
    <title>Text only</title>
    <updated>2024-03-04T09:00:00Z</updated>
    <summary type="text">Line one &lt;not a tag&gt;

Line two</summary>
  </entry>
</feed>`

const RDF = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/"><title>RDF Site</title><link>https://rdf.example/</link></channel>
  <item rdf:about="https://rdf.example/1">
    <title>RDF item</title><link>https://rdf.example/1</link>
    <description>Plain description.</description>
    <dc:date>2021-04-11T00:30:33Z</dc:date><dc:creator>Bob</dc:creator><dc:subject>misc</dc:subject>
  </item>
</rdf:RDF>`

const JSON_FEED = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'JSON 新闻',
  home_page_url: 'https://json.example/',
  items: [
    {
      id: '1',
      url: 'https://json.example/1',
      title: '人工智能周报',
      content_html: '<p>本周要闻。</p><script>x()</script><p>第二段。</p>',
      date_published: '2021-04-11 00:30:33',
      authors: [{ name: '李四' }],
      tags: ['科技', 'AI']
    },
    {
      id: '2',
      url: 'https://json.example/2',
      title: 'Plain text item',
      content_text: 'First paragraph.\n\nSecond paragraph.',
      date_published: '2021-04-12T08:00:00-05:00',
      author: { name: 'Old Style Author' }
    },
    { id: '3' }
  ]
})

function articles(text: string, path = 'x.xml'): ParsedArticle[] {
  const outcome = parseArticleFile(Buffer.from(text), path)
  if (!outcome.ok) throw new Error(`expected ok, got ${outcome.code}: ${outcome.reason}`)
  return outcome.articles
}

describe('RSS 2.0', () => {
  const [zh, en, untitled, ...rest] = articles(RSS)

  it('keeps one article per usable item and skips the empty one with a warning', () => {
    expect(rest).toHaveLength(0)
    expect(untitled?.warnings).toContain('feed item 3 has neither a title nor text; skipped')
  })

  it('reads the Chinese item: content:encoded over description, no script', () => {
    expect(zh).toMatchObject({
      format: 'feed',
      encoding: 'UTF-8',
      title: '第四届进博会：提升城市软实力',
      url: 'https://finance.sina.com.cn/a/1.shtml',
      publishedAt: '2021-07-26T04:03:03.000Z',
      author: '王翔',
      source: '新浪财经 & 要闻',
      categoryPath: [],
      tags: ['金融', '国内']
    })
    expect(zh?.cleanText).toContain('第四届进博会城市服务保障工作推进会召开')
    expect(zh?.cleanText).toContain('第二段。')
    expect(zh?.cleanText).not.toContain('摘要不该成为正文')
    expect(zh?.cleanHtml).not.toMatch(/script|alert/u)
    expect(zh?.meta.feed).toEqual({
      kind: 'rss',
      title: '新浪财经 & 要闻',
      url: 'https://finance.sina.com.cn/'
    })
    const item = zh?.meta.item as Record<string, unknown>
    expect(item.link).toEqual(['https://finance.sina.com.cn/a/1.shtml'])
    expect(item['content:encoded']).toBeUndefined()
    expect(JSON.parse(JSON.stringify(zh?.meta))).toEqual(zh?.meta)
  })

  it('reads the English item: escaped HTML description, guid link, RFC 1123 offset date', () => {
    expect(en).toMatchObject({
      title: 'Markets rally on rate hopes',
      url: 'https://example.com/markets',
      publishedAt: '2021-07-27T02:00:00.000Z',
      author: 'desk@example.com (Jane Doe)',
      tags: []
    })
    expect(en?.cleanText).toBe('Stocks rose & bonds fell.')
    expect(en?.cleanHtml).not.toMatch(/script|steal/u)
  })

  it('titles an untitled item with its first words and warns about a bad date', () => {
    expect(untitled?.title).toBe('No title here, just a short note about the weather in the…')
    expect(untitled?.publishedAt).toBeNull()
    expect(untitled?.warnings).toContain('feed item has no title; its first words used')
    expect(untitled?.warnings.some((w) => /date 'not a date' not understood/u.test(w))).toBe(true)
  })
})

describe('RSS 1.0 (RDF)', () => {
  it('reads items that are siblings of the channel', () => {
    const [a, ...rest] = articles(RDF, 'x.rdf')
    expect(rest).toHaveLength(0)
    expect(a).toMatchObject({
      title: 'RDF item',
      url: 'https://rdf.example/1',
      publishedAt: '2021-04-11T00:30:33.000Z',
      author: 'Bob',
      source: 'RDF Site',
      tags: ['misc'],
      cleanText: 'Plain description.'
    })
  })
})

describe('Atom', () => {
  const [en, zh, text, ...rest] = articles(ATOM)

  it('reads the alternate link, published date, author, categories and HTML content', () => {
    expect(rest).toHaveLength(0)
    expect(en).toMatchObject({
      title: 'Rust <3 SQLite',
      url: 'https://example.org/1',
      publishedAt: '2024-03-01T00:30:00.000Z',
      author: 'Ada Lovelace',
      source: 'Example Atom',
      categoryPath: [],
      tags: ['databases', 'rust']
    })
    expect(en?.cleanText).toBe('Body with bold.')
    expect(en?.cleanHtml).not.toMatch(/script|evil/u)
    expect(en?.meta.feed).toMatchObject({ kind: 'atom', url: 'https://example.org/' })
  })

  it('reads XHTML content and falls back to updated', () => {
    expect(zh).toMatchObject({
      title: '中文条目',
      url: 'https://example.org/2',
      publishedAt: '2024-03-03T09:00:00.000Z',
      author: null
    })
    expect(zh?.cleanText).toBe('第一段 & 更多。\n\n第二段。')
  })

  it('turns a text summary into paragraphs, escaping what looks like markup', () => {
    expect(text?.cleanText).toBe('Line one <not a tag>\n\nLine two')
    expect(text?.url).toBeNull()
  })
})

describe('JSON Feed', () => {
  it('reads content_html, content_text, authors, tags and both date forms', () => {
    const [zh, en, ...rest] = articles(JSON_FEED, 'feed.json')
    expect(rest).toHaveLength(0)
    expect(zh).toMatchObject({
      title: '人工智能周报',
      url: 'https://json.example/1',
      // A Chinese feed's time without a zone is Beijing time (see published-date.ts).
      publishedAt: '2021-04-10T16:30:33.000Z',
      author: '李四',
      source: 'JSON 新闻',
      tags: ['科技', 'AI']
    })
    expect(zh?.cleanText).toBe('本周要闻。\n\n第二段。')
    expect(zh?.cleanHtml).not.toContain('script')
    expect(zh?.meta.item).not.toHaveProperty('content_html')
    expect(en).toMatchObject({
      title: 'Plain text item',
      publishedAt: '2021-04-12T13:00:00.000Z',
      author: 'Old Style Author',
      cleanText: 'First paragraph.\n\nSecond paragraph.'
    })
    expect(en?.warnings).toContain('feed item 3 has neither a title nor text; skipped')
  })
})

describe('feeds that yield nothing', () => {
  it('refuses a feed with no usable items', () => {
    const rss =
      '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>x</title></channel></rss>'
    expect(parseArticleFile(Buffer.from(rss), 'feed.xml')).toEqual({
      ok: false,
      code: 'no-content',
      reason: 'feed has no items with text'
    })
  })

  it('refuses malformed XML with the parser message', () => {
    const bad = '<rss version="2.0"><channel><item><title>x</title></channel></rss>'
    const outcome = parseArticleFile(Buffer.from(bad), 'feed.xml')
    expect(outcome).toMatchObject({ ok: false, code: 'parse-error' })
    if (outcome.ok) return
    expect(outcome.reason).toMatch(/^feed XML not readable: Expected closing tag 'item'/u)
    expect(outcome.reason).not.toContain('\n')
  })

  it('does not expand an entity expansion bomb: its references stay as written', () => {
    const lol = ['<!ENTITY a "lollollollollollollollollollol">']
    for (let i = 1; i < 10; i++)
      lol.push(`<!ENTITY ${'abcdefghij'[i]} "${`&${'abcdefghij'[i - 1]};`.repeat(10)}">`)
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE rss [${lol.join('')}]>\n<rss><channel><title>&j;</title><item><title>&j;</title><description>x</description></item></channel></rss>`
    const outcome = parseArticleFile(Buffer.from(bomb), 'bomb.xml')
    // An entity defined through other entities is never expanded (a plain one is: below), so the
    // billion laughs are one harmless article with its reference left as text.
    expect(outcome).toMatchObject({
      ok: true,
      articles: [{ title: '&j;', source: '&j;', cleanText: 'x' }]
    })
    expect(JSON.stringify(outcome)).not.toContain('lol')
    const plain = parseArticleFile(
      Buffer.from(
        `<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "lol">]>\n<rss><channel><title>t</title><item><title>x &a;</title><description>x</description></item></channel></rss>`
      ),
      'plain.xml'
    )
    expect(plain).toMatchObject({ ok: true, articles: [{ title: 'x lol' }] })
  })
})

describe('feed links are article addresses only when they are http(s)', () => {
  // Links were stored as article URLs without a scheme check: `javascript:` reached the JSON
  // export and Markdown front matter.
  const articlesOf = (text: string, name: string): ParsedArticle[] => {
    const outcome = parseArticleFile(Buffer.from(text), `/feeds/${name}`)
    if (!outcome.ok) throw new Error(outcome.reason)
    return outcome.articles
  }
  const item = (link: string, n: number): string =>
    `<item><title>Item ${n}</title><link>${link}</link><description>Text of item ${n}.</description></item>`

  it('RSS: javascript:, data:, file: and non-addresses give no URL and a warning; http(s) is normalised', () => {
    const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://example.com/news/</link>
      ${item('javascript:alert(document.cookie)', 1)}
      ${item('  JavaScript:alert(1)', 2)}
      ${item('data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;', 3)}
      ${item('file:///etc/passwd', 4)}
      ${item('HTTPS://Example.COM/a b', 5)}
      ${item('/relative/6.html', 6)}
      </channel></rss>`
    const got = articlesOf(rss, 'links.xml')
    expect(got.map((a) => a.url)).toEqual([
      null,
      null,
      null,
      null,
      'https://example.com/a%20b',
      'https://example.com/relative/6.html'
    ])
    for (const a of got.slice(0, 4))
      expect(a.warnings.join(' ')).toMatch(
        /feed item \d: link ".*" is not an http\(s\) address; no URL stored/u
      )
  })

  it("Atom and JSON Feed: the same, relative links resolved against the feed's site", () => {
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
      <link rel="alternate" href="https://example.org/blog/"/>
      <entry><title>One</title><link href="javascript:void(0)"/><content type="text">Text one.</content></entry>
      <entry><title>Two</title><link href="2.html"/><content type="text">Text two.</content></entry>
      </feed>`
    expect(articlesOf(atom, 'a.atom').map((a) => a.url)).toEqual([
      null,
      'https://example.org/blog/2.html'
    ])
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'J',
      home_page_url: 'https://example.net/',
      items: [
        { id: '1', title: 'One', url: 'javascript:alert(1)', content_text: 'Text one.' },
        { id: '2', title: 'Two', external_url: 'vbscript:msgbox', content_text: 'Text two.' },
        { id: '3', title: 'Three', url: 'https://example.net/3', content_text: 'Text three.' }
      ]
    })
    const got = articlesOf(json, 'f.json')
    expect(got.map((a) => a.url)).toEqual([null, null, 'https://example.net/3'])
    expect(got[0]?.warnings.join(' ')).toMatch(
      /"javascript:alert\(1\)" is not an http\(s\) address/u
    )
  })

  it("front matter and a page's canonical link get the same check", () => {
    const post = parseArticleFile(
      Buffer.from(
        "---\ntitle: t\nurl: 'javascript:alert(1)'\nlink: 'https://ok.example/p'\n---\n\nBody.\n"
      ),
      '/x/post.md'
    )
    expect(post.ok && post.articles[0]?.url).toBe('https://ok.example/p')
    const page = parseArticleFile(
      Buffer.from(
        '<!doctype html><html><head><title>P</title><link rel="canonical" href="javascript:alert(1)"></head><body><article><p>Some article text that is long enough to be the body of this page.</p></article></body></html>'
      ),
      '/x/page.html'
    )
    expect(page.ok && page.articles[0]?.url).toBeNull()
  })
})

describe('importing a feed file', () => {
  let db: Db | undefined
  let cleanup: (() => void) | undefined
  afterEach(() => {
    db?.close()
    db = undefined
    cleanup?.()
  })

  it('stores one article per item as file#n, and a re-import finds duplicates', async () => {
    const t = tempDir()
    cleanup = t.cleanup
    db = openLibraryDb(join(t.dir, 'library.db'))
    const inbox = join(t.dir, 'in')
    mkdirSync(inbox)
    const feed = join(inbox, 'feed.xml')
    writeFileSync(feed, RSS)

    const first = await importPaths(db, [feed])
    expect(first.results.map((r) => [r.path, r.status])).toEqual([
      [`${feed}#1`, 'imported'],
      [`${feed}#2`, 'imported'],
      [`${feed}#3`, 'imported']
    ])
    const rows = db
      .prepare<[], { title: string }>('SELECT title FROM articles ORDER BY id')
      .all()
      .map((r) => r.title)
    expect(rows).toEqual([
      '第四届进博会：提升城市软实力',
      'Markets rally on rate hopes',
      'No title here, just a short note about the weather in the…'
    ])

    // The same bytes again: one duplicate for the file.
    const again = await importPaths(db, [feed])
    expect(again.counts).toMatchObject({ imported: 0, duplicates: 1 })

    // Same items in different bytes at another path: each item is a duplicate.
    const copy = join(inbox, 'copy.xml')
    writeFileSync(copy, `${RSS}\n<!-- fetched again -->\n`)
    const third = await importPaths(db, [copy])
    expect(third.results.map((r) => [r.path, r.status])).toEqual([
      [`${copy}#1`, 'duplicate'],
      [`${copy}#2`, 'duplicate'],
      [`${copy}#3`, 'duplicate']
    ])
  })
})
