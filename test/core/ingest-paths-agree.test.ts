// A post (front matter + HTML body) and a saved web page go through different readers (the
// front-matter reader, the page extractor) before the one cleaner. Whatever the same words
// mean, both must read them the same way: bylines, dates and the removal report. Each case runs
// on both paths, with the seed article's own paragraphs as the body.
import { readFileSync } from 'node:fs'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseArticleFile } from '../../src/core/ingest/parse'
import type { ParsedArticle } from '../../src/core/model/parsed-article'
import { SEED_FILE } from '../helpers/corpus'

/** The seed's paragraphs as Sina printed them (ideographic indentation and all). */
const SEED_PARAGRAPHS = [
  ...readFileSync(SEED_FILE, 'utf8').matchAll(/<p cms-style="font-L">([\s\S]*?)<\/p>/gu)
]
  .map((m) => m[1]!.trim())
  .filter((p) => p.length > 40)
  .slice(0, 4)

const TITLE = '第四届进博会：提升城市软实力与服务保障进博会双促进'

function only(outcome: ReturnType<typeof parseArticleFile>): ParsedArticle {
  if (!outcome.ok) throw new Error(`${outcome.code}: ${outcome.reason}`)
  expect(outcome.articles).toHaveLength(1)
  return outcome.articles[0]!
}

/** A Hexo post as the corpus's scraper writes it. */
function post(body: string, frontMatter = 'date: Mon, 26 Jul 2021 04:03:03 GMT'): ParsedArticle {
  const text = `---\ntitle: '${TITLE}'\nauthor: 新浪财经\n${frontMatter}\n---\n<div>\n${body}\n</div>\n`
  const article = only(parseArticleFile(Buffer.from(text), '/posts/进博会.md'))
  expect(article.format).toBe('hexo')
  return article
}

/** A whole page saved from a browser, with the same body inside a portal's chrome. */
function page(
  body: string,
  opts: { head?: string; lang?: string; title?: string; site?: string } = {}
): ParsedArticle {
  const title = opts.title ?? TITLE
  const html = `<!DOCTYPE html><html lang="${opts.lang ?? 'zh-CN'}"><head><meta charset="utf-8">
<title>${title} | ${opts.site ?? '新浪财经'}</title>${opts.head ?? ''}</head><body>
<div class="top-nav"><a href="/">首页</a> <a href="/finance">财经</a> <a href="/stock">股票</a></div>
<div class="main-content"><h1>${title}</h1><div class="article" id="artibody">
${body}
</div></div>
<div class="footer"><a href="/about">关于我们</a> 版权所有</div></body></html>`
  const article = only(parseArticleFile(Buffer.from(html), '/pages/进博会.html'))
  expect(article.format).toBe('html-page')
  return article
}

/** An English page: an English title, and text the extractor takes for an article. */
const englishPage = (head: string): ParsedArticle =>
  page(
    '<p>The expo opens in a hundred days, the organisers said on Monday, and the city is ready.</p>'.repeat(
      6
    ),
    {
      lang: 'en',
      title: 'Expo countdown begins in Shanghai',
      site: 'City Daily',
      head
    }
  )

const paragraphs = (...extra: string[]): string =>
  [...SEED_PARAGRAPHS.map((p) => `<p>${p}</p>`), ...extra].join('\n')

function bothPaths(body: string): [string, ParsedArticle][] {
  return [
    ['post', post(body)],
    ['page', page(body)]
  ]
}

describe('bylines read the same in a post and a saved page', () => {
  it('has the seed paragraphs to test with', () => {
    expect(SEED_PARAGRAPHS).toHaveLength(4)
  })

  it('lifts a Traditional 責任編輯 line out of the body (posts kept it)', () => {
    for (const [path, a] of bothPaths(paragraphs('<p>責任編輯：王翔</p>'))) {
      expect(a.editor, path).toBe('王翔')
      expect(a.cleanText, path).not.toContain('責任編輯')
      expect(a.cleanText, path).toContain(SEED_PARAGRAPHS[3]!.trim().slice(0, 30))
    }
  })

  it('drops a staff code written against the name (王翔SF014)', () => {
    for (const [path, a] of bothPaths(paragraphs('<p>　　责任编辑：王翔SF014</p>')))
      expect(a.editor, path).toBe('王翔')
  })

  it('reads an English editor credit', () => {
    for (const [path, a] of bothPaths(paragraphs('<p>Editor: Jane Doe</p>'))) {
      expect(a.editor, path).toBe('Jane Doe')
      expect(a.cleanText, path).not.toContain('Editor:')
    }
  })

  it('reads a bracketed original-title line, Simplified or Traditional', () => {
    for (const line of ['（原标题：进博会倒计时100天）', '原標題：进博会倒计时100天']) {
      for (const [path, a] of bothPaths(`<p>${line}</p>\n${paragraphs()}`)) {
        expect(a.originalTitle, `${path} ${line}`).toBe('进博会倒计时100天')
        expect(a.cleanText, path).not.toMatch(/原[标標]题/u)
      }
    }
  })

  it('reads origin credits into origin, leaving them in the text', () => {
    const opening = '新华社上海7月26日电（记者 张三 李四）'
    const body = paragraphs('<p>（来源：新华社）</p>').replace(
      SEED_PARAGRAPHS[0]!,
      `${opening}${SEED_PARAGRAPHS[0]!.trim()}`
    )
    for (const [path, a] of bothPaths(body)) {
      expect(a.origin, path).toEqual({
        outlet: '新华社',
        reporters: ['张三', '李四'],
        lines: [opening, '（来源：新华社）']
      })
      expect(a.cleanText, path).toContain(opening)
      expect(a.cleanText, path).toContain('来源：新华社')
    }
  })

  it('names the outlet of an attribution at the start, and no outlet in prose', () => {
    const body = paragraphs().replace(SEED_PARAGRAPHS[0]!, `据澎湃新闻报道，${SEED_PARAGRAPHS[0]!}`)
    for (const [path, a] of bothPaths(body)) expect(a.origin?.outlet, path).toBe('澎湃新闻')
    for (const [path, a] of bothPaths(
      paragraphs('<p>南京公布了毒株的来源：7 月 10 日入境的航班。</p>')
    ))
      expect(a.origin, path).toBeNull()
  })
})

describe('dates read by one parser, with a zone per source kind', () => {
  const publishedMeta = (value: string): string =>
    `<meta property="article:published_time" content="${value}">`

  it('reads 2021年07月26日 12:03 and 2021/07/26 12:03 in front matter as pages do', () => {
    for (const written of ['2021年07月26日 12:03', '2021/07/26 12:03']) {
      // Front matter: zone-less times are UTC, as YAML reads them (see README: Dates).
      expect(post(paragraphs(), `date: '${written}'`).publishedAt, written).toBe(
        '2021-07-26T12:03:00.000Z'
      )
      // A Chinese page prints Beijing time.
      expect(page(paragraphs(), { head: publishedMeta(written) }).publishedAt, written).toBe(
        '2021-07-26T04:03:00.000Z'
      )
    }
  })

  it('reads a Unix time written as text in front matter as pages do', () => {
    expect(post(paragraphs(), "date: '1627272183'").publishedAt).toBe('2021-07-26T04:03:03.000Z')
    expect(page(paragraphs(), { head: publishedMeta('1627272183') }).publishedAt).toBe(
      '2021-07-26T04:03:03.000Z'
    )
  })

  it('keeps the time of a zone-less ISO date with a T (pages kept only the day)', () => {
    expect(post(paragraphs(), 'date: 2021-07-26T12:03:00').publishedAt).toBe(
      '2021-07-26T12:03:00.000Z'
    )
    expect(page(paragraphs(), { head: publishedMeta('2021-07-26T12:03:00') }).publishedAt).toBe(
      '2021-07-26T04:03:00.000Z'
    )
  })

  it('reads the same zone-less time by the stated rule: front matter UTC, a page its language', () => {
    const written = '2021-07-26 12:03'
    expect(post(paragraphs(), `date: ${written}`).publishedAt).toBe('2021-07-26T12:03:00.000Z')
    expect(page(paragraphs(), { head: publishedMeta(written) }).publishedAt).toBe(
      '2021-07-26T04:03:00.000Z'
    )
    const english = englishPage(publishedMeta(written))
    expect(english.publishedAt).toBe('2021-07-26T12:03:00.000Z')
  })

  describe('on a machine in another zone', () => {
    const before = process.env.TZ
    beforeAll(() => {
      process.env.TZ = 'America/New_York'
    })
    afterAll(() => {
      if (before === undefined) delete process.env.TZ
      else process.env.TZ = before
    })

    it('reads a date with a month name the same, whatever the machine (pages used its zone)', () => {
      const written = 'July 26, 2021 12:03'
      expect(new Date(2021, 6, 26, 12, 3).toISOString()).toBe('2021-07-26T16:03:00.000Z')
      const english = englishPage(publishedMeta(written))
      expect(english.publishedAt).toBe('2021-07-26T12:03:00.000Z')
      expect(post(paragraphs(), `date: '${written}'`).publishedAt).toBe('2021-07-26T12:03:00.000Z')
    })
  })
})

describe('the removal report', () => {
  it('keeps the same length of a removed block on both paths', () => {
    const comment = `<!-- ${'正文下广告位说明文字，'.repeat(40)} -->`
    for (const [path, a] of bothPaths(`${paragraphs()}\n${comment}`)) {
      const removed = a.removed.find((r) => r.rule === 'html-comment' && r.text.includes('广告位'))
      expect(removed, path).toBeDefined()
      expect(removed!.text.length, path).toBe(200)
      expect(removed!.text.endsWith('…'), path).toBe(true)
    }
  })
})

describe('bytes decode the same whichever reader gets them', () => {
  // GB18030 bytes (the seed's paragraphs) as a post, a saved page and an MHTML archive's part,
  // each labelled the way such files are, and once mislabelled UTF-8 as careless saves are.
  const body = paragraphs()
  const postText = `---\ntitle: '${TITLE}'\nauthor: 新浪财经\ndate: Mon, 26 Jul 2021 04:03:03 GMT\n---\n<div>\n${body}\n</div>\n`
  const pageText = (label: string): string =>
    `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="${label}"><title>${TITLE} | 新浪财经</title></head>` +
    `<body><div class="main-content"><h1>${TITLE}</h1><div class="article" id="artibody">\n${body}\n</div></div></body></html>`
  const mhtml = (label: string, html: Buffer): Buffer =>
    Buffer.concat([
      Buffer.from(
        [
          'MIME-Version: 1.0',
          'Snapshot-Content-Location: https://finance.sina.com.cn/a.shtml',
          'Content-Type: multipart/related; boundary="b1"',
          '',
          '--b1',
          `Content-Type: text/html; charset="${label}"`,
          'Content-Transfer-Encoding: binary',
          'Content-Location: https://finance.sina.com.cn/a.shtml',
          '',
          ''
        ].join('\r\n'),
        'latin1'
      ),
      html,
      Buffer.from('\r\n--b1--\r\n', 'latin1')
    ])

  function parsed(bytes: Buffer, path: string): { encoding: string; article: ParsedArticle } {
    const outcome = parseArticleFile(new Uint8Array(bytes), path)
    if (!outcome.ok) throw new Error(`${path}: ${outcome.code}: ${outcome.reason}`)
    return { encoding: outcome.encoding, article: only(outcome) }
  }

  it('names the encoding alike and reads the same paragraphs from a post, a page and an MHTML part', () => {
    const gb = (s: string): Buffer => iconv.encode(s, 'gb18030')
    const read = [
      parsed(gb(postText), '/posts/进博会.md'),
      parsed(gb(pageText('gb18030')), '/pages/进博会.html'),
      parsed(mhtml('gb18030', gb(pageText('gb18030'))), '/pages/进博会.mhtml')
    ]
    expect(new Set(read.map((r) => r.encoding))).toEqual(new Set(['GB18030']))
    for (const { article } of read) {
      expect(article.title).toBe(TITLE)
      for (const p of SEED_PARAGRAPHS.map((x) => x.replace(/^[\s\u3000]+/u, '').slice(0, 30)))
        expect(article.cleanText).toContain(p)
    }
  })

  it('does not trust a UTF-8 label on GB18030 bytes, in a page or in an MHTML part', () => {
    const bytes = iconv.encode(pageText('utf-8'), 'gb18030')
    for (const { encoding, article } of [
      parsed(bytes, '/pages/进博会.html'),
      parsed(mhtml('utf-8', bytes), '/pages/进博会.mhtml')
    ]) {
      expect(encoding).toMatch(/^GB/)
      expect(article.title).toBe(TITLE)
      expect(article.cleanText).not.toContain('\uFFFD')
    }
  })
})

describe('one tag table for both readers', () => {
  it('drops empty lists, headers and footers, and a line break beside a table, on both paths', () => {
    const table =
      '<table><tr><th>指标</th><th>数值</th></tr><tr><td>进博会首日客流</td><td>42万人次</td></tr>' +
      '<tr><td>签约</td><td>707亿美元</td></tr></table>'
    const extra = [
      '<ul><li> </li></ul>',
      '<header></header>',
      `<br>${table}<br>`,
      '<footer>\n</footer>',
      '<ol></ol>'
    ]
    const [[, fromPost], [, fromPage]] = bothPaths(paragraphs(...extra)) as [
      [string, ParsedArticle],
      [string, ParsedArticle]
    ]
    for (const a of [fromPost, fromPage]) {
      expect(a.cleanHtml).not.toMatch(/<(ul|ol|header|footer)[^>]*>\s*(<li>\s*<\/li>\s*)?<\/\1>/u)
      expect(a.cleanHtml).not.toMatch(/<br\s*\/?>\s*<table|<\/table>\s*<br/u)
      expect(a.cleanText).toContain('进博会首日客流')
      expect(a.removed.map((r) => r.rule)).toEqual(
        expect.arrayContaining(['empty-block', 'br-run'])
      )
    }
    expect(fromPost.cleanHtml).toBe(fromPage.cleanHtml)
  })
})
