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
import { SearchQueryError } from './errors'
import { parseQuery } from './query-parser'
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
  /** Filter groups, AND-ed. */
  groups: FilterGroup[]
  needles: Needle[]
}

/**
 * One filter, in the two forms the planner chooses between. Both take `params`, in order.
 * - probe: a test of one candidate, cheap per candidate through an index keyed by article
 *   id: `$ID` is the candidate's id and `f.` its row in articles_search_filter. Null when
 *   there is no such test (text alternatives inside a filter's OR group).
 * - ids: the ids that satisfy it, read from the filter's own index, for `IN (...)`.
 */
interface FilterCond {
  probe: string | null
  ids: string
  params: unknown[]
}

/** Conditions OR-ed together (e.g. `tag:a OR tag:b`); `negated` for `-tag:a`. */
interface FilterGroup {
  conds: FilterCond[]
  negated: boolean
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

function namedIds(db: Db, table: 'tags' | 'collections', name: string): number[] {
  return (
    db.prepare(`SELECT id FROM ${table} WHERE lower(name) = lower(?)`).all(name) as {
      id: number
    }[]
  ).map((r) => r.id)
}

const NOTHING: FilterCond = { probe: '0', ids: 'SELECT NULL WHERE 0', params: [] }

/** A link-table filter: `column IN (ids)` on `table`, probed by its (article_id, …) key. */
function linkCond(table: string, column: string, ids: number[]): FilterCond {
  if (ids.length === 0) return NOTHING
  const list = ids.map(() => '?').join(', ')
  // Where the key starts with article_id, the probe seeks the candidate's few links and tests
  // each: '+' stops SQLite from seeking once per listed id instead (15 seeks per hit for a
  // category with 14 below it). collection_items' key starts with collection_id, so there
  // the seek is per listed collection (usually one).
  const plus = table === 'collection_items' ? '' : '+'
  return {
    probe: `EXISTS (SELECT 1 FROM ${table} WHERE ${plus}${column} IN (${list}) AND article_id = $ID)`,
    ids: `SELECT article_id FROM ${table} WHERE ${column} IN (${list})`,
    params: ids
  }
}

function filterCond(db: Db, item: QueryItem, needles: Needle[] | null): FilterCond | null {
  switch (item.kind) {
    case 'text': {
      const fts = textItemToFts(db, item, needles)
      if (fts === null) return null
      return {
        probe: null,
        ids: `SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?`,
        params: [fts]
      }
    }
    case 'structured':
      if (item.field === 'category') {
        return linkCond('article_categories', 'category_id', categoryIds(db, item.value))
      }
      if (item.field === 'tag')
        return linkCond('article_tags', 'tag_id', namedIds(db, 'tags', item.value))
      return linkCond('collection_items', 'collection_id', namedIds(db, 'collections', item.value))
    case 'date': {
      const op = item.field === 'after' ? '>=' : '<'
      return {
        // Never NULL for an undated article, so that NOT (…) keeps it, as NOT IN does.
        probe: `(f.published_at IS NOT NULL AND f.published_at ${op} ?)`,
        ids: `SELECT id FROM articles WHERE published_at ${op} ?`,
        params: [item.value]
      }
    }
    case 'flag':
      switch (item.flag) {
        case 'has:annotation':
          return {
            probe: 'EXISTS (SELECT 1 FROM annotations WHERE article_id = $ID)',
            ids: 'SELECT article_id FROM annotations',
            params: []
          }
        // 'starred IN (0, 1)' lets the (starred, read) index answer a test of read alone.
        case 'is:unread':
          return {
            probe: 'f.read = 0',
            ids: 'SELECT id FROM articles WHERE starred IN (0, 1) AND read = 0',
            params: []
          }
        case 'is:read':
          return {
            probe: 'f.read = 1',
            ids: 'SELECT id FROM articles WHERE starred IN (0, 1) AND read = 1',
            params: []
          }
        case 'is:starred':
          return {
            probe: 'f.starred = 1',
            ids: 'SELECT id FROM articles WHERE starred = 1',
            params: []
          }
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
    throw new SearchQueryError(
      'query-unknown-name',
      `There is no ${item.field} named '${item.value}' in this library.`,
      { field: item.field, value: item.value }
    )
  }
}

function compile(db: Db, query: string): Compiled {
  const parsed = parseQuery(query)
  const positive: string[] = []
  const excluded: string[] = []
  const groups: FilterGroup[] = []
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
      .map((i) => filterCond(db, i, i.negated ? null : needles))
      .filter((x): x is FilterCond => x !== null)
    if (conds.length === 0) continue
    groups.push({ conds, negated: only?.negated === true })
  }
  if (positive.length === 0 && excluded.length === 0 && groups.length === 0 && droppedText > 0) {
    throw new SearchQueryError(
      'query-nothing-to-search',
      `Nothing to search for in '${query.trim()}': it has no letters or numbers.`,
      { query: query.trim() }
    )
  }
  return {
    match: positive.length > 0 ? positive.join(' AND ') : null,
    exclude: excluded.length > 0 ? excluded.join(' OR ') : null,
    groups,
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
  /** Counts all hits; needed only when the page query could not (see below). */
  countSql: string
  /**
   * Relevance only: counts the hits older than a rowid (its last parameter), i.e. those a
   * full ranking window did not see, so the count pass skips what the page already counted.
   */
  countBelowSql: string | null
  /**
   * Lists hit ids and scores in order. With `rankLimit`, it takes the ranking window's size
   * before LIMIT and OFFSET, sees at most that many hits, and gives each row `total`: the
   * number it saw, and `oldest`: the lowest id it saw. A search with fewer hits than the
   * window needs no count pass; one with more counts only below `oldest`. (Date
   * orders give `total` null: they sort every hit, and counting the sorted rows with a window
   * function costs more than a separate count over the indexes.)
   */
  rankLimit: boolean
  pageSql: string
  params: unknown[]
}

// Relevance ranking computes bm25 for every hit. For very broad queries (a single common
// character) that alone would take longer than the whole search should, so only the newest
// matches (highest rowids: the latest imports) are ranked; the total stays exact.
const RANK_AT_MOST = 2000

// CPU cost per row of each way to apply a filter, measured on the 100k-article bench library
// (µs). They only need to be right relative to each other: the planner compares them.
/** Reading one of a filter's ids into a temporary IN-set (a b-tree insert). */
const IN_SET_COST = 0.5
/** Testing one candidate through an index keyed by article id (one seek). */
const PROBE_COST = 0.25
/** Visiting one full-text hit (or one entry of articles_search_filter) and testing an IN-set. */
const SCAN_COST = 0.06
/** FTS5 evaluating the match for one given rowid (a seek in every term's doclist). */
const ROWID_MATCH_COST = 4

/** The small per-article index (migration m5); see there for why it is named explicitly. */
const FILTER_ROWS = 'articles f INDEXED BY articles_search_filter'

function countRows(db: Db, sql: string, params: unknown[]): number {
  return (db.prepare(`SELECT count(*) AS n FROM (${sql})`).get(...params) as { n: number }).n
}

/** How many ids a group's `IN (...)` set would hold: the sum of its filters' (from their indexes). */
function groupSize(db: Db, g: FilterGroup): number {
  let n = 0
  for (const c of g.conds) n += c.probe === '0' ? 0 : countRows(db, c.ids, c.params)
  return n
}

function groupIdsSql(g: FilterGroup): string {
  return g.conds.map((c) => c.ids).join(' UNION ALL ')
}

function groupParams(g: FilterGroup): unknown[] {
  return g.conds.flatMap((c) => c.params)
}

export type FilterStrategy = 'drive' | 'in' | 'probe'
type Strategy = FilterStrategy

// Tests set this to run every filter one way, so each way is checked against the others on
// the same data (the cost model would otherwise pick by size, and small libraries pick few).
let forcedStrategy: FilterStrategy | null = null
export function forceFilterStrategyForTests(strategy: FilterStrategy | null): void {
  forcedStrategy = strategy
}

/**
 * Picks how each filter group is applied to `candidates` rows (full-text hits, or live
 * articles): probed per candidate, as a precomputed IN-set, or — for the one most selective
 * group, when it is far smaller than the candidates — as the driver that lists ids to test.
 * `driveCost` is the cost per driving id. With `inPlace`, tests of f's columns (date, flags)
 * cost nothing extra, since the candidates are f's rows themselves.
 */
function chooseStrategies(
  db: Db,
  groups: FilterGroup[],
  candidates: number,
  driveCost: number,
  inPlace: boolean
): Strategy[] {
  if (forcedStrategy !== null) {
    const forced = forcedStrategy
    let drove = false
    return groups.map((g): Strategy => {
      // Only one group drives, and never a negated one; text alternatives cannot be probed.
      if (forced === 'drive' && !g.negated && !drove) return ((drove = true), 'drive')
      if (forced === 'probe' && g.conds.every((c) => c.probe !== null)) return 'probe'
      return 'in'
    })
  }
  const sizes = groups.map((g) => groupSize(db, g))
  const probeCosts = groups.map((g) =>
    g.conds.some((c) => c.probe === null)
      ? Infinity
      : g.conds.reduce((sum, c) => sum + (inPlace && c.probe!.startsWith('f.') ? 0 : PROBE_COST), 0)
  )
  const strategies = groups.map((_, i): Strategy =>
    sizes[i]! * IN_SET_COST < candidates * probeCosts[i]! ? 'in' : 'probe'
  )
  let best = -1
  groups.forEach((g, i) => {
    if (g.negated) return
    const applied =
      candidates * SCAN_COST +
      (strategies[i] === 'in' ? sizes[i]! * IN_SET_COST : candidates * probeCosts[i]!)
    if (sizes[i]! * driveCost < applied && (best < 0 || sizes[i]! < sizes[best]!)) best = i
  })
  if (best >= 0) strategies[best] = 'drive'
  return strategies
}

/** The WHERE terms for the groups, with their parameters in order. */
function groupTerms(
  groups: FilterGroup[],
  strategies: Strategy[],
  idColumn: string
): { terms: string[]; params: unknown[]; usesF: boolean } {
  const terms: string[] = []
  const params: unknown[] = []
  let usesF = false
  groups.forEach((g, i) => {
    const not = g.negated ? 'NOT ' : ''
    params.push(...groupParams(g))
    if (strategies[i] === 'probe') {
      const probes = g.conds.map((c) => (c.probe ?? '0').replaceAll('$ID', idColumn))
      if (probes.some((p) => p.includes('f.'))) usesF = true
      terms.push(`${not}(${probes.join(' OR ')})`)
    } else {
      // '+' keeps SQLite from handing the set to the driving table as id lookups; only the
      // driver is meant to be used that way.
      const col = strategies[i] === 'drive' ? idColumn : `+${idColumn}`
      terms.push(`${col} ${not}IN (${groupIdsSql(g)})`)
    }
  })
  return { terms, params, usesF }
}

function planQuery(db: Db, compiled: Compiled, requested: SearchSort): Plan {
  const sort: SearchSort =
    requested === 'relevance' && compiled.match === null ? 'date-desc' : requested
  const dateOrder = (dir: 'DESC' | 'ASC'): string =>
    `f.published_at IS NULL, f.published_at ${dir}, f.id ${dir}`

  if (compiled.match !== null) {
    // The index drives; it never holds deleted articles (syncSearchIndex removes them).
    const match =
      compiled.exclude === null ? compiled.match : `(${compiled.match}) NOT (${compiled.exclude})`
    const hits =
      compiled.groups.length === 0
        ? 0
        : countRows(db, `SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?`, [match])
    const strategies = chooseStrategies(db, compiled.groups, hits, ROWID_MATCH_COST, false)
    const g = groupTerms(compiled.groups, strategies, `${FTS_TABLE}.rowid`)
    const where = [`${FTS_TABLE} MATCH ?`, ...g.terms].join(' AND ')
    const params = [match, ...g.params]
    // CROSS JOIN: the full-text index stays the outer loop; f is one seek per hit.
    const joinF = `CROSS JOIN ${FILTER_ROWS} ON f.id = ${FTS_TABLE}.rowid`
    const from = `${FTS_TABLE} ${g.usesF ? joinF : ''}`
    const countSql = `SELECT count(*) AS n FROM ${from} WHERE ${where}`
    const pageSql =
      sort === 'relevance'
        ? `SELECT id, score, count(*) OVER () AS total, min(id) OVER () AS oldest FROM (
             SELECT ${FTS_TABLE}.rowid AS id, ${BM25} AS score FROM ${from} WHERE ${where}
             ORDER BY ${FTS_TABLE}.rowid DESC LIMIT ?
           ) ORDER BY score, id DESC LIMIT ? OFFSET ?`
        : `SELECT f.id AS id, 0 AS score, NULL AS total FROM ${FTS_TABLE} ${joinF}
           WHERE ${where} ORDER BY ${dateOrder(sort === 'date-asc' ? 'ASC' : 'DESC')} LIMIT ? OFFSET ?`
    // FTS5 takes the rowid bound as a range, so this scans only the older part of each doclist.
    // Only with filters: there each hit costs a probe, so skipping the window's hits pays;
    // a bare match counts faster without the bound (measured: 上 4.6 vs 6.3 ms).
    const countBelowSql =
      sort === 'relevance' && compiled.groups.length > 0
        ? `${countSql} AND ${FTS_TABLE}.rowid < ?`
        : null
    return { sort, countSql, countBelowSql, pageSql, params, rankLimit: sort === 'relevance' }
  }

  // Filters only: one pass over the small per-article index, whose entries carry the date
  // and flags, so most filters are tested in place.
  const live =
    (db.prepare('SELECT max(id) AS n FROM articles').get() as { n: number | null }).n ?? 0
  const strategies = chooseStrategies(db, compiled.groups, live, PROBE_COST, true)
  const g = groupTerms(compiled.groups, strategies, 'f.id')
  const where = ['f.deleted_at IS NULL', ...g.terms]
  const params = [...g.params]
  if (compiled.exclude !== null) {
    where.push(`+f.id NOT IN (SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?)`)
    params.push(compiled.exclude)
  }
  const whereSql = where.join(' AND ')
  return {
    sort,
    countSql: `SELECT count(*) AS n FROM ${FILTER_ROWS} WHERE ${whereSql}`,
    countBelowSql: null,
    pageSql: `SELECT f.id AS id, 0 AS score, NULL AS total FROM ${FILTER_ROWS} WHERE ${whereSql}
      ORDER BY ${dateOrder(sort === 'date-asc' ? 'ASC' : 'DESC')} LIMIT ? OFFSET ?`,
    params,
    rankLimit: false
  }
}

/**
 * The SQL a search would run (for EXPLAIN QUERY PLAN in tests and benchmarks). Throws
 * SearchQueryError for a query that cannot be understood.
 */
export function planSearch(
  db: Db,
  query: string,
  sort: SearchSort = 'relevance'
): { countSql: string; pageSql: string; params: unknown[] } {
  const compiled = compile(db, query)
  ensureVerified(db)
  const { countSql, pageSql, params } = planQuery(db, compiled, sort)
  return { countSql, pageSql, params }
}

/**
 * Every matching article id, newest first (for "select all results" and recall checks).
 * Throws SearchQueryError for a query that cannot be understood.
 */
export function searchArticleIds(db: Db, query: string): number[] {
  if (query.trim() === '') return []
  const compiled = compile(db, query)
  ensureVerified(db)
  const { pageSql, params } = planQuery(db, compiled, 'date-desc')
  return (db.prepare(pageSql).all(...params, -1, 0) as { id: number }[]).map((r) => r.id)
}

export function searchArticles(db: Db, query: string, opts: SearchOptions = {}): SearchResult {
  const { limit, offset, sort: requested } = checkOptions(opts)
  if (typeof query !== 'string') throw new Error('searchArticles: query must be a string')
  const empty = (sort: SearchSort, error?: SearchQueryError): SearchResult => ({
    total: 0,
    offset,
    items: [],
    sort,
    highlightTerms: [],
    ...(error === undefined
      ? {}
      : {
          error: error.message,
          queryError: { code: error.code, message: error.message, params: error.params }
        })
  })
  if (query.trim() === '') return empty(requested)

  let compiled: Compiled
  try {
    compiled = compile(db, query)
  } catch (e) {
    if (e instanceof SearchQueryError) return empty(requested, e)
    throw e
  }
  ensureVerified(db)
  const { sort, countSql, countBelowSql, pageSql, params, rankLimit } = planQuery(
    db,
    compiled,
    requested
  )

  let total: number
  let ranked: { id: number; score: number; total: number | null; oldest?: number }[]
  try {
    const window = Math.max(RANK_AT_MOST, offset + limit)
    ranked = db
      .prepare(pageSql)
      .all(...params, ...(rankLimit ? [window] : []), limit, offset) as typeof ranked
    const seen = ranked[0]?.total
    const oldest = ranked[0]?.oldest
    // A second pass only when the page could not count: date orders, past the last hit, or
    // a full ranking window (then only the hits older than the window are left to count).
    if (seen !== undefined && seen !== null && seen < window) total = seen
    else if (seen !== undefined && seen !== null && oldest !== undefined && countBelowSql) {
      total = seen + (db.prepare(countBelowSql).get(...params, oldest) as { n: number }).n
    } else total = (db.prepare(countSql).get(...params) as { n: number }).n
  } catch (e) {
    // The expression is built from quoted strings only, so this should not happen; if it
    // does, the user still gets a sentence rather than SQLite's wording.
    if (e instanceof Error && /fts5|syntax/i.test(e.message)) {
      return empty(
        sort,
        new SearchQueryError(
          'query-unsearchable',
          `Could not search for '${query.trim()}'. Try removing special characters.`,
          { query: query.trim() }
        )
      )
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
