// Whole web pages saved from a browser. A simple first version: title from og:title, <title>
// or <h1>; body from <article>, <main> or <body>. A full content extractor will replace the
// internals later; the signature stays.
import { load } from 'cheerio'
import type { CheerioAPI } from 'cheerio'
import { assembleArticle } from './assemble'
import { parsePublishedDate } from './dates'
import { oneLine } from './fields'
import type { ParsedArticle } from './types'

function metaContent($: CheerioAPI, selectors: string[]): string | null {
  for (const selector of selectors) {
    const value = oneLine($(selector).first().attr('content') ?? '')
    if (value) return value
  }
  return null
}

// Page chrome that is never the article, removed before the body is taken.
const PAGE_CHROME =
  'nav, header, footer, aside, [role="navigation"], [role="banner"], [role="contentinfo"]'

export function parseHtmlPage(html: string, path: string, encoding: string): ParsedArticle {
  const $ = load(html)
  const warnings: string[] = []
  const meta: Record<string, unknown> = {}
  $('meta[name], meta[property]').each((_, el) => {
    const key = $(el).attr('property') ?? $(el).attr('name')
    const content = $(el).attr('content')
    if (key && content !== undefined && !(key in meta)) meta[key] = content
  })

  const title =
    metaContent($, ['meta[property="og:title"]', 'meta[name="twitter:title"]']) ??
    (oneLine($('title').first().text()) || null) ??
    (oneLine($('h1').first().text()) || null)
  const author = metaContent($, ['meta[name="author"]', 'meta[property="article:author"]'])
  const source = metaContent($, ['meta[property="og:site_name"]', 'meta[name="application-name"]'])
  const canonical =
    $('link[rel="canonical"]').attr('href') ?? metaContent($, ['meta[property="og:url"]'])
  const url = canonical && /^https?:\/\//i.test(canonical) ? canonical : null

  let publishedAt: string | null = null
  const dateRaw =
    metaContent($, [
      'meta[property="article:published_time"]',
      'meta[name="pubdate"]',
      'meta[name="date"]',
      'meta[itemprop="datePublished"]'
    ]) ??
    ($('time[datetime]').first().attr('datetime') || null)
  if (dateRaw) {
    const parsed = parsePublishedDate(dateRaw)
    if (parsed.iso !== null) publishedAt = parsed.iso
    else warnings.push(parsed.warning)
  }

  const container = $('article').first().length
    ? $('article').first()
    : $('main').first().length
      ? $('main').first()
      : $('body').first()
  container.find(PAGE_CHROME).remove()
  const bodyHtml = container.html() ?? ''

  return assembleArticle({
    format: 'html-page',
    encoding,
    path,
    bodyHtml,
    title,
    author,
    source: source ?? author,
    url,
    publishedAt,
    categoryPath: [],
    tags: [],
    meta,
    warnings
  }).article
}
