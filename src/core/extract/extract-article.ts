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

function run(html: string, opts: ExtractOptions, aggressive: boolean): ExtractResult {
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
  const fromRule = siteContent($, sites, index)
  if (fromRule) {
    nodes = fromRule.nodes
  } else if (opts.wholeBody) {
    nodes = [body]
  } else {
    if (aggressive) stripUnlikely(body, removals)
    nodes = findMainContent(body).nodes
  }
  const textRules = generic ? [...sites, generic] : sites
  cleanArticle(nodes, textRules, removals, opts.wholeBody === true && !fromRule)
  for (const n of nodes) removeEmpty(n)

  const text = nodes.map(blockText).filter(Boolean).join('\n\n')
  const contentHtml = nodes.map((n) => $.html(n)).join('\n')
  const lang = meta.language ?? guessLanguage(text)
  return {
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
  const first = run(html, opts, true)
  if (opts.wholeBody || weightedLength(first.text) >= MIN_ARTICLE_LENGTH) return first
  // Class-name heuristics sometimes delete the article itself (a body classed "comment-thread" …).
  const second = run(html, opts, false)
  return weightedLength(second.text) > weightedLength(first.text) ? second : first
}
