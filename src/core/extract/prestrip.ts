// Scripts, styles, inline SVG and comments are most of a modern page's bytes (60% on the
// benchmark pages) and never article text. Cutting them before parsing saves most of the parse;
// the regular expression ends each the way the HTML tokenizer does (first closing tag / "-->").
// JSON-LD scripts stay: metadata is read from them.
import type { Removals } from './page-boilerplate'

const NON_CONTENT =
  /<script\b(?![^>]*application\/ld\+json)[^>]*>[\s\S]*?<\/script\s*>|<style\b[^>]*>[\s\S]*?<\/style\s*>|<svg\b[^>]*>[\s\S]*?<\/svg\s*>|<!--([\s\S]*?)-->/gi

/** Comments are listed individually (they can be the boilerplate a user asks about), up to this many. */
const MAX_LISTED_COMMENTS = 30

export function preStrip(html: string, removals: Removals): string {
  const counts = { script: 0, style: 0, svg: 0, comment: 0 }
  const out = html.replace(NON_CONTENT, (match: string, comment: string | undefined) => {
    if (comment !== undefined) {
      if (comment.trim() && counts.comment < MAX_LISTED_COMMENTS)
        removals.add('html-comment', comment)
      counts.comment++
    } else if (/^<script/i.test(match)) counts.script++
    else if (/^<style/i.test(match)) counts.style++
    else counts.svg++
    return ''
  })
  for (const kind of ['script', 'style', 'svg'] as const) {
    if (counts[kind]) removals.add(`non-content:${kind}`, `<${kind}> ×${counts[kind]}`)
  }
  if (counts.comment > MAX_LISTED_COMMENTS)
    removals.add('html-comment', `… and ${counts.comment - MAX_LISTED_COMMENTS} more comments`)
  return out
}
