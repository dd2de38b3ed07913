// searchArticles: query text → ranked, highlighted hits.
import type {
  SearchHit,
  SearchOptions,
  SearchResult,
  SearchSort
} from '../../../shared/search-types'
import type { Db } from '../library/open'
import { termToFts } from './fts-expression'
import { ensureVerified } from './indexer'
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

/** Category ids named by a category: value (by name at any level, or by path) and all below. */
function categoryIds(db: Db, value: string): number[] {
  const asPath = value.split(/\s*[/›>]\s*/u).join(CATEGORY_PATH_SEPARATOR)
  return (
    db
      .prepare(
        `SELECT DISTINCT c.id FROM categories m
         JOIN categories c ON (c.path = m.path OR substr(c.path, 1, length(m.path) + 1) = m.path || char(31))
         WHERE lower(m.name) = lower(?) OR m.path = ?`
      )
      .all(value, asPath) as { id: number }[]
  ).map((r) => r.id)
}

/**
 * An SQL condition on the article id, written with the placeholder $ID (replaced by the
 * driving table's id column). Every condition is "ID IN (ids from an index)", so no
 * article row, with its large text, is read to decide it.
 */
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
      return `$ID IN (SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?)`
    }
    case 'structured': {
      if (item.field === 'category') {
        const ids = categoryIds(db, item.value)
        if (ids.length === 0) return '0'
        params.push(...ids)
        return `$ID IN (SELECT article_id FROM article_categories WHERE category_id IN (${ids.map(() => '?').join(', ')}))`
      }
      params.push(item.value)
      if (item.field === 'tag') {
        return `$ID IN (SELECT article_id FROM article_tags
          WHERE tag_id IN (SELECT id FROM tags WHERE lower(name) = lower(?)))`
      }
      return `$ID IN (SELECT article_id FROM collection_items
        WHERE collection_id IN (SELECT id FROM collections WHERE lower(name) = lower(?)))`
    }
    case 'date':
      params.push(item.value)
      return item.field === 'after'
        ? '$ID IN (SELECT id FROM articles WHERE published_at >= ?)'
        : '$ID IN (SELECT id FROM articles WHERE published_at < ?)'
    case 'flag':
      switch (item.flag) {
        case 'has:annotation':
          return '$ID IN (SELECT article_id FROM annotations)'
        case 'is:unread':
          return '$ID IN (SELECT id FROM articles WHERE starred IN (0, 1) AND read = 0)'
        case 'is:read':
          return '$ID IN (SELECT id FROM articles WHERE starred IN (0, 1) AND read = 1)'
        case 'is:starred':
          return '$ID IN (SELECT id FROM articles WHERE starred = 1)'
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
    where.push(only?.negated ? `NOT (${cond})` : cond)
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

interface Plan {
  sort: SearchSort
  /** Counts all hits. */
  countSql: string
  /** Lists hit ids (and scores) in order; takes LIMIT and OFFSET as its last two parameters. */
  rankLimit: boolean
  pageSql: string
  params: unknown[]
}

// Relevance ranking computes bm25 for every hit. For very broad queries (a single common
// character) that alone would take longer than the whole search should, so only the newest
// matches (highest rowids: the latest imports) are ranked; the total stays exact.
const RANK_AT_MOST = 2000

function planQuery(compiled: Compiled, requested: SearchSort): Plan {
  const sort: SearchSort =
    requested === 'relevance' && compiled.match === null ? 'date-desc' : requested
  const params: unknown[] = []
  const dateOrder = (dir: 'DESC' | 'ASC'): string =>
    `a.published_at IS NULL, a.published_at ${dir}, a.id ${dir}`

  if (compiled.match !== null) {
    // The index drives; it never holds deleted articles (syncSearchIndex removes them).
    // '+rowid' keeps SQLite from handing the filters to FTS5 as rowid lookups, which
    // would re-run the match once per filtered id.
    const match =
      compiled.exclude === null ? compiled.match : `(${compiled.match}) NOT (${compiled.exclude})`
    params.push(match, ...compiled.params)
    const where = [
      `${FTS_TABLE} MATCH ?`,
      ...compiled.where.map((w) => w.replaceAll('$ID', `+${FTS_TABLE}.rowid`))
    ].join(' AND ')
    const countSql = `SELECT count(*) AS n FROM ${FTS_TABLE} WHERE ${where}`
    const pageSql =
      sort === 'relevance'
        ? `SELECT id, score FROM (
             SELECT ${FTS_TABLE}.rowid AS id, ${BM25} AS score FROM ${FTS_TABLE} WHERE ${where}
             ORDER BY ${FTS_TABLE}.rowid DESC LIMIT ?
           ) ORDER BY score, id DESC LIMIT ? OFFSET ?`
        : `SELECT a.id AS id, 0 AS score FROM ${FTS_TABLE} JOIN articles a ON a.id = ${FTS_TABLE}.rowid
           WHERE ${where} ORDER BY ${dateOrder(sort === 'date-asc' ? 'ASC' : 'DESC')} LIMIT ? OFFSET ?`
    return { sort, countSql, pageSql, params, rankLimit: sort === 'relevance' }
  }

  const where = ['a.deleted_at IS NULL', ...compiled.where.map((w) => w.replaceAll('$ID', 'a.id'))]
  params.push(...compiled.params)
  if (compiled.exclude !== null) {
    where.push(`a.id NOT IN (SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?)`)
    params.push(compiled.exclude)
  }
  const whereSql = where.join(' AND ')
  return {
    sort,
    countSql: `SELECT count(*) AS n FROM articles a WHERE ${whereSql}`,
    pageSql: `SELECT a.id AS id, 0 AS score FROM articles a WHERE ${whereSql}
      ORDER BY ${dateOrder(sort === 'date-asc' ? 'ASC' : 'DESC')} LIMIT ? OFFSET ?`,
    params,
    rankLimit: false
  }
}

/**
 * Every matching article id, newest first (for "select all results" and recall checks).
 * Throws SearchQueryError for a query that cannot be understood.
 */
export function searchArticleIds(db: Db, query: string): number[] {
  if (query.trim() === '') return []
  const compiled = compile(db, query)
  ensureVerified(db)
  const { pageSql, params } = planQuery(compiled, 'date-desc')
  return (db.prepare(pageSql).all(...params, -1, 0) as { id: number }[]).map((r) => r.id)
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
  ensureVerified(db)
  const { sort, countSql, pageSql, params, rankLimit } = planQuery(compiled, requested)

  let total: number
  let ranked: { id: number; score: number }[]
  try {
    total = (db.prepare(countSql).get(...params) as { n: number }).n
    ranked = db
      .prepare(pageSql)
      .all(
        ...params,
        ...(rankLimit ? [Math.max(RANK_AT_MOST, offset + limit)] : []),
        limit,
        offset
      ) as { id: number; score: number }[]
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
    'SELECT id, title, published_at, source, author, clean_text FROM articles WHERE id = ? AND deleted_at IS NULL'
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
