// Images beside an imported file: an <img src="images/a.jpg"> in a saved page (or Markdown file)
// on disk is read from the file's own folder and kept with the article, instead of the image
// files being reported as items the import could not read. Runs on the import's writer, inside
// its batch transaction, for files read from disk only (not archive entries or captured items).
//
// Bounded: at most MAX_IMAGES_PER_ARTICLE images, each at most MAX_REMOTE_IMAGE_BYTES, the
// article's total capped, types checked by their bytes; only regular files inside the article
// file's folder (after resolving links: a link out of the folder is not followed).
import { closeSync, fstatSync, openSync, readSync, realpathSync, constants } from 'node:fs'
import { dirname, join, sep } from 'node:path'
import type { Db } from '../library/open'
import { checkedImage, MAX_IMAGES_PER_ARTICLE } from './keep'
import { LOCAL_IMAGE_HOST } from './local-base'
import { articleImages, MAX_REMOTE_IMAGE_BYTES } from './remote'
import { keepImage, refuseImage } from './store'

/** Extensions of image files an imported page may keep; these files wait to be claimed. */
export const IMAGE_FILE = /\.(?:jpe?g|png|gif|webp|avif|svg)$/iu

/**
 * The path, relative to the article's file, that an image URL of the article stands for: a
 * local image, or one the page's own address resolved (`images/a.jpg` in a page saved from
 * https://site/news/story.html is https://site/news/images/a.jpg). null: not beside the file.
 */
export function besidePath(imageUrl: URL, articleUrl: string | null): string | null {
  let rest: string | null = null
  if (imageUrl.hostname === LOCAL_IMAGE_HOST) rest = imageUrl.pathname.slice(1)
  else if (articleUrl) {
    let page: URL
    try {
      page = new URL(articleUrl)
    } catch {
      return null
    }
    const folder = page.pathname.slice(0, page.pathname.lastIndexOf('/') + 1)
    if (imageUrl.origin === page.origin && imageUrl.pathname.startsWith(folder))
      rest = imageUrl.pathname.slice(folder.length)
  }
  if (!rest || imageUrl.search) return null
  try {
    rest = decodeURIComponent(rest)
  } catch {
    return null
  }
  // The URL parser already removed `..`; a decoded one (%2e%2e) or a NUL is refused here.
  if (rest.split('/').some((part) => part === '..' || part === '') || rest.includes('\0'))
    return null
  return rest
}

/** Reads a regular file inside `folder` (links resolved), at most `max` bytes; null otherwise. */
function readInside(folder: string, rel: string, max: number): Uint8Array | string {
  let real: string
  try {
    real = realpathSync(join(folder, ...rel.split('/')))
  } catch {
    return 'no such file beside the article'
  }
  if (!real.startsWith(folder + sep)) return 'outside the article’s folder; not read'
  const fd = openSync(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) return 'not a file'
    if (stats.size > max) return 'too large'
    const bytes = new Uint8Array(stats.size)
    let at = 0
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at)
      if (n === 0) break
      at += n
    }
    return bytes.subarray(0, at)
  } finally {
    closeSync(fd)
  }
}

/**
 * Keeps the images of a just-written article that are files beside its source file; returns
 * the real paths of the image files kept (the import does not report them as items).
 */
export function keepImagesBeside(
  db: Db,
  articleId: number,
  sourcePath: string,
  article: { url: string | null; cleanHtml: string },
  now: Date
): string[] {
  if (!article.cleanHtml.includes('<img')) return []
  let folder: string
  try {
    folder = realpathSync(dirname(sourcePath))
  } catch {
    return []
  }
  const used: string[] = []
  let tried = 0
  for (const [url, caption] of articleImages(article.cleanHtml)) {
    const rel = besidePath(new URL(url), article.url)
    if (rel === null) continue
    if (++tried > MAX_IMAGES_PER_ARTICLE) break
    let read: Uint8Array | string
    try {
      read = readInside(folder, rel, MAX_REMOTE_IMAGE_BYTES)
    } catch (e) {
      read = e instanceof Error ? e.message : String(e)
    }
    if (typeof read === 'string') {
      // Not there: a page's relative image may well be on its web server instead.
      if (new URL(url).hostname === LOCAL_IMAGE_HOST) refuseImage(db, articleId, url, caption, read)
      continue
    }
    try {
      const image = checkedImage(db, articleId, url, read)
      keepImage(db, articleId, url, image, caption, now)
      used.push(realpathSync(join(folder, ...rel.split('/'))))
    } catch (e) {
      refuseImage(db, articleId, url, caption, e instanceof Error ? e.message : String(e))
    }
  }
  return used
}
