// Source code that a scraper pasted into <pre>/<code> without escaping it (Java generics such as
// `List<String>`, `Class<?>`, `new ArrayList<>()`, an XML config sample) reads to an HTML parser
// as tags: `<String>` becomes an element, `<?>` a processing instruction, and the sanitiser then
// drops them, so code lines lose words. This runs on the raw HTML before any parser sees it and
// turns every '<' inside a code region that does not start real formatting markup into '&lt;',
// so the parser keeps the code as text exactly as its author typed it (case and all).
//
// Only ever replaces '<' by '&lt;': it can make markup inert, never make text active, and the
// sanitiser still runs on whatever the parser builds afterwards.

/** Tags that may format code (syntax highlighting, links, line breaks); anything else there is code. */
export const CODE_FORMATTING_TAGS: ReadonlySet<string> = new Set([
  'code',
  'span',
  'b',
  'i',
  'em',
  'strong',
  'br',
  'a',
  'mark',
  'u',
  'font',
  'sub',
  'sup',
  'kbd',
  'samp',
  'var'
])

const VOID_FORMATTING = new Set(['br', 'wbr'])

// One attribute: name, optionally = and a quoted or bare value. Strict on purpose: `<K, V>` or
// `<String, Object>` must not pass for a tag with attributes.
const ATTR = String.raw`(?:\s+[^\s"'<>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>\x60]+))?)`

/** A well-formed start or end tag at the current position (sticky). */
const TAG_AT = new RegExp(String.raw`<(\/?)([A-Za-z][A-Za-z0-9]*)(${ATTR}*)\s*\/?>`, 'y')

/**
 * Things to step over whole while looking for code regions (their text is not markup, or is
 * dropped anyway), or the start tag of a code region.
 */
const REGION_SCAN = new RegExp(
  String.raw`<!--[\s\S]*?(?:-->|$)` +
    String.raw`|<(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript)(?=[\s\/>])${ATTR}*\s*\/?>[\s\S]*?(?:<\/\1\s*>|$)` +
    String.raw`|<(pre|code)(?=[\s\/>])${ATTR}*\s*\/?>`,
  'gi'
)

function escapeRegion(src: string): string {
  let out = ''
  let last = 0
  // Formatting elements opened (and kept) in this region, so only their own end tags are kept.
  const open = new Map<string, number>()
  const lastCommentEnd = src.lastIndexOf('-->')
  // Where each formatting element's last end tag is: an opener is real if one follows it.
  const lastEnd = new Map<string, number>()
  const lastEndOf = (name: string): number => {
    let at = lastEnd.get(name)
    if (at === undefined) {
      at = -1
      const re = new RegExp(String.raw`<\/${name}\s*>`, 'gi')
      for (let e = re.exec(src); e; e = re.exec(src)) at = e.index
      lastEnd.set(name, at)
    }
    return at
  }
  for (let k = src.indexOf('<'); k !== -1; k = src.indexOf('<', k + 1)) {
    if (src.startsWith('<!--', k)) {
      // A comment is boilerplate the cleaner removes and reports, even here. (The bound check
      // keeps a run of unclosed '<!--' linear instead of searching to the end for each.)
      const end = lastCommentEnd >= k + 4 ? src.indexOf('-->', k + 4) : -1
      if (end !== -1) {
        k = end + 2
        continue
      }
    } else {
      TAG_AT.lastIndex = k
      const m = TAG_AT.exec(src)
      if (m) {
        const name = m[2]!.toLowerCase()
        const closing = m[1] === '/'
        let keep = false
        if (CODE_FORMATTING_TAGS.has(name)) {
          if (VOID_FORMATTING.has(name)) keep = !closing
          else if (closing) keep = (open.get(name) ?? 0) > 0
          // `List<B>` or `Map<I>` look like formatting tags; real formatting is closed again.
          else keep = lastEndOf(name) >= TAG_AT.lastIndex
        }
        if (keep) {
          if (!VOID_FORMATTING.has(name)) open.set(name, (open.get(name) ?? 0) + (closing ? -1 : 1))
          k = TAG_AT.lastIndex - 1
          continue
        }
      }
    }
    out += `${src.slice(last, k)}&lt;`
    last = k + 1
  }
  return out + src.slice(last)
}

/**
 * Escapes unescaped source code inside <pre> and <code> elements of raw HTML so a parser reads it
 * as text. Markup outside those elements is left byte for byte; so is a code region whose end tag
 * never comes (the parser decides what that means).
 */
export function escapeCodeSource(html: string): string {
  if (!/<(?:pre|code)/i.test(html)) return html
  let out = ''
  let last = 0
  const unclosed = new Set<string>()
  REGION_SCAN.lastIndex = 0
  for (let m = REGION_SCAN.exec(html); m; m = REGION_SCAN.exec(html)) {
    const region = m[2]?.toLowerCase()
    if (!region) continue
    // Once a region's end tag is missing, it is missing for every later start tag too: skip the
    // search, so a run of unclosed <code> stays linear.
    if (unclosed.has(region)) continue
    const start = REGION_SCAN.lastIndex
    const endTag = new RegExp(String.raw`<\/${region}\s*>`, 'gi')
    endTag.lastIndex = start
    const end = endTag.exec(html)
    if (!end) {
      unclosed.add(region)
      continue
    }
    out += html.slice(last, start) + escapeRegion(html.slice(start, end.index))
    last = end.index
    REGION_SCAN.lastIndex = end.index + end[0].length
  }
  return out + html.slice(last)
}
