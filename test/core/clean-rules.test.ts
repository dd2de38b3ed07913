import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cleanArticleHtml } from '../../src/core/clean/clean-article'
import { htmlToText } from '../../src/core/clean/clean-text'

const rulesOf = (html: string): string[] => cleanArticleHtml(html).removed.map((r) => r.rule)

describe('cleanArticleHtml rules', () => {
  it('removes comments, style with Hexo-escaped braces, scripts, iframes, noscript', () => {
    const r = cleanArticleHtml(
      '<!-- 正文下iframe --><p>正文</p><style>.a&#123;color:red&#125;</style><script>x()</script><iframe src="https://a.test"></iframe><noscript>enable js</noscript>'
    )
    expect(r.html).toBe('<p>正文</p>')
    expect(new Set(r.removed.map((x) => x.rule))).toEqual(
      new Set(['html-comment', 'style', 'script', 'embed'])
    )
  })

  it('removes video without a source but keeps a video with one as a link', () => {
    const r = cleanArticleHtml(
      '<p>a</p><video poster="p.png"></video><video src="https://v.test/x.mp4"></video>'
    )
    expect(r.html).toContain('href="https://v.test/x.mp4"')
    expect(r.removed.map((x) => x.rule)).toContain('media-without-source')
  })

  it('removes QR/app promotion blocks, wrapper and image included', () => {
    const r = cleanArticleHtml(
      '<p>正文。</p><div class="box"><div><img src="https://q.test/qr.png"></div><div>海量资讯、精准解读，尽在某某财经APP</div></div><p>扫描二维码关注公众号</p>'
    )
    expect(r.html).toBe('<p>正文。</p>')
    expect(r.text).toBe('正文。')
  })

  it('keeps long paragraphs that merely mention an app or a QR code', () => {
    const long = `报道称，${'某公司推出的新版APP下载量在一季度大幅增长，'.repeat(6)}二维码支付也在普及。`
    expect(cleanArticleHtml(`<p>${long}</p>`).text).toBe(long)
    expect(cleanArticleHtml('<p>欢迎直接扫码报名参加本次活动。</p>').text).toBe(
      '欢迎直接扫码报名参加本次活动。'
    )
  })

  it('takes the editor from a class-marked line or a plain 责任编辑 line, dropping staff codes', () => {
    expect(cleanArticleHtml('<p>a</p><p class="article-editor">责任编辑：王翔 </p>')).toMatchObject(
      {
        editor: '王翔',
        text: 'a'
      }
    )
    expect(cleanArticleHtml('<p>a</p><p>　　责任编辑：刘万里 SF014</p>').editor).toBe('刘万里')
    expect(cleanArticleHtml('<p>a</p><p>（编辑：张三）</p>')).toMatchObject({
      editor: '张三',
      text: 'a'
    })
    // Prose that starts with the word is not a credit line.
    expect(cleanArticleHtml('<p>编辑部认为这件事值得关注。</p>').editor).toBeNull()
  })

  it('takes the original-title line into originalTitle', () => {
    const r = cleanArticleHtml('<p>　　原标题：“绿色股票”试水欧洲</p><p>　　正文。</p>')
    expect(r.originalTitle).toBe('“绿色股票”试水欧洲')
    expect(r.text).toBe('正文。')
  })

  it('reads origin credits without taking them out of the text', () => {
    const origin = (html: string) => cleanArticleHtml(html).origin
    // A source line with the editor on the same line (NetEase): the outlet ends at the label.
    expect(origin('<p>正文。</p><p>本文来源：新京报 责任编辑：张三_NN1234</p>')?.outlet).toBe(
      '新京报'
    )
    expect(origin('<p>证券时报网讯，据统计，今日两市个股涨停。</p>')?.outlet).toBe('证券时报网')
    expect(origin('<p>WASHINGTON (Reuters) - The Senate voted on Monday.</p>')?.outlet).toBe(
      'Reuters'
    )
    // "This paper" names no outlet; its reporters are still credits.
    expect(origin('<p>本报北京7月26日电（记者 王五、赵六）会议召开。</p>')).toEqual({
      outlet: null,
      reporters: ['王五', '赵六'],
      lines: ['本报北京7月26日电（记者 王五、赵六）']
    })
    // A chart's data source and prose are not the article's origin.
    expect(origin('<p>正文。</p><h3>数据来源：同花顺iFind，制图：星空数据</h3>')).toBeNull()
    expect(origin('<p>据了解，会议将于下周召开。</p>')).toBeNull()
    expect(cleanArticleHtml('<p>正文。</p><p>来源：新华社</p>').text).toBe('正文。\n\n来源：新华社')
  })

  it('strips ideographic and no-break indentation at paragraph starts and after <br>', () => {
    const r = cleanArticleHtml(
      '<p>　　第一段。<br>　　第二行。</p><p>&nbsp;&nbsp;第二段 内部　空格保留。</p>'
    )
    expect(r.text).toBe('第一段。\n第二行。\n\n第二段 内部　空格保留。')
    expect(r.html).not.toMatch(/<p>[\u3000\u00a0 ]|&nbsp;/)
  })

  it('drops empty paragraphs and runs of <br>', () => {
    const r = cleanArticleHtml(
      '<p></p><p>　</p><p>&nbsp;</p><p>a<br><br><br>b<br></p><br><br><p><span> </span></p>'
    )
    expect(r.html).toBe('<p>a<br />b</p>')
    expect(rulesOf('<p></p><p>x</p>')).toContain('empty-block')
  })

  it('unwraps font and span, drops cms-style and other attributes, keeps images without referrer', () => {
    const r = cleanArticleHtml(
      '<p cms-style="font-L" class="x" align="center"><font cms-style="font-L strong-Bold">加粗</font><span style="color:red">红</span></p><p><img src="https://n.test/a.png" referrerpolicy="no-referrer" width="100"></p>'
    )
    expect(r.html).toBe(
      '<p>加粗红</p><p><img referrerpolicy="no-referrer" loading="lazy" src="https://n.test/a.png" width="100" /></p>'
    )
  })

  it('decodes Hexo-escaped braces in text', () => {
    expect(cleanArticleHtml('<p>JSON: &#123;"a": 1&#125;</p>').text).toBe('JSON: {"a": 1}')
  })

  it('keeps unescaped markup inside <pre> as code text instead of running or dropping it', () => {
    const r = cleanArticleHtml(
      '<pre><code><template><div class="a">x &lt; y</div></template>\n<script>let a = 1</script></code></pre>'
    )
    expect(r.text).toBe(
      '<template><div class="a">x < y</div></template>\n<script>let a = 1</script>'
    )
    expect(r.html).not.toMatch(/<script|<template/)
  })
})

describe('htmlToText', () => {
  it('separates blocks by a blank line and keeps <br> as a line break', () => {
    expect(
      htmlToText(
        '<div><h2>标题</h2><div>直接文字<p>段一</p></div><ul><li>一</li><li>二</li></ul><blockquote>引</blockquote></div>'
      )
    ).toBe('标题\n\n直接文字\n\n段一\n\n一\n\n二\n\n引')
  })

  it('keeps <pre> whitespace', () => {
    expect(htmlToText('<p>a</p><pre>  x\n    y</pre>')).toBe('a\n\n  x\n    y')
  })
})

describe('cleaning is idempotent', () => {
  const fragments = [
    '<p>　　正文一段。</p>',
    '<p class="article-editor">责任编辑：王翔 </p>',
    '<p>原标题：某标题</p>',
    '<!-- c -->',
    '<div class="appendQr_wrap"><div>尽在新浪财经APP</div></div>',
    '<br>',
    '<br><br>',
    '<p></p>',
    '<p>&nbsp;</p>',
    '<font cms-style="x">字</font>',
    '<span>　文</span>',
    '<img src="https://a.test/i.png">',
    '<img src="data:text/html,x">',
    '<video></video>',
    '<video src="https://v.test/v.mp4"></video>',
    '<style>a&#123;&#125;</style>',
    '<script>x</script>',
    '<div>',
    '</div>',
    '<p>',
    '</p>',
    '<pre><code><b>x</b><i>y</i><div>z</div></code></pre>',
    'text &amp; more',
    '\n\n',
    '　',
    '<a href="javascript:x">j</a>',
    '<a href="https://a.test">l</a>',
    '<table><tr><td>1</td><td></td></tr></table>',
    '<h2>小标题</h2>',
    '<li>项</li>'
  ]
  it('clean(clean(x)) == clean(x) for generated fragment soups', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 14 }), (parts) => {
        const once = cleanArticleHtml(parts.join(''))
        const twice = cleanArticleHtml(once.html)
        expect(twice.html).toBe(once.html)
        expect(twice.text).toBe(once.text)
      }),
      { numRuns: 300 }
    )
  })
})
