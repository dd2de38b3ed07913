// searchArticles: query text → ranked, highlighted hits.
import type {
  SearchHit,
  SearchOptions,
  SearchResult,
  SearchSort
} from '../../../shared/search-types'
import type { Db } from '../library/open'
import { termToFts } from './fts-expression'
import { ensureSearchIndexCurrent } from './indexer'
import { SearchQueryError, parseQuery } from './query-parser'
import type { QueryItem } from './query-parser'
import { BM25_WEIGHTS, FTS_COLUMNS, FTS_TABLE } from './schema'
import { makeSnippetHtml, markRanges, findMatches, needleRegExp } from './snippet'
import type { Needle } from './snippet'
import { synonymsOf } from './synonyms'

const DEFAULT_LIMIT = 50
const MAX_LIMIT = 500
const CATEGORY_PATH_SEPARATOR = '\u001f'

const BM25 = `bm25(${FTS_TABLE}, ${FTS_COLUMNS.map((c) => BM25_WEIGHTS[c]).join(', ')})`

interface Compiled {
  /** FTS5 expression every hit must match (AND of the positive text groups), or null. */
  match: string | null
  /** Text that hits must not match (OR of excluded terms), or null. */
  exclude: string | null
  /** Extra SQL conditions on `a` (articles), AND-ed. */
  where: string[]
  params: unknown[]
  needles: Needle[]
}

function textItemToFts(
  db: Db,
  item: Extract<QueryItem, { kind: 'text' }>,
  needles: Needle[] | null
): string | null {
  const base = termToFts(item.value, !item.quoted)
  if (base === null) return null
  const alternatives = [base]
  needles?.push({ text: item.value, prefix: !item.quoted })
  if (!item.quoted) {
    for (const syn of synonymsOf(db, item.value)) {
      const alt = termToFts(syn, false)
      if (alt === null) continue
      alternatives.push(alt)
      needles?.push({ text: syn, prefix: false })
    }
  }
  const expr = alternatives.length === 1 ? base : `(${alternatives.join(' OR ')})`
  return item.field === null ? expr : `{${item.field}} : (${expr})`
}

function sqlCondition(
  db: Db,
  item: QueryItem,
  params: unknown[],
  needles: Needle[] | null
): string | null {
  switch (item.kind) {
    case 'text': {
      const fts = textItemToFts(db, item, needles)
      if (fts === null) return null
      params.push(fts)
      return `a.id IN (SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?)`
    }
    case 'structured': {
      if (item.field === 'category') {
        const asPath = item.value.split(/\s*[/›>]\s*/u).join(CATEGORY_PATH_SEPARATOR)
        params.push(item.value, asPath)
        // The named category and everything filed below it.
        return `a.id IN (SELECT ac.article_id FROM categories m
          JOIN categories c ON (c.path = m.path OR substr(c.path, 1, length(m.path) + 1) = m.path || char(31))
          JOIN article_categories ac ON ac.category_id = c.id
          WHERE lower(m.name) = lower(?) OR m.path = ?)`
      }
      params.push(item.value)
      if (item.field === 'tag') {
        return `a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id
          WHERE lower(t.name) = lower(?))`
      }
      return `a.id IN (SELECT ci.article_id FROM collection_items ci
        JOIN collections co ON co.id = ci.collection_id WHERE lower(co.name) = lower(?))`
    }
    case 'date':
      params.push(item.value)
      return item.field === 'after' ? 'a.published_at >= ?' : 'a.published_at < ?'
    case 'flag':
      switch (item.flag) {
        case 'has:annotation':
          return 'EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = a.id)'
        case 'is:unread':
          return 'a.read = 0'
        case 'is:read':
          return 'a.read = 1'
        case 'is:starred':
          return 'a.starred = 1'
      }
  }
}

/** A category/tag/collection that does not exist is almost always a typo: say so. */
function checkStructuredExists(db: Db, item: Extract<QueryItem, { kind: 'structured' }>): void {
  let found: unknown
  if (item.field === 'category') {
    const asPath = item.value.split(/\s*[/›>]\s*/u).join(CATEGORY_PATH_SEPARATOR)
    found = db
      .prepare('SELECT 1 FROM categories WHERE lower(name) = lower(?) OR path = ? LIMIT 1')
      .get(item.value, asPath)
  } else if (item.field === 'tag') {
    found = db.prepare('SELECT 1 FROM tags WHERE lower(name) = lower(?)').get(item.value)
  } else {
    found = db.prepare('SELECT 1 FROM collections WHERE lower(name) = lower(?)').get(item.value)
  }
  if (found === undefined) {
    throw new SearchQueryError(`There is no ${item.field} named '${item.value}' in this library.`)
  }
}

function compile(db: Db, query: string): Compiled {
  const parsed = parseQuery(query)
  const positive: string[] = []
  const excluded: string[] = []
  const where: string[] = []
  const params: unknown[] = []
  const needles: Needle[] = []
  let droppedText = 0
  for (const group of parsed.groups) {
    const only = group.length === 1 ? group[0]! : null
    if (only?.kind === 'structured' && !only.negated) checkStructuredExists(db, only)
    if (group.every((i) => i.kind === 'text')) {
      const first = group[0]
      if (first?.negated) {
        const fts = first.kind === 'text' ? textItemToFts(db, first, null) : null
        if (fts === null) droppedText++
        else excluded.push(fts)
        continue
      }
      const alts = group
        .map((i) => (i.kind === 'text' ? textItemToFts(db, i, needles) : null))
        .filter((x): x is string => x !== null)
      if (alts.length === 0) droppedText++
      else positive.push(alts.length === 1 ? alts[0]! : `(${alts.join(' OR ')})`)
      continue
    }
    const conds = group
      .map((i) => sqlCondition(db, i, params, i.negated ? null : needles))
      .filter((x): x is string => x !== null)
    if (conds.length === 0) continue
    const cond = conds.length === 1 ? conds[0]! : `(${conds.join(' OR ')})`
    where.push(only?.negated ? `NOT coalesce(${cond}, 0)` : cond)
  }
  if (positive.length === 0 && excluded.length === 0 && where.length === 0 && droppedText > 0) {
    throw new SearchQueryError(
      `Nothing to search for in '${query.trim()}': it has no letters or numbers.`
    )
  }
  return {
    match: positive.length > 0 ? positive.join(' AND ') : null,
    exclude: excluded.length > 0 ? excluded.join(' OR ') : null,
    where,
    params,
    needles
  }
}

function checkOptions(opts: SearchOptions): { limit: number; offset: number; sort: SearchSort } {
  const limit = opts.limit ?? DEFAULT_LIMIT
  const offset = opts.offset ?? 0
  const sort = opts.sort ?? 'relevance'
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new Error(
      `searchArticles: limit must be an integer from 1 to ${MAX_LIMIT}, got ${String(limit)}`
    )
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw new Error(`searchArticles: offset must be a non-negative integer, got ${String(offset)}`)
  }
  if (sort !== 'relevance' && sort !== 'date-desc' && sort !== 'date-asc') {
    throw new Error(
      `searchArticles: sort must be relevance, date-desc or date-asc, got ${String(sort)}`
    )
  }
  return { limit, offset, sort }
}

interface PageRow {
  id: number
  title: string
  published_at: string | null
  source: string | null
  author: string | null
  clean_text: string
}

export function searchArticles(db: Db, query: string, opts: SearchOptions = {}): SearchResult {
  const { limit, offset, sort: requested } = checkOptions(opts)
  if (typeof query !== 'string') throw new Error('searchArticles: query must be a string')
  const empty = (sort: SearchSort, error?: string): SearchResult => ({
    total: 0,
    offset,
    items: [],
    sort,
    highlightTerms: [],
    ...(error === undefined ? {} : { error })
  })
  if (query.trim() === '') return empty(requested)

  let compiled: Compiled
  try {
    compiled = compile(db, query)
  } catch (e) {
    if (e instanceof SearchQueryError) return empty(requested, e.message)
    throw e
  }
  ensureSearchIndexCurrent(db)

  const sort: SearchSort =
    requested === 'relevance' && compiled.match === null ? 'date-desc' : requested
  const where = ['a.deleted_at IS NULL', ...compiled.where]
  const params: unknown[] = []
  let from: string
  if (compiled.match !== null) {
    const match =
      compiled.exclude === null ? compiled.match : `(${compiled.match}) NOT (${compiled.exclude})`
    from = `${FTS_TABLE} JOIN articles a ON a.id = ${FTS_TABLE}.rowid`
    where.unshift(`${FTS_TABLE} MATCH ?`)
    params.push(match)
  } else {
    from = 'articles a'
    if (compiled.exclude !== null) {
      where.push(`a.id NOT IN (SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?)`)
    }
  }
  params.push(...compiled.params)
  if (compiled.match === null && compiled.exclude !== null) params.push(compiled.exclude)

  const score = compiled.match !== null ? BM25 : '0'
  const order =
    sort === 'relevance'
      ? 'score, a.id DESC'
      : sort === 'date-desc'
        ? 'a.published_at IS NULL, a.published_at DESC, a.id DESC'
        : 'a.published_at IS NULL, a.published_at ASC, a.id ASC'
  const whereSql = where.join(' AND ')

  let total: number
  let ranked: { id: number; score: number }[]
  try {
    total = (
      db.prepare(`SELECT count(*) AS n FROM ${from} WHERE ${whereSql}`).get(...params) as {
        n: number
      }
    ).n
    ranked = db
      .prepare(
        `SELECT a.id AS id, ${score} AS score FROM ${from} WHERE ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`
      )
      .all(...params, limit, offset) as { id: number; score: number }[]
  } catch (e) {
    // The expression is built from quoted strings only, so this should not happen; if it
    // does, the user still gets a sentence rather than SQLite's wording.
    if (e instanceof Error && /fts5|syntax/i.test(e.message)) {
      return empty(sort, `Could not search for '${query.trim()}'. Try removing special characters.`)
    }
    throw e
  }

  const regexps = compiled.needles.map(needleRegExp).filter((r): r is RegExp => r !== null)
  const getRow = db.prepare<[number], PageRow>(
    'SELECT id, title, published_at, source, author, clean_text FROM articles WHERE id = ?'
  )
  const items: SearchHit[] = []
  for (const r of ranked) {
    const row = getRow.get(r.id)
    if (!row) continue
    items.push({
      id: row.id,
      title: row.title,
      titleHtml: markRanges(row.title, findMatches(row.title, regexps)),
      publishedAt: row.published_at,
      source: row.source,
      author: row.author,
      snippetHtml: makeSnippetHtml(row.clean_text, regexps),
      score: r.score === 0 ? 0 : -r.score
    })
  }
  return {
    total,
    offset,
    items,
    sort,
    highlightTerms: [...new Set(compiled.needles.map((n) => n.text))]
  }
}
