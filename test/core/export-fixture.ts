// A real library in a temp dir: corpus files imported with the real importer, then tagged,
// annotated and gathered into a collection the ways users do, for the collection and export tests.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openLibraryDb, type Db } from '../../src/core/library/open'
import { importPaths } from '../../src/core/importer/run'
import { addToCollection, createCollection, setItemNote } from '../../src/core/collections'
import { SHARED } from '../helpers/corpus'

export const CORPUS = `${SHARED}/corpus`

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

/** Imports the corpus files with the real importer, then tags them as a user would. */
export async function fixtureLibrary(): Promise<FixtureLibrary> {
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-export-'))
  const db = openLibraryDb(join(dir, 'library.sqlite'))
  const run = await importPaths(
    db,
    FIXTURE_FILES.map((f) => join(CORPUS, f))
  )
  const articleIds = FIXTURE_FILES.map((f) => {
    const r = run.results.find((x) => x.path === join(CORPUS, f))
    if (r?.articleId === undefined)
      throw new Error(`fixture: ${f} did not import: ${r?.reason ?? 'no result'}`)
    return r.articleId
  })
  const tags: Record<number, string[]> = { 0: ['进博会', 'soft power'], 1: ['Apple'] }
  articleIds.forEach((id, i) => {
    for (const t of tags[i] ?? []) {
      db.prepare('INSERT OR IGNORE INTO tags (name) VALUES (?)').run(t)
      const tagId = db.prepare('SELECT id FROM tags WHERE name = ?').pluck().get(t) as number
      db.prepare('INSERT OR IGNORE INTO article_tags VALUES (?, ?)').run(id, tagId)
    }
  })
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
export async function annotatedCollection(): Promise<AnnotatedCollection> {
  const lib = await fixtureLibrary()
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
  // The annotation engine lost this one after a re-clean: it must be listed, never marked.
  const lost = annotate(db, d, '纳斯达克', { note: '需要复核：原文已改' })
  db.prepare(`UPDATE annotations SET anchor_status = 'needs-review' WHERE id = ?`).run(lost)

  db.prepare('UPDATE articles SET url = ? WHERE id = ?').run(
    'https://9to5mac.com/2021/06/02/apple-fortune-500-ranking/',
    b
  )
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
    annotationCount: highlights.length + 4,
    hostileNote
  }
}

/**
 * What a hostile or damaged source puts into an article, imported with the real importer:
 * markup written as text (escaped in the source, so the article's text reads "<script>…"),
 * markup in the title and tags, a `javascript:` URL, and characters XML cannot hold (U+FFFE,
 * U+FFFF, a C0 control), which the importer keeps. Returns the article's id.
 */
export async function importHostileArticle(db: Db, dir: string): Promise<number> {
  const path = join(dir, 'hostile.md')
  writeFileSync(
    path,
    [
      '---',
      'title: "<svg onload=alert(1)> & Co \\uFFFE"',
      'tags: ["<img src=x onerror=alert(4)>", "R&D"]',
      '---',
      '',
      'Text with \uFFFE a noncharacter, \uFFFF another and \u0001 a control.',
      '',
      '&lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(2)&gt; and &amp;lt; as text.',
      '',
      '![<svg onload=alert(3)>](https://example.com/i.png)',
      ''
    ].join('\n')
  )
  const run = await importPaths(db, [path])
  const id = run.results[0]?.articleId
  if (id === undefined)
    throw new Error(`fixture: hostile.md did not import: ${run.results[0]?.reason}`)
  // Feed links were stored without a scheme check (issue 14, 22); whatever the importer keeps
  // now, a library may already hold one.
  db.prepare('UPDATE articles SET url = ? WHERE id = ?').run('javascript:alert(5)', id)
  return id
}
