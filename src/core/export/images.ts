// Where an article's kept images go in the exports that write its clean text (HTML, PDF, DOCX):
// a captioned picture before its caption's paragraph (the cleaner keeps <figcaption> as a
// paragraph of the text), the rest after the text. Only kept images are ever written: an
// export fetches nothing.
import type { ExportImage } from '../../shared/export-types'
import type { Paragraph } from './segments'

export interface PlacedImages {
  /** Images to put before the paragraph at that index. */
  before: Map<number, ExportImage[]>
  /** Images with no paragraph of their own, after the text. */
  after: ExportImage[]
}

const squash = (s: string): string => s.replace(/\s+/gu, ' ').trim()

export function placeImages(
  images: readonly ExportImage[] | undefined,
  paragraphs: readonly Paragraph[]
): PlacedImages {
  const placed: PlacedImages = { before: new Map(), after: [] }
  if (!images?.length) return placed
  const texts = paragraphs.map((p) => squash(p.pieces.map((x) => x.text).join('')))
  const taken = new Set<number>()
  for (const image of images) {
    const caption = image.caption ? squash(image.caption) : ''
    const at = caption ? texts.findIndex((t, i) => !taken.has(i) && t === caption) : -1
    if (at < 0) {
      placed.after.push(image)
      continue
    }
    taken.add(at)
    placed.before.set(at, [...(placed.before.get(at) ?? []), image])
  }
  return placed
}

export function dataUri(image: ExportImage): string {
  return `data:${image.contentType};base64,${Buffer.from(image.bytes).toString('base64')}`
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif'
}

/** The file name a kept image is written under: its content hash, so one file per image. */
export function imageFileName(image: ExportImage): string {
  return `${image.sha256.slice(0, 16)}.${EXTENSIONS[image.contentType] ?? 'img'}`
}
