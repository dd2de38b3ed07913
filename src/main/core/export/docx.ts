// The briefing as a Word document: headings per article, highlights as shaded runs over the
// exact annotated ranges, notes (and tags) as Word comments on those ranges.
import {
  AlignmentType,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  Packer,
  Paragraph,
  ShadingType,
  TextRun,
  type ICommentOptions,
  type ParagraphChild
} from 'docx'
import type { ExportAnnotation, ExportArticle, ExportBundle } from '../../../shared/export-types'
import { colorHex } from './colors'
import { segmentText } from './segments'

const MUTED = '6B6B70'

function commentText(a: ExportAnnotation): string[] {
  const lines = a.note ? a.note.split('\n') : []
  if (a.tags.length > 0) lines.push(a.tags.map((t) => `#${t}`).join(' '))
  return lines
}

function textRuns(text: string, opts: { shadingHex?: string } = {}): TextRun[] {
  // Word needs explicit breaks for single newlines inside a paragraph.
  return text.split('\n').map(
    (line, i) =>
      new TextRun({
        text: line,
        break: i > 0 ? 1 : 0,
        ...(opts.shadingHex
          ? {
              shading: {
                type: ShadingType.CLEAR,
                color: 'auto',
                fill: opts.shadingHex.slice(1).toUpperCase()
              }
            }
          : {})
      })
  )
}

function articleBlocks(entry: ExportArticle, comments: ICommentOptions[]): Paragraph[] {
  const a = entry.article
  const out: Paragraph[] = [
    new Paragraph({
      text: a.title || '(untitled)',
      heading: HeadingLevel.HEADING_1,
      pageBreakBefore: true
    })
  ]
  const meta = [a.source ?? a.author, a.publishedAt?.slice(0, 10), a.categoryPath.join(' › ')]
    .filter((x): x is string => !!x)
    .join(' · ')
  if (meta)
    out.push(
      new Paragraph({ children: [new TextRun({ text: meta, color: MUTED, italics: true })] })
    )
  if (a.tags.length > 0) {
    out.push(
      new Paragraph({
        children: [new TextRun({ text: a.tags.map((t) => `#${t}`).join(' '), color: MUTED })]
      })
    )
  }
  if (a.url && /^https?:/i.test(a.url)) {
    out.push(
      new Paragraph({
        children: [
          new ExternalHyperlink({
            link: a.url,
            children: [new TextRun({ text: a.url, style: 'Hyperlink' })]
          })
        ]
      })
    )
  }
  if (entry.itemNote) {
    out.push(
      new Paragraph({
        children: [
          new TextRun({ text: 'Why it is here: ', bold: true }),
          ...textRuns(entry.itemNote)
        ],
        shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'F4F4F6' }
      })
    )
  }

  const seg = segmentText(a.cleanText, entry.annotations)
  const commentIds = new Map<number, number>()
  for (const ann of entry.annotations) {
    const lines = commentText(ann)
    if (!seg.ranges.has(ann.id) || lines.length === 0) continue
    const id = comments.length
    commentIds.set(ann.id, id)
    comments.push({
      id,
      author: 'Gleaner',
      initials: 'G',
      date: new Date(ann.updatedAt),
      children: lines.map((l) => new Paragraph({ text: l }))
    })
  }
  for (const p of seg.paragraphs) {
    const children: ParagraphChild[] = []
    for (const piece of p.pieces) {
      for (const ann of piece.starting) {
        const id = commentIds.get(ann.id)
        if (id !== undefined) children.push(new CommentRangeStart(id))
      }
      const top = piece.covering[piece.covering.length - 1]
      children.push(...textRuns(piece.text, top ? { shadingHex: colorHex(top.color) } : {}))
      for (const ann of piece.ending) {
        const id = commentIds.get(ann.id)
        if (id === undefined) continue
        children.push(
          new CommentRangeEnd(id),
          new TextRun({ children: [new CommentReference(id)] })
        )
      }
    }
    out.push(new Paragraph({ children, spacing: { after: 160 } }))
  }

  const unplaced = entry.annotations.filter((ann) => !seg.ranges.has(ann.id))
  if (unplaced.length > 0) {
    out.push(new Paragraph({ text: 'Notes on this article', heading: HeadingLevel.HEADING_3 }))
    for (const ann of unplaced) {
      const runs: TextRun[] = []
      if (ann.exact) runs.push(new TextRun({ text: `“${ann.exact}” `, italics: true }))
      runs.push(
        ...textRuns([ann.note, ann.tags.map((t) => `#${t}`).join(' ')].filter(Boolean).join(' '))
      )
      out.push(new Paragraph({ children: runs, bullet: { level: 0 } }))
    }
  }
  return out
}

export async function renderDocx(bundle: ExportBundle): Promise<Uint8Array> {
  const comments: ICommentOptions[] = []
  const annotations = bundle.articles.flatMap((e) => e.annotations)
  const cover: Paragraph[] = [
    new Paragraph({ text: bundle.title, heading: HeadingLevel.TITLE }),
    new Paragraph({
      children: [new TextRun({ text: bundle.generatedAt.slice(0, 10), color: MUTED })]
    }),
    new Paragraph({
      text: `${bundle.articles.length} articles · ${annotations.filter((a) => a.exact).length} highlights · ${annotations.filter((a) => a.note).length} notes`
    }),
    new Paragraph({ text: 'Contents', heading: HeadingLevel.HEADING_2 }),
    ...bundle.articles.map(
      (e, i) =>
        new Paragraph({
          text: `${i + 1}. ${e.article.title || '(untitled)'}${e.article.source ? ` — ${e.article.source}` : ''}`,
          alignment: AlignmentType.LEFT
        })
    )
  ]
  const body = bundle.articles.flatMap((e) => articleBlocks(e, comments))
  const doc = new Document({
    creator: 'Gleaner',
    title: bundle.title,
    comments: { children: comments },
    sections: [{ children: [...cover, ...body] }]
  })
  return new Uint8Array(await Packer.toBuffer(doc))
}
