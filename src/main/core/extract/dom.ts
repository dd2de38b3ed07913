// Small helpers over the htmlparser2 tree that cheerio builds. The scorer walks nodes directly
// (not through cheerio wrappers) because that is where the speed over DOM-based Readability comes from.
// domhandler is cheerio's own node model (installed with it); only its types are used here.
import type { AnyNode, Element } from 'domhandler'

export type { AnyNode, Element }

export const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'center',
  'dd',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'li',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'td',
  'th',
  'ul',
  'caption',
  'body',
  'html',
  'noscript'
])

export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style'
}

export function attr(el: Element, name: string): string {
  return el.attribs[name] ?? ''
}

/** Raw text of a subtree (no layout), as textContent would give it. */
export function rawText(node: AnyNode): string {
  if (node.type === 'text') return (node as unknown as { data: string }).data
  const parts: string[] = []
  const walk = (n: AnyNode): void => {
    if (n.type === 'text') parts.push((n as unknown as { data: string }).data)
    else if (isElement(n) || n.type === 'root') for (const c of (n as Element).children) walk(c)
  }
  walk(node)
  return parts.join('')
}

/** Text with whitespace runs collapsed, the way a reader sees it inline. */
export function inlineText(node: AnyNode): string {
  return rawText(node)
    .replace(/[\s\u00a0\u3000]+/g, ' ')
    .trim()
}

const CJK_RE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/g

/**
 * Length in "Latin-equivalent" characters: one CJK character carries about as much as a short
 * word, so counting it as 3 keeps thresholds tuned on English meaningful for Chinese pages.
 */
export function weightedLength(text: string): number {
  const cjk = text.match(CJK_RE)?.length ?? 0
  return text.length + 2 * cjk
}

export function cjkRatio(text: string): number {
  if (!text) return 0
  return (text.match(CJK_RE)?.length ?? 0) / text.length
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

export function removeNode(node: AnyNode): void {
  const parent = node.parent
  if (!parent) return
  const siblings = parent.children
  const i = siblings.indexOf(node)
  if (i >= 0) siblings.splice(i, 1)
  if (node.prev) node.prev.next = node.next
  if (node.next) node.next.prev = node.prev
  node.parent = null
  node.prev = null
  node.next = null
}

/** All elements below `el` in document order (an array: recursive generators cost more than the walk). */
export function descendants(el: AnyNode): Element[] {
  const out: Element[] = []
  const walk = (node: AnyNode): void => {
    if (!isElement(node) && node.type !== 'root') return
    for (const child of (node as Element).children) {
      if (isElement(child)) {
        out.push(child)
        walk(child)
      }
    }
  }
  walk(el)
  return out
}

/** Plain text with block structure: paragraphs separated by a blank line, <br> as a line break. */
export function blockText(root: AnyNode): string {
  const paragraphs: string[] = []
  let line = ''
  const flush = (): void => {
    const t = line.replace(/[ \t\r\n\f\u00a0]+/g, ' ').trim()
    if (t) paragraphs.push(t)
    line = ''
  }
  const walk = (node: AnyNode): void => {
    if (node.type === 'text') {
      line += (node as unknown as { data: string }).data
      return
    }
    if (!isElement(node)) return
    if (node.type !== 'tag') return
    const name = node.name
    if (name === 'br') {
      line += '\n'
      flush()
      return
    }
    const block = BLOCK_TAGS.has(name)
    if (block) flush()
    for (const c of node.children) walk(c)
    if (block) flush()
    else if (name === 'td' || name === 'th') line += ' '
  }
  walk(root)
  flush()
  return paragraphs.join('\n\n')
}

/**
 * Collapsed text of a subtree, or null as soon as it exceeds `max` raw characters. Line-level
 * pattern checks use it so that big containers cost almost nothing instead of a full walk each.
 */
export function boundedText(node: AnyNode, max: number): string | null {
  let out = ''
  const walk = (n: AnyNode): boolean => {
    if (n.type === 'text') {
      out += (n as unknown as { data: string }).data
      return out.length <= max * 2
    }
    if (!isElement(n)) return true
    for (const c of n.children) if (!walk(c)) return false
    return true
  }
  if (!walk(node)) return null
  const t = out.replace(/[\s\u00a0\u3000]+/g, ' ').trim()
  return t.length > max ? null : t
}

/** Text nodes in document order joined by spaces (adjacent inline parts stay separate words). */
export function spacedText(node: AnyNode): string {
  const parts: string[] = []
  const walk = (n: AnyNode): void => {
    if (n.type === 'text') parts.push((n as unknown as { data: string }).data)
    else if (isElement(n)) for (const c of n.children) walk(c)
  }
  walk(node)
  return parts.join(' ').replace(/\s+/g, ' ').trim()
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
        const data = (c as unknown as { data: string }).data
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
