// Every shipped site rule against a small page with that site's markup (the real pages that justify
// each rule are named in its YAML comment): the rule applies on its host, makes the page come out
// right where generic extraction does not, and stays off the same markup on any other host.
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
    // Every rule is keyed by host: markup alone never selects one.
    for (const r of rules.sites) expect(r.match.hosts.length, r.name).toBeGreaterThan(0)
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

    it(`${rule.name}: is needed: without it, generic extraction gets the page wrong`, () => {
      const { html, expect: want } = readFixture(rule.name)
      const others = { ...rules, sites: rules.sites.filter((r) => r !== rule) }
      const plain = extractArticle(html, { url: want.url, rules: others })
      const right =
        plain.title === want.title &&
        want.contains.every((s) => plain.text.includes(s)) &&
        want.absent.every((s) => BYLINE.test(s) || !plain.text.includes(s))
      expect(right).toBe(false)
    })

    it(`${rule.name}: stays off its markup on an unrelated host, and on a page with no address`, () => {
      const { html, expect: want } = readFixture(rule.name)
      const elsewhere = extractArticle(html, {
        url: 'https://news.unrelated.example/a/1.html',
        rules
      })
      expect(elsewhere.matchedRules).not.toContain(rule.name)
      const others = { ...rules, sites: rules.sites.filter((r) => r !== rule) }
      expect(elsewhere.text).toBe(
        extractArticle(html, { url: 'https://news.unrelated.example/a/1.html', rules: others }).text
      )
      expect(want.url).toBeTruthy()
      expect(extractArticle(html, { rules }).matchedRules).not.toContain(rule.name)
    })
  }

  it('without rules, generic extraction still finds the body of a news page', () => {
    const { html, expect: want } = readFixture('aljazeera')
    const result = extractArticle(html, {})
    expect(result.matchedRules).toEqual([])
    for (const s of want.contains) expect(result.text).toContain(s)
  })
})
