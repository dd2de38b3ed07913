// Syndicated copies of real corpus posts, as portals make them: another outlet's name and date,
// its own head and tail lines, a paragraph left out, the lead trimmed, the title rewritten, the
// text in Traditional script with full-width digits — the material for copy groups and stories.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as OpenCC from 'opencc-js'
import { RSSHUB } from './corpus'

export interface Syndication {
  source: string
  date: string
  title?: string
  head?: string[]
  tail?: string[]
  /** Leave out this paragraph (index among the body's paragraphs). */
  drop?: number
  /** Cut the first paragraph's first sentence. */
  trimLead?: boolean
  traditional?: boolean
  name: string
}

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' })
const fullWidth = (s: string): string =>
  s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))

/** The paragraphs of a corpus post's HTML body. */
export function corpusParagraphs(relPath: string): { front: string; paragraphs: string[] } {
  const text = readFileSync(join(RSSHUB, relPath), 'utf8')
  const end = text.indexOf('\n---', 4)
  const body = text.slice(end + 4)
  const paragraphs = [...body.matchAll(/<p[^>]*>([\s\S]*?)<\/p>/g)]
    .map((m) => m[1]!.replace(/<[^>]+>/g, '').trim())
    .filter((p) => p.length > 0)
  return { front: text.slice(0, end), paragraphs }
}

/** Writes a copy of corpus post `relPath` as outlet `s.source` publishes it; returns its path. */
export function writeSyndicated(dir: string, relPath: string, s: Syndication): string {
  const { front, paragraphs } = corpusParagraphs(relPath)
  let paras = paragraphs.filter((_, i) => i !== s.drop)
  if (s.trimLead && paras.length) {
    const first = paras[0]!
    const cut = first.search(/[。！？]/u)
    paras = [cut > 0 ? first.slice(cut + 1) : first, ...paras.slice(1)]
  }
  let html = [...(s.head ?? []), ...paras, ...(s.tail ?? [])].map((p) => `<p>${p}</p>`).join('\n')
  if (s.traditional) html = fullWidth(toTraditional(html))
  const title = s.title ?? /^title:\s*'?(.*?)'?$/m.exec(front)?.[1] ?? s.name
  const head = front
    .replace(/^author:.*$/m, `author: ${s.source}`)
    .replace(/^title:.*$/m, `title: '${title.replace(/'/g, "''")}'`)
    .replace(/^date:.*$/m, `date: ${s.date}`)
  const file = join(dir, s.name)
  writeFileSync(file, `${head}\n---\n${html}\n`)
  return file
}
