import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cleanArticleHtml } from '../../src/core/clean/clean-article'
import { htmlToText } from '../../src/core/clean/clean-text'
import { parseArticleFile } from '../../src/core/ingest/parse'
import type { ParseOutcome } from '../../src/core/model/parsed-article'
import { SHARED } from '../helpers/corpus'

const CORPUS = `${SHARED}/corpus`

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

const files = walk(CORPUS)
const posts = files.filter((f) => f.includes('/rsshub/') && f.endsWith('.md'))
const outcomes = new Map<string, ParseOutcome>(
  files.map((f) => [f, parseArticleFile(readFileSync(f), f)])
)

// The corpus's own README and MANIFEST describe the data (and quote `&#123;` in code spans):
// they must parse without throwing, but the boilerplate checks apply to the articles.
const isArticle = (f: string): boolean => f.includes('/rsshub/') || f.includes('/seed/')

describe('parseArticleFile over the whole corpus', () => {
  it('finds the real corpus', () => {
    expect(posts.length).toBeGreaterThan(100)
  })

  it('parses every file or fails it with a code and a one-line reason', () => {
    for (const [file, outcome] of outcomes) {
      if (outcome.ok) {
        expect(outcome.articles.length, file).toBeGreaterThan(0)
      } else {
        expect(outcome.code, file).toMatch(/^[a-z-]+$/)
        expect(outcome.reason.length, file).toBeGreaterThan(10)
        expect(outcome.reason, file).not.toContain('\n')
      }
    }
  })

  it('turns nearly every post into an article with a title', () => {
    const ok = posts.filter((f) => outcomes.get(f)!.ok)
    expect(ok.length / posts.length).toBeGreaterThan(0.97)
    for (const f of ok) {
      const outcome = outcomes.get(f)!
      if (!outcome.ok) continue
      for (const a of outcome.articles) expect(a.title.trim(), f).not.toBe('')
    }
  })

  it('leaves no comments, escaped braces, QR blocks or CSS in any article text', () => {
    for (const [file, outcome] of outcomes) {
      if (!outcome.ok || !isArticle(file)) continue
      for (const a of outcome.articles) {
        for (const junk of ['<!--', '&#123;', '&#125;', 'appendQr'])
          expect(a.cleanText, file).not.toContain(junk)
        // A CSS rule (selector, brace, property: value;) outside code samples, which may teach CSS.
        const prose = htmlToText(a.cleanHtml.replace(/<pre[\s\S]*?<\/pre>/g, ''))
        expect(prose, file).not.toMatch(/[.#][\w-]+\s*\{[^}]*:[^}]*;/)
        expect(a.cleanHtml, file).not.toMatch(
          /<(script|style|iframe)\b|<[a-z][^>]*\s(on\w+|style|class)=/i
        )
        for (const p of a.cleanText.split('\n\n')) expect(p.startsWith('\u3000'), file).toBe(false)
      }
    }
  })

  it('reports the odd cases the corpus is known for', () => {
    const invalidDates = [...outcomes.values()].flatMap((o) =>
      o.ok
        ? o.articles.filter((a) => a.warnings.some((w) => w.includes("date 'Invalid Date'")))
        : []
    )
    expect(invalidDates.length).toBeGreaterThan(0)
    for (const a of invalidDates) expect(a.publishedAt).toBeNull()
    const dates = [...outcomes.values()].flatMap((o) =>
      o.ok ? o.articles.map((a) => a.publishedAt) : []
    )
    for (const d of dates)
      if (d !== null) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  })

  it('cleans idempotently: cleaning the clean HTML changes nothing', () => {
    for (const [file, outcome] of outcomes) {
      if (!outcome.ok) continue
      for (const a of outcome.articles) {
        const again = cleanArticleHtml(a.cleanHtml)
        expect(again.html, file).toBe(a.cleanHtml)
        expect(again.text, file).toBe(a.cleanText)
      }
    }
  })
})
