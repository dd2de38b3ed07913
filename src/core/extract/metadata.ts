// Page metadata from <meta>, Open Graph, JSON-LD, <time> and byline markup, in that order of trust.
import type { CheerioAPI } from 'cheerio/slim'
import {
  findPublishedDate,
  parsePublishedDate,
  sourceLanguage,
  sourceZone
} from '../dates/published-date'
import { spacedText, textOf } from '../html/html-tree'
import type { Element } from '../html/html-tree'
import type { Landmarks } from './landmarks'
import type { MetaSelectors, PageFacts } from './extract-types'

export interface PageMeta extends PageFacts {
  generator: string | null
}

type JsonObject = Record<string, unknown>

type MetaIndex = Map<string, string>

/** All <meta> values by lower-cased property/name/itemprop, first one winning; one pass over the page. */
function indexMeta(metas: Element[]): MetaIndex {
  const index: MetaIndex = new Map()
  for (const el of metas) {
    const a = el.attribs
    const content = (a['content'] ?? '').trim()
    if (!content) continue
    for (const k of [a['property'], a['name'], a['itemprop'], a['http-equiv']]) {
      const key = k?.trim().toLowerCase()
      if (key && !index.has(key)) index.set(key, content)
    }
  }
  return index
}

function metaContent(index: MetaIndex, keys: string[]): string | null {
  for (const key of keys) {
    const v = index.get(key.toLowerCase())
    if (v) return v
  }
  return null
}

/** JSON-LD objects describing an article (also inside @graph arrays). */
function jsonLdArticles(blocks: string[]): JsonObject[] {
  const out: JsonObject[] = []
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit)
    if (!v || typeof v !== 'object') return
    const o = v as JsonObject
    if (o['@graph']) visit(o['@graph'])
    const type = ([] as unknown[]).concat(o['@type'] ?? []).join(' ')
    if (/Article|Posting|Report|WebPage|NewsArticle/i.test(type)) out.push(o)
  }
  for (const block of blocks) {
    try {
      visit(JSON.parse(block.trim()))
    } catch {
      // A broken JSON-LD block is common on real pages; the other sources still apply.
    }
  }
  // Articles before generic WebPage descriptions.
  return out.sort(
    (a, b) =>
      Number(/WebPage/.test(String(a['@type']))) - Number(/WebPage/.test(String(b['@type'])))
  )
}

function nameOf(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null
  if (Array.isArray(v)) {
    const names = v.map(nameOf).filter((x): x is string => !!x)
    return names.length ? names.join(', ') : null
  }
  if (v && typeof v === 'object') return nameOf((v as JsonObject)['name'])
  return null
}

function urlOf(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null
  if (Array.isArray(v)) return v.length ? urlOf(v[0]) : null
  if (v && typeof v === 'object')
    return urlOf((v as JsonObject)['url'] ?? (v as JsonObject)['contentUrl'])
  return null
}

const TITLE_SEPARATORS = /\s+[|\-–—_·»:]\s+|\s*[|｜_—–]\s*/

/** `<title>` usually carries the site name after a separator; keep the longest part that is the headline. */
function cleanDocumentTitle(title: string, siteName: string | null): string {
  const t = title.replace(/\s+/g, ' ').trim()
  const parts = t.split(TITLE_SEPARATORS).filter(Boolean)
  if (parts.length < 2) return t
  const withoutSite = parts.filter((p) => !siteName || p.toLowerCase() !== siteName.toLowerCase())
  const first = withoutSite[0] ?? t
  // A headline split by a separator of its own ("Brexit: what now") stays whole when the first part is short.
  return first.split(/\s+/).length >= 3 || first.length >= 8 ? first : t
}

function firstText($: CheerioAPI, selectors: string[] | undefined): string | null {
  for (const sel of selectors ?? []) {
    const el = $(sel).first()
    if (!el.length) continue
    // Text nodes joined with spaces: date parts often sit in adjacent spans (<em>2021</em><em>07/30</em>).
    const text = spacedText(el.get(0)!)
    const v = (el.attr('content') ?? el.attr('datetime') ?? text).replace(/\s+/g, ' ').trim()
    if (v) return v
  }
  return null
}

const BYLINE_SELECTORS = [
  '[rel="author"]',
  '[itemprop="author"] [itemprop="name"]',
  '[itemprop="author"]',
  '.byline .author',
  '.author-name',
  '.byline',
  '.author'
]

function cleanByline(s: string): string | null {
  const v = s
    .replace(/\s+/g, ' ')
    .replace(/^(by|written by|作者|文|记者)\s*[:：|]?\s*/i, '')
    .trim()
  return v && v.length <= 100 ? v : null
}

export function readMetadata(
  $: CheerioAPI,
  marks: Landmarks,
  url: string | undefined,
  ruleMeta: MetaSelectors[]
): PageMeta {
  const metas = indexMeta(marks.metas)
  const ld = jsonLdArticles(marks.jsonLd)
  const ldValue = (key: string): unknown => ld.find((o) => o[key] !== undefined)?.[key]
  const lang = (
    (marks.html ? marks.html.attribs['lang'] : undefined) ??
    metaContent(metas, ['og:locale', 'content-language', 'language']) ??
    ''
  )
    .replace('_', '-')
    .trim()
  // A time without a zone is read in the zone of the page's language (see published-date.ts).
  const zone = sourceZone('page', sourceLanguage(lang || null, marks.title))
  const fromRules = (key: keyof MetaSelectors): string | null => {
    for (const m of ruleMeta) {
      const v = firstText($, m[key])
      if (v) return v
    }
    return null
  }

  const siteName =
    fromRules('source') ??
    metaContent(metas, ['og:site_name', 'application-name', 'twitter:site']) ??
    nameOf((ldValue('publisher') as JsonObject | undefined)?.['name'] ?? null)

  const docTitle = marks.title
  const h1 = marks.firstH1
  const title =
    fromRules('title') ??
    metaContent(metas, ['og:title', 'twitter:title']) ??
    nameOf(ldValue('headline')) ??
    (h1 || null) ??
    (cleanDocumentTitle(docTitle, siteName) || '')

  let author = fromRules('author') ?? nameOf(ldValue('author'))
  if (!author) {
    const m = metaContent(metas, [
      'author',
      'article:author',
      'dc.creator',
      'parsely-author',
      'sailthru.author'
    ])
    if (m && !/^https?:/.test(m)) author = m
  }
  if (!author) {
    const anyByline = $(BYLINE_SELECTORS.join(', ')).length > 0
    for (const sel of anyByline ? BYLINE_SELECTORS : []) {
      const t = $(sel).first().text()
      const v = t ? cleanByline(t) : null
      if (v) {
        author = v
        break
      }
    }
  }

  // Machine-readable dates are exact; a site rule's visible date (often without seconds) comes
  // next; the first that is a date wins. Last, Chinese portals print "2021年07月26日 12:03"
  // near the headline: the first date in the page's text.
  const dateValues = [
    metaContent(metas, [
      'article:published_time',
      'datePublished',
      'pubdate',
      'publishdate',
      'publish-date',
      'date',
      'dc.date',
      'dc.date.issued',
      'DC.date.issued',
      'sailthru.date',
      'parsely-pub-date',
      'og:published_time',
      'weibo: article:create_at'
    ]),
    ldValue('datePublished'),
    fromRules('date'),
    marks.firstTimeDatetime,
    ldValue('dateCreated')
  ]
  let publishedAt: string | null = null
  for (const value of dateValues) {
    if (typeof value !== 'string') continue
    publishedAt = parsePublishedDate(value, zone).iso
    if (publishedAt) break
  }
  if (!publishedAt && marks.body)
    publishedAt = findPublishedDate(textOf(marks.body).slice(0, 5000), zone)

  const canonical =
    marks.canonical?.trim() ||
    metaContent(metas, ['og:url']) ||
    urlOf(ldValue('url')) ||
    url ||
    null
  const leadImage =
    metaContent(metas, ['og:image', 'og:image:url', 'twitter:image', 'twitter:image:src']) ??
    urlOf(ldValue('image'))

  return {
    title: title.trim(),
    author: author ? author.trim() : null,
    publishedAt,
    siteName: siteName ? siteName.trim() : null,
    canonicalUrl: canonical ? resolveUrl(canonical, url) : null,
    language: lang || null,
    leadImage: leadImage ? resolveUrl(leadImage, url ?? canonical ?? undefined) : null,
    description: metaContent(metas, ['og:description', 'description', 'twitter:description']),
    generator: metaContent(metas, ['generator'])
  }
}

export function resolveUrl(href: string, base: string | undefined): string {
  try {
    return new URL(href, base).toString()
  } catch {
    return href
  }
}
