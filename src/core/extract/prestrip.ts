// Scripts, styles, inline SVG and comments are most of a modern page's bytes (60% on the
// benchmark pages) and never article text. Cutting them before parsing saves most of the parse.
// Each is ended the way the HTML tokenizer ends it, not by a pattern over the whole element: a
// script runs to the first `</script` followed by whitespace, `/` or `>` (the end tag's own
// attributes, even `</script\n<!--…>`, are skipped to its `>`), a comment to `-->` or `--!>`.
// A regular expression demanding `</script>` ran past a `</script` + line break and ate the
// article up to the next script. JSON-LD scripts stay: metadata is read from them.
import type { Removals } from './page-boilerplate'

/** Comments are listed individually (they can be the boilerplate a user asks about), up to this many. */
const MAX_LISTED_COMMENTS = 30

/** Where something to cut may start; the scanner below decides whether it really does. */
const CANDIDATE = /<(?:!--|(script|style|svg)(?=[\t\n\f\r />]))/gi
const END_TAG: Record<'script' | 'style' | 'svg', RegExp> = {
  script: /<\/script(?=[\t\n\f\r />])/gi,
  style: /<\/style(?=[\t\n\f\r />])/gi,
  svg: /<(\/?)svg(?=[\t\n\f\r />])/gi
}
const COMMENT_END = /--!?>/g
const SPACE = /[\t\n\f\r ]/

interface Tag {
  /** Index just past the tag's `>` (the input's length when it never closes). */
  end: number
  attrs: string
  selfClosing: boolean
}

/**
 * Reads a tag's attributes from `from` (just past its name) to its `>`, as the tokenizer does:
 * a `>` inside a quoted attribute value does not end the tag.
 */
function readTag(html: string, from: number): Tag {
  let i = from
  const n = html.length
  let selfClosing = false
  while (i < n) {
    const c = html[i]!
    if (c === '>') return { end: i + 1, attrs: html.slice(from, i), selfClosing }
    if (c === '/') {
      selfClosing = html[i + 1] === '>'
      i++
      continue
    }
    selfClosing = false
    if (SPACE.test(c)) {
      i++
      continue
    }
    // An attribute name (its first character may be `=`), then maybe `=` and a value.
    i++
    while (i < n && !SPACE.test(html[i]!) && html[i] !== '/' && html[i] !== '>' && html[i] !== '=')
      i++
    while (i < n && SPACE.test(html[i]!)) i++
    if (html[i] !== '=') continue
    i++
    while (i < n && SPACE.test(html[i]!)) i++
    const q = html[i]
    if (q === '"' || q === "'") {
      const close = html.indexOf(q, i + 1)
      i = close < 0 ? n : close + 1
    } else {
      while (i < n && !SPACE.test(html[i]!) && html[i] !== '>') i++
    }
  }
  return { end: n, attrs: html.slice(from), selfClosing }
}

/** Index just past the element's end tag, or -1 when it has none (then it is left to the parser). */
function elementEnd(html: string, kind: 'script' | 'style' | 'svg', from: number): number {
  const re = END_TAG[kind]
  re.lastIndex = from
  let depth = 1
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const after = m.index + m[0].length
    if (kind === 'svg' && m[1] !== '/') {
      // A nested <svg> (foreign content, so `<svg/>` is empty).
      const inner = readTag(html, after)
      if (!inner.selfClosing) depth++
      re.lastIndex = inner.end
      continue
    }
    if (--depth === 0) return readTag(html, after).end
    re.lastIndex = after
  }
  return -1
}

export function preStrip(html: string, removals: Removals): string {
  const counts = { script: 0, style: 0, svg: 0, comment: 0 }
  const parts: string[] = []
  let kept = 0
  CANDIDATE.lastIndex = 0
  for (let m = CANDIDATE.exec(html); m; m = CANDIDATE.exec(html)) {
    const start = m.index
    let end: number
    const kind = m[1]?.toLowerCase() as 'script' | 'style' | 'svg' | undefined
    if (!kind) {
      // `<!-->` and `<!--->` are whole (empty) comments; an unclosed one runs to the end.
      const body = start + 4
      if (html.startsWith('>', body)) end = body + 1
      else if (html.startsWith('->', body)) end = body + 2
      else {
        COMMENT_END.lastIndex = body
        const close = COMMENT_END.exec(html)
        end = close ? close.index + close[0].length : html.length
        const comment = html.slice(body, close ? close.index : html.length)
        if (comment.trim() && counts.comment < MAX_LISTED_COMMENTS)
          removals.add('html-comment', comment)
      }
      counts.comment++
    } else {
      const open = readTag(html, start + 1 + kind.length)
      if (kind === 'script' && /application\/ld\+json/i.test(open.attrs)) {
        // Kept whole; the scan resumes after it so its text is not searched for tags.
        const close = elementEnd(html, kind, open.end)
        CANDIDATE.lastIndex = close < 0 ? html.length : close
        continue
      }
      if (kind === 'svg' && open.selfClosing) end = open.end
      else {
        const close = elementEnd(html, kind, open.end)
        if (close < 0) {
          if (kind === 'svg') {
            CANDIDATE.lastIndex = open.end
            continue
          }
          // Raw text without an end tag runs to the end of the file, as in a browser.
          end = html.length
        } else end = close
      }
      counts[kind]++
    }
    parts.push(html.slice(kept, start))
    kept = end
    CANDIDATE.lastIndex = end
  }
  if (kept === 0) return html
  parts.push(html.slice(kept))
  for (const kind of ['script', 'style', 'svg'] as const) {
    if (counts[kind]) removals.add(`non-content:${kind}`, `<${kind}> ×${counts[kind]}`)
  }
  if (counts.comment > MAX_LISTED_COMMENTS)
    removals.add('html-comment', `… and ${counts.comment - MAX_LISTED_COMMENTS} more comments`)
  return parts.join('')
}
