// The lead (standfirst, teaser, intro) that many pages set apart from the body, just before it:
// `<header><h1/><p class="intro">…</p></header><div class="body">…`. Scoring finds the body;
// prose paragraphs right before it, above it in the same section, are the article's opening.
import { BLOCK_TAGS } from '../html/html-tags'
import { inlineText, isElement } from '../html/html-tree'
import type { Element } from '../html/html-tree'
import { linkDensity, weightedLength } from './text-density'

const SENTENCE_END = /[.!?。！？…]["'”’»)）\]]*$/u
/** A lead paragraph is at least this long (Latin-equivalent), and a block holding more than MAX_BLOCK is another section. */
const MIN_LEAD = 80
const MAX_BLOCK = 1500
/** How far back (element siblings) and up (ancestors) the lead is looked for. */
const MAX_SIBLINGS = 3
const MAX_LEVELS = 3

function isLead(el: Element): boolean {
  const t = inlineText(el).replace(/\s+/g, ' ').trim()
  return weightedLength(t) >= MIN_LEAD && SENTENCE_END.test(t) && linkDensity(el, t.length) < 0.2
}

function hasBlock(el: Element): boolean {
  return el.children.some((c) => isElement(c) && BLOCK_TAGS.has(c.name))
}

/** Prose paragraphs inside a small block before the article, in document order. */
function leadsIn(block: Element): Element[] | null {
  const t = inlineText(block)
  if (weightedLength(t) > MAX_BLOCK) return null
  if (linkDensity(block, t.length) > 0.5) return []
  if (block.name === 'p' || (block.name === 'div' && !hasBlock(block)))
    return isLead(block) ? [block] : []
  const out: Element[] = []
  const walk = (el: Element): void => {
    for (const c of el.children) {
      if (!isElement(c)) continue
      if (c.name === 'p' || (c.name === 'div' && !hasBlock(c))) {
        if (isLead(c)) out.push(c)
      } else walk(c)
    }
  }
  walk(block)
  return out
}

/** Lead paragraphs just before the first of `nodes`, or none. */
export function findLead(nodes: Element[], body: Element): Element[] {
  const first = nodes[0]
  if (!first) return []
  const inArticle = (el: Element): boolean =>
    nodes.some((n) => {
      for (let p: Element | null = el; p; p = p.parent && isElement(p.parent) ? p.parent : null)
        if (p === n) return true
      return false
    })
  let node: Element = first
  for (let level = 0; level < MAX_LEVELS && node !== body; level++) {
    let seen = 0
    for (let sib = node.prev; sib && seen < MAX_SIBLINGS; sib = sib.prev) {
      if (!isElement(sib) || sib.type !== 'tag') continue
      seen++
      const found = leadsIn(sib)
      // A lead is one paragraph: a block of several is another section, not the opening.
      if (found === null || found.length > 1) return []
      const fresh = found.filter((el) => !inArticle(el))
      if (fresh.length) return fresh
    }
    if (!node.parent || !isElement(node.parent)) break
    node = node.parent
  }
  return []
}
