// Every export format written from a real library (corpus articles, annotations, a collection)
// and read back with an independent parser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import matter from 'gray-matter'
import { parse as parseCsv } from 'csv-parse/sync'
import {
  CSV_HEADER,
  EXPORT_LABELS,
  exportBundle,
  loadCollectionBundle,
  renderHtmlBriefing,
  safeFileStem
} from '../../src/core/export'
import type { ExportBundle } from '../../src/shared/export-types'
import { annotatedCollection, type AnnotatedCollection } from './export-fixture'
import { unzip, xmlError } from './export-read'

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
          expect(parsed.content).toContain(
            `> ${ann.exact.replace(/([\\`*_[\]<>&#|~=$])/g, '\\$1')}`
          )
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
    // Nothing invisible or misleading: bidi overrides, noncharacters, C1 controls, lone halves.
    expect(safeFileStem('report\u202Elmth.exe', 'x')).toBe('report lmth.exe')
    expect(safeFileStem('a\uFFFEb\u0085c\u200Bd\uFEFFe', 'x')).toBe('a b c d e')
    expect(safeFileStem('half \uD83D surrogate', 'x')).toBe('half surrogate')
    expect(safeFileStem('家庭 👨‍👩‍👧', 'x')).toBe('家庭 👨‍👩‍👧')
    // 255 bytes is the most a name may hold on common file systems; a stem leaves room.
    const long = safeFileStem('长'.repeat(300), 'x')
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(180)
    expect(long).toBe('长'.repeat(60))
  })

  it('cuts long titles after a whole word, never inside a word, a surrogate pair or a grapheme', () => {
    const english =
      'Apple moved back up to third place in the Fortune 500 ranking but sits at a rather low ranking of 188th for diversity'
    const cut = safeFileStem(english, 'x')
    expect([...cut].length).toBeLessThanOrEqual(80)
    expect(english.startsWith(cut)).toBe(true)
    // What follows the cut is the space between two words.
    expect(english[cut.length]).toBe(' ')
    expect(cut).toBe('Apple moved back up to third place in the Fortune 500 ranking but sits at a')

    // Chinese: after a whole dictionary word.
    const chinese = '第四届进博会：提升城市软实力与服务保障进博会双促进'.repeat(4)
    const zh = safeFileStem(chinese, 'x', 30)
    const words = [...new Intl.Segmenter('zh', { granularity: 'word' }).segment(chinese)]
    expect(words.some((w) => w.index === zh.length)).toBe(true)
    expect(chinese.startsWith(zh)).toBe(true)

    // One long run with no word break: after a whole grapheme (emoji sequences, accents).
    const family = '👨‍👩‍👧'.repeat(40)
    const emoji = safeFileStem(family, 'x')
    expect(emoji.length % '👨‍👩‍👧'.length).toBe(0)
    expect(emoji.length).toBeGreaterThan(0)
    const accents = 'e\u0301'.repeat(100).normalize('NFD')
    const accented = safeFileStem(accents, 'x')
    expect(accented.normalize('NFC')).toBe('é'.repeat([...accented.normalize('NFC')].length))
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(safeFileStem('😀'.repeat(100), 'x'))).toBe(
      false
    )
  })

  it('names the index and notes in the export’s language', async () => {
    const dir = join(out, 'md-zh')
    await exportBundle(bundle, 'markdown', dir, { locale: 'zh' })
    expect(readdirSync(dir)).toContain('周报 Weekly 12 - 索引.md')
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
    for (const [name, xml] of files)
      if (/\.(xml|rels)$/.test(name)) expect(xmlError(xml), name).toBeNull()
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
  it('has a BOM, one row per article then one per annotation, and RFC 4180 quoting a CSV parser reads back', async () => {
    const path = join(out, 'brief.csv')
    await exportBundle(bundle, 'csv', path)
    const bytes = readFileSync(path)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = parseCsv(bytes, { bom: true, columns: true, relax_column_count: false }) as Record<
      string,
      string
    >[]
    expect(Object.keys(rows[0] ?? {})).toEqual([...CSV_HEADER])
    const articles = rows.filter((r) => r.row_type === 'article')
    const annotations = rows.filter((r) => r.row_type === 'annotation')
    expect(articles.length + annotations.length).toBe(rows.length)
    expect(articles.map((r) => Number(r.article_id))).toEqual(fx.articleIds)
    expect(annotations).toHaveLength(fx.annotationCount)
    // Each article's annotations follow its row, and name it.
    let current = ''
    for (const r of rows) {
      if (r.row_type === 'article') current = r.article_id as string
      else expect(r.article_id).toBe(current)
    }

    for (const e of bundle.articles) {
      const a = e.article
      const row = articles.find((r) => Number(r.article_id) === a.id)
      expect(row).toEqual({
        row_type: 'article',
        article_id: String(a.id),
        title: a.title,
        source: a.source ?? '',
        author: a.author ?? '',
        date: a.publishedAt ?? '',
        url: a.url ?? '',
        categories: a.categoryPath.join('/'),
        tags: a.tags.join('; '),
        keywords: (e.keywords ?? []).join('; '),
        entities: (e.entities ?? []).map((t) => `${t.kind}:${t.term}`).join('; '),
        item_note: e.itemNote ?? '',
        annotation_id: '',
        quote: '',
        note: '',
        color: '',
        created: '',
        updated: ''
      })
    }
    const first = articles[0]
    expect(first?.item_note).toBe('进博会：上海的服务保障')
    expect(first?.categories).toBe('金融/新浪财经/新浪财经－国內')
    expect(articles[1]?.url).toBe('https://9to5mac.com/2021/06/02/apple-fortune-500-ranking/')

    const hostile = annotations.find((r) => r.quote === 'moved back up to third place')
    expect(hostile?.note).toBe(fx.hostileNote)
    expect(hostile?.title).toBe('Apple Fortune 500 ranking now #3, but #188 for diversity')
    expect(annotations.find((r) => r.quote === '上海将充分发挥软实力的“加速器”作用')?.note).toBe(
      '关键句：软实力\n值得引用'
    )
    // Formula injection is defused.
    expect(annotations.find((r) => r.quote === '绿色股票')?.note).toBe(
      `'=HYPERLINK("http://evil.example")`
    )
    expect(annotations.find((r) => r.quote === 'a rather low ranking of 188th')?.tags).toBe(
      'diversity; Apple Inc'
    )
    // The article note has no quote; every annotation row has its id.
    expect(annotations.find((r) => r.note === '只有标题的文章：需要找原文')?.quote).toBe('')
    expect(annotations.every((r) => Number(r.annotation_id) > 0)).toBe(true)
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

describe('export headings in the UI language', () => {
  // Headings each format writes, by their key in the one table of both languages.
  const keys = {
    html: ['briefing', 'contents', 'whyHere', 'notesOnArticle'],
    markdown: ['collectionNote', 'highlightsHeading'],
    docx: ['contents', 'whyHere', 'notesOnArticle']
  } as const

  let written = 0
  async function text(format: 'html' | 'markdown' | 'docx', locale: 'en' | 'zh'): Promise<string> {
    const path = join(
      out,
      `lang-${++written}-${locale}${format === 'markdown' ? '' : `.${format}`}`
    )
    const result = await exportBundle(bundle, format, path, { locale })
    if (format === 'docx') return xmlText((await unzip(path)).get('word/document.xml') as string)
    return result.files.map((f) => readFileSync(f, 'utf8')).join('\n')
  }

  for (const format of ['html', 'markdown', 'docx'] as const) {
    it(`${format}: Chinese headings for zh, English for en, never the other`, async () => {
      const zh = await text(format, 'zh')
      const en = await text(format, 'en')
      for (const key of keys[format]) {
        expect(zh, `${format} zh ${key}`).toContain(EXPORT_LABELS.zh[key])
        expect(zh, `${format} zh ${key}`).not.toContain(EXPORT_LABELS.en[key])
        expect(en, `${format} en ${key}`).toContain(EXPORT_LABELS.en[key])
        expect(en, `${format} en ${key}`).not.toContain(EXPORT_LABELS.zh[key])
      }
    })
  }

  it('counts read naturally in both', async () => {
    const zh = await text('html', 'zh')
    expect(zh).toContain('<strong>4</strong> 篇文章')
    const en = renderHtmlBriefing({ ...bundle, articles: bundle.articles.slice(0, 1) })
    expect(en).toContain('<strong>1</strong> article<')
  })
})
