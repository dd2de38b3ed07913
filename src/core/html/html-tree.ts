// The one set of helpers over domhandler trees, which both parsers build (parse-html.ts): node
// tests, edits (remove, replace, unwrap) and the text of a subtree. The cleaner and the page
// extractor work on the nodes directly instead of through cheerio objects: no wrapper per call,
// no selector compiled per query, which is most of their speed.
import { Element, Text } from 'domhandler'
import type { AnyNode, Document, ParentNode } from 'domhandler'
import { BLOCK_TAGS } from './html-tags'

export type { AnyNode, Document, ParentNode }
export { Element, Text }

/** An element (<script> and <style> are typed apart from other tags by domhandler). */
export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style'
}

export function hasChildNodes(node: AnyNode): node is ParentNode {
  return 'children' in node
}

/** What cheerio's `.text()` returns (domutils textContent): all text below, comments excluded. */
export function textOf(node: AnyNode): string {
  if (node.type === 'text') return (node as Text).data
  // One accumulator for the whole walk: the extractor asks this of big containers, often.
  let out = ''
  const walk = (parent: ParentNode): void => {
    for (const child of parent.children) {
      if (child.type === 'text') out += (child as Text).data
      else if (hasChildNodes(child)) walk(child)
    }
  }
  if (hasChildNodes(node)) walk(node)
  return out
}

/** Takes a node out of the tree (its own subtree stays attached to it). */
export function removeNode(node: AnyNode): void {
  const parent = node.parent
  if (node.prev) node.prev.next = node.next
  if (node.next) node.next.prev = node.prev
  if (parent) {
    const i = parent.children.lastIndexOf(node)
    if (i >= 0) parent.children.splice(i, 1)
  }
  node.prev = node.next = node.parent = null
}

/** Puts `nodes` where `node` is, and takes `node` out. */
export function replaceNode(node: AnyNode, nodes: AnyNode[]): void {
  const parent = node.parent
  if (!parent) return
  for (const n of nodes) if (n.parent) removeNode(n)
  const i = parent.children.indexOf(node)
  if (i < 0) return
  const prev = node.prev
  const next = node.next
  parent.children.splice(i, 1, ...nodes)
  let before = prev
  for (const n of nodes) {
    n.parent = parent
    n.prev = before
    if (before) before.next = n
    before = n
  }
  if (before) before.next = next
  if (next) next.prev = before
  node.prev = node.next = node.parent = null
}

/** Replaces an element by its children. */
export function unwrapNode(el: Element): void {
  const children = el.children
  el.children = []
  for (const c of children) c.parent = c.prev = c.next = null
  replaceNode(el, children)
}

/** False once an ancestor has been removed (removed subtrees keep their inner links). */
export function isAttached(node: AnyNode): boolean {
  let current: AnyNode = node
  while (current.parent) current = current.parent
  return current.type === 'root'
}

/**
 * Every element (tags, scripts, styles) below `node`, in document order, as a CSS selector finds
 * them (inside a <template>'s content fragment too). An array: recursive generators cost more
 * than the walk.
 */
export function elementsIn(node: AnyNode): Element[] {
  const out: Element[] = []
  const walk = (nodes: AnyNode[]): void => {
    for (const n of nodes) {
      if (isElement(n)) out.push(n)
      if (hasChildNodes(n)) walk(n.children)
    }
  }
  if (hasChildNodes(node)) walk(node.children)
  return out
}

/**
 * Merges adjacent text nodes and drops empty ones, as parsing the serialised HTML again would.
 * Returns how many nodes it merged or dropped.
 */
export function normaliseText(root: ParentNode): number {
  let edits = 0
  const walk = (parent: ParentNode): void => {
    let node = parent.children[0] ?? null
    while (node) {
      const next: AnyNode | null = node.next
      if (node.type === 'text') {
        const t = node as Text
        if (t.data === '') {
          removeNode(t)
          edits++
        } else if (next && next.type === 'text') {
          t.data += (next as Text).data
          removeNode(next)
          edits++
          continue
        }
      } else if (hasChildNodes(node)) walk(node)
      node = next
    }
  }
  walk(root)
  return edits
}

export function attr(el: Element, name: string): string {
  return el.attribs[name] ?? ''
}

/** Text with whitespace runs collapsed, the way a reader sees it inline. */
export function inlineText(node: AnyNode): string {
  return textOf(node)
    .replace(/[\s\u00a0\u3000]+/g, ' ')
    .trim()
}

/**
 * Collapsed text of a subtree, or null as soon as it exceeds `max` raw characters. Line-level
 * pattern checks use it so that big containers cost almost nothing instead of a full walk each.
 */
export function boundedText(node: AnyNode, max: number): string | null {
  let out = ''
  const walk = (n: AnyNode): boolean => {
    if (n.type === 'text') {
      out += (n as Text).data
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
    if (n.type === 'text') parts.push((n as Text).data)
    else if (isElement(n)) for (const c of n.children) walk(c)
  }
  walk(node)
  return parts.join(' ').replace(/\s+/g, ' ').trim()
}

/**
 * Plain text with block structure, for a page's raw markup (clean HTML has its own, exact
 * writer: clean/clean-text.ts): paragraphs separated by a blank line, <br> as a break.
 */
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
      line += (node as Text).data
      return
    }
    if (node.type !== 'tag') return
    const el = node as Element
    const name = el.name
    if (name === 'br') {
      line += '\n'
      flush()
      return
    }
    const block = BLOCK_TAGS.has(name)
    if (block) flush()
    for (const c of el.children) walk(c)
    if (block) flush()
    else if (name === 'td' || name === 'th') line += ' '
  }
  walk(root)
  flush()
  return paragraphs.join('\n\n')
}
