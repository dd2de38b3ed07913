// Whole web pages saved from a browser (and HTML fragments): the extractor finds the article and
// its metadata, site rules drop portal boilerplate, then the shared cleaner sanitises the body.
import { extractArticle } from '../extract/extract-article'
import { loadSiteRules } from '../extract/site-rules'
import type { ExtractResult, SiteRuleSet } from '../extract/extract-types'
import { assembleArticle } from './assemble'
import type { ArticleFormat, ParsedArticle } from '../model/parsed-article'
import { webAddressOrNull } from './url'

let siteRules: SiteRuleSet | null = null

/**
 * Rules used for pages from now on (e.g. shipped + the library's user file, from loadSiteRules).
 * Without a call, the shipped rules are loaded on first use.
 */
export function setPageSiteRules(rules: SiteRuleSet | null): void {
  siteRules = rules
}

/** Names the library's user rules file for parse workers, which cannot share the main thread's. */
export const USER_RULES_ENV = 'GLEANER_USER_RULES'

function currentRules(): SiteRuleSet {
  const userFile = process.env[USER_RULES_ENV]
  siteRules ??= loadSiteRules(userFile ? { userFile } : {}).rules
  return siteRules
}

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

/** Parse a page whose address may be known (MHTML archives carry it). */
export function parseHtmlPageAt(
  html: string,
  path: string,
  encoding: string,
  opts: { url?: string; format?: ArticleFormat } = {}
): ParsedArticle {
  const x = extractArticle(html, {
    url: opts.url,
    rules: currentRules(),
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
    warnings: []
  })
  return {
    ...article,
    editor: x.editor ?? article.editor,
    originalTitle: x.originalTitle ?? article.originalTitle,
    removed: [...x.removed, ...article.removed]
  }
}

export function parseHtmlPage(html: string, path: string, encoding: string): ParsedArticle {
  return parseHtmlPageAt(html, path, encoding)
}
