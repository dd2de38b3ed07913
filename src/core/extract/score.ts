// Finding the article body: Readability's paragraph-scoring idea, run on the htmlparser2 tree,
// with lengths and clause punctuation counted so that Chinese prose scores like English prose.
import { BLOCK_TAGS } from '../html/html-tags'
import { attr, inlineText, isElement } from '../html/html-tree'
import type { AnyNode, Element, Text } from '../html/html-tree'
import { clauseMarks, linkDensity, measureTree, weightedLength } from './text-density'
import { classWeight } from './hints'

const PARAGRAPH_TAGS = new Set(['p', 'pre', 'td', 'blockquote'])
const TEXT_CONTAINER_TAGS = new Set(['div', 'section', 'article', 'main', 'font', 'center', 'span'])

function initialScore(el: Element, classes: boolean): number {
  let s = 0
  switch (el.name) {
    case 'div':
    case 'article':
    case 'main':
      s = 5
      break
    case 'pre':
    case 'td':
    case 'blockquote':
    case 'section':
      s = 3
      break
    case 'address':
    case 'ol':
    case 'ul':
    case 'dl':
    case 'dd':
    case 'dt':
    case 'li':
    case 'form':
      s = -3
      break
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
    case 'th':
      s = -5
      break
  }
  if (el.name === 'article' || attr(el, 'itemprop') === 'articleBody') s += 15
  return classes ? s + classWeight(attr(el, 'class'), attr(el, 'id')) : s
}

/** Text of the direct inline children, for containers that hold prose without <p> (common on older portals). */
function ownInlineText(el: Element): string {
  let out = ''
  for (const c of el.children) {
    if (c.type === 'text') out += (c as Text).data
    else if (isElement(c) && c.type === 'tag' && !BLOCK_TAGS.has(c.name)) out += inlineText(c) + ' '
  }
  return out.replace(/\s+/g, ' ').trim()
}

function hasBlockChild(el: Element): boolean {
  return el.children.some((c) => isElement(c) && BLOCK_TAGS.has(c.name))
}

export interface Scored {
  /** The nodes that make up the article, in document order. */
  nodes: Element[]
  top: Element | null
  score: number
}

/** With `classes` off, class and id names do not weigh (Readability's WEIGHT_CLASSES flag). */
export function findMainContent(body: Element, classes = true): Scored {
  const scores = new Map<Element, number>()
  const addScore = (el: Element, s: number): void => {
    const cur = scores.get(el)
    scores.set(el, (cur ?? initialScore(el, classes)) + s)
  }

  const visit = (el: Element): void => {
    let text: string | null = null
    let parent: Element | null = null
    if (PARAGRAPH_TAGS.has(el.name)) {
      text = inlineText(el)
      parent = el.parent && isElement(el.parent) ? el.parent : null
    } else if (TEXT_CONTAINER_TAGS.has(el.name)) {
      // A container of bare text acts as its own paragraph: it is scored into itself and upwards.
      const own = hasBlockChild(el) ? ownInlineText(el) : el.name === 'span' ? '' : inlineText(el)
      if (own) {
        text = own
        parent = el
      }
    }
    if (text !== null && parent) {
      const wlen = weightedLength(text)
      if (wlen >= 25) {
        const s = 1 + clauseMarks(text) + Math.min(Math.floor(wlen / 100), 3)
        let node: AnyNode | null = parent
        for (let level = 0; node && isElement(node) && level < 5; level++, node = node.parent) {
          if (node.name === 'html') break
          addScore(node, level === 0 ? s : level === 1 ? s / 2 : s / (level * 3))
        }
      }
    }
    if (el.name === 'p' || el.name === 'pre') return
    for (const c of el.children) if (isElement(c) && c.type === 'tag') visit(c)
  }
  visit(body)

  const measured = measureTree(body)
  const density = (el: Element): number => {
    const m = measured.get(el)
    return m && m.text > 0 ? m.link / m.text : linkDensity(el)
  }
  let top: Element | null = null
  let topScore = -Infinity
  const finalScores = new Map<Element, number>()
  for (const [el, s] of scores) {
    const f = s * (1 - density(el))
    finalScores.set(el, f)
    if (f > topScore) {
      topScore = f
      top = el
    }
  }
  if (!top) return { nodes: [body], top: null, score: 0 }

  // Prefer the ancestor that holds the whole article when the best node is only one section of it.
  let parent = top.parent
  let lastScore = topScore
  const threshold = topScore / 3
  while (parent && isElement(parent) && parent.name !== 'body' && parent.name !== 'html') {
    const ps = finalScores.get(parent)
    if (ps === undefined) {
      parent = parent.parent
      continue
    }
    if (ps < threshold) break
    if (ps > lastScore) {
      top = parent
      topScore = Math.max(topScore, ps)
      break
    }
    lastScore = ps
    parent = parent.parent
  }
  while (
    top.parent &&
    isElement(top.parent) &&
    top.parent.name !== 'body' &&
    top.parent.children.filter(isElement).length === 1
  ) {
    top = top.parent
  }

  const nodes: Element[] = []
  const container = top.parent
  if (!container || !isElement(container)) return { nodes: [top], top, score: topScore }
  const siblingThreshold = Math.max(10, topScore * 0.2)
  const topClass = attr(top, 'class')
  for (const sib of container.children) {
    if (!isElement(sib) || sib.type !== 'tag') continue
    if (sib === top) {
      nodes.push(sib)
      continue
    }
    let bonus = 0
    if (topClass && attr(sib, 'class') === topClass) bonus += topScore * 0.2
    const s = finalScores.get(sib)
    if (s !== undefined && s + bonus >= siblingThreshold) {
      nodes.push(sib)
      continue
    }
    if (sib.name === 'p') {
      const text = inlineText(sib)
      const wlen = weightedLength(text)
      const ld = linkDensity(sib, text.length)
      if (
        (wlen > 80 && ld < 0.25) ||
        (wlen > 0 && wlen <= 80 && ld === 0 && /[.。!?！？]( |$)/.test(text))
      )
        nodes.push(sib)
    }
  }
  addRepeatedSections(nodes, top, finalScores, body)
  return { nodes, top, score: topScore }
}

function isInside(el: Element, ancestor: Element): boolean {
  for (let p = el.parent; p; p = p.parent) if (p === ancestor) return true
  return false
}

/**
 * Articles interrupted by ads are often several sibling-ish sections with the same markup
 * (<div class="article__body">…</div><aside>ad</aside><div class="article__body">…</div>).
 * Sections that repeat the top candidate's tag and class near it belong to the article too.
 */
function addRepeatedSections(
  nodes: Element[],
  top: Element,
  scores: Map<Element, number>,
  body: Element
): void {
  const cls = attr(top, 'class').trim()
  if (!cls) return
  let scope: Element = top
  for (let i = 0; i < 3 && scope.parent && isElement(scope.parent) && scope.parent !== body; i++)
    scope = scope.parent
  const extra: Element[] = []
  for (const [el, score] of scores) {
    if (el === top || score <= 0 || el.name !== top.name || attr(el, 'class').trim() !== cls)
      continue
    if (!isInside(el, scope) || nodes.some((n) => n === el || isInside(el, n) || isInside(n, el)))
      continue
    extra.push(el)
  }
  if (extra.length === 0) return
  const order = new Map<Element, number>()
  let i = 0
  const walk = (el: Element): void => {
    order.set(el, i++)
    for (const c of el.children) if (isElement(c)) walk(c)
  }
  walk(scope.parent && isElement(scope.parent) ? scope.parent : scope)
  nodes.push(...extra)
  nodes.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
}
