// Strict allowlist for article HTML that will be shown in the reader and exported.
// Imported files are untrusted: anything that can run code, load a page, submit data,
// restyle the window, or track the reader is removed here, in the core, before storage.
import sanitizeHtml from 'sanitize-html'

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'div', 'section', 'article', 'aside', 'header', 'footer',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'blockquote', 'pre', 'code', 'kbd', 'samp', 'var',
  'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'mark', 'small', 'sub', 'sup', 'q', 'cite', 'abbr', 'time',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'a', 'img', 'figure', 'figcaption', 'picture',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'colgroup', 'col',
  'ruby', 'rt', 'rp', 'span'
] // prettier-ignore

// Content of these is dropped with the tag (sanitize-html keeps text of other disallowed tags).
const DROP_WITH_CONTENT = [
  'script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math',
  'template', 'form', 'select', 'button', 'head', 'title', 'canvas', 'audio', 'video', 'frameset'
] // prettier-ignore

const IMAGE_DATA_URI = /^data:image\/[a-z0-9.+-]+[;,]/i

function absoluteProtocolRelative(url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  const trimmed = url.trim()
  // Protocol-relative URLs would resolve against the reader's own origin: make them https.
  return trimmed.startsWith('//') ? `https:${trimmed}` : trimmed
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  nonTextTags: DROP_WITH_CONTENT,
  disallowedTagsMode: 'discard',
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height', 'referrerpolicy', 'loading'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan', 'scope'],
    ol: ['start', 'reversed'],
    time: ['datetime'],
    abbr: ['title']
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  allowedClasses: {},
  allowedStyles: {},
  allowVulnerableTags: false,
  transformTags: {
    a: (tagName, attribs) => {
      const href = absoluteProtocolRelative(attribs.href)
      const out: sanitizeHtml.Attributes = { rel: 'noopener noreferrer nofollow' }
      if (href !== undefined) out.href = href
      if (attribs.title !== undefined) out.title = attribs.title
      return { tagName, attribs: out }
    },
    img: (tagName, attribs) => {
      // Lazy-loaded images keep the real URL in data-src and a placeholder in src.
      const src = absoluteProtocolRelative(
        attribs['data-src'] ?? attribs['data-original'] ?? attribs['data-actualsrc'] ?? attribs.src
      )
      const out: sanitizeHtml.Attributes = { referrerpolicy: 'no-referrer', loading: 'lazy' }
      if (src !== undefined && (!src.startsWith('data:') || IMAGE_DATA_URI.test(src))) out.src = src
      for (const key of ['alt', 'title', 'width', 'height'] as const) {
        if (attribs[key] !== undefined) out[key] = attribs[key]
      }
      return { tagName, attribs: out }
    }
  },
  // An image without a usable source shows nothing.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src
}

/** Sanitises article HTML with the strict allowlist. Output is stable: sanitising it again changes nothing. */
export function sanitizeArticleHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim()
}
