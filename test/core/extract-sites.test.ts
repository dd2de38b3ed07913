// Every shipped site rule against a fixture mimicking that site's real markup.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { extractArticle } from '../../src/core/extract/extract-article'
import { loadSiteRules } from '../../src/core/extract/site-rules'
import { parseHtmlPageAt } from '../../src/core/ingest/page'

const FIXTURES = join(__dirname, '../fixtures/extract/sites')

interface Expectation {
  url?: string
  title: string
  publishedAt?: string
  author?: string
  siteName?: string
  editor?: string
  originalTitle?: string
  contains: string[]
  absent: string[]
}

function readFixture(name: string): { html: string; expect: Expectation } {
  const html = readFileSync(join(FIXTURES, `${name}.html`), 'utf8')
  const m = /^<!-- expect (\{.*\}) -->/.exec(html)
  if (!m) throw new Error(`${name}.html: first line must be <!-- expect {json} -->`)
  return { html, expect: JSON.parse(m[1]!) as Expectation }
}

const { rules, errors } = loadSiteRules({ dir: join(__dirname, '../../resources/site-rules') })

/** Byline lines: lifted by the cleaner (clean/bylines.ts), as for every format, not by a rule. */
const BYLINE = /责任编辑|责编|原标题/u

describe('shipped site rules', () => {
  it('load without errors', () => {
    expect(errors).toEqual([])
    expect(rules.sites.length).toBeGreaterThanOrEqual(25)
    expect(rules.generic.dropText.length).toBeGreaterThan(5)
  })

  it('each have a fixture, and each fixture a rule', () => {
    const fixtures = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.html'))
      .map((f) => f.replace(/\.html$/, ''))
      .sort()
    expect(fixtures).toEqual(rules.sites.map((r) => r.name).sort())
  })

  for (const rule of rules.sites) {
    it(`${rule.name}: matches its page, takes its body, drops its boilerplate, lifts metadata`, () => {
      const { html, expect: want } = readFixture(rule.name)
      const result = extractArticle(html, { url: want.url, rules })
      // What the library stores: the extraction, then the cleaner every format goes through.
      const article = parseHtmlPageAt(html, `${rule.name}.html`, 'UTF-8', {
        ...(want.url ? { url: want.url } : {}),
        siteRules: rules
      })
      expect(result.matchedRules).toContain(rule.name)
      expect(result.title).toBe(want.title)
      if (want.publishedAt) expect(result.publishedAt).toBe(want.publishedAt)
      if (want.author) expect(result.author).toBe(want.author)
      if (want.siteName) expect(result.siteName).toBe(want.siteName)
      if (want.editor) expect(article.editor).toBe(want.editor)
      if (want.originalTitle) expect(article.originalTitle).toBe(want.originalTitle)
      for (const s of want.contains) {
        expect(result.text).toContain(s)
        expect(article.cleanText).toContain(s)
      }
      for (const s of want.absent) {
        if (!BYLINE.test(s)) expect(result.text).not.toContain(s)
        expect(article.cleanText).not.toContain(s)
      }
      // What was dropped is reported, not silently lost.
      if (want.absent.length > 0) expect(result.removed.length).toBeGreaterThan(0)
    })
  }

  it('without rules, generic extraction still finds the body of a portal page', () => {
    const { html, expect: want } = readFixture('netease')
    const result = extractArticle(html, {})
    expect(result.matchedRules).toEqual([])
    for (const s of want.contains) expect(result.text).toContain(s)
  })
})
