// The article sanitiser run on a string, two ways: the core's own (the tree sanitiser the
// cleaner uses, on a parsed fragment) and sanitize-html with the same allowlist, an independent
// implementation the tests hold the core's to. sanitize-html is a devDependency: only here.
import sanitizeHtml from 'sanitize-html'
import {
  ALLOWED_ATTRIBUTES,
  ALLOWED_TAGS,
  articleBaseUrl,
  DROP_WITH_CONTENT,
  imageAttributes,
  linkAttributes,
  sanitizeTree,
  serializeSanitized
} from '../../src/core/clean/sanitize-tree'
import { parseHtmlFragment } from '../../src/core/html/parse-html'

/** The core's sanitiser: the allowlist applied to the parsed tree, then serialised. */
export function sanitizeWithTree(html: string, baseUrl?: string | null): string {
  const root = parseHtmlFragment(html)
  sanitizeTree(root, baseUrl)
  return serializeSanitized(root.children).trim()
}

/** sanitize-html with the core's allowlist and URL rules. */
export function sanitizeWithLibrary(html: string, baseUrl?: string | null): string {
  const base = articleBaseUrl(baseUrl)
  return sanitizeHtml(html, {
    allowedTags: [...ALLOWED_TAGS],
    nonTextTags: [...DROP_WITH_CONTENT],
    disallowedTagsMode: 'discard',
    allowedAttributes: { ...ALLOWED_ATTRIBUTES },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    allowedClasses: {},
    allowedStyles: {},
    allowVulnerableTags: false,
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: linkAttributes(attribs, base) }),
      img: (tagName, attribs) => ({ tagName, attribs: imageAttributes(attribs, base) })
    },
    // An image without a usable source shows nothing.
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src
  }).trim()
}
