// Writes test/fixtures/stored-anchors.json: highlights and notes as Gleaner stores them in the
// `annotations` table today, over real corpus articles. Run once and commit the result:
//
//   npx tsx scripts/make-stored-anchors.ts
//
// test/core/stored-anchors.test.ts puts these rows back raw, as an older Gleaner would have left
// them in a user's library, and checks every one still lands on the same words. Never re-run this
// to make that test pass after changing how selectors are stored or read: a change that needs it
// would lose the highlights already in users' libraries. Re-run it only when the cleaner's output
// for one of these articles changes on purpose (the test says which), and keep the old rows'
// shapes (the ones "without context" below) as they are.
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { createArticleNote, createHighlight } from '../src/core/annotations'
import { importPaths } from '../src/core/importer/run'
import { openLibraryDb } from '../src/core/library/open'

const SHARED = process.env.GLEANER_SHARED ?? resolve(import.meta.dirname, '../../shared')
const CORPUS = join(SHARED, 'corpus')
const OUT = resolve(import.meta.dirname, '../test/fixtures/stored-anchors.json')

/** Corpus files (relative to corpus/): the seed, and feed posts in Chinese and English. */
export const ARTICLES = [
  'seed/000_f63c91c8bd308f54.txt',
  'rsshub/新媒体/199IT/首页更新/13个月内腾讯和阿里市值蒸发6万亿人民币.md',
  'rsshub/新媒体/虎嗅/首页资讯/1%名单.md',
  'rsshub/博客/美团技术团队/最近更新/如何优雅地记录操作日志？.md',
  'rsshub/新媒体/Aljazeera 半岛网/新闻/2022年的朝鲜 面包优先于核武器.md',
  'rsshub/设计/Dribbble/关键词/A tribute to Diego Maradona ⚽️🏆.md',
  'rsshub/编程/掘金/分类/16px 或更大的字体大小可以避免 iOS 的表单缩放问题.md',
  'rsshub/博客/Paul Graham 博客/Essays/Donate Unrestricted.md'
]

interface Range {
  start: number
  end: number
  why: string
}

/** The passages to highlight: chosen by rule, so the set is the same on every run. */
function ranges(text: string): Range[] {
  const out: Range[] = []
  const paragraphs: { start: number; end: number }[] = []
  for (const m of text.matchAll(/[^\n]+/gu)) {
    if (m[0].trim().length >= 8) paragraphs.push({ start: m.index, end: m.index + m[0].length })
  }
  const first = paragraphs[0]
  const middle = paragraphs[Math.floor(paragraphs.length / 2)]
  const last = paragraphs[paragraphs.length - 1]
  if (first)
    out.push({
      start: first.start,
      end: Math.min(first.end, first.start + 40),
      why: 'start of the first paragraph'
    })
  if (middle) {
    const len = middle.end - middle.start
    const s = middle.start + Math.floor(len / 3)
    out.push({ start: s, end: Math.min(middle.end, s + 25), why: 'inside a middle paragraph' })
  }
  if (last && last !== first)
    out.push({ start: last.start, end: last.end, why: 'the whole last paragraph' })
  // Across a paragraph break: the quote holds a newline.
  if (paragraphs.length >= 3) {
    const p = paragraphs[1]!
    const q = paragraphs[2]!
    out.push({
      start: Math.max(p.start, p.end - 10),
      end: Math.min(q.end, q.start + 10),
      why: 'across a paragraph break'
    })
  }
  // A short phrase that occurs more than once: only the position tells the copies apart.
  for (let len = 6; len >= 2; len--) {
    const seen = new Map<string, number>()
    let found: Range | null = null
    for (let i = 0; i + len <= text.length && !found; i++) {
      const s = text.slice(i, i + len)
      if (/\s/u.test(s) || /[\uD800-\uDFFF]/u.test(s)) continue
      const before = seen.get(s)
      if (before === undefined) seen.set(s, i)
      else if (i - before > len)
        found = {
          start: i,
          end: i + len,
          why: `second copy of a repeated phrase (first at ${before})`
        }
    }
    if (found) {
      out.push(found)
      break
    }
  }
  // An astral character (emoji, CJK extension B) counts as two offsets.
  const astral = /[\u{10000}-\u{10FFFF}]/u.exec(text)
  if (astral) {
    const s = Math.max(0, astral.index - 4)
    out.push({
      start: s,
      end: Math.min(text.length, astral.index + 6),
      why: 'around an astral character'
    })
  }
  return out
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-anchors-'))
  try {
    const db = openLibraryDb(join(dir, 'lib.db'))
    const files = ARTICLES.map((p) => join(CORPUS, p))
    const run = await importPaths(db, files)
    const articles = []
    for (const [i, file] of files.entries()) {
      const result = run.results.find((r) => r.path === file)
      const id = result?.articleId
      if (typeof id !== 'number')
        throw new Error(`${file} was not imported: ${JSON.stringify(result)}`)
      const row = db
        .prepare('SELECT clean_text, cleaning_version FROM articles WHERE id = ?')
        .get(id) as { clean_text: string; cleaning_version: number }
      const text = row.clean_text
      const rows: {
        why: string
        expect: { start: number; end: number; text: string } | null
        row: unknown
      }[] = []
      for (const [k, r] of ranges(text).entries()) {
        const a = createHighlight(db, {
          articleId: id,
          start: r.start,
          end: r.end,
          color: (['yellow', 'green', 'blue', 'pink', 'purple'] as const)[k % 5],
          note: k === 0 ? `笔记 ${k}: ${r.why}` : '',
          tags: k % 2 === 0 ? ['fixture', '标签'] : []
        })
        rows.push({
          why: r.why,
          // What the test expects back: the words and offsets the user selected.
          expect: { start: r.start, end: r.end, text: text.slice(r.start, r.end) },
          row: db.prepare('SELECT * FROM annotations WHERE id = ?').get(a.id)
        })
      }
      // Rows written before the extended context existed: the W3C pair alone.
      const first = rows[0]?.row as { selectors_json: string } | undefined
      if (first && rows[0]) {
        const pair = (JSON.parse(first.selectors_json) as { type: string }[]).filter(
          (s) => s.type !== 'GleanerContextSelector'
        )
        rows.push({
          why: 'without context (written before GleanerContextSelector)',
          expect: rows[0].expect,
          row: { ...first, id: undefined, selectors_json: JSON.stringify(pair) }
        })
      }
      const note = createArticleNote(db, { articleId: id, note: `文章笔记 ${i}`, tags: ['整篇'] })
      rows.push({
        why: 'article note',
        expect: null,
        row: db.prepare('SELECT * FROM annotations WHERE id = ?').get(note.id)
      })
      articles.push({
        path: relative(CORPUS, file),
        cleaningVersion: row.cleaning_version,
        cleanTextSha256: createHash('sha256').update(text).digest('hex'),
        cleanTextLength: text.length,
        annotations: rows.map(({ why, expect, row: r }) => {
          const { id: _id, article_id: _article, ...stored } = r as Record<string, unknown>
          return { why, expect, stored }
        })
      })
    }
    db.close()
    const fixture = {
      about:
        'Annotations as stored in the annotations table (columns as written, article_id left out), over corpus articles. Written by scripts/make-stored-anchors.ts; read by test/core/stored-anchors.test.ts. Never regenerate to make a selector-format change pass.',
      articles
    }
    writeFileSync(OUT, JSON.stringify(fixture, null, 2) + '\n')
    console.log(
      `wrote ${OUT}: ${articles.length} articles, ${articles.reduce((n, a) => n + a.annotations.length, 0)} annotations`
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
