// The cleaner's DOM: parse5 (the HTML standard's parser, as browsers parse) building domhandler
// nodes, and the few tree edits the cleaner needs. Working on the nodes directly instead of
// through cheerio objects is most of the cleaner's speed: no wrapper per call, no selector
// compiled per query.
import { parseFragment } from 'parse5'
import { adapter } from 'parse5-htmlparser2-tree-adapter'
import { Element, Text } from 'domhandler'
import type { AnyNode, Document, ParentNode } from 'domhandler'

export type { AnyNode, Document, ParentNode }
export { Element, Text }

const PARSE_OPTIONS = { treeAdapter: adapter, scriptingEnabled: true }

/** Parses an HTML fragment the way cheerio's `load(html, null, false)` does (template context). */
export function parseHtmlFragment(html: string): Document {
  return parseFragment(html, PARSE_OPTIONS) as unknown as Document
}

/** <script> and <style> are typed apart from other tags by domhandler. */
export function isElementNode(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style'
}

export function hasChildNodes(node: AnyNode): node is ParentNode {
  return 'children' in node
}

/** What cheerio's `.text()` returns (domutils textContent): all text below, comments excluded. */
export function textOf(node: AnyNode): string {
  if (node.type === 'text') return (node as Text).data
  if (!hasChildNodes(node)) return ''
  let out = ''
  for (const child of node.children) out += textOf(child)
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
 * Every element (tags, scripts, styles) under `root`, in document order, as a CSS selector finds
 * them (inside a <template>'s content fragment too).
 */
export function elementsIn(root: ParentNode): Element[] {
  const out: Element[] = []
  const walk = (nodes: AnyNode[]): void => {
    for (const n of nodes) {
      if (isElementNode(n)) out.push(n)
      if (hasChildNodes(n)) walk(n.children)
    }
  }
  walk(root.children)
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
