// The lines at an article's head and tail that may be its source's boilerplate: candidates are
// the first and last few paragraphs of the clean text, short enough to be a notice rather than
// prose. A line is counted once per article, and only for articles with different bodies (the
// "witness"), so an article kept twice, or a wire story copied within one source, never makes
// its own first paragraph look like boilerplate.
import { createHash } from 'node:crypto'
import type { Edge, EdgeLine, EdgeLines } from '../model/parsed-article'

/** Paragraphs from the top that may be a source's header lines. */
export const HEAD_WINDOW = 3
/** Paragraphs from the bottom that may be its footer lines. */
export const TAIL_WINDOW = 6
/** Longer paragraphs are prose, not a repeated notice (a long copyright notice still fits). */
export const MAX_LINE_CHARS = 400

export type { Edge, EdgeLine, EdgeLines } from '../model/parsed-article'

/** A paragraph as one line (what is stored and shown). */
export function normaliseLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** A line's id: full- and half-width forms of the same line are one line. */
export function lineHash(line: string): string {
  return createHash('sha1').update(line.normalize('NFKC')).digest('hex').slice(0, 16)
}

function candidate(p: string): boolean {
  if (p.length < 2 || p.length > MAX_LINE_CHARS) return false
  // Something to read: at least two letters (a lone number or dash is not a notice).
  return (p.match(/\p{L}/gu)?.length ?? 0) >= 2
}

/** The candidate lines of a clean text, and the witness of its body. */
export function edgeLinesOf(cleanText: string, title: string): EdgeLines {
  // Only the edge paragraphs are looked at closely: this runs for every article imported.
  const paragraphs = cleanText.split('\n\n')
  const n = paragraphs.length
  const lines: EdgeLine[] = []
  const seen = new Set<string>()
  const take = (i: number, edge: Edge): void => {
    const raw = paragraphs[i]!
    if (raw.length > MAX_LINE_CHARS + 50) return
    const text = normaliseLine(raw)
    if (!candidate(text)) return
    const hash = lineHash(text)
    if (seen.has(`${edge}:${hash}`)) return
    seen.add(`${edge}:${hash}`)
    lines.push({ edge, hash, text })
  }
  for (let i = 0; i < Math.min(HEAD_WINDOW, n); i++) take(i, 'head')
  for (let i = Math.max(0, n - TAIL_WINDOW); i < n; i++) take(i, 'tail')
  // The body between the windows (clean text is normalised already). A short article is all
  // head and tail: its title stands for it, so copies of it (same title, other footers) are
  // one witness, never three.
  const middle = paragraphs.slice(HEAD_WINDOW, Math.max(HEAD_WINDOW, n - TAIL_WINDOW)).join('\n')
  const witness = createHash('sha1')
    .update(middle.length >= 40 ? middle : `title:${normaliseLine(title)}`)
    .digest('hex')
    .slice(0, 16)
  return { lines, witness }
}
