// The reader's image route (REMOTE_IMAGE_ROUTE, on the page's own origin): `?article=ID&url=URL`
// answers with that image of that article. A kept image comes from the library, with no
// network, whether or not remote images are allowed now (it is the library's own copy, kept
// when they were, or imported beside its file). An image not kept is fetched, checked and kept
// first, only while the article's remote images are allowed; else 403.
import { parseRemoteImageQuery } from '../../shared/remote-image-route'
import type { Db } from '../library/open'
import type { Keeper } from './keep'
import { articleImages } from './remote'
import { allowedBy, imageArticle, keptImage, type KeptImage } from './store'

/** Articles whose image lists are kept, so an article's twenty images parse it once. */
const CACHED_ARTICLES = 16

// Served like any image of the page's origin, but never as a document that could run: an SVG
// opened on its own gets a sandbox and no sources; nosniff keeps the declared type.
const IMAGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'private, max-age=3600'
}

const plain = (status: number, text: string): Response =>
  new Response(text, {
    status,
    headers: { ...IMAGE_HEADERS, 'content-type': 'text/plain; charset=utf-8' }
  })

const imageResponse = (image: KeptImage): Response =>
  new Response(new Uint8Array(image.bytes), {
    headers: { ...IMAGE_HEADERS, 'content-type': image.contentType, etag: `"${image.sha256}"` }
  })

export type ImageRoute = (query: URLSearchParams) => Promise<Response>

export function imageRoute(db: Db, keeper: Keeper): ImageRoute {
  const cache = new Map<number, { html: string; images: Map<string, string | null> }>()
  const imagesOf = (html: string, id: number): Map<string, string | null> => {
    const hit = cache.get(id)
    if (hit && hit.html === html) return hit.images
    const images = articleImages(html)
    cache.delete(id)
    cache.set(id, { html, images })
    if (cache.size > CACHED_ARTICLES) cache.delete(cache.keys().next().value!)
    return images
  }
  return async (query) => {
    const wanted = parseRemoteImageQuery(query)
    if (!wanted) return plain(400, 'expected ?article=ID&url=URL')
    let url: URL
    try {
      url = new URL(wanted.url)
    } catch {
      return plain(400, 'not a URL')
    }
    if (!db.open) return plain(503, 'the library is closed')
    const article = imageArticle(db, wanted.articleId)
    // Only what the article itself shows: the route is no general-purpose fetcher.
    const images = article ? imagesOf(article.cleanHtml, article.id) : null
    if (!article || !images?.has(url.href)) return plain(404, 'no such image in that article')
    const kept = keptImage(db, article.id, url.href)
    if (kept) return imageResponse(kept)
    if (!allowedBy(db, article)) return plain(403, 'remote images are not allowed for this article')
    try {
      return imageResponse(await keeper.keepOne(article.id, url.href, images.get(url.href) ?? null))
    } catch (err) {
      return plain(502, `image not fetched: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
}
