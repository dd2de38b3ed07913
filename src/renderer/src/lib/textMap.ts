// Maps the rendered article body to offsets in the article's cleanText, which is what
// annotations anchor to. The rendered DOM and cleanText differ in whitespace only in the common
// case (cleanText puts '\n\n' between blocks, trims lines, collapses runs of spaces), but the
// renderer's sanitiser may also drop elements the core kept. So instead of assuming identical
// strings we align the two character by character, ignoring whitespace on both sides, and
// resynchronise after a short look-ahead when a character is missing on one side.

const WS = /\s/

/** How far ahead in cleanText we look for a DOM character that did not align at once. */
const RESYNC_WINDOW = 64

export interface TextNodeMap {
  node: Text
  /** cleanText offset of each UTF-16 unit of node.data; -1 for whitespace or unaligned units. */
  positions: Int32Array
}

export interface BodyTextMap {
  nodes: TextNodeMap[]
}

/** Text nodes of root in document order (what a reader sees, in reading order). */
export function textNodesOf(root: Node): Text[] {
  const doc = root.ownerDocument ?? (root as Document)
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  const out: Text[] = []
  for (let n = walker.nextNode(); n; n = walker.nextNode()) out.push(n as Text)
  return out
}

export function buildTextMap(root: Node, cleanText: string): BodyTextMap {
  const nodes: TextNodeMap[] = []
  let pos = 0
  const skipWs = (p: number): number => {
    while (p < cleanText.length && WS.test(cleanText[p]!)) p++
    return p
  }
  for (const node of textNodesOf(root)) {
    const data = node.data
    const positions = new Int32Array(data.length).fill(-1)
    for (let i = 0; i < data.length; i++) {
      const c = data[i]!
      if (WS.test(c)) continue
      const at = skipWs(pos)
      if (cleanText[at] === c) {
        positions[i] = at
        pos = at + 1
        continue
      }
      // Out of step: find this character a little further on; if it is not there, it exists
      // only in the DOM (leave it unmapped and keep our place in cleanText).
      const found = cleanText.indexOf(c, at)
      if (found >= 0 && found - at <= RESYNC_WINDOW) {
        positions[i] = found
        pos = found + 1
      }
    }
    nodes.push({ node, positions })
  }
  return { nodes }
}

function firstMappedFrom(map: BodyTextMap, nodeIndex: number, offset: number): number | null {
  for (let n = nodeIndex; n < map.nodes.length; n++) {
    const { positions } = map.nodes[n]!
    for (let i = n === nodeIndex ? offset : 0; i < positions.length; i++) {
      if (positions[i]! >= 0) return positions[i]!
    }
  }
  return null
}

function lastMappedBefore(map: BodyTextMap, nodeIndex: number, offset: number): number | null {
  for (let n = nodeIndex; n >= 0; n--) {
    const { positions } = map.nodes[n]!
    for (let i = (n === nodeIndex ? offset : positions.length) - 1; i >= 0; i--) {
      if (positions[i]! >= 0) return positions[i]!
    }
  }
  return null
}

/**
 * A DOM boundary point as (text node index, offset in it). Element boundaries become the
 * first text node at or after that point, so a selection that starts or ends on an element
 * (triple-click, a drag past a paragraph's end) still maps.
 */
function locate(map: BodyTextMap, container: Node, offset: number): [number, number] {
  if (container.nodeType === Node.TEXT_NODE) {
    const index = map.nodes.findIndex((m) => m.node === container)
    if (index >= 0) return [index, offset]
  }
  const child = container.childNodes[offset] ?? null
  // The first mapped text node that follows the boundary in document order.
  for (let i = 0; i < map.nodes.length; i++) {
    const node = map.nodes[i]!.node
    const after = child
      ? child === node ||
        child.contains(node) ||
        !!(child.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING)
      : !container.contains(node) &&
        !!(container.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING)
    if (after) return [i, 0]
  }
  return [map.nodes.length, 0]
}

/** cleanText [start, end) covered by a DOM range, whitespace at both ends trimmed; null if none. */
export function rangeToOffsets(
  map: BodyTextMap,
  range: { startContainer: Node; startOffset: number; endContainer: Node; endOffset: number }
): { start: number; end: number } | null {
  const [sn, so] = locate(map, range.startContainer, range.startOffset)
  const [en, eo] = locate(map, range.endContainer, range.endOffset)
  const start = firstMappedFrom(map, sn, so)
  const last =
    en >= map.nodes.length
      ? lastMappedBefore(map, map.nodes.length - 1, Infinity)
      : lastMappedBefore(map, en, eo)
  if (start === null || last === null || last < start) return null
  return { start, end: last + 1 }
}

/**
 * The DOM range showing cleanText [start, end): from the first mapped unit at or after start to
 * the last one before end; null when none of it is drawn.
 */
export function offsetsToRange(map: BodyTextMap, start: number, end: number): Range | null {
  let first: { node: Text; at: number } | null = null
  let last: { node: Text; at: number } | null = null
  for (const { node, positions } of map.nodes) {
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!
      if (p < start || p >= end) continue
      first ??= { node, at: i }
      last = { node, at: i }
    }
  }
  if (!first || !last) return null
  const range = first.node.ownerDocument.createRange()
  range.setStart(first.node, first.at)
  range.setEnd(last.node, last.at + 1)
  return range
}

/**
 * Where `query` occurs in cleanText, as [start, end) ranges: exactly, else with any whitespace
 * between its characters (what the page shows and what cleanText holds differ in spacing).
 */
export function findInText(text: string, query: string): { start: number; end: number }[] {
  const wanted = query.replace(/\s+/gu, '')
  if (wanted === '') return []
  const out: { start: number; end: number }[] = []
  const exact = query.trim()
  for (let i = text.indexOf(exact); i !== -1; i = text.indexOf(exact, i + 1))
    out.push({ start: i, end: i + exact.length })
  if (out.length > 0) return out
  const pattern = [...wanted].map((c) => c.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')).join('\\s*')
  for (const m of text.matchAll(new RegExp(pattern, 'gu')))
    out.push({ start: m.index, end: m.index + m[0].length })
  return out
}

export interface MarkSpan<T> {
  start: number
  end: number
  data: T
}

/**
 * Wraps the text of each span in <mark> elements, one per text node piece, so ranges that
 * overlap or cross paragraphs still produce valid markup. A piece covered by several spans gets
 * one <mark> listing them all; decorate styles it (the last span covering it is on top).
 */
export function applyMarks<T>(
  map: BodyTextMap,
  spans: MarkSpan<T>[],
  decorate: (mark: HTMLElement, covering: T[]) => void
): void {
  if (spans.length === 0) return
  for (const { node, positions } of map.nodes) {
    // Per DOM unit, which spans cover it; whitespace between two covered units of the same
    // span is covered too (within one text node positions only increase).
    const cover: number[][] = []
    let any = false
    for (let s = 0; s < spans.length; s++) {
      const { start, end } = spans[s]!
      let first = -1
      let last = -1
      for (let i = 0; i < positions.length; i++) {
        const p = positions[i]!
        if (p >= start && p < end) {
          if (first < 0) first = i
          last = i
        }
      }
      if (first < 0) continue
      any = true
      for (let i = first; i <= last; i++) (cover[i] ??= []).push(s)
    }
    if (!any) continue
    const doc = node.ownerDocument
    const parts: Node[] = []
    const data = node.data
    let i = 0
    while (i < data.length) {
      const key = (cover[i] ?? []).join(',')
      let j = i + 1
      while (j < data.length && (cover[j] ?? []).join(',') === key) j++
      const text = doc.createTextNode(data.slice(i, j))
      if (key === '') parts.push(text)
      else {
        const mark = doc.createElement('mark')
        mark.append(text)
        decorate(
          mark,
          cover[i]!.map((s) => spans[s]!.data)
        )
        parts.push(mark)
      }
      i = j
    }
    node.replaceWith(...parts)
  }
}
