import { describe, expect, it } from 'vitest'
import { cleanArticleHtml } from '../../src/core/clean/clean-article'
import { sanitizeWithLibrary, sanitizeWithTree } from '../helpers/sanitizers'

// The core's sanitiser, as the cleaner applies it to the tree it parsed once.
const sanitizeArticleHtml = sanitizeWithTree

describe('the article sanitiser', () => {
  it('removes scripts with their content', () => {
    const out = sanitizeArticleHtml('<p>a</p><script>alert(1)</script><p>b</p>')
    expect(out).toBe('<p>a</p><p>b</p>')
  })

  it('removes event handlers and javascript: links', () => {
    const out = sanitizeArticleHtml(
      '<img src="https://x.test/a.png" onerror="alert(1)"><a href="javascript:alert(1)" onclick="x()">go</a><a href=" JaVaScRiPt:alert(2)">b</a>'
    )
    expect(out).not.toMatch(/onerror|onclick|javascript/i)
    expect(out).toContain('go')
  })

  it('removes iframes, forms, inputs, objects, embeds and svg (with script inside)', () => {
    const out = sanitizeArticleHtml(
      '<iframe src="https://evil.test"></iframe><form action="https://evil.test"><input name="q"><button>Send</button></form>' +
        '<object data="x.swf"></object><embed src="x.swf"><svg><script>alert(1)</script><circle r="1"/></svg><p>kept</p>'
    )
    expect(out).toBe('<p>kept</p>')
  })

  it('removes style attributes, style elements, class and id', () => {
    const out = sanitizeArticleHtml(
      '<style>body{display:none}</style><div class="x" id="y" style="position:fixed;inset:0">text</div>'
    )
    expect(out).toBe('<div>text</div>')
  })

  it('removes meta refresh and base tags', () => {
    const out = sanitizeArticleHtml(
      '<meta http-equiv="refresh" content="0;url=https://evil.test"><base href="https://evil.test/"><p>x</p>'
    )
    expect(out).toBe('<p>x</p>')
  })

  it('keeps only http(s) and mailto links, relative ones resolved, and marks every link', () => {
    const html =
      '<a href="https://a.test/">1</a><a href="mailto:x@y.test">2</a><a href="/rel">3</a><a href="data:text/html,hi">4</a><a href="file:///etc/passwd">5</a>'
    const out = sanitizeArticleHtml(html, 'https://news.test/2024/a.html')
    expect(out).toContain('href="https://a.test/"')
    expect(out).toContain('href="mailto:x@y.test"')
    expect(out).toContain('href="https://news.test/rel"')
    expect(out).not.toMatch(/data:|file:/)
    expect(out.match(/rel="noopener noreferrer nofollow"/g)).toHaveLength(5)
    // Without the article's address a relative link has nothing to point at: its text stays.
    expect(sanitizeArticleHtml(html)).toContain('<a rel="noopener noreferrer nofollow">3</a>')
  })

  it('keeps http(s) and data:image images with no referrer and lazy loading', () => {
    const out = sanitizeArticleHtml(
      '<img src="https://a.test/x.png" referrerpolicy="unsafe-url"><img src="data:image/png;base64,iVBORw0KGgo="><img src="data:text/html;base64,PHNjcmlwdD4="><img src="javascript:alert(1)">'
    )
    const imgs = out.match(/<img[^>]*>/g) ?? []
    expect(imgs).toHaveLength(2)
    for (const img of imgs) {
      expect(img).toContain('referrerpolicy="no-referrer"')
      expect(img).toContain('loading="lazy"')
    }
    expect(out).not.toContain('unsafe-url')
    expect(out).not.toContain('text/html')
  })

  it('turns protocol-relative and lazy-loaded image sources into real https URLs', () => {
    const out = sanitizeArticleHtml(
      '<img src="//cdn.test/a.png"><img src="data:image/gif;base64,R0lGOD" data-src="https://cdn.test/b.png">'
    )
    expect(out).toContain('src="https://cdn.test/a.png"')
    expect(out).toContain('src="https://cdn.test/b.png"')
  })

  it('is stable: sanitising its own output changes nothing', () => {
    const once = sanitizeArticleHtml(
      '<p>“引号” &amp; <b>粗</b> &lt;tag&gt;</p><a href="https://a.test/?a=1&b=2">x</a><img src="https://a.test/i.png" alt="a &quot;b&quot;">'
    )
    expect(sanitizeArticleHtml(once)).toBe(once)
  })
})

// The WHATWG URL parser, which the browser uses, drops tabs, newlines and leading control
// characters. A scheme check on a cleaned-up copy that kept the raw value stored
// `ht&#10;tps://…`, which the reader did not see as remote and the browser loaded anyway.
describe('URL attributes are stored as the browser will read them', () => {
  const hostile = [
    ['ht&#10;tps://t.test/nl.gif', 'https://t.test/nl.gif'],
    ['ht&#9;tps://t.test/tab.gif', 'https://t.test/tab.gif'],
    ['ht&#13;tps://t.test/cr.gif', 'https://t.test/cr.gif'],
    ['&#1;https://t.test/c0.gif', 'https://t.test/c0.gif'],
    ['&#1;&#31; https://t.test/c0s.gif', 'https://t.test/c0s.gif'],
    ['HTTPS://T.TEST/a b.gif', 'https://t.test/a%20b.gif'],
    ['//t.test/p.gif', 'https://t.test/p.gif']
  ] as const
  const both = [
    ['the tree sanitiser', (html: string, base?: string) => sanitizeWithTree(html, base)],
    ['sanitize-html with the same allowlist', sanitizeWithLibrary],
    ['the cleaner', (html: string, base?: string) => cleanArticleHtml(html, base ?? null).html]
  ] as const

  for (const [name, run] of both) {
    it(`${name}: stores image sources normalised, with the parser's own href`, () => {
      const out = run(hostile.map(([src]) => `<p>x<img src="${src}"></p>`).join(''))
      const stored = [...out.matchAll(/<img[^>]*src="([^"]*)"/gu)].map((m) => m[1])
      expect(stored).toEqual(hostile.map(([, href]) => href))
    })

    it(`${name}: drops scripts hidden the same way; relative images without a base stay local`, () => {
      const out = run(
        '<p>x<a href="java&#10;script:alert(1)">a</a><a href="&#1;javascript:alert(1)">b</a>' +
          '<a href="ht&#9;tp://ok.test/">c</a><img src="da&#10;ta:text/html,x">' +
          '<img src="remote-image?article=1&amp;url=https://t.test/x.gif"><img src="/x.gif"></p>'
      )
      expect(out).not.toMatch(/javascript|text\/html/iu)
      expect(out).toContain('href="http://ok.test/"')
      // A relative image with no address to resolve against is the file's own (read from beside
      // it on import): it points at a reserved name that never resolves, never at the window's
      // own routes.
      const sources = [...out.matchAll(/src="([^"]*)"/gu)].map((m) => m[1])
      expect(sources).toEqual([
        'https://local.gleaner.invalid/remote-image?article=1&amp;url=https://t.test/x.gif',
        'https://local.gleaner.invalid/x.gif'
      ])
    })

    it(`${name}: resolves relative sources and links against the article's address`, () => {
      const out = run(
        '<p>x<img src="../img/a.png"><img src="b.png"><a href="?page=2">next</a></p>',
        'https://news.test/2024/06/story.html'
      )
      expect(out).toContain('src="https://news.test/2024/img/a.png"')
      expect(out).toContain('src="https://news.test/2024/06/b.png"')
      expect(out).toContain('href="https://news.test/2024/06/story.html?page=2"')
    })

    it(`${name}: never uses a base that is not a web address`, () => {
      const out = run('<p>x<img src="a.png"><a href="b">b</a></p>', 'javascript:alert(1)//')
      expect(out).not.toMatch(/href=|javascript/u)
      expect(out).toContain('src="https://local.gleaner.invalid/a.png"')
    })
  }

  it('keeps no way for an image to load besides img src', () => {
    const out = sanitizeArticleHtml(
      '<p>x</p><img src="data:image/gif;base64,R0lGOD" srcset="https://t.test/1.gif 2x">' +
        '<picture><source srcset="https://t.test/2.gif"><img src="https://t.test/ok.gif"></picture>' +
        '<video poster="https://t.test/3.gif" src="https://t.test/v.mp4"></video>' +
        '<div style="background:url(https://t.test/4.gif)">s</div><table background="https://t.test/5.gif"><tr><td background="https://t.test/6.gif">t</td></tr></table>' +
        '<svg><image href="https://t.test/7.gif"/><image xlink:href="https://t.test/8.gif"/></svg>' +
        '<style>p{background:url(https://t.test/9.gif)}</style><link rel="stylesheet" href="https://t.test/10.css">' +
        '<input type="image" src="https://t.test/11.gif"><object data="https://t.test/12.gif"></object>' +
        '<embed src="https://t.test/13.gif"><body background="https://t.test/14.gif"></body>' +
        '<img lowsrc="https://t.test/15.gif" dynsrc="https://t.test/16.gif" src="https://t.test/ok2.gif">' +
        '<a ping="https://t.test/17" href="https://t.test/">a</a><iframe src="https://t.test/18"></iframe>' +
        '<audio src="https://t.test/19.mp3"></audio><track src="https://t.test/20.vtt">'
    )
    const urls = [...out.matchAll(/https:\/\/t\.test\/[^"\s)]*/gu)].map((m) => m[0])
    // Only the two plain images and the link's own href are left.
    expect(urls.sort()).toEqual([
      'https://t.test/',
      'https://t.test/ok.gif',
      'https://t.test/ok2.gif'
    ])
    expect(out).not.toMatch(/srcset|poster|background|style|xlink|ping|lowsrc|dynsrc/u)
  })
})
