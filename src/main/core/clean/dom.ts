// The cleaner's DOM: parse5 (the HTML standard's parser, as browsers parse) building domhandler
// nodes, and the few tree edits the cleaner needs. Working on the nodes directly instead of
// through cheerio objects is most of the cleaner's speed: no wrapper per call, no selector
// compiled per query.
import { html, parseFragment } from 'parse5'
import { adapter } from 'parse5-htmlparser2-tree-adapter'
import { DomHandler, Element, Text } from 'domhandler'
import { Parser } from 'htmlparser2'
import type { AnyNode, Document, ParentNode } from 'domhandler'
import { depthExceeded, nodesExceeded, parseLimits, type ParseLimits } from '../model/parse-limits'

export type { AnyNode, Document, ParentNode }
export { Element, Text }

type Adapter = typeof adapter
type AdapterNode = Parameters<Adapter['appendChild']>[1]
type AdapterParent = Parameters<Adapter['appendChild']>[0]

/**
 * parse5's tree adapter, with two changes:
 *
 * - It counts the nodes it creates and the depth it nests them at, so a file is refused while
 *   its tree is being built: `<b>` repeated 16 million times would otherwise nest 16 million
 *   elements deep (gigabytes, then a stack overflow in every recursive walk), and formatting
 *   elements reopened in each block can multiply the elements a file's tags make.
 * - Taking a node's first child out is O(1). parse5 moves children one by one, first child
 *   first (every fragment's top level at the end of parsing, and the adoption agency's
 *   "furthest block"), and the stock adapter's `splice(0, 1)` made that quadratic: a 49 MB
 *   text of 280,000 paragraphs spent minutes there. The children taken from the front are
 *   only skipped (an offset per parent) and the array is compacted before anything else
 *   reads it, and once parsing ends.
 */
function boundedAdapter(limits: ParseLimits): { adapter: Adapter; finish: () => void } {
  let nodes = 0
  // Parents not in the map (the fragment root) are depth 0.
  const depths = new WeakMap<object, number>()
  // Children taken from the front of a parent and not yet spliced out of its array.
  const front = new Map<AdapterParent, number>()
  const count = (): void => {
    if (++nodes > limits.nodes) throw nodesExceeded(limits)
  }
  const place = (parent: AdapterParent, node: AdapterNode): void => {
    const depth = (depths.get(parent) ?? 0) + 1
    if (depth > limits.depth) throw depthExceeded(limits)
    depths.set(node, depth)
  }
  const compact = (parent: AdapterParent): void => {
    const skipped = front.get(parent)
    if (skipped === undefined) return
    front.delete(parent)
    parent.children.splice(0, skipped)
  }
  const isText = (node: AnyNode | null | undefined): boolean => node?.type === 'text'
  const bounded: Adapter = {
    ...adapter,
    createElement(tagName, namespaceURI, attrs) {
      count()
      return adapter.createElement(tagName, namespaceURI, attrs)
    },
    createCommentNode(data) {
      count()
      return adapter.createCommentNode(data)
    },
    appendChild(parent, node) {
      place(parent, node)
      compact(parent)
      adapter.appendChild(parent, node)
    },
    insertBefore(parent, node, reference) {
      place(parent, node)
      compact(parent)
      adapter.insertBefore(parent, node, reference)
    },
    setTemplateContent(template, content) {
      // A <template>'s content is a fragment of its own: it keeps counting from the template.
      place(template, content)
      compact(template)
      adapter.setTemplateContent(template, content)
    },
    getTemplateContent(template) {
      compact(template)
      return adapter.getTemplateContent(template)
    },
    getFirstChild(node) {
      return node.children[front.get(node) ?? 0] ?? null
    },
    getChildNodes(node) {
      compact(node)
      return adapter.getChildNodes(node)
    },
    detachNode(node) {
      const parent = node.parent
      if (!parent) return
      const skipped = front.get(parent) ?? 0
      if (parent.children[skipped] !== node) {
        compact(parent)
        adapter.detachNode(node)
        return
      }
      front.set(parent, skipped + 1)
      if (node.next) node.next.prev = null
      node.prev = node.next = node.parent = null
    },
    insertText(parent, text) {
      compact(parent)
      // Text next to text is merged into it: only a new node counts.
      if (!isText(parent.children[parent.children.length - 1])) count()
      adapter.insertText(parent, text)
    },
    insertTextBefore(parent, text, reference) {
      compact(parent)
      if (!isText(reference.prev)) count()
      adapter.insertTextBefore(parent, text, reference)
    }
  }
  return {
    adapter: bounded,
    finish: () => {
      for (const parent of [...front.keys()]) compact(parent)
    }
  }
}

/**
 * Parses an HTML fragment the way cheerio's `load(html, null, false)` does (template context),
 * within the parse limits (throws ParseLimitError past them).
 */
export function parseHtmlFragment(html: string): Document {
  const { adapter: treeAdapter, finish } = boundedAdapter(parseLimits())
  const root = parseFragment(html, { treeAdapter, scriptingEnabled: true })
  finish()
  return root as unknown as Document
}

/**
 * The tree parse5 builds for `<p>line<br>line</p>\n<p>…</p>` (what plain text becomes), built
 * directly: parse5 grows text one character at a time (a string concatenation each), which
 * for a 49 MB Chinese text cost gigabytes and most of a minute. The nodes are made by the same
 * adapter, so cleaning the tree gives what cleaning the HTML would. Lines must be non-empty
 * text without NUL (which parse5 drops) or CR (which it turns into LF).
 */
export function paragraphsToFragment(paragraphs: readonly (readonly string[])[]): Document {
  const limits = parseLimits()
  let nodes = 0
  const make = <T>(node: T): T => {
    if (++nodes > limits.nodes) throw nodesExceeded(limits)
    return node
  }
  const root = adapter.createDocumentFragment()
  paragraphs.forEach((lines, i) => {
    if (i > 0) adapter.appendChild(root, make(adapter.createTextNode('\n')))
    const p = make(adapter.createElement('p', html.NS.HTML, []))
    lines.forEach((line, j) => {
      if (j > 0) adapter.appendChild(p, make(adapter.createElement('br', html.NS.HTML, [])))
      adapter.appendChild(p, make(adapter.createTextNode(line)))
    })
    adapter.appendChild(root, p)
  })
  return root
}

/**
 * htmlparser2's DOM handler within the parse limits: the page extractor's parser (what
 * cheerio/slim's `load(html)` builds, with the same default options).
 */
class BoundedDomHandler extends DomHandler {
  #nodes = 0
  constructor(private readonly limits: ParseLimits) {
    super()
  }
  override addNode(node: AnyNode): void {
    if (++this.#nodes > this.limits.nodes) throw nodesExceeded(this.limits)
    super.addNode(node)
  }
  override onopentag(name: string, attribs: Record<string, string>): void {
    super.onopentag(name, attribs)
    // tagStack holds the root too.
    if (this.tagStack.length - 1 > this.limits.depth) throw depthExceeded(this.limits)
  }
}

/** Parses a whole page with htmlparser2 (for cheerio's `load`), within the parse limits. */
export function parseHtmlDocument(html: string): Document {
  const handler = new BoundedDomHandler(parseLimits())
  new Parser(handler).end(html)
  return handler.root
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
