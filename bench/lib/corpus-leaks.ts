// Chinese corpus check: run the real import parser over every file in /work/shared/corpus and count
// boilerplate that leaked into cleanText, and source paragraphs with real text that went missing.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { load } from 'cheerio/slim'
import { parseArticleFile } from '../../src/core/ingest/parse'
import { decodeBytes } from '../../src/core/encoding/decode-bytes'
import { escapeCodeSource } from '../../src/core/clean/code-source'
import { SHARED } from './shared'
import { FOOTER_ZONE_PARAGRAPHS, footerLeaks, footerLineMarker } from './footer-markers'

export const CORPUS_DIR = `${SHARED}/corpus`

/** Markers of boilerplate that must not survive cleaning. */
export const LEAK_MARKERS: { name: string; re: RegExp }[] = [
  { name: 'editor line', re: /(责任编辑|責任編輯|责编)\s*[:：]/ },
  { name: 'original title', re: /原标题\s*[:：]/ },
  {
    name: 'QR/APP promotion',
    re: /尽在新浪财经APP|扫(描|一扫|码).{0,12}二维码|二维码.{0,6}(关注|下载)|下载.{0,8}(客户端|APP)/i
  },
  // A comment as a whole (an arrow "-->" in prose is not one), or the Sina comments' own words.
  { name: 'HTML comment', re: /<!--[\s\S]*?-->|正文下iframe|news_keyword_pub/ },
  // Hexo-escaped braces, or a paragraph that is nothing but CSS rules (CSS inside a code sample is content).
  {
    name: 'CSS text',
    re: /&#123;|&#125;|(^|\n\n)\s*(?:[.#@]?[\w\-\s,>:()[\]="']+\{[^{}]*:[^{}]*\}\s*)+(?=\n\n|$)/
  },
  { name: 'share widget', re: /^(分享到|分享至|Share (on|this))[:：]?/m }
]

function walk(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...walk(p))
    else if (!/\.tsv$|README\.md$/.test(p) || p.includes('/rsshub/')) out.push(p)
  }
  return out.filter((p) => !p.endsWith('MANIFEST.tsv') && p !== join(CORPUS_DIR, 'README.md'))
}

/** Letters and digits only: the comparison ignores spacing, punctuation and markup differences. */
function letters(s: string): string {
  return (s.match(/[\p{L}\p{N}]+/gu) ?? []).join('')
}

/** Paragraph texts of the source body (after the front matter), HTML or Markdown. */
function sourceParagraphs(text: string): string[] {
  const body = text.replace(/^\uFEFF?(---|\+\+\+)\r?\n[\s\S]*?\r?\n\1\r?\n/, '')
  if (/<(p|div|br|span|section|h\d)[\s>/]/i.test(body)) {
    // Read code the way its author typed it: unescaped generics (List<String>) are not tags.
    // Escaping only turns '<' into text, so the source side gains text and the check gets stricter.
    const $ = load(escapeCodeSource(body))
    $('script, style, noscript, template, iframe').remove()
    const paras: string[] = []
    $('p, li, h1, h2, h3, h4, h5, h6, blockquote, pre, td').each((_, el) => {
      if ($(el).find('p, li, blockquote, pre, td').length) return
      // Code may hold unescaped markup that the source parse reads as tags: compare it line by line.
      if (el.tagName === 'pre') paras.push(...$(el).text().split('\n'))
      else {
        // Lines of a paragraph stay lines: a footer can be the last line after a <br>.
        $(el).find('br').replaceWith('\n')
        paras.push($(el).text())
      }
    })
    return paras
  }
  return body
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\]\([^)]*\)/g, ']')
    .split(/\r?\n\s*\r?\n/)
}

/**
 * The source's paragraphs before its footer: a footer starts at the first line, in the last
 * FOOTER_ZONE_PARAGRAPHS paragraphs, that the independent footer list marks (footer-markers.ts);
 * what follows it there is the footer's too (a disclaimer heading's own line). A cleaner that
 * drops the footer has lost no body paragraph; one that drops a line above it has.
 */
function withoutSourceFooter(paras: string[]): string[] {
  const kept = paras.filter((p) => p.trim() !== '')
  for (let k = Math.max(0, kept.length - FOOTER_ZONE_PARAGRAPHS); k < kept.length; k++) {
    const lines = kept[k]!.split('\n')
    const j = lines.findIndex((l) => footerLineMarker(l.trim()) !== null)
    if (j < 0) continue
    const before = lines.slice(0, j).join('\n')
    return [...kept.slice(0, k), ...(before.trim() ? [before] : [])]
  }
  return kept
}

export interface CorpusFileRow {
  file: string
  ok: boolean
  leaks: string[]
  lost: string[]
  /** The post's source (its feed: front-matter author), for RSSHub posts; null for other files. */
  source: string | null
  /** Footer lines left at the end of the cleaned text (independent marker list: footer-markers.ts). */
  footer: { marker: string; line: string }[]
}

export async function corpusReport(verbose = process.argv.includes('--corpus-detail')): Promise<{
  files: number
  failed: number
  leaks: number
  lostParagraphs: number
  /** Posts whose cleaned text still ends with a footer. */
  footerLeaks: number
  rows: CorpusFileRow[]
}> {
  const rows: CorpusFileRow[] = []
  for (const file of walk(CORPUS_DIR)) {
    const bytes = new Uint8Array(readFileSync(file))
    const outcome = parseArticleFile(bytes, file)
    const rel = relative(CORPUS_DIR, file)
    if (!outcome.ok) {
      rows.push({ file: rel, ok: false, leaks: [], lost: [], source: null, footer: [] })
      continue
    }
    const clean = outcome.articles.map((a) => a.cleanText).join('\n\n')
    const leaks = LEAK_MARKERS.filter((m) => m.re.test(clean)).map((m) => m.name)
    const cleanLetters = letters(clean)
    const decoded = decodeBytes(bytes)
    const source = decoded.ok ? decoded.text : ''
    const lost = withoutSourceFooter(sourceParagraphs(source))
      .map((p) => p.replace(/[\s\u3000]+/g, ' ').trim())
      // Real text: a sentence's worth of letters, and not itself boilerplate that should go.
      .filter((p) => letters(p).length >= 8 && !LEAK_MARKERS.some((m) => m.re.test(p)))
      .filter((p) => !cleanLetters.includes(letters(p)))
    const post = rel.startsWith('rsshub/')
    rows.push({
      file: rel,
      ok: true,
      leaks,
      lost,
      source: post ? (outcome.articles[0]?.author ?? rel.split('/')[2] ?? null) : null,
      footer: post ? outcome.articles.flatMap((a) => footerLeaks(a.cleanText)) : []
    })
  }
  const leaks = rows.reduce((n, r) => n + r.leaks.length, 0)
  const lostParagraphs = rows.reduce((n, r) => n + r.lost.length, 0)
  const failed = rows.filter((r) => !r.ok).length
  console.log(
    `\nChinese corpus through parseArticleFile: ${rows.length} files, ${failed} not imported (empty/title-only files are expected failures)`
  )
  const byMarker = new Map<string, number>()
  for (const r of rows) for (const l of r.leaks) byMarker.set(l, (byMarker.get(l) ?? 0) + 1)
  console.log('leaked marker'.padEnd(22) + 'files'.padStart(6))
  for (const m of LEAK_MARKERS)
    console.log(m.name.padEnd(22) + String(byMarker.get(m.name) ?? 0).padStart(6))
  console.log(
    'lost paragraphs'.padEnd(22) +
      String(lostParagraphs).padStart(6) +
      `  (in ${rows.filter((r) => r.lost.length).length} files)`
  )
  for (const r of rows
    .filter((x) => x.leaks.length || x.lost.length)
    .slice(0, verbose ? 1000 : 8)) {
    console.log(
      `  ${r.file.slice(0, 70)}  leaks=[${r.leaks.join(', ')}] lost=${r.lost.length}${r.lost[0] ? ` e.g. "${r.lost[0].slice(0, 50)}"` : ''}`
    )
  }
  const footerLeaksCount = footerTable(rows, verbose)
  return { files: rows.length, failed, leaks, lostParagraphs, footerLeaks: footerLeaksCount, rows }
}

/** Per source: posts, and posts that still end with a footer. Returns the total of the latter. */
function footerTable(rows: CorpusFileRow[], verbose: boolean): number {
  const bySource = new Map<string, { posts: number; leaked: CorpusFileRow[] }>()
  for (const r of rows) {
    if (r.source === null) continue
    const s = bySource.get(r.source) ?? { posts: 0, leaked: [] }
    s.posts++
    if (r.footer.length) s.leaked.push(r)
    bySource.set(r.source, s)
  }
  const total = [...bySource.values()].reduce((n, s) => n + s.leaked.length, 0)
  const posts = [...bySource.values()].reduce((n, s) => n + s.posts, 0)
  console.log(
    `\nFooter leaks on RSSHub posts (last ${FOOTER_ZONE_PARAGRAPHS} paragraphs, bench/lib/footer-markers.ts): ${total} of ${posts} posts`
  )
  console.log('source'.padEnd(28) + 'posts'.padStart(6) + 'footer'.padStart(8) + '  markers')
  for (const [source, s] of [...bySource].sort(
    (a, b) => b[1].leaked.length - a[1].leaked.length || a[0].localeCompare(b[0])
  )) {
    const markers = [...new Set(s.leaked.flatMap((r) => r.footer.map((f) => f.marker)))]
    console.log(
      source.slice(0, 26).padEnd(28) +
        String(s.posts).padStart(6) +
        String(s.leaked.length).padStart(8) +
        (markers.length ? `  ${markers.join(', ')}` : '')
    )
    if (verbose)
      for (const r of s.leaked)
        for (const f of r.footer)
          console.log(`    ${r.file.slice(0, 60)}: [${f.marker}] ${f.line.slice(0, 80)}`)
  }
  console.log('footer leaks (posts)'.padEnd(28) + String(total).padStart(14))
  return total
}
