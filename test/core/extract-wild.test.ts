// Issue 16's kinds of failure on pages the cleaner had never seen, each on a small page built to
// show it: the extractor must keep the article through odd markup and misleading class names.
import { describe, expect, it } from 'vitest'
import { extractArticle } from '../../src/core/extract/extract-article'
import { parseRulesText, shippedSiteRules } from '../../src/core/extract/site-rules'
import { parseArticleFile } from '../../src/core/ingest/parse'
import { cleanArticleHtml } from '../../src/core/clean/clean-article'

const rules = shippedSiteRules()

/** Four paragraphs of ordinary news prose, numbered so a test can say which one went missing. */
function prose(n = 4, topic = 'harbour'): string[] {
  return Array.from(
    { length: n },
    (_, i) =>
      `Paragraph ${i + 1}: the ${topic} authority said on Tuesday that repairs to the old pier, ` +
      `closed since the spring storms, would take another three months, and that ferries ` +
      `would keep using the temporary landing until the work is finished.`
  )
}

function page(head: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Pier repairs</title>${head}</head><body>${body}</body></html>`
}

const ps = (list: string[], attrs = ''): string => list.map((t) => `<p${attrs}>${t}</p>`).join('\n')

describe('scripts, styles and comments are cut as the HTML tokenizer ends them', () => {
  it('ends a script at "</script" followed by a line break, not at the next "</script>"', () => {
    const html = page(
      '',
      `<script>var a = 1;</script\n\n  <!--plugin: https://example.org/x-->\n` +
        `<article>${ps(prose())}</article>` +
        `<script>var b = "</scripts>";</script>`
    )
    const x = extractArticle(html, { rules })
    for (const t of prose()) expect(x.text).toContain(t)
    expect(x.text).not.toContain('var b')
  })

  it('keeps a ">" inside a quoted attribute of the script tag, and JSON-LD for the metadata', () => {
    const html = page(
      `<script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Person","name":"Ada Lovelace"}}</script>` +
        `<script data-x="a>b">if (1 > 0) { document.write('<p>not prose</p>') }</script>` +
        `<style>p > a { color: red }</style><!-- a comment -- with dashes --!>`,
      `<article>${ps(prose())}</article><svg><svg/><text>icon</text></svg>`
    )
    const x = extractArticle(html, { rules })
    expect(x.author).toBe('Ada Lovelace')
    expect(x.text).not.toMatch(/not prose|color: red|icon|a comment/)
    for (const t of prose()) expect(x.text).toContain(t)
  })
})

describe('class names are hints: they never take the article', () => {
  const sidebar =
    '<div class="widget"><h3>Popular</h3><ul><li><a href="/a">Council votes on budget</a></li>' +
    '<li><a href="/b">New bus timetable</a></li></ul><p>Tips? Write to the newsroom.</p></div>'

  it('keeps an article inside a div.breadcrumb the page never closed', () => {
    const html = page(
      '',
      // Enough text outside it that losing the article does not look like an empty page.
      `<div class="intro"><p>${prose(2, 'museum').join(' ')}</p></div>` +
        `<div class="breadcrumb"><a href="/">Home</a> › <a href="/news">News</a>` +
        `<div class="story"><h1>Pier repairs</h1>${ps(prose(5))}</div>${sidebar}`
    )
    const x = extractArticle(html, { rules })
    for (const t of prose(5)) expect(x.text).toContain(t)
  })

  it('keeps paragraphs whose class contains "share", and still drops a share bar', () => {
    const html = page(
      '',
      `<article>${ps(prose(5), ' class="selectionShareable"')}` +
        `<div class="share-tools"><a href="https://twitter.com/intent">Share on Twitter</a> ` +
        `<a href="mailto:?">Email</a></div></article>${sidebar}`
    )
    const x = extractArticle(html, { rules })
    for (const t of prose(5)) expect(x.text).toContain(t)
    expect(x.text).not.toContain('Share on Twitter')
    expect(x.removed.some((r) => r.text.includes('Share on Twitter'))).toBe(true)
  })

  it('keeps a short four-paragraph notice whose wrapper is classed like a byline', () => {
    const notice = [
      'The road to the harbour is closed on Sunday.',
      'Buses will stop at the market square.',
      'Residents may use the north gate.',
      'The road reopens on Monday morning.'
    ]
    const html = page(
      '',
      `<div class="main"><h1>Road closure</h1><div class="byline-notice">${ps(notice)}</div></div>${sidebar}`
    )
    const x = extractArticle(html, { rules })
    for (const t of notice) expect(x.text).toContain(t)
  })
})

describe('the article is all of its parts', () => {
  it('keeps the lead a page sets apart above the body, not a teaser elsewhere', () => {
    const lead =
      'The old pier will stay closed until the summer, the harbour authority said, and ferries will keep using the temporary landing.'
    const html = page(
      '',
      `<div class="page"><div class="article-top"><header><h1>Pier repairs</h1>` +
        `<p class="standfirst">${lead}</p></header></div>` +
        `<div class="article-main"><div class="article-body">${ps(prose(5))}</div>` +
        `<div class="byline">By Ada Lovelace</div></div></div>` +
        `<div class="teasers"><div class="card"><h3><a href="/museum">Museum</a></h3></div></div>`
    )
    const x = extractArticle(html, { rules })
    expect(x.text.startsWith(lead)).toBe(true)
    for (const t of prose(5)) expect(x.text).toContain(t)
  })
})

describe('wrong failures', () => {
  it('reads a UTF-8 page with one broken byte as UTF-8, not every accent as mojibake', () => {
    const text = Array.from(
      { length: 6 },
      (_, i) =>
        `Absatz ${i + 1}: Die Gemeinde Großwaldstätten prüft, ob die Brücke über die Würm bis März repariert wird; Bürgerinnen äußern Sorgen.`
    )
    const html = Buffer.from(page('', `<article>${ps(text)}</article>`), 'utf8')
    // A character cut in half by a truncating CMS ("Ã" without its second byte).
    const at = html.indexOf('Absatz 4')
    const broken = Buffer.concat([html.subarray(0, at), Buffer.from([0xc3]), html.subarray(at)])
    const r = parseArticleFile(broken, 'bruecke.html')
    if (!r.ok) throw new Error(r.reason)
    expect(r.encoding).toBe('UTF-8')
    for (const t of text) expect(r.articles[0]!.cleanText).toContain(t)
    expect(r.articles[0]!.warnings.join('\n')).toMatch(/1 byte not valid UTF-8/)
  })

  it('imports a page built inside one <form> (ASP.NET) with its text', () => {
    const html = page(
      '',
      `<form id="aspnetForm" method="post" action="./story.aspx"><input type="hidden" name="__VIEWSTATE" value="x">` +
        `<div class="story">${ps(prose(4))}</div></form>`
    )
    const r = parseArticleFile(Buffer.from(html), 'story.html')
    if (!r.ok) throw new Error(r.reason)
    for (const t of prose(4)) expect(r.articles[0]!.cleanText).toContain(t)
  })

  it('imports a page with a few stray NUL bytes, drops them and says so; a NUL block stays binary', () => {
    const html = page('', `<article>${ps(prose(6))}</article>`)
    const at = [html.indexOf('Paragraph 2'), html.indexOf('Paragraph 5'), html.length - 20]
    const bytes = Buffer.from(html, 'utf8')
    const damaged = Buffer.concat([
      bytes.subarray(0, at[0]!),
      Buffer.alloc(1),
      bytes.subarray(at[0]!, at[1]!),
      Buffer.alloc(2),
      bytes.subarray(at[1]!)
    ])
    const r = parseArticleFile(damaged, 'pier.html')
    if (!r.ok) throw new Error(r.reason)
    const a = r.articles[0]!
    expect(a.cleanText).not.toContain('\u0000')
    for (const t of prose(6)) expect(a.cleanText).toContain(t)
    expect(a.warnings.join('\n')).toMatch(/dropped 3 NUL bytes \(the first at offset \d+\)/)

    const block = Buffer.concat([
      bytes.subarray(0, at[0]!),
      Buffer.alloc(64),
      bytes.subarray(at[0]!)
    ])
    expect(parseArticleFile(block, 'pier.html')).toMatchObject({ ok: false, code: 'binary' })
  })
})

describe('the body a page carries as JSON-LD confirms or rescues the extraction', () => {
  const ld = (body: string[], type = 'NewsArticle'): string =>
    `<script type="application/ld+json">${JSON.stringify({
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebSite', name: 'Harbour News' },
        { '@type': type, headline: 'Pier repairs', articleBody: body.join('\n') }
      ]
    })}</script>`

  it('takes the part of the page that holds articleBody when scoring chose another block', () => {
    // A short story beside a long run of other prose (readers' letters): scoring takes the letters.
    const story = prose(2)
    const other = prose(15, 'museum').map((t) => t.replace('Paragraph', 'Note'))
    const html = page(
      ld(story),
      `<div class="top"><div class="a1">${ps(story)}</div></div>` +
        `<div class="bottom"><div class="a2">${ps(other)}</div></div>`
    )
    const x = extractArticle(html, { rules })
    for (const t of story) expect(x.text).toContain(t)
    expect(x.text).not.toContain('Note 1')
    expect(x.warnings.join('\n')).toMatch(/found by the page's JSON-LD articleBody/)
  })

  it('uses articleBody as the text when the page shows only a teaser of it', () => {
    const story = prose(4)
    const html = page(
      ld(story, 'BlogPosting'),
      `<div class="teaser"><p>Repairs to the old pier will take months.</p></div>` +
        `<div class="more">${ps(prose(5, 'museum').map((t) => t.replace('Paragraph', 'Note')))}</div>`
    )
    const x = extractArticle(html, { rules })
    for (const t of story) expect(x.text).toContain(t)
    expect(x.text).not.toContain('Note 1')
    expect(x.contentHtml).toContain('<p>Paragraph 1:')
    expect(x.warnings.join('\n')).toMatch(/JSON-LD articleBody was used as the text/)
  })

  it('changes nothing when the extraction already holds articleBody', () => {
    const story = prose(4)
    const html = page(ld(story), `<article>${ps(story)}</article>`)
    const x = extractArticle(html, { rules })
    for (const t of story) expect(x.text).toContain(t)
    expect(x.warnings).toEqual([])
  })
})

describe('short pages keep their own text', () => {
  const notice = [
    '各位市民：',
    '2月10日至17日市政务服务中心暂停办理业务，2月18日起恢复正常。',
    '特此通知。'
  ]
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><title>春节暂停办理业务的通知</title>' +
    '<meta name="description" content="各位市民：2月10日至17日市政务服务中心暂停办理业务，2月18日起恢复正常。">' +
    '</head><body><div class="nav"><a href="/">首页</a> <a href="/tzgg">通知公告</a></div>' +
    `<div class="notice">${ps(notice)}</div>` +
    '<div class="foot"><div class="detail-content"><p>http://www.moushi.gov.cn</p></div></div></body></html>'

  it("returns a short notice, not the site's address a site rule found", () => {
    const parsed = parseRulesText(
      'version: 1\nsites:\n  - name: portal\n    match: { hosts: [moushi.gov.cn] }\n    content: [".detail-content"]\n',
      'test.yaml'
    )
    expect(parsed.errors).toEqual([])
    const set = { sites: parsed.sites, generic: rules.generic }
    const x = extractArticle(html, { rules: set, url: 'http://www.moushi.gov.cn/tzgg/1.html' })
    for (const t of notice.slice(1)) expect(x.text).toContain(t)
  })

  it('falls back to the page description, with a warning, when no text is found', () => {
    const empty =
      '<!doctype html><html><head><meta charset="utf-8"><title>通知</title>' +
      '<meta property="og:description" content="2月10日至17日市政务服务中心暂停办理业务，2月18日起恢复正常，特此通知。">' +
      '</head><body><div class="nav"><a href="/">首页</a></div></body></html>'
    const x = extractArticle(empty, { rules })
    expect(x.text).toBe('2月10日至17日市政务服务中心暂停办理业务，2月18日起恢复正常，特此通知。')
    expect(x.warnings.join('\n')).toMatch(/description \(og:description\) was used as the text/)
  })
})

describe('content appended after the article', () => {
  const zh = [
    '本报讯，市港务局周二表示，因春季风暴关闭的老码头维修工程还需三个月才能完成。',
    '在工程完成前，渡轮将继续使用临时码头，市民出行时间可能延长十分钟左右。',
    '港务局提醒，维修期间码头周边道路将实行单向通行，请市民提前规划路线。'
  ]

  it('cuts a second story appended after a 返回…查看更多 line, keeping the editor', () => {
    const html =
      ps(zh) +
      '<p>返回搜狐，查看更多</p><p>责任编辑：王翔</p>' +
      '<h2>另一则新闻：新图书馆开放</h2><p>新图书馆周末正式开放，首日接待读者逾两千人次，馆方表示将延长开放时间。</p>'
    const r = cleanArticleHtml(html)
    expect(r.text).toBe(zh.join('\n\n'))
    expect(r.editor).toBe('王翔')
    expect(r.removed.map((x) => x.rule)).toContain('appended:after-end-line')
  })

  it('cuts a trailing list of related headlines, with or without its heading', () => {
    const heads = Array.from({ length: 10 }, (_, i) => `第${i + 1}条：本市公交线路调整方案公布`)
    const linked = `<ul>${heads.map((h, i) => `<li><a href="/n/${i}">${h}</a></li>`).join('')}</ul>`
    const bare = linked.replace(/<\/?a[^>]*>/g, '')
    expect(cleanArticleHtml(ps(zh) + linked).text).toBe(zh.join('\n\n'))
    expect(cleanArticleHtml(ps(zh) + '<h3>相关阅读</h3>' + bare).text).toBe(zh.join('\n\n'))
    // Links to several sites at the end are the author's references.
    const refs = `<ul>${heads.map((h, i) => `<li><a href="https://site${i}.example/a">${h}</a></li>`).join('')}</ul>`
    expect(cleanArticleHtml(ps(zh) + refs).text).toContain('第10条')
    // A short list that ends the article without links or a heading is the article's own.
    const own = '<ul><li>码头东侧</li><li>码头西侧</li><li>渡轮候船室</li></ul>'
    expect(cleanArticleHtml(ps(zh) + own).text).toContain('渡轮候船室')
  })

  it('keeps a real sentence that mentions downloading an app; drops a one-line promotion', () => {
    const sentence = '警方提醒，市民王女士上周在下载一款理财App后，被骗走三万元。'
    const story = `${zh[0]}${sentence}`
    const r = cleanArticleHtml(
      `<p>${zh[1]}</p><p>${sentence}</p><p>${story}</p><p>下载某某新闻客户端，查看更多精彩内容</p>`
    )
    expect(r.text).toBe([zh[1], sentence, story].join('\n\n'))
    const page2 = page('', `<article>${ps([...prose(3), story])}</article>`)
    expect(extractArticle(page2, { rules }).text).toContain(sentence)
  })

  it('drops a "label: link" pointer to another story between paragraphs, in any language', () => {
    const [a, b, c, d] = prose(4)
    const html = page(
      '',
      `<article><p>${a}</p><p>Lea también: <a href="/2024/otro">El puerto abre una nueva terminal de carga</a></p>` +
        `<p>${b}</p><p><strong>Lesen Sie auch:</strong> <a href="/x">Neue Fähre für die Insel</a></p><p>${c}</p><p>${d}</p></article>`
    )
    const x = extractArticle(html, { rules })
    for (const t of prose(4)) expect(x.text).toContain(t)
    expect(x.text).not.toMatch(/Lea también|Lesen Sie auch/)
    expect(x.removed.filter((r) => r.rule === 'article:see-also')).toHaveLength(2)
    // A post made of such lines (a link roundup) is its own text.
    const roundup = page(
      '',
      `<article>${Array.from({ length: 5 }, (_, i) => `<p>via: <a href="/l/${i}">Harbour weekly issue ${i + 1} notes</a></p>`).join('')}</article>`
    )
    expect(extractArticle(roundup, { rules }).text).toContain('Harbour weekly issue 5 notes')
  })

  it("trims the page's own lines after the last paragraph, not the article's closing lines or lists", () => {
    const body = ps(prose(4))
    const html = page(
      '',
      `<article>${body}<p>See you next week.</p><p>How to reach the pier:</p>` +
        `<ul><li>Take bus 5 to the market</li><li>Walk down Harbour Lane</li></ul>` +
        `<p><a href="/tag/harbour">Harbour</a> <a href="/tag/ferries">Ferries</a></p>` +
        `<p>Weitere Informationen:</p></article>`
    )
    const x = extractArticle(html, { rules })
    for (const t of prose(4)) expect(x.text).toContain(t)
    expect(x.text).toContain('See you next week.')
    expect(x.text).toContain('How to reach the pier:')
    expect(x.text).toContain('Walk down Harbour Lane')
    expect(x.text).not.toMatch(/Ferries|Weitere Informationen/)
    expect(x.removed.filter((r) => r.rule === 'article:tail').map((r) => r.text)).toEqual([
      'Harbour Ferries',
      'Weitere Informationen:'
    ])
  })
})

describe('closing notices after the article', () => {
  const zh = [
    '本报讯，市港务局周二表示，因春季风暴关闭的老码头维修工程还需三个月才能完成。',
    '在工程完成前，渡轮将继续使用临时码头，市民出行时间可能延长十分钟左右。',
    '港务局提醒，维修期间码头周边道路将实行单向通行，请市民提前规划路线。'
  ]
  const body = zh.join('\n\n')

  it('cuts rights terms, a disclaimer under its heading, and a short link after a notice', () => {
    const cases = [
      '<p>本文版权归港城日报所有，未经授权不得转载。</p>',
      '<p>风险提示</p><p>风险事件冲击，政策超预期变化</p>',
      '<p>免责声明：本文仅供参考，不构成投资建议。</p>',
      '<p>本文由作者独家授权发布，不得以任何形式转载。</p><p><a href="/d">查看讨论</a></p>',
      '<p>© 2024 Harbour Daily. All rights reserved.</p>',
      '<p>线索投递：tips@harbour.example</p>',
      '<p>封面图片来源：视觉中国</p>',
      '<p>话题标签：码头 维修</p>'
    ]
    for (const tail of cases) {
      const r = cleanArticleHtml(ps(zh) + tail)
      expect(r.text, tail).toBe(body)
      expect(r.removed.map((x) => x.rule)).toContain('appended:closing-notice')
    }
    // An outlet's editor line is read as the editor, wherever it is.
    const edited = cleanArticleHtml(ps(zh) + '<p>每经编辑 张三</p>')
    expect([edited.text, edited.editor]).toEqual([body, '张三'])
    // A notice on the last line of a paragraph (after a line break) goes alone.
    const credits = cleanArticleHtml(
      `${ps(zh)}<p>全高：約210mm<br>原型製作：山田<br>© DMM / C2</p>`
    )
    expect(credits.text).toBe(`${body}\n\n全高：約210mm\n原型製作：山田`)
  })

  it('keeps prose about copyright, a notice mid-article, and a closing sentence', () => {
    const prose1 =
      '法院认定，被告未经授权转载原告作品三十余篇，侵犯了原告的信息网络传播权，判令其赔偿经济损失五万元并公开道歉。'
    const mid = ps([zh[0]!, '本文版权归港城日报所有，未经授权不得转载。', zh[1]!, zh[2]!])
    expect(cleanArticleHtml(mid).text).toContain('未经授权不得转载')
    expect(cleanArticleHtml(ps([...zh, prose1])).text).toContain(prose1)
    expect(cleanArticleHtml(ps([...zh, '港务局表示，将及时公布工程进展。'])).text).toContain(
      '及时公布'
    )
    // A page that is only a notice keeps it (there is no prose before it).
    expect(cleanArticleHtml('<p>本站所有内容版权所有，未经许可不得转载。</p>').text).toContain(
      '不得转载'
    )
  })
})

describe('invisible break hints', () => {
  it('drops soft hyphens, so words are found and quoted whole', () => {
    const r = cleanArticleHtml(
      '<p>Die Wehr\u00adan\u00adlage öffnet am Sonntag wie\u00adder für Besucher.</p>'
    )
    expect(r.text).toBe('Die Wehranlage öffnet am Sonntag wieder für Besucher.')
  })
})

describe('other stories a site appends under a heading', () => {
  const story = prose(4)
  const teasers = [
    '<h3>Popular</h3>',
    '<h4>Speaking frankly: dating apps</h4><p>Dating apps offer endless matches at your fingertips, experts say.</p>',
    '<h4>How the hearings shape the race</h4><p>Senate leaders previewed how a trial could play out.</p>',
    '<h4>Closing remarks on day three</h4><p>The chairman and the ranking member spoke after the testimony.</p>'
  ].join('')

  it('cuts a Popular section of other stories after the article, whatever follows it', () => {
    const r = cleanArticleHtml(ps(story) + teasers)
    expect(r.text).toBe(story.join('\n\n'))
    expect(r.removed.map((x) => x.rule)).toContain('appended:section')
  })

  it('keeps a "Popular" heading of the article itself (too early, or not followed by stories)', () => {
    // Before most of the article: it is the article's own section.
    const early = ps(story.slice(0, 1)) + '<h3>Popular</h3>' + ps(story.slice(1))
    expect(cleanArticleHtml(early).text).toContain(story[3]!)
    // At the end but followed by prose, not a list of titles.
    const own = ps(story) + '<h3>Popular</h3>' + ps(prose(2, 'ferry'))
    expect(cleanArticleHtml(own).text).toContain('Paragraph 2: the ferry')
  })
})
