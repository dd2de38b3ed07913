// The query language: words, "exact phrases", -exclude, OR, and field filters.
// Parsing is pure (no database), and every rejection is a SearchQueryError whose message is
// written for the person who typed the query.

import { SearchQueryError } from './search-errors'

/** Fields matched as text in the full-text index (substring for CJK, word prefix otherwise). */
export type TextField = 'title' | 'author' | 'source' | 'note'
export type StructuredField = 'category' | 'tag' | 'collection' | 'entity' | 'keyword' | 'story'

export type QueryItem =
  | { kind: 'text'; field: TextField | null; value: string; quoted: boolean; negated: boolean }
  | { kind: 'structured'; field: StructuredField; value: string; negated: boolean }
  | { kind: 'date'; field: 'after' | 'before'; value: string; negated: boolean }
  | { kind: 'flag'; flag: Flag; negated: boolean }

export type Flag = 'has:annotation' | 'is:unread' | 'is:read' | 'is:starred'

/** Items AND-ed together; each group is its items OR-ed. */
export interface ParsedQuery {
  groups: QueryItem[][]
}

const TEXT_FIELDS: ReadonlySet<string> = new Set(['title', 'author', 'source', 'note'])
const STRUCTURED_FIELDS: ReadonlySet<string> = new Set([
  'category',
  'tag',
  'collection',
  'entity',
  'keyword',
  'story'
])
const FLAG_VALUES: Record<string, readonly string[]> = {
  has: ['annotation', 'annotations', 'note', 'notes'],
  is: ['unread', 'read', 'starred']
}
const ALL_FIELDS = [
  'title',
  'author',
  'source',
  'note',
  'category',
  'tag',
  'collection',
  'entity',
  'keyword',
  'story',
  'after',
  'before',
  'has',
  'is'
]

interface Lexeme {
  negated: boolean
  field: string | null
  value: string
  quoted: boolean
  /** The OR operator (bare, upper case). */
  or: boolean
  raw: string
}

function lex(query: string): Lexeme[] {
  const out: Lexeme[] = []
  let i = 0
  const n = query.length
  const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/u.test(c)
  while (i < n) {
    while (i < n && isSpace(query[i])) i++
    if (i >= n) break
    const start = i
    let negated = false
    if (query[i] === '-' && i + 1 < n && !isSpace(query[i + 1])) {
      negated = true
      i++
    }
    let field: string | null = null
    const fieldMatch = /^([a-zA-Z]+):/u.exec(query.slice(i))
    if (fieldMatch && ALL_FIELDS.includes(fieldMatch[1]!.toLowerCase())) {
      field = fieldMatch[1]!.toLowerCase()
      i += fieldMatch[0].length
    }
    let value: string
    let quoted = false
    if (query[i] === '"' || query[i] === '“') {
      const close = query[i] === '"' ? '"' : '”'
      const end = query.indexOf(close, i + 1)
      if (end < 0) {
        throw new SearchQueryError(
          'query-unclosed-quote',
          `The quote opened at character ${i + 1} is never closed: add ${close} after the phrase.`,
          { position: i + 1, quote: close }
        )
      }
      value = query.slice(i + 1, end)
      quoted = true
      i = end + 1
    } else {
      const from = i
      while (i < n && !isSpace(query[i])) i++
      value = query.slice(from, i)
    }
    const raw = query.slice(start, i)
    out.push({
      negated,
      field,
      value,
      quoted,
      or: !negated && !field && !quoted && value === 'OR',
      raw
    })
  }
  return out
}

const DATE_RE = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/u

/** 2021 | 2021-07 | 2021-07-01 → the first instant of that period, as an ISO date prefix. */
export function parseDateValue(field: string, value: string): string {
  const m = DATE_RE.exec(value.replaceAll('/', '-'))
  if (!m) {
    throw new SearchQueryError(
      'query-bad-date',
      `${field}: wants a date like 2021-07-01, 2021-07 or 2021; '${value}' is not one.`,
      { field, value }
    )
  }
  const year = Number(m[1])
  const month = m[2] === undefined ? 1 : Number(m[2])
  const day = m[3] === undefined ? 1 : Number(m[3])
  const d = new Date(Date.UTC(year, month - 1, day))
  if (month < 1 || month > 12 || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    throw new SearchQueryError('query-impossible-date', `${field}:${value} is not a real date.`, {
      field,
      value
    })
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

function toItem(lx: Lexeme): QueryItem {
  const { field, value, negated } = lx
  if (field === null) {
    return { kind: 'text', field: null, value, quoted: lx.quoted, negated }
  }
  if (value.trim() === '') {
    const example = `${field}:${exampleFor(field)}`
    throw new SearchQueryError('query-missing-value', `${field}: needs a value, e.g. ${example}.`, {
      field,
      example
    })
  }
  if (TEXT_FIELDS.has(field)) {
    return { kind: 'text', field: field as TextField, value, quoted: lx.quoted, negated }
  }
  if (field === 'story' && !/^\d{1,15}$/u.test(value.trim())) {
    throw new SearchQueryError(
      'query-unknown-value',
      `story:${value} is not known; use a story's number, e.g. story:12.`,
      { field, value, allowed: 'story:12' }
    )
  }
  if (STRUCTURED_FIELDS.has(field)) {
    return { kind: 'structured', field: field as StructuredField, value: value.trim(), negated }
  }
  if (field === 'after' || field === 'before') {
    return { kind: 'date', field, value: parseDateValue(field, value.trim()), negated }
  }
  const allowed = FLAG_VALUES[field] ?? []
  const v = value.trim().toLowerCase()
  if (!allowed.includes(v)) {
    const shown = allowed
      .filter((a) => !a.endsWith('s') || field !== 'has')
      .filter((a) => a !== 'note')
      .map((a) => `${field}:${a}`)
      .join(', ')
    throw new SearchQueryError(
      'query-unknown-value',
      `${field}:${value} is not known; use ${shown}.`,
      { field, value, allowed: shown }
    )
  }
  const flag: Flag = field === 'has' ? 'has:annotation' : (`is:${v}` as Flag)
  return { kind: 'flag', flag, negated }
}

function exampleFor(field: string): string {
  switch (field) {
    case 'after':
    case 'before':
      return '2021-07-01'
    case 'has':
      return 'annotation'
    case 'is':
      return 'unread'
    case 'category':
      return '金融'
    case 'story':
      return '12'
    case 'entity':
      return '新华社'
    default:
      return '上海'
  }
}

export function parseQuery(query: string): ParsedQuery {
  const lexemes = lex(query.normalize('NFC'))
  const groups: QueryItem[][] = []
  let pendingOr = false
  for (let k = 0; k < lexemes.length; k++) {
    const lx = lexemes[k]!
    if (lx.or) {
      if (groups.length === 0 || pendingOr) {
        throw new SearchQueryError(
          'query-or-missing-term',
          'OR needs a search term on each side, e.g. 上海 OR 北京.',
          { side: 'both' }
        )
      }
      if (k === lexemes.length - 1) {
        throw new SearchQueryError(
          'query-or-missing-term',
          'OR needs a search term after it, e.g. 上海 OR 北京.',
          { side: 'right' }
        )
      }
      pendingOr = true
      continue
    }
    const item = toItem(lx)
    if (pendingOr) {
      const group = groups[groups.length - 1]!
      if (item.negated || group.some((g) => g.negated)) {
        throw new SearchQueryError(
          'query-excluded-in-or',
          `An excluded term cannot be part of OR (near '${lx.raw}'); exclude it separately.`,
          { near: lx.raw }
        )
      }
      group.push(item)
      pendingOr = false
    } else {
      groups.push([item])
    }
  }
  return { groups }
}
