// An article's keywords and named entities as the library keeps them (article_terms), with the
// library's document frequency of each keyword candidate (term_df; the row for '' counts the
// articles), so keywords are weighed by TF-IDF against this library: a word every article of
// a desk's library uses is no keyword there, however rare it is in general Chinese.
import type { ArticleTerm, EntityKind, TermCount, TermKind } from '../../shared/story-types'
import type { Db } from '../library/open'
import { stmt } from '../library/statements'
import type { ArticleTermsDraft } from './terms'

/** Keywords and entities the reader shows of one article. */
const SHOWN_KEYWORDS = 8
const SHOWN_ENTITIES = 12
/** Keywords kept per article: the reader shows 8, a story's vector reads 12. */
const STORED_KEYWORDS = 16
/** The library's IDF is trusted fully from this many articles on; below, the prior weighs in. */
const FULL_LIBRARY = 500

function docCount(db: Db): number {
  return stmt<[], { df: number }>(db, "SELECT df FROM term_df WHERE term = ''").get()?.df ?? 0
}

function bumpDf(db: Db, terms: readonly string[], by: 1 | -1): void {
  const list = JSON.stringify(terms)
  if (by === 1)
    stmt(
      db,
      `INSERT INTO term_df (term, df) SELECT value, 1 FROM json_each(?) WHERE true
       ON CONFLICT(term) DO UPDATE SET df = df + 1`
    ).run(list)
  else
    stmt(
      db,
      'UPDATE term_df SET df = max(0, df - 1) WHERE term IN (SELECT value FROM json_each(?))'
    ).run(list)
}

/** Takes an article's terms out (before re-analysis or purge). */
export function forgetTerms(db: Db, id: number): void {
  const had = stmt<[number], { n: number }>(
    db,
    'SELECT COUNT(*) AS n FROM article_analysis WHERE article_id = ?'
  ).get(id)!.n
  if (!had) return
  const old = stmt<[number], { term: string }>(
    db,
    "SELECT term FROM article_terms WHERE article_id = ? AND kind = 'keyword'"
  )
    .all(id)
    .map((r) => r.term)
  bumpDf(db, ['', ...old], -1)
  stmt(db, 'DELETE FROM article_terms WHERE article_id = ?').run(id)
}

/**
 * Stores an article's terms: its best STORED_KEYWORDS keywords (what the library's document
 * frequencies count), weighed against the library as it is now, and its entities.
 */
export function storeTerms(db: Db, id: number, draft: ArticleTermsDraft): void {
  const stored = draft.keywords.slice(0, STORED_KEYWORDS)
  bumpDf(db, ['', ...stored.map((k) => k.term)], 1)
  const n = docCount(db)
  const dfs = new Map(
    stmt<[string], { term: string; df: number }>(
      db,
      'SELECT term, df FROM term_df WHERE term IN (SELECT value FROM json_each(?))'
    )
      .all(JSON.stringify(stored.map((k) => k.term)))
      .map((r) => [r.term, r.df])
  )
  const trust = Math.min(1, n / FULL_LIBRARY)
  const rows: [string, string, number][] = stored.map((k) => [
    'keyword',
    k.term,
    k.tf * (trust * Math.log((n + 1) / (dfs.get(k.term) ?? 1)) + (1 - trust) * k.idf)
  ])
  for (const e of draft.entities) rows.push([e.kind, e.term, e.count])
  stmt(
    db,
    `INSERT OR REPLACE INTO article_terms (article_id, kind, term, weight)
     SELECT ?, value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)`
  ).run(id, JSON.stringify(rows))
}

interface TermRow {
  article_id: number
  kind: TermKind
  term: string
  weight: number
}

/** Each article's shown keywords (best first) and entities (most named first). */
export function termsOfArticles(
  db: Db,
  ids: readonly number[]
): Map<number, { keywords: string[]; entities: ArticleTerm[] }> {
  const out = new Map<number, { keywords: string[]; entities: ArticleTerm[] }>()
  for (const id of ids) out.set(id, { keywords: [], entities: [] })
  if (!ids.length) return out
  const rows = stmt<[string], TermRow>(
    db,
    `SELECT article_id, kind, term, weight FROM article_terms
      WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, weight DESC, term`
  ).all(JSON.stringify(ids))
  for (const r of rows) {
    const t = out.get(r.article_id)!
    if (r.kind === 'keyword') {
      if (t.keywords.length < SHOWN_KEYWORDS) t.keywords.push(r.term)
    } else if (t.entities.length < SHOWN_ENTITIES) t.entities.push({ kind: r.kind, term: r.term })
  }
  return out
}

/** Terms of one kind (null: every entity kind) with how many live articles carry each. */
export function termFacets(db: Db, kind: TermKind | null, limit: number): TermCount[] {
  const kinds: TermKind[] = kind ? [kind] : (['person', 'org', 'place'] satisfies EntityKind[])
  return db
    .prepare(
      `SELECT t.kind, t.term, COUNT(*) AS count FROM article_terms t
         JOIN articles a ON a.id = t.article_id AND a.deleted_at IS NULL
        WHERE t.kind IN (SELECT value FROM json_each(?))
        GROUP BY t.kind, t.term ORDER BY count DESC, t.term LIMIT ?`
    )
    .all(JSON.stringify(kinds), Math.min(Math.max(1, limit), 1000)) as TermCount[]
}
