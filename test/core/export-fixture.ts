// A real library in a temp dir, filled from corpus files, for the collection and export tests.
// Until the importer lands this inserts rows itself with a deliberately small cleaner; the
// tests depend only on the schema, so switching to importPaths() later changes nothing else.
import { mkdtempSync, readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as cheerio from 'cheerio'
import matter from 'gray-matter'
import sanitizeHtml from 'sanitize-html'
import { openLibraryDb, type Db } from '../../src/main/core/library/open'
import { addToCollection, createCollection, setItemNote } from '../../src/main/core/collections'

export const CORPUS = '/work/shared/corpus'

export const FIXTURE_FILES = [
  'seed/000_f63c91c8bd308f54.txt',
  'rsshub/新媒体/9To5/9To5 分站/Apple Fortune 500 ranking now 3, but 188 for diversity.md',
  'rsshub/新媒体/199IT/首页更新/13个月内腾讯和阿里市值蒸发6万亿人民币.md',
  'rsshub/金融/新浪财经/新浪财经－国內/"绿色股票"试水欧洲.md'
] as const

export interface FixtureLibrary {
  dir: string
  db: Db
  articleIds: number[]
}

function cleanBody(html: string): { cleanHtml: string; cleanText: string } {
  const cleanHtml = sanitizeHtml(html, {
    allowedTags: [
      'p',
      'blockquote',
      'h1',
      'h2',
      'h3',
      'h4',
      'ul',
      'ol',
      'li',
      'a',
      'em',
      'strong',
      'img',
      'br'
    ],
    allowedAttributes: { a: ['href'], img: ['src', 'alt'] },
    nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'iframe']
  })
  const $ = cheerio.load(cleanHtml)
  const blocks: string[] = []
  $('p, h1, h2, h3, h4, li').each((_, el) => {
    const t = $(el)
      .text()
      .replace(/^[\s\u3000]+|[\s\u3000]+$/g, '')
    if (t) blocks.push(t)
  })
  if (blocks.length === 0) blocks.push($.root().text().trim())
  return { cleanHtml, cleanText: blocks.join('\n\n') }
}

function categoryId(db: Db, path: string[]): number | null {
  let parent: number | null = null
  for (let i = 0; i < path.length; i++) {
    const key = path.slice(0, i + 1).join('\u001f')
    const row = db.prepare('SELECT id FROM categories WHERE path = ?').get(key) as
      { id: number } | undefined
    parent = row
      ? row.id
      : Number(
          db
            .prepare('INSERT INTO categories (parent_id, name, path) VALUES (?, ?, ?)')
            .run(parent, path[i], key).lastInsertRowid
        )
  }
  return parent
}

export function insertCorpusArticle(db: Db, relPath: string, tags: string[] = []): number {
  const bytes = readFileSync(join(CORPUS, relPath))
  const parsed = matter(bytes.toString('utf8').replace(/^\uFEFF?\s+/, ''))
  const data = parsed.data as Record<string, unknown>
  const { cleanHtml, cleanText } = cleanBody(parsed.content)
  const sha = createHash('sha256').update(bytes).digest('hex')
  const originalId = Number(
    db
      .prepare('INSERT INTO originals (sha256, bytes, size) VALUES (?, ?, ?)')
      .run(sha, bytes, bytes.length).lastInsertRowid
  )
  const now = new Date().toISOString()
  const date = data.date ? new Date(String(data.date)) : null
  const id = Number(
    db
      .prepare(
        `INSERT INTO articles (original_id, source_path, format, encoding, title, author, source, url,
           published_at, meta_json, clean_html, clean_text, cleaning_version, content_key, imported_at, updated_at)
         VALUES (?, ?, 'hexo', 'utf-8', ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`
      )
      .run(
        originalId,
        join(CORPUS, relPath),
        String(data.title ?? ''),
        typeof data.author === 'string' ? data.author : null,
        typeof data.author === 'string' ? data.author : null,
        null,
        date && !Number.isNaN(date.getTime()) ? date.toISOString() : null,
        JSON.stringify(data),
        cleanHtml,
        cleanText,
        sha,
        now,
        now
      ).lastInsertRowid
  )
  const cats = Array.isArray(data.categories) ? data.categories.map(String) : []
  const cat = categoryId(db, cats)
  if (cat !== null) db.prepare('INSERT INTO article_categories VALUES (?, ?)').run(id, cat)
  for (const t of tags) {
    db.prepare('INSERT OR IGNORE INTO tags (name) VALUES (?)').run(t)
    const tagId = db.prepare('SELECT id FROM tags WHERE name = ?').pluck().get(t) as number
    db.prepare('INSERT INTO article_tags VALUES (?, ?)').run(id, tagId)
  }
  return id
}

/** Stores a highlight of the first occurrence of `exact` in the article's clean text. */
export function annotate(
  db: Db,
  articleId: number,
  exact: string,
  opts: { color?: string; note?: string; tags?: string[]; occurrence?: number } = {}
): number {
  const text = db
    .prepare('SELECT clean_text FROM articles WHERE id = ?')
    .pluck()
    .get(articleId) as string
  let start = -1
  for (let n = 0; n <= (opts.occurrence ?? 0); n++) start = text.indexOf(exact, start + 1)
  if (start < 0) throw new Error(`fixture: “${exact}” not in article ${articleId}`)
  const end = start + exact.length
  const selectors = [
    {
      type: 'TextQuoteSelector',
      exact,
      prefix: text.slice(Math.max(0, start - 32), start),
      suffix: text.slice(end, end + 32)
    },
    { type: 'TextPositionSelector', start, end }
  ]
  const now = new Date().toISOString()
  return Number(
    db
      .prepare(
        `INSERT INTO annotations (article_id, selectors_json, exact, color, note, tags_json, cleaning_version, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`
      )
      .run(
        articleId,
        JSON.stringify(selectors),
        exact,
        opts.color ?? 'yellow',
        opts.note ?? null,
        JSON.stringify(opts.tags ?? []),
        now,
        now
      ).lastInsertRowid
  )
}

export function fixtureLibrary(): FixtureLibrary {
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-export-'))
  const db = openLibraryDb(join(dir, 'library.sqlite'))
  const articleIds = FIXTURE_FILES.map((f, i) =>
    insertCorpusArticle(db, f, i === 0 ? ['进博会', 'soft power'] : i === 1 ? ['Apple'] : [])
  )
  return { dir, db, articleIds }
}

/** A note on the whole article (no selectors), as the annotation engine stores them. */
export function articleNote(db: Db, articleId: number, note: string, tags: string[] = []): number {
  const now = new Date().toISOString()
  return Number(
    db
      .prepare(
        `INSERT INTO annotations (article_id, selectors_json, exact, color, note, tags_json, created_at, updated_at)
         VALUES (?, NULL, NULL, 'yellow', ?, ?, ?, ?)`
      )
      .run(articleId, note, JSON.stringify(tags), now, now).lastInsertRowid
  )
}

export interface Highlight {
  articleId: number
  exact: string
  note: string
  tags: string[]
}

export interface AnnotatedCollection extends FixtureLibrary {
  collectionId: number
  collectionName: string
  /** Highlights that must appear marked in the briefing. */
  highlights: Highlight[]
  /** Every annotation row written (highlights, overlap, stale, article note). */
  annotationCount: number
  hostileNote: string
}

/** The library above, annotated the ways users do, with a collection holding all its articles. */
export function annotatedCollection(): AnnotatedCollection {
  const lib = fixtureLibrary()
  const { db } = lib
  const [a, b, c, d] = lib.articleIds as [number, number, number, number]
  const hostileNote =
    '<img src="https://evil.example/x.png" onerror="alert(1)"> & “quoted”, with comma'
  const highlights: Highlight[] = [
    {
      articleId: a,
      exact: '上海将充分发挥软实力的“加速器”作用',
      note: '关键句：软实力\n值得引用',
      tags: ['软实力', 'quote']
    },
    { articleId: a, exact: '疫情防控更精准', note: '', tags: [] },
    { articleId: b, exact: 'moved back up to third place', note: hostileNote, tags: ['ranking'] },
    {
      articleId: b,
      exact: 'a rather low ranking of 188th',
      note: 'DEI ranking, "188th"',
      tags: ['diversity', 'Apple Inc']
    },
    { articleId: d, exact: '绿色股票', note: '=HYPERLINK("http://evil.example")', tags: ['ESG'] }
  ]
  const colors = ['yellow', 'green', 'blue', 'red;background:url(https://evil.example/)', '#8fd3fe']
  highlights.forEach((h, i) =>
    annotate(db, h.articleId, h.exact, { note: h.note, tags: h.tags, color: colors[i] as string })
  )
  // Overlaps the first highlight of article a (nested inside it).
  annotate(db, a, '软实力的“加速器”', { color: 'pink', note: '重叠的标注' })
  // Stale position: the stored offsets point elsewhere; the quote is still in the text.
  const staleId = annotate(db, b, 'The Fortune 500 is a ranking of US companies by revenue', {
    note: 'stale offsets'
  })
  db.prepare(
    `UPDATE annotations SET selectors_json = json_set(selectors_json, '$[1].start', 3, '$[1].end', 20) WHERE id = ?`
  ).run(staleId)
  articleNote(db, c, '只有标题的文章：需要找原文', ['todo'])

  const col = createCollection(db, '周报 / Weekly #12')
  addToCollection(db, col.id, [a, b, c, d])
  setItemNote(db, col.id, a, '进博会：上海的服务保障')
  return {
    ...lib,
    collectionId: col.id,
    collectionName: col.name,
    highlights: [
      ...highlights,
      {
        articleId: b,
        exact: 'The Fortune 500 is a ranking of US companies by revenue',
        note: 'stale offsets',
        tags: []
      }
    ],
    annotationCount: highlights.length + 3,
    hostileNote
  }
}
