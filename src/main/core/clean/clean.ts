// Article HTML → clean, sanitised HTML and plain text, with a record of what was taken out.
// Idempotent by construction: every step removes what it matches until nothing matches, and
// the output of one pass matches nothing any more, so clean(clean(x).html) == clean(x).
import { load } from 'cheerio'
import type { CheerioAPI } from 'cheerio'
import type { AnyNode, Element, Text } from 'domhandler'
import type { RemovedBlock } from '../ingest/types'
import {
  BLOCK_TAGS,
  CONTENT_WITHOUT_TEXT_TAGS,
  EDITOR_CODE_SUFFIX,
  EDITOR_LINE,
  EDITOR_MAX_LENGTH,
  EDITOR_SELECTOR,
  LEADING_INDENT,
  ORIGINAL_TITLE_LINE,
  ORIGINAL_TITLE_MAX_LENGTH,
  ORIGINAL_TITLE_SELECTOR,
  PROMOTION_TEXT_RULES,
  REMOVABLE_WHEN_EMPTY_TAGS,
  REMOVE_ELEMENT_RULES,
  UNWRAP_SELECTOR
} from './rules'
import { CODE_FORMATTING_TAGS, escapeCodeSource } from './code-source'
import { sanitizeArticleHtml } from './sanitize'
import { htmlToText } from './text'

export interface CleanResult {
  html: string
  text: string
  removed: RemovedBlock[]
  editor: string | null
  originalTitle: string | null
}

const REMOVED_TEXT_MAX = 120

function shorten(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim()
  return t.length > REMOVED_TEXT_MAX ? `${t.slice(0, REMOVED_TEXT_MAX - 1)}…` : t
}

/** Text of an element with indentation and whitespace squeezed, for matching line patterns. */
function blockText($: CheerioAPI, el: AnyNode): string {
  return $(el)
    .text()
    .replace(/[\s\u3000\u00a0]+/g, ' ')
    .trim()
}

function removeComments($: CheerioAPI, removed: RemovedBlock[]): void {
  const walk = (nodes: AnyNode[]): void => {
    for (const node of [...nodes]) {
      if (node.type === 'comment') {
        const text = shorten((node as unknown as { data: string }).data)
        if (text) removed.push({ rule: 'html-comment', text })
        $(node).remove()
      } else if ('children' in node) walk((node as Element).children)
    }
  }
  walk($.root().toArray()[0]!.children as AnyNode[])
}

/**
 * Leaf-most blocks matching a line pattern. When a wrapper holds nothing but the matched text
 * (and images, like a QR code), the wrapper goes too.
 */
function outermostSameText($: CheerioAPI, el: Element): Element {
  let current = el
  const text = blockText($, el)
  for (;;) {
    const parent = current.parent
    if (!parent || parent.type !== 'tag') return current
    if (blockText($, parent) !== text) return current
    current = parent as Element
  }
}

// Tag sets instead of selectors in per-node checks: css-select re-parses a selector per call.
const BLOCKS = new Set(BLOCK_TAGS)
const CONTENT = new Set(CONTENT_WITHOUT_TEXT_TAGS)
const REMOVABLE_WHEN_EMPTY = new Set(REMOVABLE_WHEN_EMPTY_TAGS)

function isBlock(node: AnyNode | null): node is Element {
  return node !== null && node.type === 'tag' && BLOCKS.has((node as Element).name)
}

function rootChildren($: CheerioAPI): AnyNode[] {
  return $.root().toArray()[0]!.children as AnyNode[]
}

/** Blocks with no block inside them, in document order. */
function leafBlocks($: CheerioAPI): Element[] {
  const leaves: Element[] = []
  const walk = (nodes: AnyNode[]): boolean => {
    let sawBlock = false
    for (const node of nodes) {
      if (node.type !== 'tag') continue
      const el = node as Element
      const inner = walk(el.children)
      if (BLOCKS.has(el.name)) {
        if (!inner) leaves.push(el)
        sawBlock = true
      } else if (inner) sawBlock = true
    }
    return sawBlock
  }
  walk(rootChildren($))
  return leaves
}

function removePromotions($: CheerioAPI, removed: RemovedBlock[]): void {
  for (const rule of PROMOTION_TEXT_RULES) {
    for (const el of leafBlocks($)) {
      if (!isAttached(el)) continue
      const text = blockText($, el)
      if (!text || text.length > rule.maxLength || !rule.pattern.test(text)) continue
      const target = outermostSameText($, el)
      removed.push({ rule: rule.name, text: shorten(text) })
      $(target).remove()
    }
  }
}

function extractLine(
  $: CheerioAPI,
  selector: string,
  pattern: RegExp,
  maxLength: number,
  rule: string,
  removed: RemovedBlock[]
): string | null {
  let found: string | null = null
  const candidates: Element[] = [
    ...$(selector)
      .toArray()
      .filter((n): n is Element => n.type === 'tag'),
    ...leafBlocks($)
  ]
  const seen = new Set<AnyNode>()
  for (const el of candidates) {
    if (seen.has(el) || !isAttached(el)) continue
    seen.add(el)
    const text = blockText($, el)
    if (!text || text.length > maxLength) continue
    const m = pattern.exec(text)
    if (!m) continue
    found ??= m[1]?.trim() || null
    removed.push({ rule, text: shorten(text) })
    $(el).remove()
  }
  return found
}

/** Drops leading indentation of the first text in each block and after each <br>. Returns edits made. */
function stripIndentation($: CheerioAPI): number {
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
        if (el.name === 'br' || el.name === 'img' || BLOCKS.has(el.name)) return true
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
      else if (BLOCKS.has(el.name)) stripFrom(el.children[0] ?? null)
      walk(el.children)
    }
  }
  // Text directly at the top of the fragment, before any block, counts as a paragraph start.
  stripFrom(rootChildren($)[0] ?? null)
  walk(rootChildren($))
  return edits
}

/** One post-order pass: children are settled before their parent is judged. Returns removals. */
function removeEmptyBlocks($: CheerioAPI): number {
  let count = 0
  const hasContent = (node: AnyNode): boolean => {
    if (node.type === 'text') return (node as Text).data.replace(LEADING_INDENT, '') !== ''
    if (node.type !== 'tag' && node.type !== 'root')
      return node.type === 'script' || node.type === 'style'
    const el = node as Element
    let content = false
    for (const child of [...el.children]) if (hasContent(child)) content = true
    if (node.type === 'tag' && CONTENT.has(el.name)) return true
    if (!content && node.type === 'tag' && REMOVABLE_WHEN_EMPTY.has(el.name)) {
      $(el).remove()
      count++
    }
    return content
  }
  for (const node of [...rootChildren($)]) hasContent(node)
  return count
}

/** Collapses runs of <br> and drops <br> at the start or end of a block. */
function tidyLineBreaks($: CheerioAPI): number {
  let count = 0
  const isBlank = (n: AnyNode | null): boolean =>
    n !== null && n.type === 'text' && (n as Text).data.replace(LEADING_INDENT, '') === ''
  $('br').each((_, br) => {
    if (!br.parent) return
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
      $(br).remove()
      count++
    }
  })
  return count
}

/** False once an ancestor has been removed (removed subtrees keep their inner links). */
function isAttached(node: AnyNode): boolean {
  let current: AnyNode | null = node
  while (current.parent) current = current.parent
  return current.type === 'root'
}

/** Whitespace-only text between blocks becomes one newline, so layout noise does not pile up. */
function squeezeBlankText($: CheerioAPI): number {
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
          $(t).remove()
          edits++
        }
      } else if ('children' in node && (node as Element).name !== 'pre')
        walk((node as Element).children)
    }
  }
  walk(rootChildren($))
  return edits
}

/**
 * Markup inside <pre> that is not formatting is code a scraper forgot to escape (a Vue
 * <template>/<script> sample): keep it as text instead of dropping it as a script.
 */
function escapeCodeMarkup($: CheerioAPI): void {
  // Outermost first: an element's source text already includes everything inside it.
  $('pre')
    .find('*')
    .toArray()
    .forEach((el) => {
      // htmlparser2 types <script> and <style> apart from other tags.
      const isElement = el.type === 'tag' || el.type === 'script' || el.type === 'style'
      if (!isElement || CODE_FORMATTING_TAGS.has(el.name) || !isAttached(el)) return
      $(el).replaceWith(escapeHtml(sourceText(el)))
    })
}

const VOID_ELEMENTS = new Set([
  'br',
  'hr',
  'img',
  'input',
  'meta',
  'link',
  'source',
  'col',
  'wbr',
  'area',
  'base',
  'embed',
  'param',
  'track'
])

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
  if (node.type === 'root') return (node as unknown as Element).children.map(sourceText).join('')
  if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') return ''
  const el = node as Element
  const attrs = Object.entries(el.attribs)
    .map(([k, v]) => (v === '' ? ` ${k}` : ` ${k}="${v}"`))
    .join('')
  if (VOID_ELEMENTS.has(el.name)) return `<${el.name}${attrs}>`
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

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Videos and audio with a source become a link, so the reader knows media was there. */
function mediaToLinks($: CheerioAPI): void {
  $('video, audio').each((_, el) => {
    const src = $(el).attr('src') ?? $(el).find('source[src]').first().attr('src')
    if (!src) return
    const link = $('<a></a>').attr('href', src).text(`\u25b6 ${el.name}`)
    $(el).replaceWith($('<p></p>').append(link))
  })
}

/** Layout tidying that must also run after sanitising (which can empty blocks). */
function tidy($: CheerioAPI, removed: RemovedBlock[]): void {
  // Each step can expose work for another (a dropped <br> empties a block, a dropped block
  // puts a <br> at an edge): repeat until nothing changes, which is what idempotence needs.
  let emptyBlocks = 0
  let breaks = 0
  for (let round = 0; round < 8; round++) {
    const indents = stripIndentation($)
    const blocks = removeEmptyBlocks($)
    const brs = tidyLineBreaks($)
    const blanks = squeezeBlankText($)
    emptyBlocks += blocks
    breaks += brs
    if (indents + blocks + brs + blanks === 0) break
  }
  if (emptyBlocks > 0)
    removed.push({
      rule: 'empty-block',
      text: `${emptyBlocks} empty block${emptyBlocks > 1 ? 's' : ''}`
    })
  if (breaks > 0)
    removed.push({ rule: 'br-run', text: `${breaks} line break${breaks > 1 ? 's' : ''}` })
}

/** Cleans one article body (an HTML fragment). Never throws on odd HTML: the parser is forgiving. */
export function cleanArticleHtml(html: string): CleanResult {
  const removed: RemovedBlock[] = []
  // Code pasted unescaped into <pre>/<code> must be text before the parser turns it into tags.
  const $ = load(escapeCodeSource(html), null, false)

  removeComments($, removed)
  escapeCodeMarkup($)
  mediaToLinks($)
  for (const rule of REMOVE_ELEMENT_RULES) {
    $(rule.selector).each((_, el) => {
      if (!isAttached(el)) return
      const text = shorten($(el).text())
      removed.push({ rule: rule.name, text: text || `<${el.type === 'tag' ? el.name : el.type}>` })
      $(el).remove()
    })
  }
  $(UNWRAP_SELECTOR).each((_, el) => {
    $(el).replaceWith($(el).contents())
  })
  removePromotions($, removed)
  const originalTitle = extractLine(
    $,
    ORIGINAL_TITLE_SELECTOR,
    ORIGINAL_TITLE_LINE,
    ORIGINAL_TITLE_MAX_LENGTH,
    'original-title',
    removed
  )
  const editor =
    extractLine($, EDITOR_SELECTOR, EDITOR_LINE, EDITOR_MAX_LENGTH, 'editor-line', removed)
      ?.replace(EDITOR_CODE_SUFFIX, '')
      .trim() || null
  tidy($, removed)

  // Sanitise, tidy what sanitising emptied, and sanitise the serialisation once more so the
  // stored HTML is exactly what the sanitiser emits (and a second clean changes nothing).
  const $safe = load(sanitizeArticleHtml($.html()), null, false)
  tidy($safe, removed)
  const clean = sanitizeArticleHtml($safe.html())
  return { html: clean, text: htmlToText(clean), removed, editor, originalTitle }
}
