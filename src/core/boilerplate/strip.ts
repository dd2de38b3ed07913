// Taking a source's learned boilerplate out of one article: the leaf blocks at the very top and
// bottom whose text is a learned line of that edge, as one unbroken run from the edge (a learned
// line in the middle of the text is quoted, not boilerplate). Never more than a third of the
// text, never the last block: a short post made of its source's usual lines (a list of the
// same few links) keeps them, since there they are the content.
import type { RemovedBlock } from '../model/parsed-article'
import { removedText } from '../model/parsed-article'
import { BLOCK_TAGS } from '../html/html-tags'
import { isElement, removeNode, textOf } from '../html/html-tree'
import type { AnyNode, Element, ParentNode } from '../html/html-tree'
import { parseHtmlFragment } from '../html/parse-html'
import { treeToText } from '../clean/clean-text'
import { serializeSanitized } from '../clean/sanitize-tree'
import { lineHash, normaliseLine, type Edge } from './edge-lines'
import type { SourceLine } from './source-lines'

/** The rule name a learned line's removal carries in the cleaning report. */
const LEARNED_RULE = 'source-boilerplate'

export interface LearnedRemoval extends RemovedBlock {
  rule: typeof LEARNED_RULE
  source: string
  edge: Edge
  hash: string
  /** Articles of the source the line was seen in when it was removed. */
  repeats: number
}

export interface Strippable {
  cleanHtml: string
  cleanText: string
  removed: RemovedBlock[]
}

function leafBlocks(root: ParentNode): Element[] {
  const out: Element[] = []
  const walk = (nodes: AnyNode[]): boolean => {
    let hasBlock = false
    for (const n of nodes) {
      if (!isElement(n)) continue
      const inner = walk(n.children)
      if (BLOCK_TAGS.has(n.name)) {
        if (!inner) out.push(n)
        hasBlock = true
      } else hasBlock ||= inner
    }
    return hasBlock
  }
  walk(root.children)
  return out
}

/** Removes an element and then each ancestor it leaves without text or media. */
function removeWithEmptyParents(el: Element, root: ParentNode): void {
  let node: Element | null = el
  while (node) {
    const parent: ParentNode | null = node.parent
    removeNode(node)
    if (!parent || parent === root || !isElement(parent)) return
    if (
      textOf(parent).trim() !== '' ||
      parent.children.some((c) => isElement(c) && c.name === 'img')
    )
      return
    node = parent
  }
}

/**
 * The article without its source's learned lines, or null when none is at its edges (or
 * removing them would take too much).
 */
export function stripLearnedLines<T extends Strippable>(
  article: T,
  sourceKey: string,
  lines: readonly SourceLine[]
): T | null {
  if (!lines.length) return null
  // Lines switched off stay in the text but still belong to the edge: a footer line kept by
  // the user does not make the lines around it look like prose.
  const known = new Map(lines.map((l) => [`${l.edge}:${l.hash}`, l]))
  const doc = parseHtmlFragment(article.cleanHtml)
  const leaves = leafBlocks(doc)
    .map((el) => ({ el, text: normaliseLine(textOf(el)) }))
    .filter((b) => b.text !== '')
  const match = (text: string, edge: Edge): SourceLine | undefined =>
    known.get(`${edge}:${lineHash(text)}`)
  let head = 0
  while (head < leaves.length && match(leaves[head]!.text, 'head')) head++
  let tail = leaves.length
  while (tail > head && match(leaves[tail - 1]!.text, 'tail')) tail--
  if (tail <= head) return null
  const isOn = (b: { text: string }, edge: Edge): boolean =>
    match(b.text, edge)?.state === 'learned'
  const headCut = leaves.slice(0, head).filter((b) => isOn(b, 'head'))
  const cut = [...headCut, ...leaves.slice(tail).filter((b) => isOn(b, 'tail'))]
  if (!cut.length) return null
  const total = leaves.reduce((n, b) => n + b.text.length, 0)
  const taken = cut.reduce((n, b) => n + b.text.length, 0)
  if (taken * 3 > total) return null
  const removed: LearnedRemoval[] = cut.map((b, i) => {
    const edge: Edge = i < headCut.length ? 'head' : 'tail'
    const line = match(b.text, edge)!
    return {
      rule: LEARNED_RULE,
      text: removedText(b.text),
      source: sourceKey,
      edge,
      hash: line.hash,
      repeats: line.articles
    }
  })
  for (const b of cut) removeWithEmptyParents(b.el, doc)
  return {
    ...article,
    cleanHtml: serializeSanitized(doc.children),
    cleanText: treeToText(doc.children),
    removed: [...article.removed, ...removed]
  }
}
