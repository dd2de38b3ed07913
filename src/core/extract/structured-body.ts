// The article body a page also carries as data (JSON-LD `articleBody`): a second opinion on
// the extraction. It confirms the extraction, points to the part of the page that holds the
// article when the extraction missed it, or, when nothing on the page matches, is the text.
import { load } from 'cheerio/slim'
import { blockText, isElement } from '../html/html-tree'
import type { AnyNode, Element, Text } from '../html/html-tree'
import { weightedLength } from './text-density'

/** Below this (Latin-equivalent) length an articleBody is a teaser, not a body to check against. */
const MIN_BODY_LENGTH = 400
/** Probes taken from the body's paragraphs, and the length of each. */
const MAX_PROBES = 12
const PROBE_LENGTH = 24

const squeeze = (s: string): string => s.replace(/[\s\u00a0\u3000]+/g, ' ').trim()

export interface StructuredBody {
  /** The body's paragraphs, as plain text. */
  paragraphs: string[]
  /** Short pieces of those paragraphs (their starts), looked for in the extracted text and the page. */
  probes: string[]
  weightedLength: number
}

type JsonObject = Record<string, unknown>

const ARTICLE_TYPE = /Article|Posting|Report/i

/**
 * The longest `articleBody` of an Article/NewsArticle/BlogPosting/Report in the page's JSON-LD
 * blocks (also inside @graph), when it is long enough to be the body and not a teaser.
 */
export function structuredBody(jsonLd: readonly string[]): StructuredBody | null {
  let best = ''
  const visit = (v: unknown, depth: number): void => {
    if (depth > 8) return
    if (Array.isArray(v)) return v.forEach((x) => visit(x, depth + 1))
    if (!v || typeof v !== 'object') return
    const o = v as JsonObject
    if (o['@graph']) visit(o['@graph'], depth + 1)
    if (o['mainEntity']) visit(o['mainEntity'], depth + 1)
    const type = ([] as unknown[]).concat(o['@type'] ?? []).join(' ')
    const body = o['articleBody']
    if (ARTICLE_TYPE.test(type) && typeof body === 'string' && body.length > best.length)
      best = body
  }
  for (const block of jsonLd) {
    try {
      visit(JSON.parse(block.trim()), 0)
    } catch {
      // A broken JSON-LD block is common on real pages: it confirms nothing.
    }
  }
  if (!best) return null
  const paragraphs = bodyParagraphs(best)
  const total = paragraphs.reduce((n, p) => n + weightedLength(p), 0)
  if (total < MIN_BODY_LENGTH) return null
  return { paragraphs, probes: probesOf(paragraphs), weightedLength: total }
}

/** articleBody is plain text by schema.org, but some sites put HTML (or escaped HTML) in it. */
function bodyParagraphs(body: string): string[] {
  if (/<\/?(?:p|br|div|h[1-6]|li)\b[^>]*>/i.test(body)) {
    const $ = load(`<body>${body}</body>`)
    const text = blockText($('body').get(0) as Element)
    return text.split(/\n+/).map(squeeze).filter(Boolean)
  }
  return body.split(/\r?\n/).map(squeeze).filter(Boolean)
}

function probesOf(paragraphs: string[]): string[] {
  // Paragraph starts, spread over the whole body; when it is one long paragraph, its sentences.
  let pieces = paragraphs.filter((p) => p.length >= PROBE_LENGTH)
  if (pieces.length < 4)
    pieces = paragraphs
      .flatMap((p) => p.split(/(?<=[.!?。！？])\s*/))
      .map(squeeze)
      .filter((s) => s.length >= PROBE_LENGTH)
  const step = Math.max(1, pieces.length / MAX_PROBES)
  const probes: string[] = []
  for (let i = 0; i < pieces.length && probes.length < MAX_PROBES; i += step)
    probes.push(pieces[Math.floor(i)]!.slice(0, PROBE_LENGTH))
  return probes
}

/** Share of the body's probes found in a text (0 when there are none). */
export function coverage(body: StructuredBody, text: string): number {
  if (body.probes.length === 0) return 0
  const t = squeeze(text)
  return body.probes.filter((p) => t.includes(p)).length / body.probes.length
}

/**
 * The element of the page that holds the body: the nearest common ancestor of the text nodes
 * where the body's probes start (found for at least half of them), or null.
 */
export function findBodyElement(root: Element, body: StructuredBody): Element | null {
  const found = new Map<string, Element>()
  const walk = (node: AnyNode): void => {
    if (found.size === body.probes.length) return
    if (node.type === 'text') {
      const t = squeeze((node as Text).data)
      if (t.length < 8) return
      for (const p of body.probes) {
        // A probe may run on into a link or emphasis: its first half is enough to place it.
        if (!found.has(p) && t.includes(p.slice(0, PROBE_LENGTH / 2)) && node.parent)
          found.set(p, node.parent as Element)
      }
      return
    }
    if (isElement(node)) for (const c of node.children) walk(c)
  }
  walk(root)
  if (found.size * 2 < body.probes.length) return null
  let common: Element | null = null
  for (const el of found.values()) common = common ? commonAncestor(common, el) : el
  // A paragraph-level match is lifted to its block container so siblings come along.
  return common
}

function commonAncestor(a: Element, b: Element): Element | null {
  const chain = new Set<AnyNode>()
  for (let n: AnyNode | null = a; n; n = n.parent) chain.add(n)
  for (let n: AnyNode | null = b; n; n = n.parent) if (chain.has(n) && isElement(n)) return n
  return null
}

/** The body itself as the article: one <p> per paragraph. */
export function bodyAsHtml(body: StructuredBody): string {
  const $ = load('')
  return body.paragraphs.map((p) => $.html($('<p></p>').text(p))).join('\n')
}
