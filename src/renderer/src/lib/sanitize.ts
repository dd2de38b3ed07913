// Imported HTML is untrusted. The core cleans it already; the renderer sanitises again with a
// strict allowlist because this is the last step before the DOM, and blocks remote images
// until the user asks for them (a loaded image tells its server who read what, and when).
import DOMPurify, { type Config } from 'dompurify'

const PURIFY_CONFIG: Config = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: [
    'style',
    'form',
    'input',
    'button',
    'select',
    'textarea',
    'iframe',
    'frame',
    'frameset',
    'script',
    'object',
    'embed',
    'link',
    'meta',
    'base',
    'video',
    'audio',
    'source',
    'track',
    'picture',
    'svg',
    'math',
    'template'
  ],
  FORBID_ATTR: [
    'style',
    'srcset',
    'sizes',
    'class',
    'id',
    'name',
    'target',
    'ping',
    'background',
    'poster'
  ],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  // Links: http(s) and mailto only. Images: http(s) or inline raster data.
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|data:image\/(?:png|gif|jpe?g|webp);)/i
}

/** An inline grey box shown where a remote image was blocked; costs no request. */
export const BLOCKED_IMAGE_PLACEHOLDER =
  'data:image/gif;base64,R0lGODlhAQABAIAAAMzMzP///yH5BAAAAAAALAAAAAABAAEAAAICRAEAOw=='

export interface SanitizedArticle {
  fragment: DocumentFragment
  /** Remote images found (blocked when remote images are off). */
  remoteImages: number
}

const isRemote = (url: string): boolean => /^https?:/i.test(url)

export function sanitizeArticleHtml(html: string, allowRemoteImages: boolean): SanitizedArticle {
  const fragment = DOMPurify.sanitize(html, { ...PURIFY_CONFIG, RETURN_DOM_FRAGMENT: true })
  let remoteImages = 0
  for (const img of fragment.querySelectorAll('img')) {
    const src = img.getAttribute('src') ?? ''
    img.setAttribute('loading', 'lazy')
    img.setAttribute('decoding', 'async')
    if (!isRemote(src)) continue
    remoteImages++
    if (allowRemoteImages) {
      img.setAttribute('referrerpolicy', 'no-referrer')
    } else {
      img.setAttribute('src', BLOCKED_IMAGE_PLACEHOLDER)
      img.classList.add('blocked-image')
      img.setAttribute('title', src)
    }
  }
  for (const link of fragment.querySelectorAll('a[href]')) {
    link.setAttribute('rel', 'noopener noreferrer')
  }
  return { fragment, remoteImages }
}
