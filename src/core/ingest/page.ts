// Whole web pages saved from a browser (and HTML fragments): the extractor finds the article and
// its metadata, site rules drop portal boilerplate, then the shared cleaner sanitises the body.
import { extractArticle } from '../extract/extract-article'
import { shippedSiteRules } from '../extract/site-rules'
import type { ExtractResult, SiteRuleSet } from '../extract/extract-types'
import { assembleArticle } from './assemble'
import type { ArticleFormat, ParsedArticle } from '../model/parsed-article'
import { webAddressOrNull } from './url'

const WHOLE_DOCUMENT = /<(?:html|head|body)[\s>]/i

function pageMeta(x: ExtractResult, html: string): Record<string, unknown> {
  const meta: Record<string, unknown> = {}
  // Every <meta name|property> as found (first wins), so nothing the page said is lost.
  for (const m of html.slice(0, 200_000).matchAll(/<meta\s[^>]*>/gi)) {
    const tag = m[0]
    const key = /(?:property|name)\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1]
    const content = /content\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1]
    if (key && content !== undefined && !(key in meta)) meta[key] = content
  }
  const extracted: Record<string, unknown> = {
    language: x.language,
    leadImage: x.leadImage,
    description: x.description,
    canonicalUrl: x.canonicalUrl,
    siteRules: x.matchedRules
  }
  for (const [k, v] of Object.entries(extracted)) {
    if (v !== null && !(Array.isArray(v) && v.length === 0)) meta[`extract:${k}`] = v
  }
  return meta
}

export interface PageOptions {
  /** The page's address, when known (MHTML archives carry it). */
  url?: string
  format?: ArticleFormat
  /** The library's site rules (shipped + the user's file); the shipped ones by default. */
  siteRules?: SiteRuleSet
}

export function parseHtmlPageAt(
  html: string,
  path: string,
  encoding: string,
  opts: PageOptions = {}
): ParsedArticle {
  const x = extractArticle(html, {
    url: opts.url,
    rules: opts.siteRules ?? shippedSiteRules(),
    // A fragment (a saved article body) is the article already: clean it, do not hunt for it.
    wholeBody: !WHOLE_DOCUMENT.test(html.slice(0, 5000))
  })
  const canonical = x.canonicalUrl ?? opts.url ?? null
  const { article } = assembleArticle({
    format: opts.format ?? 'html-page',
    encoding,
    path,
    bodyHtml: x.contentHtml,
    title: x.title || null,
    author: x.author,
    source: x.siteName ?? x.author,
    url: webAddressOrNull(canonical),
    publishedAt: x.publishedAt,
    categoryPath: [],
    tags: [],
    meta: pageMeta(x, html),
    warnings: x.warnings
  })
  // Editor, original-title and origin lines are read by the cleaner, as for every format.
  return { ...article, removed: [...x.removed, ...article.removed] }
}

export function parseHtmlPage(
  html: string,
  path: string,
  encoding: string,
  siteRules?: SiteRuleSet
): ParsedArticle {
  return parseHtmlPageAt(html, path, encoding, siteRules ? { siteRules } : {})
}
