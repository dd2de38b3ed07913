// Saved web pages through the import parser: a GBK-encoded .html page and an .mhtml archive.
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { parseArticleFile } from '../../src/core/ingest/parse'
import { decodeQuotedPrintable, looksLikeMhtml, parseMhtml } from '../../src/core/ingest/mhtml'

const PARAGRAPHS = [
  '　　7月26日上午，第四届中国国际进口博览会开幕倒计时100天新闻通气会在国家会展中心举行，会议介绍了城市服务保障工作的最新进展。',
  '　　上海将充分发挥软实力的加速器作用，全面推动软实力提升与进博会服务保障互动并进、相得益彰，努力办成国际一流的博览会。',
  '　　本届进博会在总结前三届筹备工作经验的基础上，进一步优化交通、住宿、餐饮和安保等各项服务，提升参展商和观众的体验。'
]

function portalPage(charset: string): string {
  return `<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=${charset}">
<title>第四届进博会：提升城市软实力_新浪财经_新浪网</title>
<meta property="og:title" content="第四届进博会：提升城市软实力">
<meta property="article:published_time" content="2021-07-26T12:03:03+08:00">
<meta property="og:site_name" content="新浪财经">
<link rel="canonical" href="https://finance.sina.com.cn/china/2021-07-26/doc-ikqciyzk1234567.shtml">
<style>.x{color:red}</style><script>var ad = 1;</script></head>
<body>
<div class="top-nav"><a href="/">新浪首页</a> <a href="/finance">财经</a> <a href="/stock">股票</a> <a href="/fund">基金</a></div>
<div class="main-content">
<h1 class="main-title">第四届进博会：提升城市软实力</h1>
<div class="date-source"><span class="date">2021年07月26日 12:03</span></div>
<div class="article" id="artibody">
<p class="ori_titlesource">\u3000\u3000原标题：第四届进博会：提升城市软实力与服务保障进博会双促进</p>
${PARAGRAPHS.map((p) => `<p cms-style="font-L">${p}</p>`).join('\n')}
<!-- 正文下iframe -->
<div class="clearfix appendQr_wrap"><div class="appendQr_normal_txt">海量资讯、精准解读，尽在新浪财经APP</div></div>
<p class="article-editor">责任编辑：王翔 </p>
</div></div>
<div class="footer"><a href="/about">关于新浪</a> <a href="/contact">联系我们</a> 新浪公司 版权所有</div>
</body></html>`
}

function expectPortalArticle(a: {
  title: string
  publishedAt: string | null
  cleanText: string
  editor: string | null
  originalTitle: string | null
  url: string | null
}): void {
  expect(a.title).toBe('第四届进博会：提升城市软实力')
  expect(a.publishedAt).toBe('2021-07-26T04:03:03.000Z')
  expect(a.url).toBe('https://finance.sina.com.cn/china/2021-07-26/doc-ikqciyzk1234567.shtml')
  for (const p of PARAGRAPHS) expect(a.cleanText).toContain(p.trim().slice(0, 40))
  for (const leak of [
    '责任编辑',
    '原标题',
    '新浪财经APP',
    '正文下iframe',
    'color:red',
    '新浪首页',
    '版权所有'
  ]) {
    expect(a.cleanText).not.toContain(leak)
  }
  expect(a.editor).toBe('王翔')
  expect(a.originalTitle).toBe('第四届进博会：提升城市软实力与服务保障进博会双促进')
}

describe('saved web pages', () => {
  it('imports a GBK-encoded .html page with its title, date and body', () => {
    const bytes = iconv.encode(portalPage('gbk'), 'gbk')
    const outcome = parseArticleFile(new Uint8Array(bytes), '/clips/进博会.html')
    if (!outcome.ok) throw new Error(outcome.reason)
    expect(outcome.encoding).toMatch(/gb/i)
    expect(outcome.articles).toHaveLength(1)
    const a = outcome.articles[0]!
    expect(a.format).toBe('html-page')
    expectPortalArticle(a)
    expect(a.removed.some((r) => r.rule === 'editor-line')).toBe(true)
  })

  it('imports an .mhtml archive (quoted-printable UTF-8 page) with title, date and body', () => {
    const html = Buffer.from(portalPage('utf-8'), 'utf8')
    // Quoted-printable as Chrome writes it: every non-ASCII byte as =XX, lines soft-wrapped at 76.
    let qp = ''
    for (const byte of html) {
      qp +=
        byte === 0x3d || byte > 0x7e
          ? `=${byte.toString(16).toUpperCase().padStart(2, '0')}`
          : String.fromCharCode(byte)
    }
    const wrapped = qp
      .split('\n')
      .map((line) => line.match(/.{1,72}(?:=[0-9A-F]{2})?/g)?.join('=\r\n') ?? '')
      .join('\r\n')
    const mhtml = [
      'From: <Saved by Blink>',
      'Snapshot-Content-Location: https://finance.sina.com.cn/china/2021-07-26/doc-ikqciyzk1234567.shtml',
      'Subject: =?utf-8?Q?=E7=AC=AC=E5=9B=9B=E5=B1=8A?=',
      'Date: Mon, 26 Jul 2021 05:00:00 -0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/related;',
      '\ttype="text/html";',
      '\tboundary="----MultipartBoundary--abc123----"',
      '',
      '',
      '------MultipartBoundary--abc123----',
      'Content-Type: text/html',
      'Content-ID: <frame-1@mhtml.blink>',
      'Content-Transfer-Encoding: quoted-printable',
      'Content-Location: https://finance.sina.com.cn/china/2021-07-26/doc-ikqciyzk1234567.shtml',
      '',
      wrapped,
      '------MultipartBoundary--abc123----',
      'Content-Type: image/png',
      'Content-Transfer-Encoding: base64',
      'Content-Location: https://n.sinaimg.cn/qr.png',
      '',
      'iVBORw0KGgo=',
      '------MultipartBoundary--abc123------',
      ''
    ].join('\r\n')
    const bytes = new Uint8Array(Buffer.from(mhtml, 'latin1'))
    expect(looksLikeMhtml(bytes)).toBe(true)
    const outcome = parseMhtml(bytes, '/clips/进博会.mhtml')
    if (!outcome.ok) throw new Error(outcome.reason)
    const a = outcome.articles[0]!
    expect(a.format).toBe('mhtml')
    // Named as the one decoder names every file's encoding.
    expect(outcome.encoding).toBe('UTF-8')
    expectPortalArticle(a)
  })

  it('decodes a base64 part in the charset its header names (GB18030)', () => {
    const page = Buffer.from(
      iconv.encode(portalPage('gb2312').replace(/<meta http-equiv[^>]*>/, ''), 'gb18030')
    ).toString('base64')
    const mhtml = [
      'MIME-Version: 1.0',
      'Content-Type: multipart/related; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/html; charset="gb18030"',
      'Content-Transfer-Encoding: base64',
      '',
      page.replace(/.{76}/g, '$&\r\n'),
      '--b1--',
      ''
    ].join('\r\n')
    const outcome = parseMhtml(new Uint8Array(Buffer.from(mhtml, 'latin1')), 'a.mhtml')
    if (!outcome.ok) throw new Error(outcome.reason)
    expect(outcome.encoding).toBe('GB18030')
    expectPortalArticle(outcome.articles[0]!)
  })

  it('falls back to detection when a part names a charset its bytes are not in', () => {
    // GB18030 bytes labelled UTF-8 (a mislabelled save): the label does not decode them cleanly.
    const page = iconv.encode(portalPage('gb2312').replace(/<meta http-equiv[^>]*>/, ''), 'gb18030')
    const mhtml = Buffer.concat([
      Buffer.from(
        [
          'MIME-Version: 1.0',
          'Content-Type: multipart/related; boundary="b1"',
          '',
          '--b1',
          'Content-Type: text/html; charset="utf-8"',
          'Content-Transfer-Encoding: binary',
          '',
          ''
        ].join('\r\n'),
        'latin1'
      ),
      page,
      Buffer.from('\r\n--b1--\r\n', 'latin1')
    ])
    const outcome = parseMhtml(new Uint8Array(mhtml), 'a.mhtml')
    if (!outcome.ok) throw new Error(outcome.reason)
    expect(outcome.encoding).toMatch(/^GB/)
    expectPortalArticle(outcome.articles[0]!)
  })

  it('gives a specific reason for a broken archive', () => {
    const noBoundary = new Uint8Array(
      Buffer.from('MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\nbody', 'latin1')
    )
    expect(parseMhtml(noBoundary, 'x.mhtml')).toEqual({
      ok: false,
      code: 'parse-error',
      reason: 'MHTML archive has no MIME boundary in its Content-Type'
    })
    const noHtml = new Uint8Array(
      Buffer.from(
        'Content-Type: multipart/related; boundary=z\r\n\r\n--z\r\nContent-Type: image/png\r\n\r\nxx\r\n--z--\r\n',
        'latin1'
      )
    )
    expect(parseMhtml(noHtml, 'x.mhtml')).toMatchObject({ ok: false, code: 'no-content' })
    expect(decodeQuotedPrintable('caf=C3=A9=\r\n ok').toString('utf8')).toBe('café ok')
  })
})
