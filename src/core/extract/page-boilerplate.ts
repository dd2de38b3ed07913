// Removing boilerplate, before scoring (page furniture) and after (leftovers inside the article).
// Every removal of visible text is recorded with the rule that made it, for the cleaning report.
import type { CheerioAPI } from 'cheerio/slim'
import type { DocIndex } from './doc-index'
import { attr, boundedText, elementsIn, inlineText, isElement, removeNode } from '../html/html-tree'
import type { AnyNode, Element, Text } from '../html/html-tree'
import {
  clauseMarks,
  linkDensity,
  linkTextLength,
  measureTree,
  weightedLength
} from './text-density'
import { classWeight, META_BLOCK, OK_MAYBE, UNLIKELY, UNLIKELY_ROLES } from './hints'
import { removedText } from '../model/parsed-article'
import type { RemovedBlock, SiteRule } from './extract-types'

export class Removals {
  readonly list: RemovedBlock[] = []
  /** Weighted length of article text removed only because of a class or id name. */
  byClassName = 0
  add(rule: string, text: string): void {
    const t = removedText(text)
    if (t) this.list.push({ rule, text: t })
  }
  drop(rule: string, node: AnyNode): void {
    this.add(rule, inlineText(node))
    removeNode(node)
  }
}

const NEVER_CONTENT = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'canvas',
  'iframe',
  'object',
  'embed',
  'link',
  'meta',
  'button',
  'input',
  'select',
  'textarea',
  'option',
  'dialog',
  'map',
  'audio',
  'video',
  'source'
])

function isHidden(el: Element): boolean {
  if (el.attribs['hidden'] !== undefined) return true
  if (attr(el, 'aria-hidden') === 'true' && !/\bfallback-image\b/.test(attr(el, 'class')))
    return true
  const style = attr(el, 'style')
  return style !== '' && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)
}

/** Drop what can never be article text: scripts, styles, comments, forms' controls, hidden blocks. */
export function stripNonContent(root: Element, removals: Removals): void {
  const walk = (node: Element): void => {
    for (const c of [...node.children]) {
      if (c.type === 'comment') {
        removals.add('html-comment', (c as unknown as { data: string }).data)
        removeNode(c)
      } else if (c.type === 'directive' || c.type === 'cdata') {
        removeNode(c)
      } else if (isElement(c)) {
        if (NEVER_CONTENT.has(c.name) || c.type !== 'tag') {
          // Script and style text is code, not prose: counted in the report without its body.
          removals.add(
            `non-content:${c.name}`,
            c.name === 'style' || c.name === 'script' ? `<${c.name}>` : inlineText(c)
          )
          removeNode(c)
        } else if (
          isHidden(c) &&
          !(/visibility\s*:\s*hidden/i.test(attr(c, 'style')) && boundedText(c, 2000) === null)
        ) {
          // Big visibility:hidden blocks stay: WeChat hides the article until a script reveals it.
          removals.drop('hidden', c)
        } else walk(c)
      }
    }
  }
  walk(root)
}

/**
 * Page furniture by tag, role and class/id names (Readability's "unlikely candidates"). A class
 * name is only a hint: a block holding most of the page's prose, with few links, is kept
 * whatever it is called (a `div.breadcrumb` left unclosed holds the article that follows it).
 */
export function stripUnlikely(root: Element, removals: Removals): void {
  const stats = measureTree(root)
  const prose = (el: Element): number => {
    const s = stats.get(el)
    return s ? s.text - s.link : 0
  }
  const pageProse = prose(root)
  const holdsTheProse = (el: Element): boolean => {
    const s = stats.get(el)
    return !!s && s.text > 0 && prose(el) * 2 > pageProse && s.link / s.text < 0.3
  }
  const walk = (node: Element): void => {
    for (const c of [...node.children]) {
      if (!isElement(c) || c.type !== 'tag') continue
      const name = c.name
      if (name === 'nav' || name === 'aside' || name === 'footer') {
        removals.drop(`furniture:${name}`, c)
        continue
      }
      const role = attr(c, 'role')
      if (role && UNLIKELY_ROLES.has(role)) {
        removals.drop(`furniture:role=${role}`, c)
        continue
      }
      const names = `${attr(c, 'class')} ${attr(c, 'id')}`
      if (
        name !== 'body' &&
        name !== 'article' &&
        name !== 'main' &&
        name !== 'a' &&
        names.length > 1 &&
        UNLIKELY.test(names) &&
        !OK_MAYBE.test(names) &&
        !hasAncestorTag(c, 'table') &&
        !holdsTheProse(c)
      ) {
        removals.drop('furniture:class', c)
        continue
      }
      walk(c)
    }
  }
  walk(root)
}

function hasAncestorTag(el: Element, tag: string, maxDepth = 3): boolean {
  let p = el.parent
  for (let d = 0; p && isElement(p) && d < maxDepth; d++, p = p.parent)
    if (p.name === tag) return true
  return false
}

/** Apply a rule's `drop` selectors anywhere in the document. */
export function applyDropSelectors(
  $: CheerioAPI,
  rule: SiteRule,
  removals: Removals,
  index?: DocIndex
): void {
  const live = index ? rule.drop.filter((sel) => index.mayMatch(sel)) : rule.drop
  for (const sel of live) {
    $(sel).each((_, el) => {
      if (el.parent) removals.drop(`${rule.name}:drop ${sel}`, el)
    })
  }
}

const CONDITIONAL_TAGS = new Set(['table', 'ul', 'ol', 'div', 'section', 'form', 'fieldset', 'dl'])

/** Counts of the tags that clean-conditionally weighs, in one walk. */
function tagCounts(el: Element): { p: number; img: number; li: number; input: number } {
  const c = { p: 0, img: 0, li: 0, input: 0 }
  const walk = (node: Element): void => {
    for (const ch of node.children) {
      if (!isElement(ch)) continue
      const n = ch.name
      if (n === 'p' || n === 'img' || n === 'li' || n === 'input') c[n]++
      walk(ch)
    }
  }
  walk(el)
  return c
}

/** Readability's "clean conditionally": drop blocks inside the article that look like lists of links, forms or ads. */
function isFishy(el: Element, rootLength: number, classes: boolean): string | null {
  const text = inlineText(el)
  // A block holding most of the article is the article, whatever its class says.
  if (text.length > rootLength / 2) return null
  const weight = classes ? classWeight(attr(el, 'class'), attr(el, 'id')) : 0
  if (weight < 0 && weightedLength(text) < 1000) return 'conditional:class'
  if (clauseMarks(text) >= 10) return null
  const isList = el.name === 'ul' || el.name === 'ol' || el.name === 'dl'
  const counts = tagCounts(el)
  const { p, img, input } = counts
  // Readability's allowance: lists of up to 100 items do not count against a block.
  const li = counts.li - 100
  const wlen = weightedLength(text)
  const ld = linkDensity(el, text.length)
  if (img > 1 && p / img < 0.5 && !hasAncestorTag(el, 'figure')) return 'conditional:images'
  if (!isList && li > p) return 'conditional:list'
  if (input > Math.floor(p / 3)) return 'conditional:inputs'
  if (!isList && wlen < 25 && (img === 0 || img > 2) && !hasAncestorTag(el, 'figure'))
    return 'conditional:short'
  if (!isList && weight < 25 && ld > 0.2) return 'conditional:links'
  if (weight >= 25 && ld > 0.5) return 'conditional:links'
  if (isList && ld > 0.5) return 'conditional:link-list'
  return null
}

const HEADING = /^h[1-6]$/

/** A short label and a colon, then the rest: "Lea también: …", "Lesen Sie auch: …", "相关：…". */
const LABELLED = /^([^:：\n]{2,40}?)\s*[:：]\s*(.+)$/su

/**
 * A paragraph that is a label and a link to another story ("Read also: <a>headline</a>", in any
 * language): the label is a few words, and what follows it is nearly all link text.
 */
function isSeeAlso(el: Element): boolean {
  const text = boundedText(el, 300)
  if (!text) return false
  const m = LABELLED.exec(text)
  if (!m) return false
  const label = m[1]!
  const rest = m[2]!
  if (rest.length < 10 || label.split(/\s+/).length > 5) return false
  if (el.children.some((c) => isElement(c) && BLOCKISH.has(c.name))) return false
  return linkTextLength(el) >= 0.8 * rest.length
}
const BLOCKISH = new Set(['p', 'div', 'ul', 'ol', 'table', 'section', 'blockquote'])

/**
 * Clean inside the chosen article nodes: captions, bylines, link lists, matching boilerplate
 * paragraphs. With `classes` off, class and id names remove nothing (the retry when they took
 * the article itself); what they do remove is counted in `removals.byClassName`.
 */
export function cleanArticle(
  nodes: Element[],
  rules: SiteRule[],
  removals: Removals,
  gentle = false,
  classes = true
) {
  const patterns = rules.flatMap((r) => r.dropText.map((re) => ({ rule: r.name, re })))
  for (const root of nodes) {
    if (gentle) {
      dropMatchingParagraphs(root, patterns, removals)
      continue
    }
    // Deepest first, so a container is judged after its fishy children are gone.
    const all = [...elementsIn(root)].reverse()
    const rootLength = inlineText(root).length
    const dropByClass = (rule: string, el: Element, text: string): void => {
      removals.byClassName += weightedLength(text) * (1 - linkDensity(el, text.length))
      removals.drop(rule, el)
    }
    const seeAlso: Element[] = []
    for (const el of all) {
      if (!el.parent) continue
      const name = el.name
      // The repeated headline goes.
      if (name === 'h1') {
        removals.drop(`article:${name}`, el)
        continue
      }
      // Images stay with their captions (readers want them; exports print them under the
      // picture); credits and caption text beside the picture outside <figcaption> go.
      if (name === 'figcaption') continue
      if (name === 'figure') {
        for (const c of [...el.children]) {
          if (isElement(c) && c.name === 'figcaption') continue
          if (c.type === 'text' ? (c as Text).data.trim() : isElement(c) && inlineText(c))
            removals.drop('article:figure-text', c)
        }
        continue
      }
      if (HEADING.test(name)) {
        const t = inlineText(el)
        if (linkDensity(el, t.length) > 0.33) removals.drop('article:heading', el)
        else if (classes && classWeight(attr(el, 'class'), attr(el, 'id')) < 0)
          dropByClass('article:heading', el, t)
        continue
      }
      const names = `${attr(el, 'class')} ${attr(el, 'id')}`
      if (classes && names.length > 1 && META_BLOCK.test(names) && !OK_MAYBE.test(names)) {
        const t = inlineText(el)
        // A block holding most of the article is the article, whatever its class says.
        if (weightedLength(t) < 300 && t.length <= rootLength / 2) {
          dropByClass('article:meta-block', el, t)
          continue
        }
      }
      if ((name === 'p' || name === 'div') && isSeeAlso(el)) {
        seeAlso.push(el)
        continue
      }
      if (CONDITIONAL_TAGS.has(name)) {
        const why = isFishy(el, rootLength, classes)
        if (why === 'conditional:class') dropByClass(why, el, inlineText(el))
        else if (why) removals.drop(why, el)
        continue
      }
    }
    // "Label: link" lines between paragraphs point elsewhere; a post made of them (a link
    // roundup: "via: …") is that post's text.
    const pointers = seeAlso.reduce((n, el) => n + inlineText(el).length, 0)
    if (pointers * 4 < rootLength)
      for (const el of seeAlso) if (el.parent) removals.drop('article:see-also', el)
    dropMatchingParagraphs(root, patterns, removals)
  }
}

const PARAGRAPHISH = new Set([
  'p',
  'div',
  'li',
  'span',
  'section',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'font',
  'strong',
  'em',
  'b',
  'td',
  'blockquote'
])

/**
 * A pattern anchored at the paragraph's start judges the whole paragraph; one that may match
 * anywhere (下载…APP…查看) only removes a paragraph of one sentence: in a paragraph of several,
 * it matched a sentence of real prose that mentions an app.
 */
function matchesWhole(re: RegExp, text: string): boolean {
  if (!re.test(text)) return false
  if (re.source.startsWith('^')) return true
  return !/[。！？!?；;]|[.](?=\s)/u.test(text.replace(/[。！？!?.…\s]+$/u, ''))
}

function dropMatchingParagraphs(
  root: Element,
  patterns: { rule: string; re: RegExp }[],
  removals: Removals
): void {
  if (patterns.length === 0) return
  for (const el of [...elementsIn(root)]) {
    if (!el.parent || !PARAGRAPHISH.has(el.name)) continue
    const t = boundedText(el, 300)
    if (!t) continue
    for (const { rule, re } of patterns) {
      if (matchesWhole(re, t)) {
        removals.drop(`${rule}:text ${re.source}`, el)
        break
      }
    }
  }
  // Text nodes sitting directly in containers (common in <br>-separated bodies).
  for (const el of [...elementsIn(root)]) {
    for (const c of [...el.children]) {
      if (c.type !== 'text') continue
      const t = (c as Text).data.replace(/[\s\u3000]+/g, ' ').trim()
      if (!t || t.length > 300) continue
      const hit = patterns.find(({ re }) => matchesWhole(re, t))
      if (hit) removals.drop(`${hit.rule}:text ${hit.re.source}`, c)
    }
  }
}

export function removeEmpty(root: Element): void {
  for (const el of [...elementsIn(root)].reverse()) {
    if (!el.parent) continue
    if (
      (el.name === 'p' || el.name === 'div' || el.name === 'span' || el.name === 'section') &&
      el.children.length === 0
    )
      removeNode(el)
    else if (
      el.name === 'p' &&
      !inlineText(el) &&
      !el.children.some((c) => isElement(c) && (c.name === 'img' || c.name === 'picture'))
    )
      removeNode(el)
  }
}
