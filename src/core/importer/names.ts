// File names that are not UTF-8. Windows writes names in the system code page (GBK on Chinese
// Windows) into zip archives without saying so, and archives unpacked as they are leave those
// bytes on disk, where Node's string paths cannot name them (the bytes become U+FFFD, and the
// path no longer exists). On disk such a file is opened by its bytes (a Buffer path); what the
// user sees is the name decoded as best we can.
import { isUtf8 } from 'node:buffer'
import { realpathSync } from 'node:fs'
import { sep } from 'node:path'
import iconv from 'iconv-lite'

/** A path as the file system takes it: a string, or the raw bytes of a name that is not UTF-8. */
export type FsPath = string | Buffer

/**
 * A file name's bytes as text: UTF-8 when they are UTF-8, else GB18030 (GBK's superset) when
 * that reads them cleanly, else `fallback` (zip's CP437 by default: every byte is a character).
 */
export function decodeFileName(raw: Uint8Array, fallback = 'cp437'): string {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)
  if (isUtf8(bytes)) return bytes.toString('utf8')
  const gbk = iconv.decode(bytes, 'gb18030')
  // GB18030 maps nearly every byte sequence somewhere; a clean reading has no replacement
  // character, no controls and at least one CJK character (what a GBK name is written in).
  // eslint-disable-next-line no-control-regex
  if (!/[\ufffd\u0000-\u001f\u007f]/u.test(gbk) && /[\u3000-\u9fff\uff00-\uffef]/u.test(gbk))
    return gbk
  return iconv.decode(bytes, fallback)
}

/** The path with every link resolved, in the form it was given (string or bytes). */
export function realPath(path: FsPath): FsPath {
  return typeof path === 'string' ? realpathSync(path) : realpathSync(path, { encoding: 'buffer' })
}

/** `dir` + separator + `name`, keeping raw bytes where either is raw. */
export function childPath(dir: FsPath, name: FsPath): FsPath {
  if (typeof dir === 'string' && typeof name === 'string')
    return dir.endsWith(sep) ? dir + name : dir + sep + name
  const d = typeof dir === 'string' ? Buffer.from(dir) : dir
  const n = typeof name === 'string' ? Buffer.from(name) : name
  return d.length && d[d.length - 1] === sep.charCodeAt(0)
    ? Buffer.concat([d, n])
    : Buffer.concat([d, Buffer.from(sep), n])
}

/** Whether `path` is `root` or below it (both real paths: links resolved). */
export function isInside(path: FsPath, root: FsPath): boolean {
  if (typeof path === 'string' && typeof root === 'string') {
    if (path === root) return true
    return path.startsWith(root.endsWith(sep) ? root : root + sep)
  }
  const p = typeof path === 'string' ? Buffer.from(path) : path
  const r = typeof root === 'string' ? Buffer.from(root) : root
  if (p.equals(r)) return true
  const prefix = r[r.length - 1] === sep.charCodeAt(0) ? r : Buffer.concat([r, Buffer.from(sep)])
  return p.length > prefix.length && p.subarray(0, prefix.length).equals(prefix)
}
