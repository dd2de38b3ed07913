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

/**
 * A URL attribute as the browser will read it. DOMPurify checks a copy with whitespace taken
 * out and keeps the value as it was, so `ht&#10;tps://…` passed its check while the browser,
 * whose URL parser drops tabs, newlines and leading control characters, loaded it. The value
 * written back is the parser's own href: what was checked is what is used. null: not absolute.
 */
function parsedUrl(value: string): URL | null {
  try {
    return new URL(value)
  } catch {
    return null
  }
}

const IMAGE_DATA = /^data:image\/(?:png|gif|jpe?g|webp);/i

/**
 * `remoteImageUrl` gives the address that fetches a remote image through the core (the
 * page's CSP refuses remote images themselves); without it remote images stay blocked.
 */
/**
 * `html` less its <style> elements, taken out of an inert <template>. DOMPurify parses with a
 * DOMParser document, which checks a <style> against the page's CSP (blocked, but reported as
 * a violation on the console); a template's content is not checked. Only rows stored before
 * the core's sanitiser existed still carry <style>.
 */
function withoutStyleElements(html: string): string {
  if (!/<style/iu.test(html)) return html
  const template = document.createElement('template')
  template.innerHTML = html
  for (const style of template.content.querySelectorAll('style')) style.remove()
  return template.innerHTML
}

export function sanitizeArticleHtml(
  html: string,
  remoteImageUrl: ((url: string) => string) | null
): SanitizedArticle {
  const fragment = DOMPurify.sanitize(withoutStyleElements(html), {
    ...PURIFY_CONFIG,
    RETURN_DOM_FRAGMENT: true
  })
  let remoteImages = 0
  for (const img of fragment.querySelectorAll('img')) {
    const url = parsedUrl(img.getAttribute('src') ?? '')
    img.setAttribute('loading', 'lazy')
    img.setAttribute('decoding', 'async')
    img.setAttribute('referrerpolicy', 'no-referrer')
    if (url?.protocol === 'data:' && IMAGE_DATA.test(url.href)) {
      img.setAttribute('src', url.href)
      continue
    }
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
      img.remove()
      continue
    }
    remoteImages++
    if (remoteImageUrl) {
      img.setAttribute('src', remoteImageUrl(url.href))
    } else {
      img.setAttribute('src', BLOCKED_IMAGE_PLACEHOLDER)
      img.classList.add('blocked-image')
      img.setAttribute('title', url.href)
    }
  }
  for (const link of fragment.querySelectorAll('a[href]')) {
    const url = parsedUrl(link.getAttribute('href') ?? '')
    if (url && /^(?:https?|mailto):$/u.test(url.protocol)) link.setAttribute('href', url.href)
    else link.removeAttribute('href')
    link.setAttribute('rel', 'noopener noreferrer')
  }
  return { fragment, remoteImages }
}
