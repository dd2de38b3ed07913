// Article HTML → clean, sanitised HTML and plain text, with a record of what was taken out.
// Idempotent by construction: every step removes what it matches until nothing matches, and
// the output of one pass matches nothing any more, so clean(clean(x).html) == clean(x).
//
// The HTML is parsed once (parse5, as a browser parses it); boilerplate removal, the allowlist
// (sanitizeTree), tidying, the serialisation and the plain text all work on that one tree. The
// output re-parses to the same tree, so its text is what the reader shows; where an edit moved
// nodes (an unwrapped wrapper held blocks), that is checked, and cleaning repeats if not.
import { compile, selectAll } from 'css-select'
import { removedText, type ArticleOrigin, type RemovedBlock } from '../model/parsed-article'
import {
  EDITOR,
  OPENING_BLOCKS,
  OPENING_CHARS,
  ORIGINAL_TITLE,
  OriginCredits,
  readOpeningCredits,
  readSourceLine,
  type LiftedLine
} from './bylines'
import {
  LEADING_INDENT,
  PROMOTION_TEXT_RULES,
  CALL_TO_ACTION,
  PROMOTION_SHORT,
  REMOVE_ELEMENT_RULES,
  UNWRAP_SELECTOR,
  type TextBlockRule
} from './cleaning-rules'
import {
  cutAfterEndLine,
  cutAppendedSection,
  cutClosingNotices,
  cutTrailingHeadlines
} from './appended'
import { CODE_FORMATTING_TAGS, escapeCodeSource } from './code-source'
import {
  Element,
  Text,
  elementsIn,
  hasChildNodes,
  isAttached,
  isElement,
  normaliseText,
  removeNode,
  replaceNode,
  textOf,
  unwrapNode
} from '../html/html-tree'
import type { AnyNode, Document, ParentNode } from '../html/html-tree'
import { parseHtmlFragment } from '../html/parse-html'
import {
  BLOCK_TAGS,
  CONTENT_WITHOUT_TEXT_TAGS,
  PREFORMATTED_TAGS,
  REMOVABLE_WHEN_EMPTY_TAGS,
  VOID_TAGS
} from '../html/html-tags'
import { sanitizeTree, serializeSanitized, unwrapMayReshape } from './sanitize-tree'
import { treeToText } from './clean-text'

export interface CleanResult {
  html: string
  text: string
  removed: RemovedBlock[]
  editor: string | null
  originalTitle: string | null
  origin: ArticleOrigin | null
}

/** Text with indentation and whitespace squeezed, for matching line patterns. */
function squeezed(text: string): string {
  // Only runs of two or more, or a space other than ' ', change anything.
  const squeeze = /\s\s|[^\S ]/.test(text)
  return (squeeze ? text.replace(/[\s\u3000\u00a0]+/g, ' ') : text).trim()
}

// Selectors are compiled once: compiling is most of what a selector query costs.
const SELECT_OPTIONS = { xmlMode: false }
const compiled = new Map<string, ReturnType<typeof compile<AnyNode, Element>>>()

// A selector list of plain compounds (`tag`, `tag[attr]`, `tag:not(…)`, no combinators) can only
// match elements with those tag names, so a fragment without them needs no walk at all.
const SIMPLE_COMPOUND =
  /^([a-z][a-z0-9-]*(?:\\:[a-z0-9-]+)?)(?:\[[^\]]*\]|:[a-z-]+(?:\((?:[^()]|\([^()]*\))*\))?)*$/i
const subjects = new Map<string, Set<string> | null>()

/** The tag names a selector can match, or null when it may match any element. */
function subjectTags(selector: string): Set<string> | null {
  let tags = subjects.get(selector)
  if (tags === undefined) {
    tags = new Set<string>()
    for (const part of selector.split(',')) {
      const m = SIMPLE_COMPOUND.exec(part.trim())
      if (!m) {
        tags = null
        break
      }
      tags.add(m[1]!.replace('\\:', ':').toLowerCase())
    }
    subjects.set(selector, tags)
  }
  return tags
}

/** Names of the elements under `root`. */
function tagNames(root: ParentNode): Set<string> {
  const names = new Set<string>()
  const walk = (nodes: AnyNode[]): void => {
    for (const n of nodes) {
      if (isElement(n)) names.add(n.name)
      if (hasChildNodes(n)) walk(n.children)
    }
  }
  walk(root.children)
  return names
}

/**
 * Elements matching a CSS selector, in document order. `present` (names of the elements in the
 * tree, or a superset) lets selectors that name only absent tags skip the walk.
 */
function select(root: ParentNode, selector: string, present?: Set<string>): Element[] {
  if (present) {
    const tags = subjectTags(selector)
    if (tags && ![...tags].some((t) => present.has(t))) return []
  }
  let query = compiled.get(selector)
  if (!query) {
    query = compile<AnyNode, Element>(selector, SELECT_OPTIONS)
    compiled.set(selector, query)
  }
  return selectAll<AnyNode, Element>(query, root, SELECT_OPTIONS)
}

/** What changes the tree so that re-parsing its serialisation might not give it back. */
interface Edits {
  reshaped: boolean
}

/**
 * Soft hyphens (U+00AD) only say where a word may break at a line end; German and Dutch sites
 * put them inside most long words. Left in the text they split every such word for search,
 * for quoting and for highlights, though nobody sees them.
 */
const SOFT_HYPHEN = /\u00ad/g

function dropSoftHyphens(root: ParentNode): void {
  const walk = (nodes: AnyNode[]): void => {
    for (const n of nodes) {
      if (n.type === 'text') {
        const t = n as { data: string }
        if (t.data.includes('\u00ad')) t.data = t.data.replace(SOFT_HYPHEN, '')
      } else if ('children' in n) walk((n as ParentNode).children)
    }
  }
  walk(root.children)
}

function removeComments(root: ParentNode, removed: RemovedBlock[]): void {
  const walk = (nodes: AnyNode[]): void => {
    for (const node of [...nodes]) {
      if (node.type === 'comment') {
        const text = removedText((node as unknown as { data: string }).data)
        if (text) removed.push({ rule: 'html-comment', text })
        removeNode(node)
      } else if (hasChildNodes(node)) walk(node.children)
    }
  }
  walk(root.children)
}

function isBlock(node: AnyNode | null): node is Element {
  return node !== null && node.type === 'tag' && BLOCK_TAGS.has((node as Element).name)
}

/** Blocks with no block inside them, in document order. */
function leafBlocks(root: ParentNode): Element[] {
  const leaves: Element[] = []
  const walk = (nodes: AnyNode[]): boolean => {
    let sawBlock = false
    for (const node of nodes) {
      if (node.type !== 'tag') continue
      const el = node as Element
      const inner = walk(el.children)
      if (BLOCK_TAGS.has(el.name)) {
        // Code keeps its lines: never read as a promotion, editor or title line.
        if (!inner && !PREFORMATTED_TAGS.has(el.name)) leaves.push(el)
        sawBlock = true
      } else if (inner) sawBlock = true
    }
    return sawBlock
  }
  walk(root.children)
  return leaves
}

/**
 * Leaf blocks and block texts, computed once and reused by the line rules until one of them
 * removes something (most articles have no promotion, editor or original-title line at all).
 */
/** Longest block text any line rule looks at. */
const LINE_RULE_MAX = Math.max(
  ORIGINAL_TITLE.maxLength,
  EDITOR.maxLength,
  ...PROMOTION_TEXT_RULES.map((r) => r.maxLength)
)
/** Stands for the text of a block too long for every line rule (longer than LINE_RULE_MAX). */
const TOO_LONG = '\u0000'.repeat(LINE_RULE_MAX + 1)

/** Whether `text` has more than `max` characters that squeezed() keeps. */
function moreNonSpaceThan(text: string, max: number): boolean {
  let kept = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    // What /[\s\u3000\u00a0]/ matches.
    const space =
      c === 32 ||
      (c >= 9 && c <= 13) ||
      c === 0xa0 ||
      c === 0x1680 ||
      (c >= 0x2000 && c <= 0x200a) ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0x202f ||
      c === 0x205f ||
      c === 0x3000 ||
      c === 0xfeff
    if (!space && ++kept > max) return true
  }
  return false
}

class BlockScan {
  private leaves: Element[] | null = null
  private readonly texts = new Map<AnyNode, string>()

  constructor(readonly root: ParentNode) {}

  leafBlocks(): Element[] {
    this.leaves ??= leafBlocks(this.root)
    return this.leaves
  }

  /** The squeezed text of a block, or TOO_LONG when that is longer than any line rule looks at. */
  text(el: AnyNode): string {
    let text = this.texts.get(el)
    if (text === undefined) {
      const raw = textOf(el)
      // Squeezing only shortens runs of spaces: past LINE_RULE_MAX other characters, no rule
      // can match, so long paragraphs skip the squeeze.
      text =
        raw.length > LINE_RULE_MAX && moreNonSpaceThan(raw, LINE_RULE_MAX)
          ? TOO_LONG
          : squeezed(raw)
      this.texts.set(el, text)
    }
    return text
  }

  remove(node: AnyNode): void {
    removeNode(node)
    this.leaves = null
    this.texts.clear()
  }

  /**
   * The matched block, or its wrappers while they hold nothing but the same text (and images,
   * like a QR code): the wrapper goes too.
   */
  outermostSameText(el: Element): Element {
    let current = el
    const text = this.text(el)
    for (;;) {
      const parent = current.parent
      if (!parent || parent.type !== 'tag') return current
      if (this.text(parent) !== text) return current
      current = parent as Element
    }
  }
}

/**
 * A promotion is a whole short paragraph: one sentence (a paragraph of several is prose that
 * mentions an app), and either very short or calling the reader to act.
 */
function isPromotion(text: string, rule: TextBlockRule): boolean {
  if (!text || text.length > rule.maxLength || !rule.pattern.test(text)) return false
  const inner = text.replace(/[。！？!?…\s]+$/u, '')
  if (/[。！？!?；;]/u.test(inner)) return false
  return text.length <= PROMOTION_SHORT || CALL_TO_ACTION.test(text)
}

function removePromotions(scan: BlockScan, removed: RemovedBlock[]): void {
  for (const rule of PROMOTION_TEXT_RULES) {
    for (const el of scan.leafBlocks()) {
      if (!isAttached(el)) continue
      const text = scan.text(el)
      if (!isPromotion(text, rule)) continue
      const target = scan.outermostSameText(el)
      removed.push({ rule: rule.name, text: removedText(text) })
      scan.remove(target)
    }
  }
}

/** Lifts every block that is `line` out of the body; the first one's value is the field's. */
function liftLine(scan: BlockScan, line: LiftedLine, removed: RemovedBlock[]): string | null {
  let found: string | null = null
  const candidates: Element[] = [
    ...select(scan.root, line.selector).filter((n) => n.type === 'tag'),
    ...scan.leafBlocks()
  ]
  const seen = new Set<AnyNode>()
  for (const el of candidates) {
    if (seen.has(el) || !isAttached(el)) continue
    seen.add(el)
    const text = scan.text(el)
    if (!text || text.length > line.maxLength) continue
    const value = line.read(text)
    if (value === null) continue
    found ??= value
    removed.push({ rule: line.rule, text: removedText(text) })
    scan.remove(el)
  }
  return found
}

/** Origin credits (bylines.ts): 来源 lines anywhere, datelines and reporters in the opening. */
function readOrigin(scan: BlockScan): ArticleOrigin | null {
  const credits = new OriginCredits()
  let openings = 0
  for (const el of scan.leafBlocks()) {
    const text = scan.text(el)
    if (!text) continue
    const outlet = text === TOO_LONG ? null : readSourceLine(text)
    if (outlet) credits.addSourceLine(outlet, text)
    else if (openings < OPENING_BLOCKS) {
      openings++
      const opening = text === TOO_LONG ? squeezed(textOf(el).slice(0, OPENING_CHARS * 2)) : text
      const found = readOpeningCredits(opening)
      if (found) credits.addOpening(found)
    }
  }
  return credits.result()
}

/** Drops leading indentation of the first text in each block and after each <br>. Returns edits made. */
function stripIndentation(root: ParentNode): number {
  let edits = 0
  // Walks siblings from `first` on (and into inline children) until real text or a break.
  const stripFrom = (first: AnyNode | null): boolean => {
    for (let node = first; node; node = node.next) {
      if (node.type === 'text') {
        const t = node as Text
        const stripped = t.data.replace(LEADING_INDENT, '')
        if (stripped !== t.data) {
          t.data = stripped
          edits++
        }
        if (stripped !== '') return true
      } else if (node.type === 'tag') {
        const el = node as Element
        if (el.name === 'br' || el.name === 'img' || BLOCK_TAGS.has(el.name)) return true
        if (stripFrom(el.children[0] ?? null)) return true
      }
    }
    return false
  }
  const walk = (nodes: AnyNode[]): void => {
    for (const node of nodes) {
      if (node.type !== 'tag') continue
      const el = node as Element
      if (el.name === 'pre') continue
      if (el.name === 'br') stripFrom(el.next)
      else if (BLOCK_TAGS.has(el.name)) stripFrom(el.children[0] ?? null)
      walk(el.children)
    }
  }
  // Text directly at the top of the fragment, before any block, counts as a paragraph start.
  stripFrom(root.children[0] ?? null)
  walk(root.children)
  return edits
}

/** One post-order pass: children are settled before their parent is judged. Returns removals. */
function removeEmptyBlocks(root: ParentNode): number {
  let count = 0
  const hasContent = (node: AnyNode): boolean => {
    if (node.type === 'text') return (node as Text).data.replace(LEADING_INDENT, '') !== ''
    if (node.type !== 'tag' && node.type !== 'root')
      return node.type === 'script' || node.type === 'style'
    const el = node as Element
    let content = false
    for (const child of [...el.children]) if (hasContent(child)) content = true
    if (node.type === 'tag' && CONTENT_WITHOUT_TEXT_TAGS.has(el.name)) return true
    if (!content && node.type === 'tag' && REMOVABLE_WHEN_EMPTY_TAGS.has(el.name)) {
      removeNode(el)
      count++
    }
    return content
  }
  for (const node of [...root.children]) hasContent(node)
  return count
}

/** Collapses runs of <br> and drops <br> at the start or end of a block. */
function tidyLineBreaks(root: ParentNode): number {
  let count = 0
  const isBlank = (n: AnyNode | null): boolean =>
    n !== null && n.type === 'text' && (n as Text).data.replace(LEADING_INDENT, '') === ''
  for (const br of elementsIn(root)) {
    if (br.type !== 'tag' || br.name !== 'br' || !br.parent) continue
    // Skip whitespace-only text to find the real neighbours.
    let prev = br.prev
    while (isBlank(prev)) prev = prev!.prev
    let next = br.next
    while (isBlank(next)) next = next!.next
    const parentIsContainer = br.parent.type === 'root' || isBlock(br.parent)
    const atEdge = parentIsContainer && (prev === null || next === null)
    const afterBreak = prev !== null && prev.type === 'tag' && (prev as Element).name === 'br'
    const nextIsBlock = isBlock(next)
    const prevIsBlock = isBlock(prev)
    if (atEdge || afterBreak || nextIsBlock || prevIsBlock) {
      removeNode(br)
      count++
    }
  }
  return count
}

/** Whitespace-only text between blocks becomes one newline, so layout noise does not pile up. */
function squeezeBlankText(root: ParentNode): number {
  let edits = 0
  const walk = (nodes: AnyNode[]): void => {
    for (const node of [...nodes]) {
      if (node.type === 'text') {
        const t = node as Text
        if (t.data !== '\n' && /^[ \t\r\n]*\n[ \t\r\n]*$/.test(t.data)) {
          t.data = '\n'
          edits++
        }
        const prev = t.prev
        if (t.data === '\n' && prev && prev.type === 'text' && /^\s*$/.test((prev as Text).data)) {
          removeNode(t)
          edits++
        }
      } else if (hasChildNodes(node) && (node as Element).name !== 'pre') walk(node.children)
    }
  }
  walk(root.children)
  return edits
}

/**
 * Markup inside <pre> that is not formatting is code a scraper forgot to escape (a Vue
 * <template>/<script> sample): keep it as text instead of dropping it as a script.
 */
function escapeCodeMarkup(root: ParentNode): boolean {
  const inPre: Element[] = []
  // As `$('pre').find('*')` finds them (inside a <template>'s content fragment too).
  const walk = (nodes: AnyNode[], pre: boolean): void => {
    for (const node of nodes) {
      if (pre && isElement(node)) inPre.push(node)
      if (hasChildNodes(node))
        walk(node.children, pre || (node.type === 'tag' && (node as Element).name === 'pre'))
    }
  }
  walk(root.children, false)
  // Outermost first: an element's source text already includes everything inside it.
  let replaced = false
  for (const el of inPre) {
    if (CODE_FORMATTING_TAGS.has(el.name) || !isAttached(el)) continue
    // As the parser reads the escaped source: NULs dropped, line ends normalised.
    const text = sourceText(el).replace(/\r\n?/g, '\n').replace(/\0/g, '')
    replaceNode(el, [new Text(text)])
    replaced = true
  }
  return replaced
}

/** The markup as the author typed it: tags with attributes, text unescaped. */
function sourceText(node: AnyNode): string {
  if (node.type === 'text') {
    const data = (node as Text).data
    // Text in <script>/<style> is raw (the parser leaves entities alone), but the scraper's
    // escaping (Hexo's &#123;) applied to it too: undo that one.
    const parent = node.parent
    const raw = parent !== null && (parent.type === 'script' || parent.type === 'style')
    return raw ? decodeBasicEntities(data) : data
  }
  if (node.type === 'comment') return `<!--${(node as unknown as { data: string }).data}-->`
  // parse5 keeps a <template>'s content in a document fragment child.
  if (node.type === 'root') return (node as Document).children.map(sourceText).join('')
  if (!isElement(node)) return ''
  const el = node
  const attrs = Object.entries(el.attribs)
    .map(([k, v]) => (v === '' ? ` ${k}` : ` ${k}="${v}"`))
    .join('')
  if (VOID_TAGS.has(el.name)) return `<${el.name}${attrs}>`
  return `<${el.name}${attrs}>${el.children.map(sourceText).join('')}</${el.name}>`
}

const BASIC_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function decodeBasicEntities(text: string): string {
  return text.replace(
    /&(?:#(\d{1,7})|#x([\da-f]{1,6})|(amp|lt|gt|quot|apos));/gi,
    (m, dec, hex, name) => {
      const code = dec ? Number(dec) : hex ? parseInt(hex as string, 16) : -1
      if (code >= 0) return code <= 0x10ffff ? String.fromCodePoint(code) : m
      return BASIC_ENTITIES[(name as string).toLowerCase()] ?? m
    }
  )
}

/** Videos and audio with a source become a link, so the reader knows media was there. */
function mediaToLinks(root: ParentNode, edits: Edits): void {
  for (const el of elementsIn(root)) {
    if (el.type !== 'tag' || (el.name !== 'video' && el.name !== 'audio')) continue
    let src: string | undefined = el.attribs.src
    if (src === undefined) {
      const source = elementsIn(el).find((s) => s.name === 'source' && s.attribs.src !== undefined)
      src = source?.attribs.src
    }
    if (!src) continue
    const link = new Element('a', { href: src }, [new Text(`\u25b6 ${el.name}`)])
    replaceNode(el, [new Element('p', {}, [link])])
    edits.reshaped = true
  }
}

/**
 * Layout tidying that must also run after sanitising (which can empty blocks). Returns whether
 * it reached a fixed point (a last round changed nothing).
 */
function tidy(root: ParentNode, removed: RemovedBlock[]): boolean {
  // Each step can expose work for another (a dropped <br> empties a block, a dropped block
  // puts a <br> at an edge): repeat until nothing changes, which is what idempotence needs.
  let emptyBlocks = 0
  let breaks = 0
  let settled = false
  for (let round = 0; round < 8 && !settled; round++) {
    const indents = stripIndentation(root)
    const blocks = removeEmptyBlocks(root)
    const brs = tidyLineBreaks(root)
    const blanks = squeezeBlankText(root)
    emptyBlocks += blocks
    breaks += brs
    settled = indents + blocks + brs + blanks === 0
  }
  if (emptyBlocks > 0)
    removed.push({
      rule: 'empty-block',
      text: `${emptyBlocks} empty block${emptyBlocks > 1 ? 's' : ''}`
    })
  if (breaks > 0)
    removed.push({ rule: 'br-run', text: `${breaks} line break${breaks > 1 ? 's' : ''}` })
  return settled
}

/** Whitespace at either end of the fragment, which the sanitiser trims from its output. */
function trimEdges(root: ParentNode): void {
  for (let first = root.children[0]; first?.type === 'text'; first = root.children[0]) {
    const t = first as Text
    t.data = t.data.trimStart()
    if (t.data !== '') break
    removeNode(t)
  }
  for (let last = root.children.at(-1); last?.type === 'text'; last = root.children.at(-1)) {
    const t = last as Text
    t.data = t.data.trimEnd()
    if (t.data !== '') break
    removeNode(t)
  }
}

/** Whether two trees hold the same elements, attributes and text (the tree re-parses as itself). */
function sameTree(a: AnyNode[], b: AnyNode[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (x.type !== y.type) return false
    if (x.type === 'text') {
      if ((x as Text).data !== (y as Text).data) return false
      continue
    }
    if (isElement(x)) {
      const ex = x
      const ey = y as Element
      if (ex.name !== ey.name) return false
      const ka = Object.keys(ex.attribs)
      if (ka.length !== Object.keys(ey.attribs).length) return false
      for (const k of ka) if (ex.attribs[k] !== ey.attribs[k]) return false
    }
    if (hasChildNodes(x) !== hasChildNodes(y)) return false
    if (hasChildNodes(x) && !sameTree(x.children, (y as ParentNode).children)) return false
  }
  return true
}

function preStartsWithNewline(root: ParentNode): boolean {
  for (const el of elementsIn(root)) {
    if (el.name !== 'pre') continue
    const first = el.children[0]
    if (first?.type === 'text' && (first as Text).data.startsWith('\n')) return true
  }
  return false
}

interface Pass {
  result: CleanResult
  /** The output re-parses to the tree it was written from, so cleaning it again changes nothing. */
  stable: boolean
}

/** The tree of an article body: parsed from HTML, or built already (plain text). */
function bodyTree(body: string | Document): Document {
  // Code pasted unescaped into <pre>/<code> must be text before the parser turns it into tags.
  return typeof body === 'string' ? parseHtmlFragment(escapeCodeSource(body)) : body
}

function cleanOnce(body: string | Document, baseUrl: string | null): Pass {
  const removed: RemovedBlock[] = []
  const edits: Edits = { reshaped: false }
  const root = bodyTree(body)

  removeComments(root, removed)
  dropSoftHyphens(root)
  if (escapeCodeMarkup(root)) edits.reshaped = true
  mediaToLinks(root, edits)
  // Removals only take elements away from here on: the names present now are a superset.
  const present = tagNames(root)
  for (const rule of REMOVE_ELEMENT_RULES) {
    for (const el of select(root, rule.selector, present)) {
      if (!isAttached(el)) continue
      const text = removedText(textOf(el))
      removed.push({ rule: rule.name, text: text || `<${el.type === 'tag' ? el.name : el.type}>` })
      removeNode(el)
    }
  }
  for (const el of select(root, UNWRAP_SELECTOR, present)) {
    if (unwrapMayReshape(el)) edits.reshaped = true
    unwrapNode(el)
  }
  const scan = new BlockScan(root)
  removePromotions(scan, removed)
  const originalTitle = liftLine(scan, ORIGINAL_TITLE, removed)
  const editor = liftLine(scan, EDITOR, removed)
  // After the editor line is lifted (portals print it below their end line), before origin
  // credits are read (an appended story has its own).
  const blocks = { leaves: () => scan.leafBlocks(), remove: (n: AnyNode) => scan.remove(n) }
  cutAfterEndLine(root, blocks, removed)
  cutAppendedSection(root, blocks, removed)
  cutTrailingHeadlines(blocks, removed)
  const origin = readOrigin(scan)
  // After origin credits are read: a closing "本文来自…" credit is kept as the origin.
  cutClosingNotices(blocks, removed)
  const settled = tidy(root, removed)

  // Sanitise the tree, then tidy what sanitising emptied, on text merged as a parser would.
  // When sanitising only changed attributes and no text needed merging, the tree is still
  // the fixed point the first tidy reached: a second one would find nothing.
  const sanitised = sanitizeTree(root, baseUrl)
  if (sanitised.reshaped) edits.reshaped = true
  if (normaliseText(root) > 0 || sanitised.changed || !settled) {
    tidy(root, removed)
    normaliseText(root)
  }
  trimEdges(root)

  const clean = serializeSanitized(root.children)
  // A tree the parser built, less what was removed, re-parses as itself; only moves (unwrapped
  // blocks, media turned into links, code turned into text) and a <pre> starting with a newline
  // (which the parser drops) can give a tree the parser will not build again from the output.
  const check = edits.reshaped || preStartsWithNewline(root)
  const stable = !check || sameTree(root.children, parseHtmlFragment(clean).children)
  return {
    result: {
      html: clean,
      text: treeToText(root.children),
      removed,
      editor,
      originalTitle,
      origin
    },
    stable
  }
}

/**
 * Cleans one article body: an HTML fragment, or a tree built from plain text (see
 * paragraphsToFragment; the tree is edited in place). Never throws on odd HTML, the parser is
 * forgiving; past the parse limits it throws ParseLimitError. `baseUrl` is the article's own
 * address: relative links and images resolve against it.
 */
export function cleanArticleHtml(
  body: string | Document,
  baseUrl: string | null = null
): CleanResult {
  let { result, stable } = cleanOnce(body, baseUrl)
  // Rare (an unwrapped wrapper moved a block where the parser will not put it back): clean the
  // output again until it is a fixed point, so clean(clean(x)) == clean(x) still holds.
  for (let round = 0; !stable && round < 4; round++) {
    const next = cleanOnce(result.html, baseUrl)
    stable = next.result.html === result.html
    result = {
      ...next.result,
      removed: [...result.removed, ...next.result.removed],
      editor: result.editor ?? next.result.editor,
      originalTitle: result.originalTitle ?? next.result.originalTitle,
      origin: result.origin ?? next.result.origin
    }
  }
  return result
}
