// The one way a remote image reaches the window: through the core, at this route of the page's
// own origin (gleaner://app/ in Electron, the web preview's or the test server's loopback
// address). The window's CSP allows images from 'self' and data: only, so the browser itself
// refuses any remote image an article carries; the reader points an image here only after the
// user allowed remote images for that article (src/core/remote-images.ts fetches it).

export const REMOTE_IMAGE_ROUTE = '/remote-image'
/** Longer image URLs are refused (browsers cap URLs near 2 MB; no real image needs this). */
export const MAX_REMOTE_IMAGE_URL = 8192

/** The route's path and query for one image of one article (relative to the page's origin). */
export function remoteImagePath(articleId: number, url: string): string {
  return `${REMOTE_IMAGE_ROUTE}?article=${articleId}&url=${encodeURIComponent(url)}`
}

/** The article and image a request names, or null when it names none properly. */
export function parseRemoteImageQuery(
  params: URLSearchParams
): { articleId: number; url: string } | null {
  const article = params.get('article') ?? ''
  const url = params.get('url') ?? ''
  if (!/^[1-9]\d{0,15}$/u.test(article)) return null
  if (url === '' || url.length > MAX_REMOTE_IMAGE_URL) return null
  return { articleId: Number(article), url }
}
