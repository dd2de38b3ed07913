// Every export format written from a real library (corpus articles, annotations, a collection)
// and read back with an independent parser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import matter from 'gray-matter'
import yauzl from 'yauzl'
import { XMLValidator } from 'fast-xml-parser'
import { parse as parseCsv } from 'csv-parse/sync'
import {
  exportBundle,
  loadCollectionBundle,
  renderHtmlBriefing,
  safeFileStem
} from '../../src/main/core/export'
import type { ExportBundle } from '../../src/shared/export-types'
import { annotatedCollection, type AnnotatedCollection } from './export-fixture'

let fx: AnnotatedCollection
let bundle: ExportBundle
let out: string

beforeAll(async () => {
  fx = await annotatedCollection()
  bundle = loadCollectionBundle(fx.db, fx.collectionId, undefined, '2026-11-30T08:00:00.000Z')
  out = join(fx.dir, 'out')
})
afterAll(() => {
  fx.db.close()
  rmSync(fx.dir, { recursive: true, force: true })
})

function unzip(path: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err)
      const files = new Map<string, string>()
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e)
          const chunks: Buffer[] = []
          stream.on('data', (c: Buffer) => chunks.push(c))
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks).toString('utf8'))
            zip.readEntry()
          })
        })
      })
      zip.on('end', () => resolve(files))
      zip.on('error', reject)
      zip.readEntry()
    })
  })
}

function xmlText(xml: string): string {
  // Text of all w:t runs, joined, entities decoded: what Word shows.
  const parts = [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1] ?? '')
  return parts
    .join('')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
}

describe('loading a collection for export', () => {
  it('keeps the collection order, item notes and every annotation in reading order', () => {
    expect(bundle.title).toBe('周报 / Weekly #12')
    expect(bundle.articles.map((e) => e.article.id)).toEqual(fx.articleIds)
    expect(bundle.articles[0]?.itemNote).toBe('进博会：上海的服务保障')
    expect(bundle.articles.reduce((n, e) => n + e.annotations.length, 0)).toBe(fx.annotationCount)
    const first = bundle.articles[0]?.annotations.map((a) => a.exact)
    expect(first).toEqual([
      '上海将充分发挥软实力的“加速器”作用',
      '软实力的“加速器”',
      '疫情防控更精准'
    ])
    expect(bundle.articles[0]?.article.categoryPath).toEqual(['金融', '新浪财经', '新浪财经－国內'])
    expect(bundle.articles[0]?.article.tags).toEqual(['soft power', '进博会'])
  })
})

describe('Markdown export', () => {
  it('writes one file per article with front matter that parses back, and an index of wikilinks', async () => {
    const dir = join(out, 'md')
    const result = await exportBundle(bundle, 'markdown', dir)
    expect(result.files).toHaveLength(bundle.articles.length + 1)
    const names = readdirSync(dir)
    const index = names.find((n) => n.endsWith(' - index.md')) as string
    expect(index).toBeDefined()
    const indexText = readFileSync(join(dir, index), 'utf8')

    for (const entry of bundle.articles) {
      const a = entry.article
      const file = names.find(
        (n) => matter(readFileSync(join(dir, n), 'utf8')).data.gleaner?.id === a.id
      )
      expect(file, `file for article ${a.id}`).toBeDefined()
      const parsed = matter(readFileSync(join(dir, file as string), 'utf8'))
      expect(parsed.data.title).toBe(a.title)
      expect(parsed.data.author).toBe(a.author)
      expect(new Date(parsed.data.date as string).toISOString()).toBe(a.publishedAt)
      expect(parsed.data.categories).toEqual(a.categoryPath)
      if (a.tags.length > 0) expect(parsed.data.tags).toEqual(a.tags)
      expect(indexText).toContain(`[[${(file as string).replace(/\.md$/, '')}|`)
      for (const ann of entry.annotations) {
        if (ann.exact)
          expect(parsed.content).toContain(`> ${ann.exact.replace(/([\\`*_[\]<>#|~=$])/g, '\\$1')}`)
      }
    }
    // Quotes and slashes in titles never reach file names.
    expect(names).toContain('绿色股票 试水欧洲.md')
    expect(names.every((n) => !/["/\\:*?<>|#^[\]]/.test(n))).toBe(true)
  })

  it('makes file names safe and unique', () => {
    expect(safeFileStem('; echo "Shell Injection"', 'x')).toBe('; echo Shell Injection')
    expect(safeFileStem(' .. ', 'article-7')).toBe('article-7')
    expect(safeFileStem('CON', 'article-8')).toBe('article-8')
    expect([...safeFileStem('长'.repeat(300), 'x')].length).toBe(80)
  })
})

describe('DOCX export', () => {
  it('holds the highlighted text as shaded runs and the notes as Word comments', async () => {
    const path = join(out, 'brief.docx')
    await exportBundle(bundle, 'docx', path)
    const files = await unzip(path)
    const doc = files.get('word/document.xml') as string
    const comments = files.get('word/comments.xml') as string
    expect(doc).toBeDefined()
    expect(comments).toBeDefined()
    const docText = xmlText(doc)
    for (const h of fx.highlights) expect(docText).toContain(h.exact)
    // Every shaded run is a highlight; its fills come from the palette, the bad colour fell back.
    const fills = new Set([...doc.matchAll(/w:fill="([0-9A-F]{6})"/g)].map((m) => m[1]))
    expect(fills).toEqual(new Set(['FFF3A3', 'C8F0C0', 'C6E2FF', '8FD3FE', 'FFD0E0', 'F4F4F6']))
    expect(doc).toContain('w:commentRangeStart')
    const commentText = xmlText(comments)
    for (const h of fx.highlights) if (h.note) expect(commentText).toContain(h.note.split('\n')[0])
    expect(commentText).toContain('#Apple Inc')
    // Each comment spans exactly its highlight's text and carries that highlight's note.
    expect(XMLValidator.validate(doc)).toBe(true)
    expect(XMLValidator.validate(comments)).toBe(true)
    const commentBodies = new Map(
      [...comments.matchAll(/<w:comment [^>]*w:id="(\d+)"[^>]*>([\s\S]*?)<\/w:comment>/g)].map(
        (m) => [m[1], xmlText(m[2] ?? '')]
      )
    )
    const spans = [...doc.matchAll(/<w:commentRangeStart w:id="(\d+)"\/>/g)].map((m) => {
      const id = m[1] as string
      const end = doc.indexOf(`<w:commentRangeEnd w:id="${id}"/>`, m.index)
      return { id, text: xmlText(doc.slice(m.index, end)) }
    })
    const withNotes = fx.highlights.filter((h) => h.note)
    expect(spans.length).toBe(withNotes.length + 1) // + the overlapping highlight's note
    for (const h of withNotes) {
      const span = spans.find((sp) => sp.text === h.exact)
      expect(span, h.exact).toBeDefined()
      expect(commentBodies.get(span?.id as string)).toContain(h.note.split('\n')[0])
    }
    // The article note (no anchor) is in the body, not a comment.
    expect(docText).toContain('只有标题的文章：需要找原文')
    expect(docText).toContain('“纳斯达克” 需要复核：原文已改')
    expect(commentText).not.toContain('需要复核')
  })
})

// A small structural check of the W3C Web Annotation model (https://www.w3.org/TR/annotation-model/).
function w3cProblems(doc: Record<string, unknown>): string[] {
  const problems: string[] = []
  const ctx = doc['@context']
  const ctxs = Array.isArray(ctx) ? ctx : [ctx]
  if (!ctxs.includes('http://www.w3.org/ns/anno.jsonld'))
    problems.push('@context lacks anno.jsonld')
  if (doc.type !== 'AnnotationCollection') problems.push('type is not AnnotationCollection')
  if (typeof doc.id !== 'string') problems.push('collection id')
  const first = doc.first as Record<string, unknown> | undefined
  if (!first || first.type !== 'AnnotationPage' || !Array.isArray(first.items)) {
    problems.push('first is not an AnnotationPage with items')
    return problems
  }
  if (doc.total !== first.items.length) problems.push('total does not match items')
  const motivations = [
    'highlighting',
    'commenting',
    'tagging',
    'bookmarking',
    'describing',
    'classifying'
  ]
  for (const [i, item] of (first.items as Record<string, unknown>[]).entries()) {
    const at = `items[${i}]`
    if (item.type !== 'Annotation') problems.push(`${at}.type`)
    if (typeof item.id !== 'string' || !/^[a-z]+:/.test(item.id))
      problems.push(`${at}.id is not an IRI`)
    if (!motivations.includes(item.motivation as string)) problems.push(`${at}.motivation`)
    for (const k of ['created', 'modified']) {
      if (Number.isNaN(Date.parse(item[k] as string))) problems.push(`${at}.${k} is not a date`)
    }
    for (const b of (item.body ?? []) as Record<string, unknown>[]) {
      if (b.type !== 'TextualBody' || typeof b.value !== 'string') problems.push(`${at}.body`)
      if (!['commenting', 'tagging'].includes(b.purpose as string))
        problems.push(`${at}.body.purpose`)
    }
    // A target is an IRI (a note on the whole article) or a SpecificResource with a source.
    if (typeof item.target === 'string') {
      if (!/^[a-z]+:/.test(item.target)) problems.push(`${at}.target is not an IRI`)
      continue
    }
    const target = item.target as Record<string, unknown> | undefined
    if (!target || typeof target.source !== 'string') {
      problems.push(`${at}.target.source`)
      continue
    }
    for (const s of (target.selector ?? []) as Record<string, unknown>[]) {
      if (s.type === 'TextQuoteSelector') {
        if (typeof s.exact !== 'string' || s.exact === '')
          problems.push(`${at} quote selector exact`)
      } else if (s.type === 'TextPositionSelector') {
        if (
          !Number.isInteger(s.start) ||
          !Number.isInteger(s.end) ||
          (s.start as number) > (s.end as number)
        ) {
          problems.push(`${at} position selector`)
        }
      } else problems.push(`${at} selector type ${String(s.type)}`)
    }
  }
  return problems
}

describe('JSON export', () => {
  it('is a W3C AnnotationCollection whose selectors resolve against the exported text', async () => {
    const path = join(out, 'brief.json')
    await exportBundle(bundle, 'json', path)
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
    expect(w3cProblems(doc)).toEqual([])
    // The check above must be able to fail.
    expect(
      w3cProblems({ ...doc, type: 'Collection', first: { type: 'AnnotationPage', items: [{}] } })
    ).not.toEqual([])

    const items = (doc.first as { items: Record<string, unknown>[] }).items
    expect(items).toHaveLength(fx.annotationCount)
    const texts = new Map(
      (doc['gleaner:articles'] as { id: string; text: string }[]).map((a) => [a.id, a.text])
    )
    let resolved = 0
    for (const item of items) {
      if (typeof item.target === 'string') continue
      const target = item.target as { source: string; selector?: Record<string, unknown>[] }
      const text = texts.get(target.source)
      expect(text, target.source).toBeDefined()
      const quote = target.selector?.find((s) => s.type === 'TextQuoteSelector')
      const pos = target.selector?.find((s) => s.type === 'TextPositionSelector')
      if (
        quote &&
        pos &&
        (text as string).slice(pos.start as number, pos.end as number) === quote.exact
      )
        resolved++
    }
    // All but the deliberately stale one resolve by position; the article note has no selector.
    expect(resolved).toBe(fx.annotationCount - 2)
  })
})

describe('CSV export', () => {
  it('has a BOM, one row per annotation, and RFC 4180 quoting that a CSV parser reads back', async () => {
    const path = join(out, 'brief.csv')
    await exportBundle(bundle, 'csv', path)
    const bytes = readFileSync(path)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = parseCsv(bytes, { bom: true, columns: true, relax_column_count: false }) as Record<
      string,
      string
    >[]
    expect(rows).toHaveLength(fx.annotationCount)
    const hostile = rows.find((r) => r.quote === 'moved back up to third place')
    expect(hostile?.note).toBe(fx.hostileNote)
    expect(hostile?.article_title).toBe('Apple Fortune 500 ranking now #3, but #188 for diversity')
    expect(rows.find((r) => r.quote === '上海将充分发挥软实力的“加速器”作用')?.note).toBe(
      '关键句：软实力\n值得引用'
    )
    // Formula injection is defused.
    expect(rows.find((r) => r.quote === '绿色股票')?.note).toBe(
      `'=HYPERLINK("http://evil.example")`
    )
    expect(rows.find((r) => r.quote === 'a rather low ranking of 188th')?.tags).toBe(
      'diversity; Apple Inc'
    )
  })
})

describe('HTML briefing templates', () => {
  it('uses a user template, escapes by default, and still enforces the CSP', () => {
    const userDir = join(fx.dir, 'templates')
    mkdirSync(userDir, { recursive: true })
    writeFileSync(
      join(userDir, 'briefing.html.mustache'),
      '<html><head><title>{{title}}</title></head><body>{{#articles}}<h2>{{title}}</h2>{{{bodyHtml}}}{{/articles}}</body></html>'
    )
    const hostile: ExportBundle = { ...bundle, title: '<script>alert(1)</script>' }
    const html = renderHtmlBriefing(hostile, { templateDir: userDir })
    expect(html).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>')
    expect(html).not.toContain('<script>')
    expect(html).toContain('http-equiv="Content-Security-Policy"')
    // The note with markup is text, never an element.
    const shipped = renderHtmlBriefing(bundle)
    expect(shipped).not.toContain('<img')
    expect(shipped).toContain('&lt;img src=&quot;https://evil.example/x.png&quot;')
    expect(shipped).not.toContain('url(https://evil.example')
  })
})
