// Strict allowlist for article HTML that will be shown in the reader and exported.
// Imported files are untrusted: anything that can run code, load a page, submit data,
// restyle the window, or track the reader is removed here, in the core, before storage.
// The cleaner applies the allowlist to its parsed tree (sanitizeTree + serializeSanitized). The
// tests hold it to what sanitize-html does with the same allowlist (exported for that), which
// is why the serialiser writes what sanitize-html writes; sanitize-html itself is not shipped.
import { PHRASING_TAGS } from '../html/html-tags'
import { LOCAL_IMAGE_BASE } from '../images/local-base'
import { hasChildNodes, isElement, removeNode, unwrapNode } from '../html/html-tree'
import type { AnyNode, Element, ParentNode, Text } from '../html/html-tree'

export const ALLOWED_TAGS: readonly string[] = [
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
export const DROP_WITH_CONTENT: readonly string[] = [
  'script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math',
  'template', 'form', 'select', 'button', 'head', 'title', 'canvas', 'audio', 'video', 'frameset'
] // prettier-ignore

const IMAGE_DATA_URI = /^data:image\/[a-z0-9.+-]+[;,]/i
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:'])
const IMAGE_SCHEMES_PARSED = new Set(['http:', 'https:', 'data:'])
/** Stands in for a missing base: only a protocol-relative URL may resolve against it. */
const NO_BASE = new URL('https://no-base.invalid/')

/**
 * The article's own address as the base for its relative URLs, when it is a web address
 * (front matter and feeds may carry anything there).
 */
export function articleBaseUrl(url: string | null | undefined): URL | null {
  if (!url) return null
  try {
    const base = new URL(url)
    return base.protocol === 'http:' || base.protocol === 'https:' ? base : null
  } catch {
    return null
  }
}

/**
 * A URL attribute as it is stored: parsed the way the browser will parse it (the WHATWG URL
 * parser drops tabs, newlines and leading control characters, so `ht&#10;tps:` IS https),
 * resolved against the article's address, its scheme checked on that result, and written
 * out as the parser's own href. Checking a cleaned-up copy while storing the raw value is
 * how `<img src="ht&#10;tps://…">` got past an https-only check before; here the value
 * checked is the value kept. null: the attribute is dropped (no base for a relative URL, a
 * scheme outside the list, not a URL at all).
 */
export function normalizeUrl(tag: string, raw: string, base: URL | null): string | null {
  let url: URL
  try {
    url = new URL(raw, base ?? NO_BASE)
  } catch {
    return null
  }
  // Resolved against the stand-in: a relative URL with nothing real to resolve it against.
  if (!base && url.host === NO_BASE.host) return null
  const schemes = tag === 'img' ? IMAGE_SCHEMES_PARSED : LINK_SCHEMES
  if (!schemes.has(url.protocol)) return null
  if (url.protocol === 'data:' && !IMAGE_DATA_URI.test(url.href)) return null
  return url.href
}

export const ALLOWED_ATTRIBUTES: Readonly<Record<string, string[]>> = {
  a: ['href', 'title', 'rel'],
  img: ['src', 'alt', 'title', 'width', 'height', 'referrerpolicy', 'loading'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  ol: ['start', 'reversed'],
  time: ['datetime'],
  abbr: ['title']
}

type Attributes = Record<string, string>

/** A link's attributes as stored: its href as the browser reads it (or none), marked as external. */
export function linkAttributes(attribs: Attributes, base: URL | null): Attributes {
  const href = attribs.href === undefined ? null : normalizeUrl('a', attribs.href, base)
  const out: Attributes = { rel: 'noopener noreferrer nofollow' }
  if (href !== null) out.href = href
  if (attribs.title !== undefined) out.title = attribs.title
  return out
}

const LOCAL_BASE = new URL(LOCAL_IMAGE_BASE)

/**
 * An image's attributes as stored: its real source, no referrer, lazy loading. Without a web
 * address of its own, a relative image is kept against LOCAL_IMAGE_BASE (the import reads it
 * from beside the file).
 */
export function imageAttributes(attribs: Attributes, base: URL | null): Attributes {
  // Lazy-loaded images keep the real URL in data-src and a placeholder in src.
  const raw =
    attribs['data-src'] ?? attribs['data-original'] ?? attribs['data-actualsrc'] ?? attribs.src
  const src = raw === undefined ? null : normalizeUrl('img', raw, base ?? LOCAL_BASE)
  const out: Attributes = { referrerpolicy: 'no-referrer', loading: 'lazy' }
  if (src !== null) out.src = src
  for (const key of ['alt', 'title', 'width', 'height'] as const) {
    if (attribs[key] !== undefined) out[key] = attribs[key]
  }
  return out
}

// The allowlist applied to a parsed tree, so the cleaner need not serialise, re-parse and
// serialise again: tags outside ALLOWED_TAGS go (with their content for DROP_WITH_CONTENT),
// attributes outside ALLOWED_ATTRIBUTES go, URLs are checked as sanitize-html checks them, and
// serializeSanitized() escapes every text and attribute value and writes what sanitize-html
// writes for the same tree, so sanitising the cleaner's output again changes nothing.

const ALLOWED = new Set(ALLOWED_TAGS)
const DROPPED = new Set(DROP_WITH_CONTENT)
const ALLOWED_ATTRIBUTE_SETS = new Map(
  Object.entries(ALLOWED_ATTRIBUTES).map(([tag, names]) => [tag, new Set(names)])
)
// sanitize-html's defaults for the options this allowlist leaves alone.
const SELF_CLOSING = new Set(['img', 'br', 'hr', 'area', 'base', 'basefont', 'input', 'link', 'meta', 'col']) // prettier-ignore
const ALLOWED_EMPTY_ATTRIBUTES = new Set(['alt'])
/** Attributes (of those allowed here) that sanitize-html drops when their value is empty. */
const NON_BOOLEAN_ATTRIBUTES = new Set([
  'href', 'title', 'rel', 'src', 'alt', 'width', 'height', 'referrerpolicy', 'loading',
  'colspan', 'rowspan', 'scope', 'start', 'datetime'
]) // prettier-ignore
const URL_ATTRIBUTES = new Set(['href', 'src', 'cite'])
const VALID_ATTRIBUTE_NAME = /^[^\0\t\n\f\r /<=>]+$/
const SCHEMES = new Set(['http', 'https', 'mailto'])
const IMAGE_SCHEMES = new Set(['http', 'https', 'data'])

/** launder's naughtyHref, which sanitize-html uses: a scheme outside the list, or `//`. */
function naughtyUrl(tag: string, url: string): boolean {
  // eslint-disable-next-line no-control-regex
  let href = url.replace(/[\x00-\x20]+/g, '')
  for (;;) {
    const first = href.indexOf('<!--')
    if (first === -1) break
    const last = href.indexOf('-->', first + 4)
    if (last === -1) break
    href = href.slice(0, first) + href.slice(last + 3)
  }
  const m = /^([a-zA-Z][a-zA-Z0-9.\-+]*):/.exec(href)
  if (!m) return /^[/\\]{2}/.test(href)
  return !(tag === 'img' ? IMAGE_SCHEMES : SCHEMES).has(m[1]!.toLowerCase())
}

const TABLE_CONTEXT = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'colgroup'])

/**
 * Whether replacing `el` by its children could give a tree that the HTML parser, reading the
 * serialisation, would build differently (a <p> moved into a <p>, a heading into a heading).
 */
export function unwrapMayReshape(el: Element): boolean {
  if (el.parent && el.parent.type !== 'root' && TABLE_CONTEXT.has((el.parent as Element).name))
    return true
  for (const c of el.children) if (isElement(c) && !PHRASING_TAGS.has(c.name)) return true
  return false
}

export interface TreeSanitizeResult {
  /** Nodes were removed or unwrapped (not only attributes changed). */
  changed: boolean
  /** An element with block content was unwrapped (see unwrapMayReshape). */
  reshaped: boolean
}

/** Applies the allowlist to a tree in place; relative URLs resolve against `baseUrl` or go. */
export function sanitizeTree(root: ParentNode, baseUrl?: string | null): TreeSanitizeResult {
  const base = articleBaseUrl(baseUrl)
  let reshaped = false
  let changed = false
  const walk = (parent: ParentNode): void => {
    for (const node of [...parent.children]) {
      if (node.type === 'text') continue
      if (!isElement(node)) {
        removeNode(node)
        changed = true
        continue
      }
      const el = node
      const name = el.name
      if (!ALLOWED.has(name)) {
        changed = true
        if (DROPPED.has(name)) removeNode(el)
        else {
          walk(el)
          if (unwrapMayReshape(el)) reshaped = true
          unwrapNode(el)
        }
        continue
      }
      let attribs = el.attribs
      if (name === 'a') attribs = linkAttributes(attribs, base)
      else if (name === 'img') attribs = imageAttributes(attribs, base)
      const allowed = ALLOWED_ATTRIBUTE_SETS.get(name)
      const kept: Record<string, string> = {}
      if (allowed)
        for (const [a, value] of Object.entries(attribs)) {
          if (!VALID_ATTRIBUTE_NAME.test(a)) continue
          if (value === '' && !ALLOWED_EMPTY_ATTRIBUTES.has(a) && NON_BOOLEAN_ATTRIBUTES.has(a))
            continue
          if (!allowed.has(a)) continue
          if (URL_ATTRIBUTES.has(a) && naughtyUrl(name, value)) continue
          kept[a] = value
        }
      // An image without a usable source shows nothing.
      if (name === 'img' && !kept.src) {
        removeNode(el)
        changed = true
        continue
      }
      el.attribs = kept
      walk(el)
    }
  }
  walk(root)
  return { changed, reshaped }
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Serialises a sanitised tree as sanitize-html writes it (so sanitising it again is a no-op). */
export function serializeSanitized(nodes: AnyNode[]): string {
  let out = ''
  const write = (list: AnyNode[]): void => {
    for (const node of list) {
      if (node.type === 'text') {
        out += escapeText((node as Text).data)
        continue
      }
      if (!isElement(node)) continue
      out += `<${node.name}`
      for (const [a, value] of Object.entries(node.attribs)) {
        out += ` ${a}`
        if (value) out += `="${escapeText(value).replace(/"/g, '&quot;')}"`
        else if (ALLOWED_EMPTY_ATTRIBUTES.has(a)) out += '=""'
      }
      if (SELF_CLOSING.has(node.name)) {
        out += ' />'
        continue
      }
      out += '>'
      if (hasChildNodes(node)) write(node.children)
      out += `</${node.name}>`
    }
  }
  write(nodes)
  return out
}
