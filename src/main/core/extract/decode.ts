// Bytes of a saved page to text: BOM, then the page's own charset declaration, then detection.
import chardet from 'chardet'
import iconv from 'iconv-lite'

function normaliseCharset(name: string): string {
  const n = name
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '')
  // Pages that say gb2312 are written in its superset more often than not.
  if (n === 'gb2312' || n === 'gbk' || n === 'x-gbk' || n === 'gb_2312-80') return 'gb18030'
  if (n === 'utf8') return 'utf-8'
  return n
}

/** The charset a page declares in its first bytes (<meta charset>, http-equiv), if any. */
export function declaredCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(
    bytes.buffer,
    bytes.byteOffset,
    Math.min(bytes.byteLength, 4096)
  ).toString('latin1')
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head)
  return m ? normaliseCharset(m[1]!) : null
}

export function decodeHtmlBytes(
  bytes: Uint8Array,
  hint?: string | null
): { text: string; encoding: string } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8' }
  if (buf[0] === 0xff && buf[1] === 0xfe)
    return { text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'utf-16le' }
  if (buf[0] === 0xfe && buf[1] === 0xff)
    return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be' }
  const candidates = [hint ? normaliseCharset(hint) : null, declaredCharset(bytes)]
  for (const c of candidates) {
    if (c && iconv.encodingExists(c)) {
      // A page declaring UTF-8 but not valid UTF-8 was mislabeled; fall through to detection.
      const text = iconv.decode(buf, c)
      if (!(c === 'utf-8' && text.includes('\ufffd') && !isValidUtf8(buf)))
        return { text, encoding: c }
    }
  }
  if (isValidUtf8(buf)) return { text: buf.toString('utf8'), encoding: 'utf-8' }
  const detected = chardet.detect(buf)
  const enc = detected ? normaliseCharset(detected) : 'windows-1252'
  return {
    text: iconv.decode(buf, iconv.encodingExists(enc) ? enc : 'windows-1252'),
    encoding: enc
  }
}

function isValidUtf8(buf: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf)
    return true
  } catch {
    return false
  }
}
