// Learning each source's boilerplate from the library: every article's head and tail lines are
// counted per source (once per article, once per distinct body); a line shared by LEARN_AT
// articles of different bodies is that source's boilerplate from then on. The user can switch
// a learned line off for its source (the text then stays in its articles) and on again.
import type { Db } from '../library/open'
import { stmt } from '../library/statements'
import { edgeLinesOf, type Edge, type EdgeLines } from './edge-lines'
import { isHostKey, sourceKeyOf, type SourceFields } from './source-key'

/** Articles with different bodies a line must be seen in to be learned. Never 1: text that
 * occurs in one article is never boilerplate. */
export const LEARN_AT = 3
/**
 * And the share of the source's articles since the line was first seen that have it: a
 * source's notice is on (nearly) all of them, or on one template's share; a paragraph a
 * source happens to repeat (a recurring quote, a digest's old item) is on a few.
 */
export const LEARN_SHARE = 0.6
/** Witnesses kept per line: enough to tell LEARN_AT different bodies apart. */
const WITNESSES_KEPT = 8
/** Lines seen in fewer than LEARN_AT articles kept per source (newest first); older are pruned. */
const UNLEARNED_KEPT = 1500
/** Prune a source's lines after this many of its articles were counted. */
const PRUNE_EVERY = 500

export type LineState = 'counting' | 'learned' | 'off'

export interface SourceLine {
  sourceKey: string
  edge: Edge
  hash: string
  text: string
  articles: number
  state: LineState
}

interface LineRow {
  since: number
  source_key: string
  edge: Edge
  hash: string
  text: string
  articles: number
  witnesses: string
  state: LineState
}

const toLine = (r: LineRow): SourceLine => ({
  sourceKey: r.source_key,
  edge: r.edge,
  hash: r.hash,
  text: r.text,
  articles: r.articles,
  state: r.state
})

/**
 * Counts an article's edge lines for its source, unless it was counted before (a re-clean of
 * the same article). Call inside the write transaction that stores the article. Returns the
 * lines this article made learned (their source's older articles need re-cleaning).
 */
export function learnFromArticle(
  db: Db,
  articleId: number,
  a: SourceFields & { title: string; cleanText: string },
  opts: { changed?: boolean; edges?: EdgeLines } = {}
): SourceLine[] {
  const key = sourceKeyOf(a)
  if (!key) return []
  // A changed file brings new lines: count them (its known ones are known by their witness).
  if (opts.changed) stmt(db, 'DELETE FROM source_lines_counted WHERE article_id = ?').run(articleId)
  const fresh = stmt(db, 'INSERT OR IGNORE INTO source_lines_counted (article_id) VALUES (?)').run(
    articleId
  ).changes
  if (!fresh) return []
  const { lines, witness } = opts.edges ?? edgeLinesOf(a.cleanText, a.title)
  stmt(
    db,
    `INSERT INTO source_counts (source_key, articles) VALUES (?, 1)
     ON CONFLICT (source_key) DO UPDATE SET articles = articles + 1`
  ).run(key)
  const counted = (
    stmt(db, 'SELECT articles FROM source_counts WHERE source_key = ?').get(key) as {
      articles: number
    }
  ).articles
  // One read for all of the article's lines (an import runs this for every article).
  const stored = new Map(
    stmt<[string, string, string, string], LineRow>(
      db,
      `SELECT * FROM source_lines WHERE source_key = ? AND edge = 'head'
          AND hash IN (SELECT value FROM json_each(?))
       UNION ALL
       SELECT * FROM source_lines WHERE source_key = ? AND edge = 'tail'
          AND hash IN (SELECT value FROM json_each(?))`
    )
      .all(
        key,
        JSON.stringify(lines.filter((l) => l.edge === 'head').map((l) => l.hash)),
        key,
        JSON.stringify(lines.filter((l) => l.edge === 'tail').map((l) => l.hash))
      )
      .map((r) => [`${r.edge}:${r.hash}`, r])
  )
  const insert = stmt(
    db,
    `INSERT INTO source_lines (source_key, edge, hash, text, articles, witnesses, last_seen, since)
     VALUES (?, ?, ?, ?, 1, ?, ?, ?)`
  )
  const update = stmt(
    db,
    `UPDATE source_lines SET articles = ?, witnesses = ?, state = ?, pending = pending OR ?,
            last_seen = ?
      WHERE source_key = ? AND edge = ? AND hash = ?`
  )
  const learned: SourceLine[] = []
  for (const line of lines) {
    const row = stored.get(`${line.edge}:${line.hash}`)
    if (!row) {
      insert.run(key, line.edge, line.hash, line.text, witness, articleId, counted - 1)
      continue
    }
    const witnesses = row.witnesses.split(' ')
    const known = witnesses.includes(witness)
    // A full witness list cannot tell a new body from an old one: by then the line is
    // learned, and the count only says how common it is.
    if (known && witnesses.length < WITNESSES_KEPT) continue
    if (!known && witnesses.length < WITNESSES_KEPT) witnesses.push(witness)
    const articles = row.articles + 1
    const becomes =
      row.state === 'counting' &&
      witnesses.length >= LEARN_AT &&
      articles >= LEARN_SHARE * (counted - row.since)
    const state: LineState = becomes ? 'learned' : row.state
    update.run(
      articles,
      witnesses.join(' '),
      state,
      becomes ? 1 : 0,
      articleId,
      key,
      line.edge,
      line.hash
    )
    if (becomes) learned.push({ ...toLine(row), articles, state })
  }
  if (counted % PRUNE_EVERY === 0) pruneUnlearned(db, key)
  return learned
}

/** Drops a source's oldest lines seen too few times to be learned, beyond UNLEARNED_KEPT. */
function pruneUnlearned(db: Db, sourceKey: string): number {
  const edge = stmt<[string, number], { last_seen: number }>(
    db,
    `SELECT last_seen FROM source_lines WHERE source_key = ? AND state = 'counting'
      ORDER BY last_seen DESC LIMIT 1 OFFSET ?`
  ).get(sourceKey, UNLEARNED_KEPT)
  if (!edge) return 0
  return stmt(
    db,
    `DELETE FROM source_lines WHERE source_key = ? AND state = 'counting' AND last_seen <= ?`
  ).run(sourceKey, edge.last_seen).changes
}

/** The learned lines of a source, switched on or off. */
export function learnedLinesOf(db: Db, sourceKey: string): SourceLine[] {
  return stmt<[string], LineRow>(
    db,
    `SELECT * FROM source_lines INDEXED BY source_lines_learned
      WHERE source_key = ? AND state <> 'counting'`
  )
    .all(sourceKey)
    .map(toLine)
}

/** Every line learned for a source (or every source), switched on or off, most common first. */
export function listSourceLines(db: Db, sourceKey: string | null): SourceLine[] {
  return stmt<[string | null, string | null], LineRow>(
    db,
    `SELECT * FROM source_lines WHERE state <> 'counting' AND (? IS NULL OR source_key = ?)
        ORDER BY source_key, articles DESC, edge, text`
  )
    .all(sourceKey, sourceKey)
    .map(toLine)
}

function getSourceLine(db: Db, sourceKey: string, edge: Edge, hash: string): SourceLine | null {
  const row = stmt<[string, string, string], LineRow>(
    db,
    'SELECT * FROM source_lines WHERE source_key = ? AND edge = ? AND hash = ?'
  ).get(sourceKey, edge, hash)
  return row ? toLine(row) : null
}

/**
 * Switches a learned line on or off for its source; the source's stored articles are then
 * re-cleaned (pending). Returns the line as it was, or null when it is not a learned line.
 */
export function setSourceLineState(
  db: Db,
  sourceKey: string,
  edge: Edge,
  hash: string,
  on: boolean
): SourceLine | null {
  const before = getSourceLine(db, sourceKey, edge, hash)
  if (!before || before.state === 'counting') return null
  const state: LineState = on ? 'learned' : 'off'
  if (before.state !== state)
    stmt(
      db,
      `UPDATE source_lines SET state = ?, pending = 1 WHERE source_key = ? AND edge = ? AND hash = ?`
    ).run(state, sourceKey, edge, hash)
  return before
}

/** Whether some line's state is not yet shown by the stored articles (a cheap read). */
export function hasPendingLines(db: Db): boolean {
  return stmt(db, 'SELECT 1 FROM source_lines WHERE pending = 1 LIMIT 1').get() !== undefined
}

/**
 * Lines whose state the stored articles do not show yet, marked done, and the live articles
 * of their sources that need re-cleaning for them: those holding a learned line's text, and
 * those whose cleaning report names a line switched off.
 */
export function takePendingArticles(db: Db): number[] {
  const pending = stmt<[], LineRow>(db, 'SELECT * FROM source_lines WHERE pending = 1').all()
  if (!pending.length) return []
  const ids = new Set<number>()
  for (const line of pending) {
    const column = line.state === 'learned' ? 'clean_text' : 'cleaning_report'
    const needle = line.state === 'learned' ? line.text : line.hash
    for (const id of articlesOfSource(db, line.source_key, column, needle)) ids.add(id)
  }
  stmt(db, 'UPDATE source_lines SET pending = 0 WHERE pending = 1').run()
  return [...ids].sort((a, b) => a - b)
}

/** Live articles of a source (sourceKeyOf: its host, or its feed or site name) whose column holds the needle. */
function articlesOfSource(
  db: Db,
  sourceKey: string,
  column: 'clean_text' | 'cleaning_report',
  needle: string
): number[] {
  const rows = isHostKey(sourceKey)
    ? stmt<[string, string], { id: number; url: string; source: string | null; format: string }>(
        db,
        `SELECT id, url, source, format FROM articles
          WHERE deleted_at IS NULL AND instr(url, ?) > 0 AND instr(${column}, ?) > 0`
      ).all(sourceKey, needle)
    : stmt<[string, string], { id: number; url: string; source: string | null; format: string }>(
        db,
        `SELECT id, url, source, format FROM articles INDEXED BY articles_live_source
          WHERE deleted_at IS NULL AND source = ? AND instr(${column}, ?) > 0`
      ).all(sourceKey, needle)
  return rows.filter((r) => sourceKeyOf(r) === sourceKey).map((r) => r.id)
}
