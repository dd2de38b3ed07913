// Remote images, fetched by the core for the window once the user allowed them for an article.
//
// Why through the core rather than straight from the page: the window's Content-Security-Policy
// is what keeps a hostile article's images from loading (img-src 'self' data:), and a CSP
// belongs to the whole document. It cannot be loosened for one article without reloading the
// window, and an iframe's srcdoc inherits its parent's policy. So the browser refuses every
// remote image, always; the reader, when allowed, points an image at this route of the page's
// own origin instead, and the core fetches it: only an image that article really contains,
// over http(s), from a public address (not this machine or the local network, which a
// browser-loaded image could not be steered to either without the user's consent), no
// cookies, no referrer, size and time bounded, and only image types come back.
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import {
  RequestFilteringHttpAgent,
  RequestFilteringHttpsAgent,
  type RequestFilteringAgentOptions
} from 'request-filtering-agent'
import { parseRemoteImageQuery } from '../shared/remote-image-route'
import type { ArticleDetail } from '../shared/types'
import { elementsIn } from './html/html-tree'
import { parseHtmlFragment } from './html/parse-html'

export const MAX_REMOTE_IMAGE_BYTES = 20 * 1024 * 1024
const MAX_REDIRECTS = 5
const TIMEOUT_MS = 20_000
/** Articles whose image lists are kept, so an article's twenty images parse it once. */
const CACHED_ARTICLES = 16

export interface FetchedImage {
  /** An image/* type, lower case, without parameters. */
  contentType: string
  body: Uint8Array<ArrayBuffer>
}

/** Fetches one image URL (http or https); throws when it is not an image that may be shown. */
export type ImageFetcher = (url: URL, signal: AbortSignal) => Promise<FetchedImage>

class RefusedImage extends Error {}

function isWebUrl(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:'
}

/**
 * The fetcher the shells use: node's http(s) through request-filtering-agent, which refuses a
 * connection to a loopback, private, link-local or otherwise non-public address after DNS
 * resolution (so a public name resolving to 127.0.0.1 is refused too), on every redirect hop.
 * `filter` exists for tests, which serve images from 127.0.0.1.
 */
export function guardedImageFetcher(filter: RequestFilteringAgentOptions = {}): ImageFetcher {
  const agents = {
    'http:': new RequestFilteringHttpAgent(filter),
    'https:': new RequestFilteringHttpsAgent(filter)
  }
  const get = (url: URL, signal: AbortSignal): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest
      const req = send(url, {
        method: 'GET',
        agent: agents[url.protocol as 'http:' | 'https:'],
        // No cookies, no referrer, no credentials: the server learns only that it was asked.
        headers: { accept: 'image/*', 'user-agent': 'Gleaner' },
        signal,
        timeout: TIMEOUT_MS
      })
      req.on('response', resolve)
      req.on('timeout', () => req.destroy(new RefusedImage('timed out')))
      req.on('error', reject)
      req.end()
    })

  return async (url, signal) => {
    let current = url
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!isWebUrl(current) || current.username || current.password)
        throw new RefusedImage(`not a web address: ${current.protocol}`)
      const res = await get(current, signal)
      const status = res.statusCode ?? 0
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume()
        current = new URL(res.headers.location, current)
        continue
      }
      const type = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
      if (status !== 200 || !/^image\/[a-z0-9.+-]+$/u.test(type)) {
        res.destroy()
        throw new RefusedImage(`answered ${status} ${type || 'without a type'}`)
      }
      if (Number(res.headers['content-length'] ?? 0) > MAX_REMOTE_IMAGE_BYTES) {
        res.destroy()
        throw new RefusedImage('too large')
      }
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of res as AsyncIterable<Buffer>) {
        size += chunk.length
        if (size > MAX_REMOTE_IMAGE_BYTES) {
          res.destroy()
          throw new RefusedImage('too large')
        }
        chunks.push(chunk)
      }
      return { contentType: type, body: new Uint8Array(Buffer.concat(chunks)) }
    }
    throw new RefusedImage('too many redirects')
  }
}

/** The remote (http/https) image URLs of an article's clean HTML, as the URL parser writes them. */
export function remoteImageUrls(html: string): Set<string> {
  const urls = new Set<string>()
  for (const el of elementsIn(parseHtmlFragment(html))) {
    if (el.name !== 'img' || !el.attribs.src) continue
    try {
      const url = new URL(el.attribs.src)
      if (isWebUrl(url)) urls.add(url.href)
    } catch {
      // Not a URL: the reader shows nothing for it either.
    }
  }
  return urls
}

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

export interface RemoteImagesOptions {
  getArticle: (id: number) => Promise<ArticleDetail | null>
  /** guardedImageFetcher() unless given (tests stand in for the remote servers). */
  fetchImage?: ImageFetcher
}

/**
 * The remote-image route's handler (REMOTE_IMAGE_ROUTE): `?article=ID&url=URL` answers with that
 * image when URL is one of that article's images, else 404; 502 when the image cannot be had.
 */
export function remoteImages(
  opts: RemoteImagesOptions
): (query: URLSearchParams) => Promise<Response> {
  const fetchImage = opts.fetchImage ?? guardedImageFetcher()
  const cache = new Map<number, { html: string; urls: Set<string> }>()
  const imagesOf = async (id: number): Promise<Set<string> | null> => {
    const article = await opts.getArticle(id)
    if (!article) return null
    const hit = cache.get(id)
    if (hit && hit.html === article.cleanHtml) return hit.urls
    const urls = remoteImageUrls(article.cleanHtml)
    cache.delete(id)
    cache.set(id, { html: article.cleanHtml, urls })
    if (cache.size > CACHED_ARTICLES) cache.delete(cache.keys().next().value!)
    return urls
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
    // Only what the article itself shows: the route is no general-purpose fetcher.
    if (!(await imagesOf(wanted.articleId))?.has(url.href))
      return plain(404, 'no such image in that article')
    try {
      const image = await fetchImage(url, AbortSignal.timeout(TIMEOUT_MS * 2))
      return new Response(image.body, {
        headers: { ...IMAGE_HEADERS, 'content-type': image.contentType }
      })
    } catch (err) {
      return plain(502, `image not fetched: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
}
