// Property-based tests (fast-check): the parser and the cleaner never throw on anything a user
// could feed them, cleaning is idempotent and never lets active content through, and a range
// described with selectors is found again exactly in unchanged text.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseArticleFile } from '../../src/core/ingest/parse'
import { cleanArticleHtml } from '../../src/core/clean/clean-article'
import { anchorSelectors, describeRange } from '../../src/core/annotations/anchoring'

const CODES = new Set([
  'empty',
  'too-large',
  'binary',
  'undecodable',
  'unreadable',
  'unsupported',
  'parse-error',
  'no-content',
  'internal'
])

/** Active content in markup (tags and attributes); escaped text that merely mentions it is fine. */
function activeMarkup(html: string): string | null {
  for (const tag of html.match(/<[a-z][^>]*>/giu) ?? []) {
    if (/^<(script|iframe|style|form|input|object|embed|meta|base|link|svg)\b/iu.test(tag))
      return tag
    if (/\son[a-z]+\s*=|javascript:|position\s*:\s*fixed|\sstyle\s*=/iu.test(tag)) return tag
  }
  return null
}

function checkOutcome(bytes: Uint8Array, path: string): void {
  const o = parseArticleFile(bytes, path)
  if (o.ok) {
    expect(o.articles.length).toBeGreaterThan(0)
    for (const a of o.articles) {
      expect(typeof a.title).toBe('string')
      expect(typeof a.cleanHtml).toBe('string')
      expect(activeMarkup(a.cleanHtml)).toBeNull()
    }
  } else {
    expect(CODES.has(o.code)).toBe(true)
    expect(o.reason).toBeTruthy()
  }
}

// Pieces real files are made of, so random combinations reach deep into the parser.
const yamlLine = fc.oneof(
  fc.constantFrom(
    'title: x',
    "title: '引号",
    'title: "a"b"',
    'categories:',
    ' - 金融',
    ' - [a, b',
    'date: Mon, 26 Jul 2021 04:03:03 GMT',
    'date: 2021-13-45 99:99:99',
    'date: 2021-04-11',
    'tags: [x, y]',
    'author: 新浪财经',
    'a: &x [1, 2]',
    'b: *x',
    'c: *undefined',
    '\tindent: tab',
    ': : :',
    '? complex',
    '!!binary aGVsbG8=',
    'key: !!js/function "function(){}"',
    '---',
    '...'
  ),
  fc.string({ maxLength: 30 })
)
const htmlPiece = fc.oneof(
  fc.constantFrom(
    '<p>　　正文段落。</p>',
    '<p class="article-editor">责任编辑：王翔 </p>',
    '<p>原标题：标题</p>',
    '<!-- 正文下iframe -->',
    '<style>.a&#123;color:red&#125;</style>',
    '<div class="appendQr_wrap"><p>尽在新浪财经APP</p></div>',
    '<script>alert(1)</script>',
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://e.x"></iframe>',
    '<div style="position:fixed;inset:0">overlay</div>',
    '<svg><script>alert(1)</script></svg>',
    '<table><tr><td>cell</td></tr></table>',
    '<pre><code>const a = 1 < 2</code></pre>',
    '<br><br><br>',
    '<font cms-style="font-L">字</font>',
    '</div></p></span>',
    '<p><p><p>',
    '<![CDATA[ x ]]>',
    '&nbsp;&#x0;&#xD800;&bogus;',
    '# Markdown heading',
    '- list item',
    '```\ncode\n```'
  ),
  fc.string({ maxLength: 40 })
)
const articleText = fc
  .tuple(
    fc.constantFrom('---\n', '+++\n', '', '\uFEFF---\n', '---js\n'),
    fc.array(yamlLine, { maxLength: 8 }),
    fc.constantFrom('\n---\n', '\n+++\n', '\n', '\n---'),
    fc.array(htmlPiece, { maxLength: 12 })
  )
  .map(([open, lines, close, body]) => open + lines.join('\n') + close + body.join('\n'))

describe('parseArticleFile never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 400 }),
        fc.constantFrom('a.md', 'b.html', 'c.txt', 'd'),
        (s, p) => checkOutcome(Buffer.from(s), p)
      ),
      { numRuns: 150 }
    )
  })

  it('on arbitrary bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.constantFrom('a.md', 'b.html', 'c.txt'),
        (b, p) => checkOutcome(b, p)
      ),
      { numRuns: 150 }
    )
  })

  it('on front matter + body assembled from the pieces real files have', () => {
    fc.assert(
      fc.property(articleText, fc.constantFrom('a.md', 'b.html', 'c.txt'), (s, p) =>
        checkOutcome(Buffer.from(s), p)
      ),
      { numRuns: 200 }
    )
  })

  it('on the same text in UTF-16 and GB18030-like byte soups', () => {
    fc.assert(
      fc.property(articleText, (s) => {
        checkOutcome(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]), 'u.md')
        checkOutcome(Buffer.from(s, 'latin1'), 'l.md')
      }),
      { numRuns: 80 }
    )
  })
})

describe('cleanArticleHtml', () => {
  const html = fc.array(htmlPiece, { maxLength: 15 }).map((xs) => xs.join(''))

  it('never throws, never outputs active content, and is idempotent', () => {
    fc.assert(
      fc.property(html, (h) => {
        const once = cleanArticleHtml(h)
        expect(activeMarkup(once.html)).toBeNull()
        const twice = cleanArticleHtml(once.html)
        expect(twice.html).toBe(once.html)
        expect(twice.text).toBe(once.text)
      }),
      { numRuns: 200 }
    )
  })
})

describe('anchoring', () => {
  // Small alphabets make repeats likely: the hard case for finding a quote again.
  const text = fc
    .array(fc.constantFrom('上海', '进博会', '软实力', 'a', 'b', ' ', '。', '\n\n', '12', 'x'), {
      minLength: 1,
      maxLength: 120
    })
    .map((xs) => xs.join(''))
  const textAndRange = text.chain((t) =>
    fc
      .tuple(fc.nat({ max: t.length - 1 }), fc.integer({ min: 1, max: 40 }))
      .map(([s, len]) => ({ t, s, e: Math.min(t.length, s + len) }))
  )

  it('finds a described range again exactly in the same text', () => {
    fc.assert(
      fc.property(textAndRange, ({ t, s, e }) => {
        const r = anchorSelectors(t, describeRange(t, s, e))
        expect(r.method).not.toBe('failed')
        if (r.method !== 'failed') expect([r.start, r.end]).toEqual([s, e])
      }),
      { numRuns: 300 }
    )
  })

  it('never throws on edited text and never returns a range outside it', () => {
    fc.assert(
      fc.property(textAndRange, text, fc.nat(), ({ t, s, e }, insert, at) => {
        const sel = describeRange(t, s, e)
        const cut = at % (t.length + 1)
        const edited = t.slice(0, cut) + insert + t.slice(cut + (at % 3))
        const r = anchorSelectors(edited, sel)
        if (r.method !== 'failed') {
          expect(r.start).toBeGreaterThanOrEqual(0)
          expect(r.end).toBeLessThanOrEqual(edited.length)
          expect(r.start).toBeLessThanOrEqual(r.end)
        }
      }),
      { numRuns: 200 }
    )
  })
})
