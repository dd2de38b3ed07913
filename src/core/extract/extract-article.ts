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
import type { Landmarks } from './landmarks'
import { readMetadata } from './metadata'
import { matchingRules } from './site-rules'
import { findMainContent } from './score'
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
  const prelim = opts.url ?? marks.canonical ?? metaOf('og:url')
  const generator = metaOf('generator') ?? null
  const sites = opts.rules ? matchingRules($, opts.rules, prelim, generator, index) : []
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
  const fromRule = siteContent($, sites, index)
  if (fromRule) {
    nodes = fromRule.nodes
  } else if (opts.wholeBody) {
    nodes = [body]
  } else {
    if (flags.unlikely) stripUnlikely(body, removals)
    nodes = findMainContent(body, flags.classes).nodes
  }
  const textRules = generic ? [...sites, generic] : sites
  cleanArticle(nodes, textRules, removals, opts.wholeBody === true && !fromRule, flags.classes)
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
  return { result, kept: weightedLength(text), byClassName: removals.byClassName }
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
 * Extract the article from a whole web page. Never throws on odd markup; an empty page gives an
 * empty text (the caller decides whether that is a failure).
 */
export function extractArticle(html: string, opts: ExtractOptions = {}): ExtractResult {
  if (typeof html !== 'string') throw new TypeError('extractArticle: html must be a string')
  // Class-name heuristics sometimes delete the article itself (a body classed "comment-thread",
  // every paragraph classed "selectionShareable" …): each retry trusts class names less. An
  // attempt is good when it kept enough text and class names did not take most of it.
  let best: Attempt | null = null
  for (const flags of opts.wholeBody ? ATTEMPTS.slice(0, 1) : ATTEMPTS) {
    const attempt = run(html, opts, flags)
    if (
      opts.wholeBody ||
      (attempt.kept >= MIN_ARTICLE_LENGTH && attempt.byClassName <= attempt.kept)
    )
      return attempt.result
    if (!best || attempt.kept > best.kept) best = attempt
  }
  return best!.result
}
