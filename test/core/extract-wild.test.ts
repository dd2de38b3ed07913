// Issue 16's kinds of failure on pages the cleaner had never seen, each on a small page built to
// show it: the extractor must keep the article through odd markup and misleading class names.
import { describe, expect, it } from 'vitest'
import { extractArticle } from '../../src/core/extract/extract-article'
import { shippedSiteRules } from '../../src/core/extract/site-rules'
import { parseArticleFile } from '../../src/core/ingest/parse'

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

describe('wrong failures', () => {
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
