// Remote images, fetched by the core once the user allowed them for an article (its source, the
// library), then kept in the library (store.ts) and served by the image route (route.ts).
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
import type { Element } from 'domhandler'
import { elementsIn, inlineText, isElement } from '../html/html-tree'
import { parseHtmlFragment } from '../html/parse-html'

export const MAX_REMOTE_IMAGE_BYTES = 20 * 1024 * 1024
const MAX_REDIRECTS = 5
export const TIMEOUT_MS = 20_000
const MAX_CAPTION_CHARS = 2000

export interface FetchedImage {
  /** An image/* type, lower case, without parameters. */
  contentType: string
  body: Uint8Array<ArrayBuffer>
}

/** Fetches one image URL (http or https); throws when it is not an image that may be shown. */
export type ImageFetcher = (url: URL, signal: AbortSignal) => Promise<FetchedImage>

/** An image that could not be had or may not be kept; its message says why, for the user. */
export class RefusedImage extends Error {}

export function isWebUrl(url: URL): boolean {
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
  return new Set(articleImages(html).keys())
}

/**
 * An article's remote images in order, each with its caption: the text of the <figcaption> of
 * the <figure> it is in, else its alt text, else null.
 */
export function articleImages(html: string): Map<string, string | null> {
  const images = new Map<string, string | null>()
  for (const el of elementsIn(parseHtmlFragment(html))) {
    if (el.name !== 'img' || !el.attribs.src) continue
    let url: URL
    try {
      url = new URL(el.attribs.src)
    } catch {
      // Not a URL: the reader shows nothing for it either.
      continue
    }
    if (!isWebUrl(url) || images.has(url.href)) continue
    images.set(url.href, captionOf(el) ?? null)
  }
  return images
}

function captionOf(img: Element): string | undefined {
  for (let up = img.parent; up && up.type !== 'root'; up = up.parent) {
    if (!isElement(up) || up.name !== 'figure') continue
    const caption = elementsIn(up).find((e) => e.name === 'figcaption')
    const text = caption ? inlineText(caption).trim() : ''
    if (text) return text.slice(0, MAX_CAPTION_CHARS)
    break
  }
  const alt = (img.attribs.alt ?? '').trim()
  return alt ? alt.slice(0, MAX_CAPTION_CHARS) : undefined
}
