// Builds big, realistic libraries for benchmarks (search, UI, import): articles recombined
// from the shared corpus's real paragraphs, with varied dates, categories, tags, read/starred
// flags and annotations. Rows are written directly (one transaction), not through the
// importer, so a 100k library takes seconds rather than minutes.
//
//   npx tsx bench/lib/generate-library.ts --articles 10000 --out bench/.data/lib-10k.db
//
// Deterministic: the same --articles and --seed give the same library.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { parseArticleFile } from '../../src/core/ingest/parse'
import { ANALYSIS_VERSION } from '../../src/core/analysis/analyse'
import { CLEANER_VERSION } from '../../src/core/clean/version'
import { openLibraryDb } from '../../src/core/library/open'
import type { Db } from '../../src/core/library/open'
import type { Statement } from 'better-sqlite3'
import { SHARED } from './shared'
import { filesUnder } from '../../test/helpers/corpus'
import { seededRng } from '../../test/helpers/random'

export const CORPUS_DIR = `${SHARED}/corpus`
const PATH_SEP = '\u001f'

/** One article row as tests and generators want to write it. */
export interface ArticleRowInput {
  title: string
  cleanText: string
  author?: string | null
  source?: string | null
  publishedAt?: string | null
  categoryPath?: readonly string[]
  tags?: readonly string[]
  read?: boolean
  starred?: boolean
  deleted?: boolean
  originalTitle?: string | null
  /** Annotations: highlighted text and/or a note. */
  annotations?: readonly { exact?: string; note?: string }[]
  /**
   * The original file's bytes (kept like an import keeps them, so re-clean and the library's
   * size are real); without them every row shares one empty placeholder original.
   */
  original?: Buffer
}

interface RowStatements {
  original: Statement<unknown[]>
  article: Statement<unknown[]>
  findCategory: Statement<unknown[]>
  insertCategory: Statement<unknown[]>
  linkCategory: Statement<unknown[]>
  findTag: Statement<unknown[]>
  insertTag: Statement<unknown[]>
  linkTag: Statement<unknown[]>
  annotation: Statement<unknown[]>
}
const rowStatements = new WeakMap<Db, RowStatements>()

function prepared(db: Db): RowStatements {
  let s = rowStatements.get(db)
  if (!s) {
    s = {
      original: db.prepare(
        'INSERT INTO originals (sha256, bytes, size) VALUES (?, ?, ?) ON CONFLICT(sha256) DO UPDATE SET size = size RETURNING id'
      ),
      article: db.prepare(
        `INSERT INTO articles (original_id, format, encoding, title, author, source, published_at,
           original_title, clean_html, clean_text, cleaning_version, content_key, imported_at,
           updated_at, read, starred, deleted_at)
         VALUES (?, 'hexo', 'utf-8', ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`
      ),
      findCategory: db.prepare('SELECT id FROM categories WHERE path = ?'),
      insertCategory: db.prepare('INSERT INTO categories (parent_id, name, path) VALUES (?, ?, ?)'),
      linkCategory: db.prepare(
        'INSERT OR IGNORE INTO article_categories (article_id, category_id) VALUES (?, ?)'
      ),
      findTag: db.prepare('SELECT id FROM tags WHERE name = ?'),
      insertTag: db.prepare('INSERT INTO tags (name) VALUES (?)'),
      linkTag: db.prepare('INSERT OR IGNORE INTO article_tags (article_id, tag_id) VALUES (?, ?)'),
      annotation: db.prepare(
        `INSERT INTO annotations (article_id, exact, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`
      )
    }
    rowStatements.set(db, s)
  }
  return s
}

let keyCounter = 0

/** Inserts one article (and its category path, tags, annotations); returns its id. */
export function insertArticleRow(db: Db, a: ArticleRowInput): number {
  const s = prepared(db)
  const now = '2024-01-01T00:00:00.000Z'
  const originalId = a.original
    ? (
        s.original.get(
          createHash('sha256').update(a.original).digest('hex'),
          a.original,
          a.original.length
        ) as { id: number }
      ).id
    : (s.original.get('generated', Buffer.alloc(0), 0) as { id: number }).id
  const html = a.cleanText
    .split('\n\n')
    .map((p) => `<p>${p.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</p>`)
    .join('')
  const id = Number(
    s.article.run(
      originalId,
      a.title,
      a.author ?? null,
      a.source ?? null,
      a.publishedAt ?? null,
      a.originalTitle ?? null,
      html,
      a.cleanText,
      `generated-${++keyCounter}-${a.title.length}`,
      now,
      now,
      a.read ? 1 : 0,
      a.starred ? 1 : 0,
      a.deleted ? now : null
    ).lastInsertRowid
  )
  const path = a.categoryPath ?? []
  let parent: number | null = null
  for (let depth = 1; depth <= path.length; depth++) {
    const key = path.slice(0, depth).join(PATH_SEP)
    const row = s.findCategory.get(key) as { id: number } | undefined
    parent = row
      ? row.id
      : Number(s.insertCategory.run(parent, path[depth - 1] ?? '', key).lastInsertRowid)
  }
  if (parent !== null) s.linkCategory.run(id, parent)
  for (const tag of a.tags ?? []) {
    const row = s.findTag.get(tag) as { id: number } | undefined
    const tagId = row ? row.id : Number(s.insertTag.run(tag).lastInsertRowid)
    s.linkTag.run(id, tagId)
  }
  for (const n of a.annotations ?? [])
    s.annotation.run(id, n.exact ?? null, n.note ?? null, now, now)
  return id
}

/** What the generator recombines: real paragraphs, titles and metadata from the corpus. */
export interface CorpusPieces {
  paragraphs: string[]
  titles: string[]
  categoryPaths: string[][]
  sources: string[]
  tags: string[]
}

export function loadCorpusPieces(corpusDir = CORPUS_DIR): CorpusPieces {
  const pieces: CorpusPieces = {
    paragraphs: [],
    titles: [],
    categoryPaths: [],
    sources: [],
    tags: []
  }
  const seen = { cat: new Set<string>(), src: new Set<string>(), tag: new Set<string>() }
  for (const file of filesUnder(corpusDir).filter((f) => !f.endsWith('.tsv'))) {
    const parsed = parseArticleFile(readFileSync(file), file)
    if (!parsed.ok) continue
    for (const a of parsed.articles) {
      if (a.title.trim()) pieces.titles.push(a.title.trim())
      for (const p of a.cleanText.split(/\n{2,}/u)) {
        const t = p.trim()
        if (t.length >= 8) pieces.paragraphs.push(t)
      }
      const key = a.categoryPath.join(PATH_SEP)
      if (a.categoryPath.length && !seen.cat.has(key)) {
        seen.cat.add(key)
        pieces.categoryPaths.push(a.categoryPath)
      }
      const src = a.source ?? a.author
      if (src && !seen.src.has(src)) {
        seen.src.add(src)
        pieces.sources.push(src)
      }
      for (const t of a.tags) {
        if (seen.tag.has(t)) continue
        seen.tag.add(t)
        pieces.tags.push(t)
      }
    }
  }
  if (pieces.paragraphs.length === 0) throw new Error(`No article text found under ${corpusDir}`)
  // Hexo posts rarely carry tags; give the generated library a realistic vocabulary of them.
  for (const t of ['宏观', '政策', '科技', 'AI', '观察', '待读', 'follow-up', '上海', '进博会']) {
    if (!seen.tag.has(t)) pieces.tags.push(t)
  }
  return pieces
}

export interface GenerateOptions {
  articles: number
  seed?: number
  /** Keep a real original file per article (front matter + HTML), as an import does. */
  originals?: boolean
  /** Share of articles with an annotation (default 0.03). */
  annotationRate?: number
  /**
   * Rows as a current library has them: cleaned by this cleaner, and analysed (with nothing
   * found: their text, recombined from a few thousand corpus paragraphs, would make each a
   * near copy of thousands of others, which news is not). Without it they are a backlog the
   * service works through in the background, and a re-clean's work.
   */
  current?: boolean
  corpusDir?: string
  onProgress?: (done: number, total: number) => void
}

export interface GenerateStats {
  articles: number
  paragraphsInCorpus: number
  chars: number
  ms: number
}

const DATE_FROM = Date.UTC(2019, 0, 1)
const DATE_TO = Date.UTC(2023, 11, 31)

/** Appends `articles` generated articles to an open library, in one transaction. */
export function generateLibrary(db: Db, opts: GenerateOptions): GenerateStats {
  if (!Number.isInteger(opts.articles) || opts.articles < 1) {
    throw new Error(`generateLibrary: articles must be a positive integer, got ${opts.articles}`)
  }
  const started = performance.now()
  const pieces = loadCorpusPieces(opts.corpusDir)
  const rand = seededRng(opts.seed ?? 1)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  let chars = 0
  db.transaction(() => {
    for (let i = 0; i < opts.articles; i++) {
      const nParas = 4 + Math.floor(rand() * 20)
      const paras: string[] = []
      for (let k = 0; k < nParas; k++) paras.push(pick(pieces.paragraphs))
      const cleanText = paras.join('\n\n')
      chars += cleanText.length
      const tags: string[] = []
      if (rand() < 0.2) tags.push(pick(pieces.tags))
      if (rand() < 0.05) tags.push(pick(pieces.tags))
      const annotations =
        rand() < (opts.annotationRate ?? 0.03)
          ? [{ exact: paras[0]!.slice(0, 20), note: rand() < 0.5 ? '值得跟进 follow up' : '' }]
          : []
      const title = `${pick(pieces.titles)}${rand() < 0.5 ? '' : `（${i}）`}`
      const publishedAt =
        rand() < 0.02
          ? null
          : new Date(DATE_FROM + Math.floor(rand() * (DATE_TO - DATE_FROM))).toISOString()
      const categoryPath = pieces.categoryPaths.length ? pick(pieces.categoryPaths) : []
      const row: ArticleRowInput = {
        title,
        cleanText,
        author: pick(pieces.sources),
        source: pick(pieces.sources),
        publishedAt,
        categoryPath,
        tags: [...new Set(tags)],
        read: rand() < 0.4,
        starred: rand() < 0.05,
        annotations
      }
      if (opts.originals) row.original = originalFile(row, i)
      insertArticleRow(db, row)
      if (opts.onProgress && (i + 1) % 5000 === 0) opts.onProgress(i + 1, opts.articles)
    }
  })()
  if (opts.current) {
    db.prepare('UPDATE articles SET cleaning_version = ?').run(CLEANER_VERSION)
    db.prepare(
      `INSERT OR IGNORE INTO article_analysis (article_id, version) SELECT id, ? FROM articles`
    ).run(ANALYSIS_VERSION)
  }
  return {
    articles: opts.articles,
    paragraphsInCorpus: pieces.paragraphs.length,
    chars,
    ms: performance.now() - started
  }
}

/** A Hexo post as the corpus's files are: front matter, then the article's HTML. */
function originalFile(a: ArticleRowInput, i: number): Buffer {
  const q = (x: string): string => JSON.stringify(x)
  const lines = ['---', `title: ${q(a.title)}`]
  if (a.publishedAt) lines.push(`date: ${a.publishedAt.slice(0, 19).replace('T', ' ')}`)
  if (a.source) lines.push(`source: ${q(a.source)}`)
  if (a.categoryPath?.length) lines.push(`categories: [${a.categoryPath.map(q).join(', ')}]`)
  if (a.tags?.length) lines.push(`tags: [${a.tags.map(q).join(', ')}]`)
  lines.push(`generated: ${i}`, '---', '')
  const html = a.cleanText
    .split('\n\n')
    .map((p) => `<p>${p.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</p>`)
    .join('\n')
  return Buffer.from(lines.join('\n') + html + '\n')
}

/**
 * Collections as a desk keeps them: `count` of them, the first with `largest` articles, the
 * others with a few dozen each, every one in its own order.
 */
export function generateCollections(
  db: Db,
  opts: { count: number; largest: number; seed?: number }
): void {
  const rand = seededRng(opts.seed ?? 2)
  const ids = db
    .prepare('SELECT id FROM articles WHERE deleted_at IS NULL')
    .pluck()
    .all() as number[]
  const insert = db.prepare('INSERT INTO collections (name, query, created_at) VALUES (?, NULL, ?)')
  const item = db.prepare(
    'INSERT OR IGNORE INTO collection_items (collection_id, article_id, position) VALUES (?, ?, ?)'
  )
  db.transaction(() => {
    for (let c = 0; c < opts.count; c++) {
      const id = Number(insert.run(`简报 ${c + 1}`, '2024-01-01T00:00:00.000Z').lastInsertRowid)
      const n = c === 0 ? opts.largest : 10 + Math.floor(rand() * 80)
      for (let k = 0; k < n; k++) item.run(id, ids[Math.floor(rand() * ids.length)]!, k + 1)
    }
  })()
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' }
    }
  })
  const articles = Number(values.articles)
  const out = values.out ?? `bench/.data/library-${articles}.db`
  const db = openLibraryDb(out)
  const stats = generateLibrary(db, {
    articles,
    seed: Number(values.seed),
    onProgress: (d, t) => process.stderr.write(`\r${d}/${t}`)
  })
  db.close()
  process.stderr.write('\n')
  console.log(
    `wrote ${stats.articles} articles (${(stats.chars / 1e6).toFixed(1)}M chars from ${stats.paragraphsInCorpus} corpus paragraphs) to ${out} in ${(stats.ms / 1000).toFixed(1)} s`
  )
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main()
}
