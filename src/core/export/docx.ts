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
  ImageRun,
  Packer,
  Paragraph,
  ShadingType,
  TextRun,
  type ICommentOptions,
  type ParagraphChild
} from 'docx'
import { imageSize } from 'image-size'
import type {
  ExportAnnotation,
  ExportArticle,
  ExportBundle,
  ExportImage,
  ExportOptions
} from '../../shared/export-types'
import { placeImages } from './images'
import { colorHex } from './colors'
import { counted, labelsFor, type ExportLabels } from './labels'
import { segmentArticle } from './segments'
import { termsLine } from './terms'
import { safeHttpUrl } from './urls'

const MUTED = '6B6B70'
/** The page's text width at Word's default margins, in pixels at 96 to the inch. */
const MAX_IMAGE_WIDTH = 600

/** The types Word shows (WebP and AVIF are not among them: their caption stands in). */
const DOCX_TYPES: Record<string, 'jpg' | 'png' | 'gif'> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif'
}

/** A kept image as a paragraph of its own, scaled to the page; its caption when Word cannot show it. */
function imageParagraph(image: ExportImage): Paragraph {
  const type = DOCX_TYPES[image.contentType]
  let size: { width?: number; height?: number } = {}
  try {
    size = imageSize(image.bytes)
  } catch {
    // Not measurable: shown as its caption below.
  }
  const caption = xmlSafeText(image.caption ?? '')
  if (!type || !size.width || !size.height)
    return new Paragraph({
      children: caption ? [new TextRun({ text: caption, italics: true })] : []
    })
  const scale = Math.min(1, MAX_IMAGE_WIDTH / size.width)
  return new Paragraph({
    children: [
      new ImageRun({
        type,
        data: image.bytes,
        transformation: {
          width: Math.max(1, Math.round(size.width * scale)),
          height: Math.max(1, Math.round(size.height * scale))
        },
        altText: { name: caption || 'image', description: caption, title: caption }
      })
    ],
    spacing: { after: 80 }
  })
}

/**
 * Characters XML 1.0 cannot hold (C0 controls but tab and line breaks, U+FFFE, U+FFFF, lone
 * surrogates): one of them in one article made Word refuse the whole document. Each becomes
 * U+FFFD, one code unit for one, so annotation offsets into the text still fit.
 */
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

export function xmlSafeText(s: string): string {
  return s.replace(XML_INVALID, '\uFFFD')
}

/** Every string of the bundle made XML-safe: all text that reaches the document passes here. */
function xmlSafe<T>(value: T): T {
  if (typeof value === 'string') return xmlSafeText(value) as T
  if (Array.isArray(value)) return value.map(xmlSafe) as T
  // Image bytes are no text.
  if (ArrayBuffer.isView(value)) return value
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, xmlSafe(v)])
    ) as T
  }
  return value
}

/** A comment's date, left out when the stored one is not a date (Word needs a valid one). */
function dateOf(iso: string): Date | undefined {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? undefined : d
}

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

function articleBlocks(
  entry: ExportArticle,
  comments: ICommentOptions[],
  labels: ExportLabels,
  notesOnly: boolean | undefined
): Paragraph[] {
  const a = entry.article
  const out: Paragraph[] = [
    new Paragraph({
      text: a.title || labels.untitled,
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
  const terms = termsLine(entry, labels)
  if (terms) out.push(new Paragraph({ children: [new TextRun({ text: terms, color: MUTED })] }))
  const url = safeHttpUrl(a.url)
  if (url) {
    out.push(
      new Paragraph({
        children: [
          new ExternalHyperlink({
            link: url,
            children: [new TextRun({ text: url, style: 'Hyperlink' })]
          })
        ]
      })
    )
  }
  if (entry.itemNote) {
    out.push(
      new Paragraph({
        children: [
          new TextRun({ text: `${labels.whyHere} `, bold: true }),
          ...textRuns(entry.itemNote)
        ],
        shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'F4F4F6' }
      })
    )
  }

  const seg = segmentArticle(entry, notesOnly)
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
      ...(dateOf(ann.updatedAt) ? { date: dateOf(ann.updatedAt) } : {}),
      children: lines.map((l) => new Paragraph({ text: l }))
    })
  }
  const placed = placeImages(notesOnly ? [] : entry.images, seg.paragraphs)
  for (const [i, p] of seg.paragraphs.entries()) {
    for (const image of placed.before.get(i) ?? []) out.push(imageParagraph(image))
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
  for (const image of placed.after) out.push(imageParagraph(image))

  const unplaced = entry.annotations.filter((ann) => !seg.ranges.has(ann.id))
  if (unplaced.length > 0) {
    out.push(
      new Paragraph({
        text: notesOnly ? labels.highlightsHeading : labels.notesOnArticle,
        heading: HeadingLevel.HEADING_3
      })
    )
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

export async function renderDocx(
  unsafe: ExportBundle,
  options: ExportOptions = {}
): Promise<Uint8Array> {
  const bundle = xmlSafe(unsafe)
  const labels = labelsFor(options.locale)
  const comments: ICommentOptions[] = []
  const annotations = bundle.articles.flatMap((e) => e.annotations)
  const cover: Paragraph[] = [
    new Paragraph({ text: bundle.title, heading: HeadingLevel.TITLE }),
    new Paragraph({
      children: [new TextRun({ text: bundle.generatedAt.slice(0, 10), color: MUTED })]
    }),
    new Paragraph({
      text: [
        counted(labels.articles, bundle.articles.length),
        counted(labels.highlights, annotations.filter((a) => a.exact).length),
        counted(labels.notes, annotations.filter((a) => a.note).length)
      ].join(' · ')
    }),
    new Paragraph({ text: labels.contents, heading: HeadingLevel.HEADING_2 }),
    ...bundle.articles.map(
      (e, i) =>
        new Paragraph({
          text: `${i + 1}. ${e.article.title || labels.untitled}${e.article.source ? ` — ${e.article.source}` : ''}`,
          alignment: AlignmentType.LEFT
        })
    )
  ]
  const body = bundle.articles.flatMap((e) => articleBlocks(e, comments, labels, bundle.notesOnly))
  const doc = new Document({
    creator: 'Gleaner',
    title: bundle.title,
    comments: { children: comments },
    sections: [{ children: [...cover, ...body] }]
  })
  return new Uint8Array(await Packer.toBuffer(doc))
}
