// What an image really is, read from its first bytes: a server's Content-Type and a file's name
// are claims, and a page served as image/png is still a page. Only raster types every
// Chromium-based window, DOCX reader and PDF printer shows are kept.
//
// SVG is refused rather than sanitised: it is a document (scripts, event handlers, external
// references, CSS that fetches), and the exports put kept images where no CSP guards them (an
// HTML briefing opened from disk, a DOCX in a word processor). Sanitising it would take a second
// HTML sanitiser kept in step with the first, for a type news photos hardly use.

export type KeptImageType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp' | 'image/avif'

const ascii = (bytes: Uint8Array, from: number, to: number): string =>
  String.fromCharCode(...bytes.subarray(from, to))

/** The image type the bytes are, or null when they are none of the kept types. */
export function sniffImageType(bytes: Uint8Array): KeptImageType | null {
  if (bytes.length < 12) return null
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png'
  const gif = ascii(bytes, 0, 6)
  if (gif === 'GIF87a' || gif === 'GIF89a') return 'image/gif'
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp'
  // ISO-BMFF: a 'ftyp' box first, whose major or compatible brands name AVIF.
  if (ascii(bytes, 4, 8) === 'ftyp') {
    const size = Math.min(
      ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0,
      bytes.length,
      256
    )
    for (let at = 8; at + 4 <= size; at += 4) {
      const brand = ascii(bytes, at, at + 4)
      if (brand === 'avif' || brand === 'avis') return 'image/avif'
    }
  }
  return null
}

/** Why bytes are not kept, in words for the image's error and the user. */
export function refusedTypeReason(bytes: Uint8Array): string {
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart().toLowerCase()
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg')))
    return 'an SVG image (a document that can carry scripts and references); not kept'
  if (head.startsWith('<')) return 'not an image (the bytes are markup); not kept'
  return 'not a JPEG, PNG, GIF, WebP or AVIF image; not kept'
}
