// Splits clean text into paragraphs and each paragraph into pieces at annotation boundaries, so
// HTML and DOCX mark exactly the annotated ranges (overlaps included) from one computation.
import type { ExportAnnotation, ExportArticle } from '../../shared/export-types'
import { locateAnnotation, type TextRange } from './anchors'

export interface Piece {
  text: string
  start: number
  end: number
  /** Annotations covering this piece, in the order given. */
  covering: ExportAnnotation[]
  /** Annotations whose range begins / ends exactly here. */
  starting: ExportAnnotation[]
  ending: ExportAnnotation[]
}

export interface Paragraph {
  start: number
  end: number
  pieces: Piece[]
}

export interface Segmented {
  paragraphs: Paragraph[]
  /** Where each annotation was found; missing ones had no anchor in this text. */
  ranges: Map<number, TextRange>
}

export function segmentText(text: string, annotations: readonly ExportAnnotation[]): Segmented {
  const ranges = new Map<number, TextRange>()
  for (const a of annotations) {
    const r = locateAnnotation(text, a)
    if (r) ranges.set(a.id, r)
  }
  const anchored = annotations.filter((a) => ranges.has(a.id))

  const paragraphs: Paragraph[] = []
  const re = /\n{2,}/g
  let pStart = 0
  const bounds: [number, number][] = []
  for (let m = re.exec(text); m; m = re.exec(text)) {
    bounds.push([pStart, m.index])
    pStart = m.index + m[0].length
  }
  bounds.push([pStart, text.length])

  for (const [ps, pe] of bounds) {
    if (ps >= pe) continue
    const cuts = new Set<number>([ps, pe])
    for (const a of anchored) {
      const r = ranges.get(a.id) as TextRange
      if (r.start > ps && r.start < pe) cuts.add(r.start)
      if (r.end > ps && r.end < pe) cuts.add(r.end)
    }
    const sorted = [...cuts].sort((x, y) => x - y)
    const pieces: Piece[] = []
    for (let i = 0; i + 1 < sorted.length; i++) {
      const s = sorted[i] as number
      const e = sorted[i + 1] as number
      const covering = anchored.filter((a) => {
        const r = ranges.get(a.id) as TextRange
        return r.start < e && r.end > s
      })
      pieces.push({
        text: text.slice(s, e),
        start: s,
        end: e,
        covering,
        starting: covering.filter((a) => (ranges.get(a.id) as TextRange).start >= s),
        ending: covering.filter((a) => (ranges.get(a.id) as TextRange).end <= e)
      })
    }
    paragraphs.push({ start: ps, end: pe, pieces })
  }
  return { paragraphs, ranges }
}

/**
 * An article's text for a bundle: segmented, or for a notes-only export no text at all, so
 * every annotation is listed with its quote instead of marked in place.
 */
export function segmentArticle(entry: ExportArticle, notesOnly: boolean | undefined): Segmented {
  return notesOnly
    ? { paragraphs: [], ranges: new Map() }
    : segmentText(entry.article.cleanText, entry.annotations)
}
