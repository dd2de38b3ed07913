// Front-matter keys → the article fields the library stores. Key names vary between Hexo,
// Jekyll, Hugo and scrapers; the first key present wins.
import { parsePublishedDate, sourceZone } from '../dates/published-date'
import { webAddressOrNull } from './url'

export interface MetaFields {
  title: string | null
  author: string | null
  source: string | null
  url: string | null
  publishedAt: string | null
  categoryPath: string[]
  /** Further category paths from nested lists ([[a, b], [c]]): kept here, stored in meta. */
  otherCategoryPaths: string[][]
  tags: string[]
  warnings: string[]
}

const TITLE_KEYS = ['title', 'Title', 'name']
const AUTHOR_KEYS = ['author', 'authors', 'Author', 'creator', 'by']
const SOURCE_KEYS = ['source', 'site', 'site_name', 'sitename', 'publisher', 'feed']
const URL_KEYS = [
  'link',
  'url',
  'permalink',
  'source_url',
  'original_url',
  'canonical',
  'canonical_url'
]
const DATE_KEYS = [
  'date',
  'published',
  'publishDate',
  'pubDate',
  'published_at',
  'created',
  'created_at'
]
const CATEGORY_KEYS = ['categories', 'category']
const TAG_KEYS = ['tags', 'tag', 'keywords']

function first(meta: Record<string, unknown>, keys: string[]): unknown {
  for (const key of keys) {
    const value = meta[key]
    if (value !== undefined && value !== null && value !== '') return value
  }
  return undefined
}

/** One line of text: newlines and runs of spaces squeezed. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function asText(value: unknown): string | null {
  if (typeof value === 'string') return oneLine(value) || null
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) {
    const parts = value.map(asText).filter((v): v is string => v !== null)
    return parts.length ? parts.join(', ') : null
  }
  if (typeof value === 'object' && value !== null && 'name' in value)
    return asText((value as { name: unknown }).name)
  return null
}

function names(list: unknown[]): string[] {
  return list
    .map((item) =>
      typeof item === 'string' || typeof item === 'number' ? oneLine(String(item)) : ''
    )
    .filter((name) => name !== '')
}

function categoryPaths(value: unknown): string[][] {
  if (typeof value === 'string') {
    const name = oneLine(value)
    return name ? [[name]] : []
  }
  if (!Array.isArray(value)) return []
  if (value.some(Array.isArray)) {
    // Hexo's nested form: each inner list is its own path; a bare string is a one-level path.
    return value
      .map((item) => (Array.isArray(item) ? names(item) : names([item])))
      .filter((path) => path.length > 0)
  }
  const path = names(value)
  return path.length ? [path] : []
}

function tagList(value: unknown): string[] {
  const raw =
    typeof value === 'string' ? value.split(/[,，;；]/) : Array.isArray(value) ? value.flat() : []
  return [...new Set(names(raw))]
}

export function readMetaFields(meta: Record<string, unknown>): MetaFields {
  const warnings: string[] = []
  const author = asText(first(meta, AUTHOR_KEYS))
  const sourceValue = asText(first(meta, SOURCE_KEYS))
  let url: string | null = null
  for (const key of URL_KEYS) {
    url = webAddressOrNull(asText(meta[key]))
    if (url) break
  }
  // A source written as an address is the article's address, not a site name.
  let source: string | null = null
  const sourceUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(sourceValue ?? '')
    ? webAddressOrNull(sourceValue)
    : null
  if (sourceUrl) url ??= sourceUrl
  else source = sourceValue
  // Feed scrapers write the site into `author` (新浪财经): it is the source too, unless a
  // separate source field says otherwise.
  source ??= author

  let publishedAt: string | null = null
  const dateValue = first(meta, DATE_KEYS)
  if (dateValue !== undefined) {
    const parsed = parsePublishedDate(dateValue, sourceZone('front-matter', null))
    if (parsed.iso !== null) publishedAt = parsed.iso
    else warnings.push(parsed.warning)
  }

  const paths = categoryPaths(first(meta, CATEGORY_KEYS))
  return {
    title: asText(first(meta, TITLE_KEYS)),
    author,
    source,
    url,
    publishedAt,
    categoryPath: paths[0] ?? [],
    otherCategoryPaths: paths.slice(1),
    tags: tagList(first(meta, TAG_KEYS)),
    warnings
  }
}
