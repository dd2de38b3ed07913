// Feed files (RSS 2.0, RSS 1.0/RDF, Atom, JSON Feed) → one article per item. Pure, like parse.ts.
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { assembleArticle } from './assemble'
import { textToHtml } from './body'
import { parsePublishedDate, sourceLanguage, sourceZone } from '../dates/published-date'
import { oneLine } from './fields'
import { webAddress, webAddressOrNull } from './url'
import type { ParseOutcome, ParsedArticle } from '../model/parsed-article'

type FeedKind = 'rss' | 'rdf' | 'atom' | 'json-feed'

/** One item, read out of whichever feed format, before cleaning. */
interface FeedItem {
  /** RSS <guid>, Atom <id>, JSON Feed id: what names the item across polls. */
  id: string | null
  /** Only a summary was given (RSS <description> without content, Atom <summary>, JSON summary). */
  summaryOnly: boolean
  title: string | null
  /** The item's link as written (checked and resolved in parseFeed). */
  url: string | null
  date: unknown
  author: string | null
  tags: string[]
  /** HTML body, or null when the item only has text (or nothing). */
  html: string | null
  text: string | null
  raw: unknown
}

interface FeedHead {
  kind: FeedKind
  /** The language the feed declares (RSS <language>, Atom xml:lang, JSON Feed language). */
  language: string | null
  title: string | null
  url: string | null
  items: FeedItem[]
}

type Json = Record<string, unknown>

// Body elements are kept as raw markup (stop nodes): Atom `type="xhtml"` content is real child
// elements, which the object form would scatter into keys. Their entities are decoded below.
const BODY_TAGS = ['description', 'content', 'content:encoded', 'summary']

/**
 * Internal DTD entities are expanded with hard caps, so a "billion laughs" DOCTYPE fails instead
 * of exhausting memory (every XML the user brings: feeds, OPML).
 */
export const XML_ENTITY_LIMITS = {
  enabled: true,
  maxEntitySize: 10_000,
  maxEntityCount: 100,
  maxTotalExpansions: 10_000,
  maxExpandedLength: 1_000_000
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  // Titles like "2024" must stay strings.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Internal DTD entities are expanded with hard caps, so a "billion laughs" DOCTYPE fails
  // instead of exhausting memory; external entities are never fetched by this parser.
  processEntities: XML_ENTITY_LIMITS,
  htmlEntities: true,
  stopNodes: BODY_TAGS.map((t) => `..${t}`),
  isArray: (name) =>
    ['item', 'entry', 'link', 'category', 'author', 'dc:subject', 'dc:creator'].includes(name)
})

/** Bounds for the raw item kept in meta: enough to inspect, never a second copy of a big feed. */
const META_STRING = 2000
const META_ARRAY = 20
const META_DEPTH = 4
const META_KEYS = 50
/** Skip-warnings and titles made from text are shown in one line. */
const TITLE_FROM_TEXT_CHARS = 60

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The text of an XML value: a string, an element with attributes (`#text`), or a list's first. */
function textOf(v: unknown): string | null {
  if (Array.isArray(v)) {
    for (const x of v) {
      const t = textOf(x)
      if (t) return t
    }
    return null
  }
  if (typeof v === 'string') return v.trim() || null
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (isObject(v)) return textOf(v['#text'])
  return null
}

function attr(v: unknown, name: string): string | null {
  return isObject(v) ? textOf(v[`@_${name}`]) : null
}

function list(v: unknown): unknown[] {
  if (v === undefined || v === null) return []
  return Array.isArray(v) ? v : [v]
}

const XML_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'"
}

/** Entity-decodes escaped markup outside CDATA sections; CDATA content is taken as is. */
function decodeXmlText(raw: string): string {
  return raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) =>
      part.startsWith('<![CDATA[')
        ? part.slice(9, -3)
        : part.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
            if (e[0] === '#') {
              const code =
                e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
              return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m
            }
            // Unknown names (&nbsp;…) are left for the HTML parser, which knows them.
            return XML_ENTITIES[e.toLowerCase()] ?? m
          })
    )
    .join('')
}

/** A stop-node body element → HTML or text, following Atom's `type` when present. */
function bodyOf(v: unknown): { html: string | null; text: string | null } {
  const node = Array.isArray(v) ? v[0] : v
  const raw = typeof node === 'string' ? node : isObject(node) ? textOf(node['#text']) : null
  if (!raw || !raw.trim()) return { html: null, text: null }
  const type = (attr(node, 'type') ?? '').toLowerCase()
  // XHTML content is markup already; its entities are HTML entities too.
  if (type === 'xhtml' || type === 'application/xhtml+xml') return { html: raw, text: null }
  const decoded = decodeXmlText(raw).trim()
  if (!decoded) return { html: null, text: null }
  if (type === 'text' || type === 'text/plain') return { html: null, text: decoded }
  return { html: decoded, text: null }
}

/** Titles may be escaped HTML (Atom type="html", many RSS feeds): keep their words only. */
function titleText(v: unknown): string | null {
  const node = Array.isArray(v) ? v[0] : v
  const t = textOf(node)
  if (!t) return null
  return oneLine(decodeXmlText(t.replace(/<[^>]*>/g, ' '))) || null
}

function firstOf(...vals: (string | null)[]): string | null {
  for (const v of vals) if (v) return v
  return null
}

/** The raw item, JSON-safe and bounded, without its bodies (they are the article already). */
function boundedMeta(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return v.length > META_STRING ? `${v.slice(0, META_STRING)}…` : v
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v === 'boolean' || v === null) return v
  if (depth >= META_DEPTH) return null
  if (Array.isArray(v)) return v.slice(0, META_ARRAY).map((x) => boundedMeta(x, depth + 1))
  if (isObject(v)) {
    const out: Json = {}
    for (const [k, x] of Object.entries(v).slice(0, META_KEYS)) {
      if (depth === 0 && [...BODY_TAGS, 'content_html', 'content_text'].includes(k)) continue
      out[k] = boundedMeta(x, depth + 1)
    }
    return out
  }
  return null
}

function tagsFrom(values: unknown[]): string[] {
  const tags: string[] = []
  for (const v of values) {
    // Atom puts the name in `term`; RSS in the text (with an optional `domain`).
    const t = attr(v, 'term') ?? attr(v, 'label') ?? textOf(v)
    const name = t ? oneLine(t) : ''
    if (name && !tags.includes(name)) tags.push(name)
  }
  return tags
}

function authorOf(v: unknown): string | null {
  for (const a of list(v)) {
    // Atom <author><name>; RSS `email (Name)` is kept as written.
    const name = isObject(a) && 'name' in a ? textOf(a.name) : textOf(a)
    if (name) return oneLine(name)
  }
  return null
}

function rssItem(item: Json): FeedItem {
  const content = bodyOf(item['content:encoded'])
  const description = bodyOf(item.description)
  const guid = item.guid
  const permaGuid = attr(guid, 'isPermaLink') === 'false' ? null : textOf(guid)
  const hasContent = content.html !== null || content.text !== null
  return {
    id: textOf(guid),
    summaryOnly: !hasContent && (description.html !== null || description.text !== null),
    title: titleText(item.title),
    url: firstOf(
      textOf(item.link),
      permaGuid && /^https?:\/\//i.test(permaGuid) ? permaGuid : null
    ),
    date: textOf(item.pubDate) ?? textOf(item['dc:date']),
    author: authorOf(item.author) ?? authorOf(item['dc:creator']),
    tags: tagsFrom([...list(item.category), ...list(item['dc:subject'])]),
    html: content.html ?? description.html,
    text: content.html ? null : (content.text ?? description.text),
    raw: item
  }
}

function atomLink(links: unknown): string | null {
  const all = list(links)
  const alternate = all.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate')
  return attr(alternate ?? all[0], 'href')
}

function atomItem(entry: Json): FeedItem {
  const content = bodyOf(entry.content)
  const summary = bodyOf(entry.summary)
  const hasContent = content.html !== null || content.text !== null
  return {
    id: textOf(entry.id),
    summaryOnly: !hasContent && (summary.html !== null || summary.text !== null),
    title: titleText(entry.title),
    url: atomLink(entry.link),
    date: textOf(entry.published) ?? textOf(entry.updated) ?? textOf(entry['dc:date']),
    author: authorOf(entry.author) ?? authorOf(entry['dc:creator']),
    tags: tagsFrom(list(entry.category)),
    html: hasContent ? content.html : summary.html,
    text: hasContent ? content.text : summary.text,
    raw: entry
  }
}

function jsonItem(item: Json): FeedItem {
  const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null)
  const authors = Array.isArray(item.authors) ? item.authors : []
  const author = [...authors, item.author].map((a) => (isObject(a) ? str(a.name) : null))
  const id = typeof item.id === 'number' ? String(item.id) : str(item.id)
  return {
    id,
    summaryOnly: !str(item.content_html) && !str(item.content_text) && str(item.summary) !== null,
    title: str(item.title) ? oneLine(str(item.title) ?? '') : null,
    url: str(item.url) ?? str(item.external_url),
    date: str(item.date_published) ?? str(item.date_modified),
    author: firstOf(...author),
    tags: Array.isArray(item.tags) ? tagsFrom(item.tags.filter((t) => typeof t === 'string')) : [],
    html: str(item.content_html),
    text: str(item.content_html) ? null : (str(item.content_text) ?? str(item.summary)),
    raw: item
  }
}

type Read = { ok: true; head: FeedHead } | { ok: false; reason: string }

function readXmlFeed(text: string): Read {
  const valid = XMLValidator.validate(text)
  if (valid !== true) {
    const { msg, line } = valid.err
    return { ok: false, reason: `feed XML not readable: ${msg.split('\n')[0]} (line ${line})` }
  }
  const doc: unknown = parser.parse(text)
  if (!isObject(doc)) return { ok: false, reason: 'feed XML not readable: no root element' }
  if (isObject(doc.rss)) {
    const channel = isObject(doc.rss.channel) ? doc.rss.channel : {}
    return {
      ok: true,
      head: {
        kind: 'rss',
        language: textOf(channel.language) ?? textOf(channel['dc:language']),
        title: titleText(channel.title),
        url: textOf(channel.link),
        items: list(channel.item).filter(isObject).map(rssItem)
      }
    }
  }
  const rdf = doc['rdf:RDF']
  if (isObject(rdf)) {
    const channel = isObject(rdf.channel) ? rdf.channel : {}
    // RSS 1.0 items are siblings of the channel, not children.
    return {
      ok: true,
      head: {
        kind: 'rdf',
        language: textOf(channel['dc:language']) ?? textOf(channel.language),
        title: titleText(channel.title),
        url: textOf(channel.link),
        items: list(rdf.item).filter(isObject).map(rssItem)
      }
    }
  }
  if (isObject(doc.feed)) {
    return {
      ok: true,
      head: {
        kind: 'atom',
        language: attr(doc.feed, 'xml:lang'),
        title: titleText(doc.feed.title),
        url: atomLink(doc.feed.link),
        items: list(doc.feed.entry).filter(isObject).map(atomItem)
      }
    }
  }
  return { ok: false, reason: 'feed XML not readable: root is not <rss>, <rdf:RDF> or <feed>' }
}

function readJsonFeed(text: string): Read {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    return { ok: false, reason: `feed JSON not readable: ${message.split('\n')[0]}` }
  }
  if (!isObject(doc)) return { ok: false, reason: 'feed JSON not readable: not an object' }
  const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null)
  return {
    ok: true,
    head: {
      kind: 'json-feed',
      language: str(doc.language),
      title: str(doc.title),
      url: str(doc.home_page_url) ?? str(doc.feed_url),
      items: (Array.isArray(doc.items) ? doc.items : []).filter(isObject).map(jsonItem)
    }
  }
}

/** One item as a feed subscription sees it (core/feeds/poll.ts): raw fields, link resolved. */
export interface FeedEntry {
  id: string | null
  /** The item's http(s) link, resolved against the feed's site; null when it has none. */
  link: string | null
  title: string | null
  /** The date as written (parsed when the item is imported). */
  date: string | null
  author: string | null
  tags: string[]
  html: string | null
  text: string | null
  summaryOnly: boolean
}

export interface FeedDocument {
  kind: FeedKind
  title: string | null
  /** The feed's site (its <link>), http(s) only. */
  siteUrl: string | null
  language: string | null
  entries: FeedEntry[]
}

/** Reads a feed's head and items without assembling articles. Never throws on bad input. */
export function readFeedDocument(
  text: string
): { ok: true; feed: FeedDocument } | { ok: false; reason: string } {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart()
  let read: Read
  try {
    read = trimmed.startsWith('{') ? readJsonFeed(trimmed) : readXmlFeed(trimmed)
  } catch (e) {
    // The XML parser throws past its entity limits (a "billion laughs" DOCTYPE).
    return { ok: false, reason: `feed XML not readable: ${(e as Error).message.split('\n')[0]}` }
  }
  if (!read.ok) return read
  const { head } = read
  const home = webAddressOrNull(head.url)
  return {
    ok: true,
    feed: {
      kind: head.kind,
      title: head.title,
      siteUrl: home,
      language: head.language,
      entries: head.items.map((item) => ({
        id: item.id,
        link: webAddress(item.url, home).url,
        title: item.title,
        date: typeof item.date === 'string' ? item.date : null,
        author: item.author,
        tags: item.tags,
        html: item.html,
        text: item.text,
        summaryOnly: item.summaryOnly
      }))
    }
  }
}

/** The first words of an item's text, for items without a title. */
function titleFromText(text: string): string {
  const line = oneLine(text)
  if (line.length <= TITLE_FROM_TEXT_CHARS) return line
  const cut = line.slice(0, TITLE_FROM_TEXT_CHARS)
  // Cut at a word boundary when the text has spaces (not for Chinese, which has none).
  const space = cut.lastIndexOf(' ')
  return `${space > TITLE_FROM_TEXT_CHARS / 2 ? cut.slice(0, space) : cut}…`
}

/** Parses an RSS, RSS 1.0, Atom or JSON Feed document. Never throws on bad input. */
export function parseFeed(text: string, path: string, encoding: string): ParseOutcome {
  const read = text.trimStart().startsWith('{') ? readJsonFeed(text) : readXmlFeed(text)
  if (!read.ok) return { ok: false, code: 'parse-error', reason: read.reason }
  const { head } = read
  const home = webAddressOrNull(head.url)
  // A time without a zone is read in the zone of the feed's language (see published-date.ts).
  const sample = [head.title, ...head.items.slice(0, 5).map((i) => i.title)].join(' ')
  const zone = sourceZone('feed', sourceLanguage(head.language, sample))
  const articles: ParsedArticle[] = []
  let carried: string[] = []
  head.items.forEach((item, index) => {
    const warnings = [...carried]
    carried = []
    const date = item.date ? parsePublishedDate(item.date, zone) : null
    if (date && date.iso === null) warnings.push(date.warning)
    // Relative item links are relative to the feed's site; anything but http(s) is dropped.
    const link = webAddress(item.url, home)
    if (link.warning) warnings.push(`feed item ${index + 1}: ${link.warning}`)
    const { article, hasBody } = assembleArticle({
      format: 'feed',
      encoding,
      path,
      bodyHtml: item.html ?? (item.text ? textToHtml(item.text) : ''),
      title: item.title,
      author: item.author,
      source: head.title,
      url: link.url,
      publishedAt: date?.iso ?? null,
      categoryPath: [],
      tags: item.tags,
      meta: {
        feed: { kind: head.kind, title: head.title, url: home },
        itemIndex: index,
        item: boundedMeta(item.raw)
      },
      warnings
    })
    if (!item.title && !hasBody) {
      carried = [...warnings, `feed item ${index + 1} has neither a title nor text; skipped`]
      return
    }
    if (!item.title) {
      // assembleArticle fell back to a heading or the file name; the item's own words say more.
      const fileName = article.warnings.indexOf('no title found; file name used')
      if (fileName >= 0) {
        article.title = titleFromText(article.cleanText) || article.title
        article.warnings[fileName] = 'feed item has no title; its first words used'
      }
    }
    articles.push(article)
  })
  const last = articles[articles.length - 1]
  // Skipped items after the last kept one still get reported, on that article.
  if (last && carried.length) last.warnings.push(...carried)
  if (articles.length === 0)
    return { ok: false, code: 'no-content', reason: 'feed has no items with text' }
  return { ok: true, encoding, articles }
}
