// The end of an extracted article: after its last paragraph of prose, pages put their own lines
// (subscribe prompts, "Schon gelesen?", categories, a link or two, a heading over nothing).
// Short blocks there that are not prose go, while they are a small part of the article.
import { BLOCK_TAGS } from '../html/html-tags'
import { inlineText, isElement } from '../html/html-tree'
import type { Element } from '../html/html-tree'
import type { Removals } from './page-boilerplate'
import { linkDensity, weightedLength } from './text-density'

/** A paragraph of prose: long enough, and ending as a sentence ends. */
const SENTENCE_END = /[.!?。！？…]["'”’»)）\]]*$/u
const PROSE_LENGTH = 120
/** The trailing blocks removed may hold at most this share of the article's text. */
const MAX_TAIL_SHARE = 0.2
/** Each of them is at most this long (Latin-equivalent). */
const MAX_TAIL_BLOCK = 200

function leaves(root: Element): Element[] {
  const out: Element[] = []
  const walk = (el: Element): boolean => {
    let block = false
    for (const c of el.children) if (isElement(c) && walk(c)) block = true
    const isBlock = BLOCK_TAGS.has(el.name)
    if (isBlock && !block && el !== root) out.push(el)
    return isBlock || block
  }
  walk(root)
  return out
}

function isProse(text: string): boolean {
  return weightedLength(text) >= PROSE_LENGTH && SENTENCE_END.test(text)
}

/** Lists, code, tables and quotes at the end are the article's own (steps, figures, a signature). */
const OWN_BLOCKS = new Set(['li', 'pre', 'code', 'td', 'th', 'dd', 'dt', 'blockquote', 'figure'])

/**
 * A line the page adds, not the author: mostly a link, or a label whose colon leads to nothing
 * left in the article ("Weitere Informationen:", "Kommentare insgesamt:").
 */
function isPageLine(el: Element, text: string, keptAfter: boolean): boolean {
  for (let p: Element | null = el; p; p = p.parent && isElement(p.parent) ? p.parent : null)
    if (OWN_BLOCKS.has(p.name)) return false
  if (linkDensity(el, text.length) >= 0.5) return true
  return !keptAfter && /[:：]$/u.test(text) && weightedLength(text) <= 60
}

export function trimTail(nodes: Element[], removals: Removals): void {
  const blocks = nodes.flatMap((n) => {
    const l = leaves(n)
    return l.length ? l : [n]
  })
  const texts = blocks.map((b) => inlineText(b).replace(/\s+/g, ' ').trim())
  const total = texts.reduce((n, t) => n + weightedLength(t), 0)
  let last = -1
  for (let i = blocks.length - 1; i >= 0; i--)
    if (isProse(texts[i]!)) {
      last = i
      break
    }
  if (last < 0) return
  const tail = blocks.slice(last + 1)
  const tailTexts = texts.slice(last + 1)
  if (!tailTexts.some(Boolean)) return
  const tailLength = tailTexts.reduce((n, t) => n + weightedLength(t), 0)
  if (tailLength > total * MAX_TAIL_SHARE) return
  if (tailTexts.some((t, i) => weightedLength(t) > MAX_TAIL_BLOCK && linkDensity(tail[i]!) < 0.5))
    return
  // A short sentence may close the article ("He will be missed."); labels, names, categories
  // and links do not.
  // From the end, so a label is judged knowing whether anything it leads to stays.
  const dropped: Element[] = []
  let keptAfter = false
  for (let i = tail.length - 1; i >= 0; i--) {
    const t = tailTexts[i]!
    const el = tail[i]!
    if (!t) continue
    if (isPageLine(el, t, keptAfter)) dropped.push(el)
    else keptAfter = true
  }
  for (const el of dropped.reverse()) if (el.parent) removals.drop('article:tail', el)
}
