// Main-content extraction for whole web pages: metadata, the article body, and a report of what was cut.
import { load } from 'cheerio/slim'
import type { CheerioAPI } from 'cheerio/slim'
import {
  applyDropSelectors,
  cleanArticle,
  removeEmpty,
  Removals,
  stripNonContent,
  stripUnlikely
} from './page-boilerplate'
import { parseHtmlDocument } from '../html/parse-html'
import { blockText, elementsIn, inlineText, isElement } from '../html/html-tree'
import type { Element } from '../html/html-tree'
import { weightedLength } from './text-density'
import { DocIndex } from './doc-index'
import { findLandmarks } from './landmarks'
import { preStrip } from './prestrip'
import { trimTail } from './tail'
import { findLead } from './lead'
import type { Landmarks } from './landmarks'
import { readMetadata } from './metadata'
import { matchingRules } from './site-rules'
import { findMainContent } from './score'
import { bodyAsHtml, coverage, findBodyElement, structuredBody } from './structured-body'
import type { StructuredBody } from './structured-body'
import type { ExtractOptions, ExtractResult, SiteRule } from './extract-types'

export type {
  ExtractOptions,
  ExtractResult,
  SiteRule,
  SiteRuleSet,
  RuleLoadError
} from './extract-types'
export { loadSiteRules, parseRulesText } from './site-rules'

/** Below this (Latin-equivalent) length a result is suspect, and extraction is retried less aggressively. */
const MIN_ARTICLE_LENGTH = 250

function bodyOf($: CheerioAPI, marks: Landmarks): Element {
  const body = marks.body ?? $.root().children().get(0)
  if (!body) throw new Error('extractArticle: the page has no elements')
  return body as Element
}

function siteContent(
  $: CheerioAPI,
  rules: SiteRule[],
  index: DocIndex
): { nodes: Element[]; rule: string } | null {
  for (const rule of rules) {
    for (const sel of rule.content) {
      if (!index.mayMatch(sel)) continue
      const found = $(sel)
        .toArray()
        .filter((el): el is Element => isElement(el) && inlineText(el).length > 0)
      if (found.length) return { nodes: found.slice(0, 1), rule: `${rule.name}:content ${sel}` }
    }
  }
  return null
}

/**
 * How much the class-name heuristics may do (Readability's flags): each retry turns one off,
 * for pages whose markup names mislead them.
 */
interface Flags {
  /** Drop page furniture by class/id name before scoring. */
  unlikely: boolean
  /** Let class/id names weigh in scoring and remove blocks inside the article. */
  classes: boolean
  /** Take the element that holds the page's JSON-LD articleBody as the article. */
  anchored?: boolean
  /** Ignore site rules' content selectors (when what they found is too short to be the article). */
  noSiteContent?: boolean
}
const ATTEMPTS: Flags[] = [
  { unlikely: true, classes: true },
  { unlikely: false, classes: true },
  { unlikely: false, classes: false }
]

interface Attempt {
  result: ExtractResult
  /** Weighted length of the text kept. */
  kept: number
  /** Weighted length of article prose removed for its class name alone. */
  byClassName: number
  /** The body the page carries as data, if any. */
  structured: StructuredBody | null
  /** In an anchored run: whether the page holds the structured body. */
  anchorFound: boolean
  /** Whether a site rule's content selector chose the body. */
  fromRule: boolean
}

export interface ExtractOutcome extends ExtractResult {
  /** What extraction had to decide that a reader should know (the JSON-LD body used …). */
  warnings: string[]
}

function run(html: string, opts: ExtractOptions, flags: Flags): Attempt {
  const removals = new Removals()
  // Parsed within the parse limits (nodes, depth); cheerio takes the bounded tree as is.
  const $ = load(parseHtmlDocument(preStrip(html, removals)))
  const elements = elementsIn($.root().get(0)!)
  const index = new DocIndex(elements)
  const marks = findLandmarks(elements)
  const metaOf = (key: string): string | undefined =>
    marks.metas.find((m) => m.attribs['property'] === key || m.attribs['name'] === key)?.attribs[
      'content'
    ]
  const sites = opts.rules
    ? matchingRules(opts.rules, [opts.url, marks.canonical, metaOf('og:url')])
    : []
  const generic = opts.rules?.generic
  const meta = readMetadata(
    $,
    marks,
    opts.url,
    sites.map((r) => r.meta)
  )

  const body = bodyOf($, marks)
  // A site's known body is shown even when the page hides it until a script runs (WeChat).
  for (const rule of sites) {
    for (const sel of rule.content) {
      if (index.mayMatch(sel))
        $(sel).removeAttr('hidden').removeAttr('aria-hidden').css({ visibility: '', display: '' })
    }
  }
  stripNonContent(body, removals)
  for (const rule of sites) applyDropSelectors($, rule, removals, index)
  if (generic) applyDropSelectors($, generic, removals, index)

  let nodes: Element[]
  const structured = structuredBody(marks.jsonLd)
  const anchor = flags.anchored && structured ? findBodyElement(body, structured) : null
  const fromRule = anchor || flags.noSiteContent ? null : siteContent($, sites, index)
  if (anchor) {
    nodes = [anchor]
  } else if (fromRule) {
    nodes = fromRule.nodes
  } else if (opts.wholeBody) {
    nodes = [body]
  } else {
    if (flags.unlikely) stripUnlikely(body, removals)
    nodes = findMainContent(body, flags.classes).nodes
    nodes = [...findLead(nodes, body), ...nodes]
  }
  const textRules = generic ? [...sites, generic] : sites
  cleanArticle(nodes, textRules, removals, opts.wholeBody === true && !fromRule, flags.classes)
  if (!opts.wholeBody && !fromRule) trimTail(nodes, removals)
  for (const n of nodes) {
    removeEmpty(n)
    keepForms(n)
  }

  const text = nodes.map(blockText).filter(Boolean).join('\n\n')
  const contentHtml = nodes.map((n) => $.html(n)).join('\n')
  const lang = meta.language ?? guessLanguage(text)
  const result: ExtractResult = {
    title: meta.title,
    author: meta.author,
    publishedAt: meta.publishedAt,
    siteName: meta.siteName,
    canonicalUrl: meta.canonicalUrl,
    language: lang,
    leadImage: meta.leadImage,
    description: meta.description,
    contentHtml,
    text,
    removed: removals.list,
    matchedRules: sites.map((r) => r.name)
  }
  return {
    result,
    kept: weightedLength(text),
    byClassName: removals.byClassName,
    structured,
    anchorFound: anchor !== null,
    fromRule: fromRule !== null
  }
}

/**
 * A <form> left in the article after cleaning holds its text (whole pages built inside one
 * ASP.NET form, shop descriptions, forum posts): it becomes a plain block, because the body
 * cleaner drops forms with their content.
 */
function keepForms(root: Element): void {
  if (root.name === 'form') root.name = 'div'
  for (const el of elementsIn(root)) if (el.name === 'form') el.name = 'div'
}

const ENGLISH_WORDS = new Set([
  'the',
  'and',
  'of',
  'to',
  'in',
  'is',
  'a',
  'that',
  'for',
  'it',
  'on',
  'was',
  'with',
  'as',
  'by'
])

function guessLanguage(text: string): string | null {
  const sample = text.slice(0, 2000)
  if (!sample) return null
  if (/[\u3040-\u30ff]/.test(sample)) return 'ja'
  if (/[\uac00-\ud7af]/.test(sample)) return 'ko'
  const han = sample.match(/[\u4e00-\u9fff]/g)?.length ?? 0
  if (han > sample.length * 0.2) return 'zh'
  // Latin script is many languages; English is recognised by its commonest words.
  const words = sample.toLowerCase().match(/\p{L}+/gu) ?? []
  const english = words.filter((w) => ENGLISH_WORDS.has(w)).length
  return words.length >= 20 && english / words.length > 0.12 ? 'en' : null
}

/**
 * When every attempt is short (a notice of two lines), the one to keep: the one that holds the
 * start of the page's own description (og:description / description), if any does, else what
 * a site rule found, else the longest.
 */
function shortest(attempts: Attempt[]): Attempt {
  // Paragraph breaks in the text are not in the description: compared without spaces.
  const squeeze = (t: string): string => t.replace(/\s+/g, '')
  const byLength = [...attempts].sort((a, b) => b.kept - a.kept)
  const description = squeeze(byLength[0]?.result.description ?? '')
  if (description.length >= 16) {
    const probe = description.slice(0, 16)
    const described = byLength.find((a) => squeeze(a.result.text).includes(probe))
    if (described) return described
  }
  // Else what a site rule found, which the rule's author chose, before the longest text.
  return byLength.find((a) => a.fromRule) ?? byLength[0]!
}

/**
 * The page's own description (og:description) as its text, when extraction found next to
 * nothing (a link or two) and the description says much more.
 */
function described(chosen: Attempt): ExtractOutcome {
  const result = chosen.result
  const d = result.description?.replace(/\s+/g, ' ').trim() ?? ''
  const dl = weightedLength(d)
  if (dl < MIN_DESCRIPTION || dl < 3 * chosen.kept) return { ...result, warnings: [] }
  const $ = load('')
  return {
    ...result,
    text: d,
    contentHtml: $.html($('<p></p>').text(d)),
    warnings: [
      "the page's description (og:description) was used as the text: no article text was found"
    ]
  }
}
/** A description shorter than this (Latin-equivalent) is a tagline, not a notice's text. */
const MIN_DESCRIPTION = 80

/** An extraction holding less than this share of the JSON-LD body's probes missed the article. */
const CONFIRMED = 0.6
/** … and below this share, with no element of the page holding the body, the body is the text. */
const UNRELATED = 0.3

/**
 * Extract the article from a whole web page. Never throws on odd markup; an empty page gives an
 * empty text (the caller decides whether that is a failure).
 */
export function extractArticle(html: string, opts: ExtractOptions = {}): ExtractOutcome {
  if (typeof html !== 'string') throw new TypeError('extractArticle: html must be a string')
  // Class-name heuristics sometimes delete the article itself (a body classed "comment-thread",
  // every paragraph classed "selectionShareable" …): each retry trusts class names less. An
  // attempt is good when it kept enough text and class names did not take most of it.
  const failed: Attempt[] = []
  let best: Attempt | null = null
  const attempts = opts.wholeBody ? ATTEMPTS.slice(0, 1) : [...ATTEMPTS]
  for (let i = 0; i < attempts.length; i++) {
    const attempt = run(html, opts, attempts[i]!)
    if (
      opts.wholeBody ||
      (attempt.kept >= MIN_ARTICLE_LENGTH && attempt.byClassName <= attempt.kept)
    ) {
      best = attempt
      break
    }
    failed.push(attempt)
    // A site rule that finds only a line (the site's address, a teaser) is not the article:
    // the same attempts again, by the page's own text.
    if (attempt.fromRule && i === ATTEMPTS.length - 1)
      attempts.push(...ATTEMPTS.map((f) => ({ ...f, noSiteContent: true })))
  }
  best ??= shortest(failed)
  const chosen = best!
  const sb = chosen.structured
  if (opts.wholeBody) return { ...chosen.result, warnings: [] }
  if (!sb)
    return chosen.kept >= MIN_ARTICLE_LENGTH
      ? { ...chosen.result, warnings: [] }
      : described(chosen)
  // The page also carries its body as data: check the extraction against it.
  const found = coverage(sb, chosen.result.text)
  if (found >= CONFIRMED && chosen.kept * 2 >= sb.weightedLength)
    return { ...chosen.result, warnings: [] }
  const pct = (x: number): string => `${Math.round(x * 100)}%`
  const anchored = run(html, opts, { unlikely: false, classes: true, anchored: true })
  const anchoredFound = coverage(sb, anchored.result.text)
  if (
    anchored.anchorFound &&
    anchoredFound >= CONFIRMED &&
    anchoredFound > found &&
    anchored.kept <= 3 * sb.weightedLength
  )
    return {
      ...anchored.result,
      warnings: [
        `the article was found by the page's JSON-LD articleBody (the first extraction held ${pct(found)} of it)`
      ]
    }
  if (found < UNRELATED) {
    const text = sb.paragraphs.join('\n\n')
    return {
      ...chosen.result,
      contentHtml: bodyAsHtml(sb),
      text,
      warnings: [
        `the page's JSON-LD articleBody was used as the text: the extraction held ${pct(found)} of it`
      ]
    }
  }
  return { ...chosen.result, warnings: [] }
}
