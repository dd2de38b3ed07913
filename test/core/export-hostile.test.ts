// Exports of an article a hostile or damaged source made (imported with the real importer, next
// to real corpus articles): markup that is text in Gleaner stays text in every export, a
// `javascript:` URL reaches none, and characters XML cannot hold do not break the DOCX.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { marked } from 'marked'
import * as cheerio from 'cheerio'
import { exportBundle, loadExportBundle } from '../../src/core/export'
import type { ExportBundle } from '../../src/shared/export-types'
import {
  annotate,
  fixtureLibrary,
  importHostileArticle,
  type FixtureLibrary
} from './export-fixture'
import { unzip, xmlError } from './export-read'

let fx: FixtureLibrary
let hostile: number
let bundle: ExportBundle

beforeAll(async () => {
  fx = await fixtureLibrary()
  hostile = await importHostileArticle(fx.db, fx.dir)
  annotate(fx.db, hostile, 'a noncharacter', { note: 'bad \uFFFF in a note', tags: ['x\u0001y'] })
  annotate(fx.db, hostile, '<script>alert(1)</script>', { note: '<b>not bold</b> & <i>x</i>' })
  // Links an older cleaner let through stay in a library until it is re-cleaned.
  fx.db
    .prepare(`UPDATE articles SET clean_html = clean_html || ? WHERE id = ?`)
    .run(
      '<p><a href="javascript:alert(7)">click me</a> <a href="https://example.com/a(b)">ok</a> <img src="javascript:alert(8)" alt="x"></p>',
      hostile
    )
  bundle = loadExportBundle(fx.db, [fx.articleIds[0] as number, hostile], '<svg onload=alert(6)>')
})
afterAll(() => {
  fx.db.close()
  rmSync(fx.dir, { recursive: true, force: true })
})

/** Markdown as a CommonMark renderer shows it (marked passes raw HTML through, as many do). */
function rendered(markdown: string): cheerio.CheerioAPI {
  return cheerio.load(marked.parse(markdown.replace(/^---\n[\s\S]*?\n---\n/, ''), { async: false }))
}

/** Elements and attributes that would run or load something. */
function liveMarkup($: cheerio.CheerioAPI): string[] {
  const found: string[] = []
  $('script, svg, iframe, object, embed, b, i').each((_, el) => {
    found.push(`<${(el as { tagName: string }).tagName}>`)
  })
  $('*').each((_, el) => {
    for (const name of Object.keys((el as { attribs: Record<string, string> }).attribs ?? {}))
      if (/^on/i.test(name)) found.push(`${(el as { tagName: string }).tagName}[${name}]`)
  })
  return found
}

describe('Markdown export of text that reads like markup', () => {
  it('keeps it text in the notes, the index (aliases) and tags, folder or single file', async () => {
    const dir = join(fx.dir, 'md')
    await exportBundle(bundle, 'markdown', dir, { locale: 'en' })
    const single = join(fx.dir, 'brief.md')
    await exportBundle(bundle, 'markdown', single)
    const files = [...readdirSync(dir).map((f) => join(dir, f)), single]
    let sawScriptText = false
    for (const file of files) {
      const $ = rendered(readFileSync(file, 'utf8'))
      expect(liveMarkup($), file).toEqual([])
      if ($.root().text().includes('<script>alert(1)</script>')) sawScriptText = true
    }
    // The text is still there, as text (not dropped to make it safe).
    expect(sawScriptText).toBe(true)
    // Links keep web addresses only; the text of any other stays.
    const $note = rendered(
      readFileSync(files.find((f) => f.includes('svg onload=alert(1)')) as string, 'utf8')
    )
    expect(
      $note('a')
        .map((_, a) => $note(a).attr('href'))
        .get()
    ).toEqual(['https://example.com/a%28b%29'])
    expect($note.root().text()).toContain('click me')
    expect(
      $note('img')
        .map((_, i) => $note(i).attr('src'))
        .get()
    ).toEqual(['https://example.com/i.png'])
    const index = files.find((f) => f.endsWith(' - index.md')) as string
    expect(rendered(readFileSync(index, 'utf8')).root().text()).toContain(
      '<svg onload=alert(1)> & Co'
    )
    const note = readFileSync(
      files.find((f) => f.includes('svg onload=alert(1)')) as string,
      'utf8'
    )
    expect(rendered(note).root().text()).toContain('&lt; as text')
  })
})

describe('DOCX export of text XML cannot hold', () => {
  it('is well-formed XML in every part, the bad characters shown as U+FFFD, highlights in place', async () => {
    const path = join(fx.dir, 'brief.docx')
    await exportBundle(bundle, 'docx', path)
    const parts = await unzip(path)
    const xmlParts = [...parts.keys()].filter((k) => /\.(xml|rels)$/.test(k))
    expect(xmlParts).toContain('word/document.xml')
    expect(xmlParts).toContain('word/comments.xml')
    for (const part of xmlParts) expect(xmlError(parts.get(part) as string), part).toBeNull()
    // The strict parser would have refused the characters themselves.
    expect(xmlError('<a>\uFFFE</a>')).not.toBeNull()

    const doc = parts.get('word/document.xml') as string
    expect(doc).toContain('Text with \uFFFD ')
    // The comment still spans exactly the highlighted words.
    const start = doc.indexOf('<w:commentRangeStart')
    const end = doc.indexOf('<w:commentRangeEnd', start)
    const spanned = [...doc.slice(start, end).matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)]
      .map((m) => m[1])
      .join('')
    expect(spanned).toBe('a noncharacter')
    expect(parts.get('word/comments.xml')).toContain('bad \uFFFD in a note')
  })
})

describe('a javascript: URL', () => {
  it('reaches no export', async () => {
    for (const [format, name] of [
      ['markdown', 'md-url'],
      ['html', 'u.html'],
      ['json', 'u.json'],
      ['csv', 'u.csv'],
      ['docx', 'u.docx']
    ] as const) {
      const result = await exportBundle(bundle, format, join(fx.dir, name))
      for (const file of result.files) {
        let text =
          format === 'docx'
            ? [...(await unzip(file)).values()].join('\n')
            : readFileSync(file, 'utf8')
        if (format === 'json') {
          // JSON carries each article's stored clean HTML verbatim, as data (the link planted
          // in it above is the Markdown test's); everything else must be clean.
          const doc = JSON.parse(text) as { 'gleaner:articles': { html: string }[] }
          for (const a of doc['gleaner:articles']) a.html = ''
          text = JSON.stringify(doc)
        }
        expect(text, file).not.toMatch(/javascript:/i)
      }
    }
  })
})

describe('DOCX export of an annotation whose stored time is not a date', () => {
  it('still writes the document, its comments with valid dates', async () => {
    // A restored annotation may carry any stored time string; Word needs a valid one or none.
    fx.db
      .prepare(`UPDATE annotations SET updated_at = 'not a date' WHERE article_id = ?`)
      .run(hostile)
    const again = loadExportBundle(fx.db, [hostile], 'dates')
    const path = join(fx.dir, 'dates.docx')
    await exportBundle(again, 'docx', path)
    const comments = (await unzip(path)).get('word/comments.xml') as string
    expect(xmlError(comments)).toBeNull()
    expect(comments).toContain('bad \uFFFD in a note')
    const dates = [...comments.matchAll(/w:date="([^"]*)"/g)].map((m) => m[1] as string)
    expect(dates.length).toBeGreaterThan(0)
    for (const d of dates) expect(Number.isNaN(Date.parse(d)), d).toBe(false)
  })
})
