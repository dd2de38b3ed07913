import { describe, expect, it } from 'vitest'
import { sanitizeArticleHtml } from '../../src/main/core/clean/sanitize'

describe('sanitizeArticleHtml', () => {
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

  it('keeps only http(s), mailto and relative links, and marks every link', () => {
    const out = sanitizeArticleHtml(
      '<a href="https://a.test/">1</a><a href="mailto:x@y.test">2</a><a href="/rel">3</a><a href="data:text/html,hi">4</a><a href="file:///etc/passwd">5</a>'
    )
    expect(out).toContain('href="https://a.test/"')
    expect(out).toContain('href="mailto:x@y.test"')
    expect(out).toContain('href="/rel"')
    expect(out).not.toMatch(/data:|file:/)
    expect(out.match(/rel="noopener noreferrer nofollow"/g)).toHaveLength(5)
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
