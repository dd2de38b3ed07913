// Generates corpus-like article files for the import benchmark and the crash test: real
// paragraphs, categories and boilerplate from ../shared/corpus, recombined with varied titles,
// dates and bodies so no two files are the same article. Deterministic for a given seed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import matter from 'gray-matter'
import { CORPUS, filesUnder } from '../helpers/corpus'
import { seededRng } from '../helpers/random'

export const CORPUS_DIR = CORPUS

interface Material {
  paragraphs: string[]
  categories: string[][]
  authors: string[]
  titles: string[]
}

let cached: Material | undefined

/** Paragraph texts, category paths, authors and titles found in the corpus. */
export function corpusMaterial(): Material {
  if (cached) return cached
  const m: Material = { paragraphs: [], categories: [], authors: [], titles: [] }
  for (const f of filesUnder(CORPUS_DIR)) {
    if (!/\.(md|txt)$/u.test(f) || f.endsWith('README.md')) continue
    let parsed
    try {
      parsed = matter(readFileSync(f, 'utf8').trimStart())
    } catch {
      continue
    }
    const d = parsed.data as Record<string, unknown>
    if (typeof d.title === 'string') m.titles.push(d.title.slice(0, 60))
    if (typeof d.author === 'string') m.authors.push(d.author)
    if (Array.isArray(d.categories)) m.categories.push(d.categories.map(String))
    for (const chunk of parsed.content.split(/<\/p>|<br\s*\/?>|\n{2,}/u)) {
      const text = chunk
        .replace(/<[^>]*>/gu, '')
        .replace(/&[a-z#0-9]+;/giu, ' ')
        .replace(/\s+/gu, ' ')
        .trim()
      if (text.length >= 20 && text.length <= 400 && !/[<>]/u.test(text)) m.paragraphs.push(text)
    }
  }
  cached = m
  return m
}

export { seededRng as rng } from '../helpers/random'

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T
}

const BOILERPLATE = [
  '<!--article_adlist[<p cms-style="font-L"></p>]article_adlist--><!-- news_keyword_pub,stock, -->',
  '<!-- 正文下iframe -->',
  '<div class="appendQr_wrap"><div class="appendQr_normal"><img src="https://n.sinaimg.cn/qr.png"></div><p>海量资讯、精准解读，尽在新浪财经APP</p></div>',
  '<style type="text/css">.appendQr_wrap&#123;border:1px solid #E6E6E6;margin:16px 0&#125;</style>'
]

/** One article file's text: Hexo front matter + an HTML body (or Markdown, one in five). */
export function articleText(i: number, seed = 1): string {
  const m = corpusMaterial()
  const r = seededRng(seed * 1_000_003 + i)
  const title = `${pick(r, m.titles)} · ${i.toString(36)}-${Math.floor(r() * 1e6)}`
  const date = new Date(Date.UTC(2020, 0, 1) + i * 61_000 + Math.floor(r() * 60_000))
  const cats = pick(r, m.categories)
  const author = pick(r, m.authors)
  const n = 3 + Math.floor(r() * 6)
  const paras = Array.from({ length: n }, () => pick(r, m.paragraphs))
  // One sentence unique to this file, so no two bodies are the same article.
  paras.splice(1, 0, `编号 ${i} 的报道：${title}。`)
  const front = [
    '---',
    `title: '${title.replace(/'/gu, "''")}'`,
    'categories:',
    ...cats.map((c) => ` - ${JSON.stringify(c)}`),
    `author: ${JSON.stringify(author)}`,
    'comments: false',
    `date: ${i % 2 ? date.toUTCString() : date.toISOString().replace('T', ' ').slice(0, 19)}`,
    '---',
    ''
  ].join('\n')
  if (i % 5 === 4) return front + paras.join('\n\n') + '\n'
  const body = paras.map((p) => `<p cms-style="font-L">\u3000\u3000${escapeHtml(p)}</p>`).join('\n')
  const tail = BOILERPLATE.slice(0, 1 + Math.floor(r() * BOILERPLATE.length)).join('\n')
  return `${front}<div>\n${body}\n<p class="article-editor">责任编辑：${escapeHtml(author)} </p>\n${tail}\n</div>\n`
}

function escapeHtml(s: string): string {
  return s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;')
}

/** Writes `count` files under `dir`, 100 per folder; returns their paths in walk order. */
export function generateCorpus(dir: string, count: number, seed = 1): string[] {
  const paths: string[] = []
  for (let i = 0; i < count; i++) {
    const sub = join(dir, `batch-${String(Math.floor(i / 100)).padStart(4, '0')}`)
    if (i % 100 === 0) mkdirSync(sub, { recursive: true })
    const p = join(sub, `post-${String(i).padStart(6, '0')}.${i % 5 === 4 ? 'md' : 'txt'}`)
    writeFileSync(p, articleText(i, seed))
    paths.push(p)
  }
  return paths
}
