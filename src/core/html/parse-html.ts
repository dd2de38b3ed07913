// HTML → domhandler trees, within the parse limits: parse5 (the HTML standard's parser, as
// browsers parse) for article bodies, htmlparser2 (what cheerio builds) for whole pages. Both
// give the same node model, so one set of tree helpers (html-tree.ts) serves the cleaner and
// the page extractor.
import { html, parseFragment } from 'parse5'
import { adapter } from 'parse5-htmlparser2-tree-adapter'
import { DomHandler } from 'domhandler'
import { Parser } from 'htmlparser2'
import type { AnyNode, Document } from 'domhandler'
import { depthExceeded, nodesExceeded, parseLimits, type ParseLimits } from '../model/parse-limits'

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
