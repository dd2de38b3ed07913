// Keeping an article's images: each fetched once through the guarded fetcher, checked by its
// bytes, stored by content. The image route (route.ts) keeps the one the reader asks for; the
// background task keeps the rest; both go through `keepOne`, so one URL of one article is
// fetched once even when both ask at the same moment.
import type { Db } from '../library/open'
import { writeTx } from '../library/write-tx'
import { MAX_REMOTE_IMAGE_BYTES, RefusedImage, TIMEOUT_MS, type ImageFetcher } from './remote'
import { refusedTypeReason, sniffImageType } from './sniff'
import {
  articleImageRows,
  keepImage,
  keptBytesOf,
  keptImage,
  refuseImage,
  type KeptImage
} from './store'

/** Images kept per article at most: a gallery page is kept in part rather than without end. */
export const MAX_IMAGES_PER_ARTICLE = 100
/** Bytes kept per article at most (each image is also held to MAX_REMOTE_IMAGE_BYTES). */
export const MAX_IMAGE_BYTES_PER_ARTICLE = 100 * 1024 * 1024

export interface ImageBytes {
  contentType: string
  bytes: Uint8Array
}

/**
 * Checks bytes to be kept for an article against the caps and their real type; returns the
 * image as it will be kept, or throws RefusedImage saying why.
 */
export function checkedImage(
  db: Db,
  articleId: number,
  url: string,
  bytes: Uint8Array
): ImageBytes {
  if (bytes.length > MAX_REMOTE_IMAGE_BYTES) throw new RefusedImage('too large')
  const type = sniffImageType(bytes)
  if (!type) throw new RefusedImage(refusedTypeReason(bytes))
  const rows = articleImageRows(db, articleId)
  if (!rows.get(url)?.sha256) {
    const kept = [...rows.values()].filter((r) => r.sha256 !== null).length
    if (kept >= MAX_IMAGES_PER_ARTICLE)
      throw new RefusedImage(`the article has ${MAX_IMAGES_PER_ARTICLE} images kept already`)
    if (keptBytesOf(db, articleId) + bytes.length > MAX_IMAGE_BYTES_PER_ARTICLE)
      throw new RefusedImage(
        `the article's images would pass ${MAX_IMAGE_BYTES_PER_ARTICLE / 1024 / 1024} MB`
      )
  }
  return { contentType: type, bytes }
}

export interface Keeper {
  /**
   * The article's image at `url`, kept now if it was not (fetched, checked, stored); throws
   * RefusedImage (also recorded, so it is not fetched again) when it cannot be had.
   */
  keepOne(articleId: number, url: string, caption: string | null): Promise<KeptImage>
}

export function createKeeper(db: Db, fetchImage: ImageFetcher, now: () => Date): Keeper {
  const inFlight = new Map<string, Promise<KeptImage>>()
  const fetchAndKeep = async (
    articleId: number,
    url: string,
    caption: string | null
  ): Promise<KeptImage> => {
    try {
      // A reserved name (local-base.ts, RFC 6761) is never asked of the network.
      if (new URL(url).hostname.endsWith('.invalid'))
        throw new RefusedImage('an image of the file that was not beside it when imported')
      const fetched = await fetchImage(new URL(url), AbortSignal.timeout(TIMEOUT_MS * 2))
      const image = checkedImage(db, articleId, url, fetched.body)
      writeTx(db, () => keepImage(db, articleId, url, image, caption, now()))
      return keptImage(db, articleId, url)!
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e)
      if (db.open) writeTx(db, () => refuseImage(db, articleId, url, caption, reason))
      throw e instanceof RefusedImage ? e : new RefusedImage(reason)
    }
  }
  return {
    keepOne(articleId, url, caption) {
      const kept = keptImage(db, articleId, url)
      if (kept) return Promise.resolve(kept)
      const key = `${articleId} ${url}`
      const running = inFlight.get(key)
      if (running) return running
      const job = fetchAndKeep(articleId, url, caption).finally(() => inFlight.delete(key))
      inFlight.set(key, job)
      return job
    }
  }
}
