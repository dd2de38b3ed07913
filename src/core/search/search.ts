// searchArticles: query text → ranked, highlighted hits.
import type {
  SearchHit,
  SearchOptions,
  SearchQueryErrorData,
  SearchResult,
  SearchScope,
  SearchSort
} from '../../shared/search-types'
import { InvalidArgumentsError } from '../../shared/validate'
import type { Db } from '../library/open'
import { stmt } from '../library/statements'
import { SearchQueryError, SearchTooBroadError } from './search-errors'
import {
  flagCond,
  linkCond,
  storyCond,
  termCond,
  type FilterCond,
  type FilterGroup
} from './filter-cond'
import { termToFts } from './fts-expression'
import { ensureVerified } from './indexer'
import { cachedOrder, type HitOrder } from './order-cache'
import { parseQuery } from './query-parser'
import type { QueryItem } from './query-parser'
import { BM25_WEIGHTS, FTS_COLUMNS, FTS_TABLE } from './schema'
import { makeSnippetHtml, markRanges, findMatches, needleRegExp } from './snippet'
import type { Needle } from './snippet'
import { scopeFilters } from './scope'
import { synonymsOf } from './synonyms'
import { phraseFold } from './fold'

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

function textItemToFts(
  db: Db,
  item: Extract<QueryItem, { kind: 'text' }>,
  needles: Needle[] | null
): string | null {
  const base = termToFts(item.value, !item.quoted)
  if (base === null) return null
  const alternatives = [base]
  needles?.push({ text: item.value, prefix: !item.quoted })
  // A Traditional word whose Simplified form no per-character fold reaches (瞭解 → 了解).
  const phrased = phraseFold(item.value)
  const phrasedFts = phrased === null ? null : termToFts(phrased, !item.quoted)
  if (phrased !== null && phrasedFts !== null) {
    alternatives.push(phrasedFts)
    needles?.push({ text: phrased, prefix: !item.quoted })
  }
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
      if (item.field === 'entity' || item.field === 'keyword')
        return termCond(item.field, item.value)
      if (item.field === 'story') return storyCond(Number(item.value))
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
      return flagCond(item.flag)
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
  } else if (item.field === 'entity' || item.field === 'keyword') {
    const { ids, params } = termCond(item.field, item.value)
    found = db.prepare(`${ids} LIMIT 1`).get(...params)
  } else if (item.field === 'story') {
    found = db.prepare('SELECT 1 FROM stories WHERE id = ?').get(Number(item.value))
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

/** The query's own words and filters. */
function compileQuery(db: Db, query: string): Compiled {
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

function joined(a: string | null, b: string | null, op: 'AND' | 'OR'): string | null {
  if (a === null) return b
  if (b === null) return a
  return `(${a}) ${op} (${b})`
}

/**
 * The query within a scope: the scope's filters, and a smart collection's saved search, are
 * AND-ed on. Only the typed words are highlighted.
 */
function compile(db: Db, query: string, scope: SearchScope | undefined): Compiled {
  const own = compileQuery(db, query)
  if (scope === undefined) return own
  const { groups, savedQuery } = scopeFilters(db, scope)
  own.groups.push(...groups)
  if (savedQuery === null || savedQuery.trim() === '') return own
  const saved = compileQuery(db, savedQuery)
  return {
    match: joined(own.match, saved.match, 'AND'),
    exclude: joined(own.exclude, saved.exclude, 'OR'),
    groups: [...own.groups, ...saved.groups],
    needles: own.needles
  }
}

function checkOptions(opts: SearchOptions): { limit: number; offset: number; sort: SearchSort } {
  const limit = opts.limit ?? DEFAULT_LIMIT
  const offset = opts.offset ?? 0
  const sort = opts.sort ?? 'relevance'
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new InvalidArgumentsError(
      `searchArticles: limit must be an integer from 1 to ${MAX_LIMIT}, got ${String(limit)}`
    )
  }
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new InvalidArgumentsError(
      `searchArticles: offset must be a non-negative integer, got ${String(offset)}`
    )
  }
  if (sort !== 'relevance' && sort !== 'date-desc' && sort !== 'date-asc') {
    throw new InvalidArgumentsError(
      `searchArticles: sort must be relevance, date-desc or date-asc, got ${String(sort)}`
    )
  }
  return { limit, offset, sort }
}

interface PageRow {
  id: number
  title: string
  published_at: string | null
  imported_at: string
  source: string | null
  author: string | null
  clean_text: string
  read: number
  starred: number
  category_path: string | null
  annotation_count: number
}

interface Plan {
  sort: SearchSort
  /** Counts every hit (no ranking work). */
  countSql: string
  /**
   * Every hit as (id, score), in the sort's total order: relevance is bm25 over every hit with
   * ties newest first; dates put undated articles last, ties by id. A page appends LIMIT and
   * OFFSET, which SQLite answers with a sorter that keeps only offset + limit rows.
   */
  orderSql: string
  params: unknown[]
  /**
   * Newest first with words and no filters: the match, for a first page read from the date
   * index (see newestFirstPage).
   */
  newestFirstMatch: string | null
}

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
/** Per hit, when the full-text index drives a date order: reading its date and sorting it. */
const DATE_SORT_COST = 0.3
/** A date-driven first page scans at most this many times the articles its density predicts. */
const DATE_SCAN_SLACK = 2

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
    const orderSql =
      sort === 'relevance'
        ? `SELECT ${FTS_TABLE}.rowid AS id, ${BM25} AS score FROM ${from} WHERE ${where}
           ORDER BY score, id DESC`
        : `SELECT f.id AS id, 0 AS score FROM ${FTS_TABLE} ${joinF} WHERE ${where}
           ORDER BY ${dateOrder(sort === 'date-asc' ? 'ASC' : 'DESC')}`
    return {
      sort,
      countSql: `SELECT count(*) AS n FROM ${from} WHERE ${where}`,
      orderSql,
      params,
      newestFirstMatch: sort === 'date-desc' && compiled.groups.length === 0 ? match : null
    }
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
    orderSql: `SELECT f.id AS id, 0 AS score FROM ${FILTER_ROWS} WHERE ${whereSql}
      ORDER BY ${dateOrder(sort === 'date-asc' ? 'ASC' : 'DESC')}`,
    params,
    newestFirstMatch: null
  }
}

// Articles newest first, from the live-date index (m4): NULL dates sort last in DESC, as in
// dateOrder.
const NEWEST_LIVE = `SELECT f.id FROM articles f INDEXED BY articles_live
  WHERE f.deleted_at IS NULL ORDER BY f.published_at DESC, f.id DESC LIMIT ?`

/** Walking one article of the date index and looking it up among the hits (µs). */
const DATE_WALK_COST = 0.5

/**
 * The articles a newest-first page would walk in the date index, or null when letting the
 * full-text index drive costs less: a word in a third of the library fills 50 rows after
 * about 150 articles, where dating and sorting its hits means 300,000 seeks at a million.
 */
function newestFirstScan(total: number, live: number, limit: number): number | null {
  if (total === 0) return null
  const expected = (limit * live) / total
  if (expected * DATE_WALK_COST >= total * DATE_SORT_COST) return null
  return Math.ceil(expected * DATE_SCAN_SLACK) + 100
}

/**
 * The first page of a newest-first search: every hit's id read once from the index (its
 * doclists, in id order, without reading an article row), then the date index walked until
 * the page is full. Asking the index about each article instead (a seek in every doclist)
 * cost 70 µs to 1.7 ms an article at a million: a prefix or an exclusion merges doclists at
 * each seek, and "market" by date took 3.5 s. `page` is null when the full-text index should
 * drive, or when the walked articles held too few hits (they cluster in older articles): the
 * caller then sorts every hit, so the page is the same either way.
 */
function newestFirstPage(
  db: Db,
  plan: Plan,
  limit: number
): { page: { id: number; score: number }[] | null; total: number | null } {
  if (plan.newestFirstMatch === null) return { page: null, total: null }
  const ids = stmt<[string], number>(
    db,
    `SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?`
  )
    .pluck()
    .all(plan.newestFirstMatch)
  const total = ids.length
  const live = stmt<[], { n: number | null }>(db, 'SELECT max(id) AS n FROM articles').get()!.n ?? 0
  const scan = newestFirstScan(total, live, limit)
  if (scan === null) return { page: null, total }
  const hit = new Uint8Array(live + 1)
  for (const id of ids) if (id <= live) hit[id] = 1
  const page: { id: number; score: number }[] = []
  for (const id of stmt<[number], number>(db, NEWEST_LIVE).pluck().iterate(scan)) {
    if (hit[id] !== 1) continue
    page.push({ id, score: 0 })
    if (page.length === limit) break
  }
  // Fewer than a page is the whole answer only when every live article was looked at.
  return { page: page.length < limit && scan < live ? null : page, total }
}

const PAGE = ' LIMIT ? OFFSET ?'

function countHits(db: Db, plan: Plan): number {
  return (db.prepare(plan.countSql).get(...plan.params) as { n: number }).n
}

/** Every hit in order, ranked once and kept while the library is unchanged. */
function hitOrder(db: Db, plan: Plan): HitOrder {
  return cachedOrder(db, JSON.stringify([plan.orderSql, plan.params]), () => {
    // Streamed into typed arrays (16 bytes a hit): a million rows as JS arrays first would
    // hold ten times that.
    let ids = new Float64Array(1024)
    let scores = new Float64Array(1024)
    let n = 0
    const rows = db
      .prepare(plan.orderSql)
      .raw()
      .iterate(...plan.params) as IterableIterator<[number, number]>
    for (const [id, score] of rows) {
      if (n === ids.length) {
        const grownIds = new Float64Array(n * 2)
        grownIds.set(ids)
        ids = grownIds
        const grownScores = new Float64Array(n * 2)
        grownScores.set(scores)
        scores = grownScores
      }
      ids[n] = id
      scores[n] = score
      n++
    }
    return {
      ids: ids.slice(0, n),
      scores: plan.sort === 'relevance' ? scores.slice(0, n) : null
    }
  })
}

/**
 * Runs `read` on one snapshot of the library, so a page, its total and the order it came
 * from agree even while another process writes.
 */
function onSnapshot<T>(db: Db, read: () => T): T {
  // A read-only transaction: it never writes, so it cannot meet the deferred-upgrade failure
  // that write transactions avoid with writeTx.
  // eslint-disable-next-line no-restricted-syntax
  return db.inTransaction ? read() : db.transaction(read).deferred()
}

/** The query and scope planned for `sort`; throws SearchQueryError. */
function prepare(
  db: Db,
  query: string,
  sort: SearchSort,
  scope: SearchScope | undefined
): { compiled: Compiled; plan: Plan } {
  const compiled = compile(db, query, scope)
  ensureVerified(db)
  return { compiled, plan: planQuery(db, compiled, sort) }
}

/**
 * The SQL a search would run (for EXPLAIN QUERY PLAN in tests and benchmarks). Throws
 * SearchQueryError for a query that cannot be understood.
 */
export function planSearch(
  db: Db,
  query: string,
  sort: SearchSort = 'relevance',
  scope?: SearchScope,
  limit = DEFAULT_LIMIT
): {
  countSql: string
  pageSql: string
  params: unknown[]
  /** A first page read from the date index: the walk's SQL and its parameters (its hits are
   * the articles walked that the match's ids hold). */
  newestFirst: { sql: string; params: unknown[] } | null
} {
  const { plan } = prepare(db, query, sort, scope)
  let newestFirst: { sql: string; params: unknown[] } | null = null
  if (plan.newestFirstMatch !== null) {
    const live = stmt<[], { n: number | null }>(db, 'SELECT max(id) AS n FROM articles').get()!.n
    const scan = newestFirstScan(countHits(db, plan), live ?? 0, limit)
    if (scan !== null) newestFirst = { sql: NEWEST_LIVE, params: [scan] }
  }
  return {
    countSql: plan.countSql,
    pageSql: plan.orderSql + PAGE,
    params: plan.params,
    newestFirst
  }
}

/** At most this many ids by default from searchArticleIds: the API's bound on an id list. */
export const ALL_HITS_MAX = 100_000

export interface AllHitsOptions {
  /** Default 'relevance', as in searchArticles. */
  sort?: SearchSort
  scope?: SearchScope
  /** Refuse (SearchTooBroadError) when there are more hits than this; default ALL_HITS_MAX. */
  max?: number
}

/**
 * Every matching article id, in the order searchArticles pages through them (for smart
 * collections, export --query, "all hits" bulk actions and recall checks). A query with more
 * hits than `max` is refused before any ranking, with its true total: never cut silently.
 * Throws SearchQueryError for a query that cannot be understood.
 */
export function searchArticleIds(db: Db, query: string, opts: AllHitsOptions = {}): number[] {
  if (query.trim() === '') return []
  const { plan } = prepare(db, query, opts.sort ?? 'relevance', opts.scope)
  const max = opts.max ?? ALL_HITS_MAX
  return onSnapshot(db, () => {
    const total = countHits(db, plan)
    if (total > max) throw new SearchTooBroadError(query.trim(), total, max)
    return Array.from(hitOrder(db, plan).ids)
  })
}

/** How many articles match (no ranking). Throws SearchQueryError. */
export function countSearchHits(db: Db, query: string, scope?: SearchScope): number {
  if (query.trim() === '') return 0
  const { plan } = prepare(db, query, 'date-desc', scope)
  return countHits(db, plan)
}

function queryErrorData(e: SearchQueryError): SearchQueryErrorData {
  return { code: e.code, message: e.message, params: e.params }
}

export function searchArticles(db: Db, query: string, opts: SearchOptions = {}): SearchResult {
  const { limit, offset, sort: requested } = checkOptions(opts)
  if (typeof query !== 'string')
    throw new InvalidArgumentsError('searchArticles: query must be a string')
  const empty = (sort: SearchSort, error?: SearchQueryError): SearchResult => ({
    total: 0,
    offset,
    items: [],
    sort,
    highlightTerms: [],
    ...(error === undefined ? {} : { error: error.message, queryError: queryErrorData(error) })
  })
  if (query.trim() === '') return empty(requested)

  let compiled: Compiled
  let plan: Plan
  try {
    ;({ compiled, plan } = prepare(db, query, requested, opts.scope))
  } catch (e) {
    if (e instanceof SearchQueryError) return empty(requested, e)
    throw e
  }

  let total: number
  let page: { id: number; score: number }[]
  try {
    ;({ total, page } = onSnapshot(db, () => {
      if (offset === 0) {
        const newest = newestFirstPage(db, plan, limit)
        if (newest.page !== null) return { page: newest.page, total: newest.total! }
        // The first page: SQLite keeps the best `limit` hits while it scores every one, which
        // costs less than ordering them all; the count scores nothing.
        const rows = db.prepare(plan.orderSql + PAGE).all(...plan.params, limit, 0) as {
          id: number
          score: number
        }[]
        const total = rows.length < limit ? rows.length : (newest.total ?? countHits(db, plan))
        return { page: rows, total }
      }
      // Later pages come from the whole order, ranked once: a list scrolled to its end
      // then costs one ranking, not one per page.
      const order = hitOrder(db, plan)
      const end = Math.min(order.ids.length, offset + limit)
      const rows: { id: number; score: number }[] = []
      for (let i = offset; i < end; i++) {
        rows.push({ id: order.ids[i]!, score: order.scores?.[i] ?? 0 })
      }
      return { page: rows, total: order.ids.length }
    }))
  } catch (e) {
    // The expression is built from quoted strings only, so this should not happen; if it
    // does, the user still gets a sentence rather than SQLite's wording.
    if (e instanceof Error && /fts5|syntax/i.test(e.message)) {
      return empty(
        plan.sort,
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
  const getRow = stmt<[number], PageRow>(
    db,
    // What the list row shows besides the match: the same fields as the article list's rows.
    `SELECT a.id, a.title, a.published_at, a.imported_at, a.source, a.author, a.clean_text,
            a.read, a.starred,
            (SELECT c.path FROM article_categories ac JOIN categories c ON c.id = ac.category_id
              WHERE ac.article_id = a.id ORDER BY length(c.path) DESC LIMIT 1) AS category_path,
            (SELECT COUNT(*) FROM annotations n WHERE n.article_id = a.id) AS annotation_count
       FROM articles a WHERE a.id = ? AND a.deleted_at IS NULL`
  )
  const items: SearchHit[] = []
  for (const r of page) {
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
      score: r.score === 0 ? 0 : -r.score,
      importedAt: row.imported_at,
      categoryPath: row.category_path ? row.category_path.split(CATEGORY_PATH_SEPARATOR) : [],
      read: row.read === 1,
      starred: row.starred === 1,
      annotationCount: row.annotation_count
    })
  }
  return {
    total,
    offset,
    items,
    sort: plan.sort,
    highlightTerms: [...new Set(compiled.needles.map((n) => n.text))]
  }
}
