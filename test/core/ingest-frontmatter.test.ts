import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parsePublishedDate, sourceZone } from '../../src/core/dates/published-date'
import { parseArticleFile } from '../../src/core/ingest/parse'
import type { ParsedArticle } from '../../src/core/model/parsed-article'
import { SHARED } from '../helpers/corpus'

function parse(text: string, path = '/library/inbox/note.md'): ParsedArticle {
  const outcome = parseArticleFile(Buffer.from(text, 'utf8'), path)
  if (!outcome.ok) throw new Error(`${outcome.code}: ${outcome.reason}`)
  return outcome.articles[0]!
}

describe('YAML front matter that strict YAML rejects', () => {
  it('keeps unescaped quotes inside a quoted title', () => {
    const a = parse("---\ntitle: '他说'不'行'\nauthor: 新浪财经\n---\n<p>正文</p>\n")
    expect(a.title).toBe("他说'不'行")
    expect(a.author).toBe('新浪财经')
    expect(a.warnings.some((w) => w.startsWith('YAML front matter not valid'))).toBe(true)
  })

  it('reads the multi-line titles of the corpus', () => {
    const dir = `${SHARED}/corpus/rsshub/社交媒体/Mastodon/实例公共时间线（本站）/`
    const file = dir + readdirSync(dir).find((n) => n.includes('🤔'))!
    const outcome = parseArticleFile(readFileSync(file), file)
    expect(outcome.ok).toBe(true)
    if (!outcome.ok) return
    const title = outcome.articles[0]!.title
    expect(title).toContain('@003_miss_')
    expect(title).toContain('🤔')
    expect(title).not.toContain('\n')
  })

  it('keeps every key of a duplicate-key, tab-indented block, the last non-empty value winning', () => {
    const a = parse(
      '---\ntitle: First\ntitle: Second\nauthor:\tJane Doe\n\tsource: Example Wire\ncategories:\n - 科技\n - 互联网\nextra: yes\n---\nBody text here.\n'
    )
    expect(a.title).toBe('Second')
    expect(a.author).toBe('Jane Doe')
    expect(a.source).toBe('Example Wire')
    expect(a.categoryPath).toEqual(['科技', '互联网'])
    expect(a.meta.extra).toBe('yes')
    expect(a.cleanText).toBe('Body text here.')
  })

  it('falls back from an empty title to the first heading, then to the file name', () => {
    expect(parse("---\ntitle: ''\n---\n# Quarterly outlook\n\nText.\n").title).toBe(
      'Quarterly outlook'
    )
    const a = parse("---\ntitle: ''\nauthor: x\n---\nJust text.\n", '/inbox/我的剪报 2021.md')
    expect(a.title).toBe('我的剪报 2021')
    expect(a.warnings).toContain('no title found; file name used')
  })

  it('fails a block with no title and no body as no-content', () => {
    expect(
      parseArticleFile(Buffer.from("---\ntitle: ' '\nauthor: x\n---\n\n<div>  </div>\n"), '/x/ .md')
    ).toEqual({
      ok: false,
      code: 'no-content',
      reason: 'YAML front matter has no title and the body has no text'
    })
  })

  it('tolerates a BOM and blank lines before the opening ---', () => {
    const a = parse('\uFEFF\n\n  \n---\ntitle: Hello\n---\n<p>World</p>')
    expect(a.title).toBe('Hello')
    expect(a.cleanText).toBe('World')
  })

  it('keeps meta JSON-safe (YAML dates become ISO strings) and returns fresh objects each time', () => {
    const text =
      '---\ntitle: T\ndate: 2021-04-11 00:30:33\nupdated: 2021-04-12\nnested:\n  a: 1\n---\n<p>x</p>'
    const first = parse(text)
    expect(first.publishedAt).toBe('2021-04-11T00:30:33.000Z')
    expect(first.meta.updated).toBe('2021-04-12T00:00:00.000Z')
    expect(JSON.parse(JSON.stringify(first.meta))).toEqual(first.meta)
    ;(first.meta.nested as Record<string, unknown>).a = 2
    expect((parse(text).meta.nested as Record<string, unknown>).a).toBe(1)
  })
})

describe('other front-matter flavours and bodies', () => {
  it('reads Hugo TOML front matter with a Markdown body', () => {
    const a = parse(
      '+++\ntitle = "Rates hold steady"\ndate = 2021-07-26T04:03:03Z\ntags = ["economy", "rates"]\ncategories = ["Finance"]\nsource_url = "https://news.example/rates"\n+++\n\nThe **central bank** held rates.\n\n- one\n- two\n'
    )
    expect(a.format).toBe('markdown')
    expect(a.title).toBe('Rates hold steady')
    expect(a.publishedAt).toBe('2021-07-26T04:03:03.000Z')
    expect(a.tags).toEqual(['economy', 'rates'])
    expect(a.categoryPath).toEqual(['Finance'])
    expect(a.url).toBe('https://news.example/rates')
    expect(a.cleanHtml).toContain('<strong>central bank</strong>')
    expect(a.cleanText).toBe('The central bank held rates.\n\none\n\ntwo')
  })

  it('renders a Jekyll post body as Markdown', () => {
    const a = parse(
      '---\nlayout: post\ntitle: Notes\ntags: a, b , ,c\n---\n## Section\n\nSee [the source](https://example.com/x).\n'
    )
    expect(a.format).toBe('markdown')
    expect(a.tags).toEqual(['a', 'b', 'c'])
    expect(a.cleanHtml).toContain('<h2>Section</h2>')
    expect(a.cleanHtml).toContain('href="https://example.com/x"')
  })

  it('reads plain Markdown without front matter, title from the first heading', () => {
    const a = parse('# 上海进博会\n\n第一段，**重点**。\n\n- 项目一\n- 项目二\n', '/inbox/clip.md')
    expect(a.format).toBe('markdown')
    expect(a.title).toBe('上海进博会')
    expect(a.cleanText).toBe('上海进博会\n\n第一段，重点。\n\n项目一\n\n项目二')
  })

  it('reads plain text: paragraphs from blank lines, or one per line when there are none', () => {
    const spaced = parse('First paragraph\nstill first.\n\nSecond paragraph.\n', '/inbox/a.txt')
    expect(spaced.format).toBe('text')
    expect(spaced.title).toBe('a')
    expect(spaced.cleanText).toBe('First paragraph\nstill first.\n\nSecond paragraph.')
    const lines = parse('　　第一段。\n　　第二段。\n　　第三段。', '/inbox/b.txt')
    expect(lines.cleanText).toBe('第一段。\n\n第二段。\n\n第三段。')
  })

  it('reads a whole HTML page by content even with a .txt name', () => {
    const a = parse(
      '<!DOCTYPE html><html><head><title>Site | Page</title><meta property="og:title" content="The real title"><meta name="author" content="Jane"><link rel="canonical" href="https://example.com/p"><meta property="article:published_time" content="2021-07-26T12:03:03+08:00"></head>' +
        '<body><nav>Home | About</nav><article><h1>The real title</h1><p>Body <script>x()</script>text.</p></article><footer>©</footer></body></html>',
      '/inbox/saved.txt'
    )
    expect(a.format).toBe('html-page')
    expect(a.title).toBe('The real title')
    expect(a.author).toBe('Jane')
    expect(a.url).toBe('https://example.com/p')
    expect(a.publishedAt).toBe('2021-07-26T04:03:03.000Z')
    // What else of the page is kept is the extractor's business (page.ts); the text must be there.
    expect(a.cleanText).toContain('Body text.')
    expect(a.cleanHtml).not.toContain('<script')
  })

  it('takes categories from nested lists (first path) and keeps the rest in meta', () => {
    const a = parse('---\ntitle: T\ncategories:\n  - [金融, 新浪财经]\n  - [科技]\n---\n<p>x</p>')
    expect(a.categoryPath).toEqual(['金融', '新浪财经'])
    expect(a.meta.otherCategoryPaths).toEqual([['科技']])
    expect(parse('---\ntitle: T\ncategories: 金融\n---\n<p>x</p>').categoryPath).toEqual(['金融'])
    expect(
      parse("---\ntitle: T\ncategories:\n - ' 金融 '\n - ''\n---\n<p>x</p>").categoryPath
    ).toEqual(['金融'])
  })

  it('takes the url from link/permalink and a separate source field over the author', () => {
    const a = parse(
      '---\ntitle: T\nauthor: 王五\nsite: 财新网\nlink: https://caixin.example/a\n---\n<p>x</p>'
    )
    expect(a.author).toBe('王五')
    expect(a.source).toBe('财新网')
    expect(a.url).toBe('https://caixin.example/a')
    expect(parse('---\ntitle: T\npermalink: /local/path\n---\n<p>x</p>').url).toBeNull()
  })

  it("warns about 'Invalid Date' and sets no date", () => {
    const a = parse('---\ntitle: T\ndate: Invalid Date\n---\n<p>x</p>')
    expect(a.publishedAt).toBeNull()
    expect(a.warnings).toContain("date 'Invalid Date' not understood; no date set")
  })
})

describe('parsePublishedDate (front matter)', () => {
  const zone = sourceZone('front-matter', null)
  const cases: Array<[unknown, string]> = [
    ['Mon, 26 Jul 2021 04:03:03 GMT', '2021-07-26T04:03:03.000Z'],
    ['Fri, 29 Oct 2021 00:00:00 +0800', '2021-10-28T16:00:00.000Z'],
    ['2021-04-11 00:30:33', '2021-04-11T00:30:33.000Z'],
    ['2021-4-1 8:05', '2021-04-01T08:05:00.000Z'],
    ['2021-07-26T04:03:03Z', '2021-07-26T04:03:03.000Z'],
    ['2021-07-26T12:03:03.5+08:00', '2021-07-26T04:03:03.500Z'],
    ['2021-07-26T04:03:03', '2021-07-26T04:03:03.000Z'],
    ['2021-07-26', '2021-07-26T00:00:00.000Z'],
    [new Date(Date.UTC(2021, 6, 26, 4, 3, 3)), '2021-07-26T04:03:03.000Z'],
    [1627272183, '2021-07-26T04:03:03.000Z']
  ]
  for (const [input, expected] of cases) {
    it(`reads ${String(input)}`, () => {
      expect(parsePublishedDate(input, zone)).toEqual({ iso: expected })
    })
  }

  for (const junk of [
    'Invalid Date',
    'yesterday',
    '2021-13-45 99:99:99',
    '',
    'Mon, 99 Foo 2021 04:03:03 GMT'
  ]) {
    it(`rejects '${junk}' with a warning`, () => {
      expect(parsePublishedDate(junk, zone)).toEqual({
        iso: null,
        warning: `date '${junk}' not understood; no date set`
      })
    })
  }
})

describe('routing by content', () => {
  it('sends an MHTML archive (any extension) to the MHTML reader', () => {
    const page =
      '<!doctype html><html><head><title>存档页面</title></head><body><article><p>存档正文第一段，内容足够长以便被识别为正文。</p></article></body></html>'
    const mhtml = [
      'From: <Saved by Blink>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/related; type="text/html"; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/html; charset="utf-8"',
      'Content-Transfer-Encoding: base64',
      'Content-Location: https://example.com/a',
      '',
      Buffer.from(page, 'utf8').toString('base64'),
      '--b1--',
      ''
    ].join('\r\n')
    const outcome = parseArticleFile(Buffer.from(mhtml, 'latin1'), '/inbox/saved.txt')
    expect(outcome.ok).toBe(true)
    if (!outcome.ok) return
    expect(outcome.articles[0]!.format).toBe('mhtml')
    expect(outcome.articles[0]!.cleanText).toContain('存档正文第一段')
  })

  it('routes a feed file to the feed reader (an empty channel has no items to import)', () => {
    const rss =
      '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>x</title></channel></rss>'
    expect(parseArticleFile(Buffer.from(rss), '/inbox/feed.xml')).toMatchObject({
      ok: false,
      code: 'no-content',
      reason: 'feed has no items with text'
    })
  })

  it('refuses a table (the corpus manifest) instead of importing its rows as an article', () => {
    const manifest = readFileSync(`${SHARED}/corpus/rsshub/MANIFEST.tsv`)
    const rows = manifest.toString('utf8').trim().split('\n').length
    expect(parseArticleFile(manifest, '/x/MANIFEST.tsv')).toEqual({
      ok: false,
      code: 'unsupported',
      reason: `a table (${rows} rows of 5 tab-separated columns), not an article`
    })
    // Prose with commas is not a table.
    const prose = 'First line, with a comma.\nSecond line has, two, commas.\nThird.'
    expect(parseArticleFile(Buffer.from(prose), '/x/notes.txt').ok).toBe(true)
  })

  it('reads an HTML fragment without front matter as an article body', () => {
    const a = parse(
      '<p>　　第一段。</p><p>第二段。</p><p class="article-editor">责任编辑：李四</p>',
      '/inbox/frag.htm'
    )
    expect(a.cleanText).toBe('第一段。\n\n第二段。')
    expect(a.editor).toBe('李四')
  })
})
