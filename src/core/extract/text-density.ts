// How much prose a part of a page holds: lengths that weigh Chinese like English, clause
// punctuation, and how much of the text sits in links. The scorer and the boilerplate cleanup
// judge blocks by these.
import { attr, inlineText, isElement } from '../html/html-tree'
import type { AnyNode, Element, Text } from '../html/html-tree'

const CJK_RE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/g

/**
 * Length in "Latin-equivalent" characters: one CJK character carries about as much as a short
 * word, so counting it as 3 keeps thresholds tuned on English meaningful for Chinese pages.
 */
export function weightedLength(text: string): number {
  const cjk = text.match(CJK_RE)?.length ?? 0
  return text.length + 2 * cjk
}

/** Commas and clause punctuation, Western and Chinese: a sign of running prose. */
export function clauseMarks(text: string): number {
  return text.match(/[,，、;；。]/g)?.length ?? 0
}

export function linkTextLength(el: Element): number {
  let total = 0
  const walk = (node: AnyNode): void => {
    if (!isElement(node)) return
    if (node.name === 'a') {
      const href = attr(node, 'href')
      // In-page anchors (footnotes, tables of contents) are part of the text, not navigation.
      const weight = href.startsWith('#') ? 0.3 : 1
      total += inlineText(node).length * weight
      return
    }
    for (const c of node.children) walk(c)
  }
  walk(el)
  return total
}

export function linkDensity(el: Element, textLength?: number): number {
  const len = textLength ?? inlineText(el).length
  return len === 0 ? 0 : linkTextLength(el) / len
}

export interface TextStats {
  /** Characters of text, whitespace excluded (enough for ratios, and cheap). */
  text: number
  /** Of which inside links (in-page anchors weighted 0.3, as linkTextLength). */
  link: number
}

/** Text and link lengths of every element under `root`, in one post-order walk. */
export function measureTree(root: Element): Map<Element, TextStats> {
  const stats = new Map<Element, TextStats>()
  const walk = (el: Element, linkWeight: number): TextStats => {
    const s: TextStats = { text: 0, link: 0 }
    const weight = el.name === 'a' ? (attr(el, 'href').startsWith('#') ? 0.3 : 1) : linkWeight
    for (const c of el.children) {
      if (c.type === 'text') {
        const data = (c as Text).data
        let n = 0
        for (let i = 0; i < data.length; i++) {
          const code = data.charCodeAt(i)
          if (code > 32 && code !== 0xa0 && code !== 0x3000) n++
        }
        s.text += n
        s.link += n * weight
      } else if (isElement(c)) {
        const cs = walk(c, weight)
        s.text += cs.text
        s.link += cs.link
      }
    }
    stats.set(el, s)
    return s
  }
  walk(root, 0)
  return stats
}
