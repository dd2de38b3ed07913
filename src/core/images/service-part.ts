// The API's remote-image methods: who allowed an article's images (the article, its source, the
// whole library: an undoable change), and keeping them in the library once allowed: fetched
// once in the background (a task of kind 'images'), stored by content, served by the reader's
// image route (route.ts) and read by exports, with no network, from then on.
import type { RemoteImagePolicy, RemoteImageScope } from '../../shared/capture-types'
import { errorKind } from '../../shared/errors'
import type { GleanerApi } from '../../shared/api'
import type { CaptureContext } from '../capture/context'
import { createKeeper, MAX_IMAGES_PER_ARTICLE, type Keeper } from './keep'
import { articleImages, guardedImageFetcher, type ImageFetcher } from './remote'
import { imageRoute, type ImageRoute } from './route'
import {
  allowedBy,
  allowKey,
  articleImageRows,
  articlesOfSource,
  imageArticle,
  type ImageArticle
} from './store'

export type ImageMethods = Pick<GleanerApi, 'remoteImagePolicy' | 'setRemoteImages'>

export type ImageErrorCode = 'no-article' | 'no-source'
export class ImageError extends errorKind<ImageErrorCode>('ImageError') {}

export interface ImagesPart {
  methods: ImageMethods
  /** The reader's image route (REMOTE_IMAGE_ROUTE), for the shells to serve. */
  route: ImageRoute
  keeper: Keeper
  /** Settles when no background keeping is queued or running (tests, one-shot commands). */
  idle(): Promise<void>
  stop(): void
}

export interface ImagesPartOptions {
  /** The guarded fetcher (loopback allowed when the capture options say so) unless given. */
  fetchImage?: ImageFetcher
}

export function createImagesPart(ctx: CaptureContext, opts: ImagesPartOptions = {}): ImagesPart {
  const { db } = ctx
  const fetchImage =
    opts.fetchImage ??
    guardedImageFetcher(ctx.options.allowPrivateAddresses ? { allowPrivateIPAddress: true } : {})
  const keeper = createKeeper(db, fetchImage, () => ctx.now())
  const route = imageRoute(db, keeper)
  const queue: number[] = []
  const queued = new Set<number>()
  let running: Promise<void> | null = null
  let stopped = false

  const live = (articleId: number): ImageArticle => {
    const article = imageArticle(db, articleId)
    if (!article)
      throw new ImageError('no-article', `No article with id ${articleId} in this library.`, {
        articleId
      })
    return article
  }

  /** The article's images no row speaks of yet (neither kept nor refused). */
  const unfetched = (article: ImageArticle): [string, string | null][] => {
    const rows = articleImageRows(db, article.id)
    return [...articleImages(article.cleanHtml)].filter(([url]) => !rows.has(url))
  }

  const drain = async (): Promise<void> => {
    const task = ctx.tasks.start('images')
    let done = 0
    let total = 0
    try {
      while (queue.length > 0 && !task.signal.aborted && !stopped && db.open) {
        const id = queue.shift()!
        queued.delete(id)
        const article = imageArticle(db, id)
        if (!article || !allowedBy(db, article)) continue
        const todo = unfetched(article).slice(0, MAX_IMAGES_PER_ARTICLE)
        total += todo.length
        task.progress(done, total)
        for (const [url, caption] of todo) {
          if (task.signal.aborted || stopped || !db.open) break
          // A refusal is recorded with the image (its error); the next one is tried all the same.
          await keeper.keepOne(id, url, caption).catch(() => undefined)
          done++
          task.progress(done, total)
        }
      }
    } finally {
      task.finish(done, total, task.signal.aborted || stopped)
    }
  }

  /** Queues articles whose allowed images are to be kept in the background. */
  const schedule = (ids: readonly number[]): void => {
    // A damaged library is read-only: nothing would be kept.
    if (stopped || ctx.health.damaged) return
    for (const id of ids)
      if (!queued.has(id)) {
        queued.add(id)
        queue.push(id)
      }
    if (!running && queue.length > 0)
      running = drain().finally(() => {
        running = null
        if (queue.length > 0) schedule([])
      })
  }

  const policy = (article: ImageArticle): RemoteImagePolicy => {
    const rows = articleImageRows(db, article.id)
    const urls = [...articleImages(article.cleanHtml).keys()]
    const stored = [...rows.values()].filter((r) => r.sha256 !== null).length
    return {
      allowedBy: allowedBy(db, article),
      source: article.source || null,
      stored,
      missing: urls.filter((u) => !rows.get(u)?.sha256).length
    }
  }

  return {
    methods: {
      async remoteImagePolicy(articleId) {
        const article = live(articleId)
        const now = policy(article)
        // Allowed by its source or the library since it arrived: kept now, once.
        if (now.allowedBy && unfetched(article).length > 0) schedule([article.id])
        return now
      },
      async setRemoteImages(scope: RemoteImageScope, articleId: number, allowed: boolean) {
        // A damaged library refuses this before it gets here (library/write-guard.ts).
        const article = live(articleId)
        const key = allowKey(scope, article)
        if (key === null)
          throw new ImageError(
            'no-source',
            'This article names no source, so images cannot be allowed for its source.',
            { articleId }
          )
        ctx.changes.run(allowed ? 'allowRemoteImages' : 'blockRemoteImages', [scope, key])
        if (allowed) {
          // A source's articles are kept now; the whole library's as each is opened (keeping
          // every image of a large library at once would be a crawl nobody asked to watch).
          schedule(scope === 'source' ? articlesOfSource(db, key) : [article.id])
        }
        return policy(article)
      }
    },
    route,
    keeper,
    async idle() {
      while (running) await running
    },
    stop() {
      stopped = true
      queue.length = 0
      queued.clear()
    }
  }
}
