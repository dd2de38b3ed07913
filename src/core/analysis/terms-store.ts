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
/** The library's IDF is trusted fully from this many articles on; below, the prior weighs in. */
const FULL_LIBRARY = 500

function docCount(db: Db): number {
  return stmt<[], { df: number }>(db, "SELECT df FROM term_df WHERE term = ''").get()?.df ?? 0
}

function bumpDf(db: Db, terms: readonly string[], by: 1 | -1): void {
  const up = stmt(
    db,
    'INSERT INTO term_df (term, df) VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET df = df + 1'
  )
  const down = stmt(db, 'UPDATE term_df SET df = max(0, df - 1) WHERE term = ?')
  for (const t of terms) (by === 1 ? up : down).run(t)
}

/** Takes an article's terms out (before re-analysis or purge). */
export function forgetTerms(db: Db, id: number): void {
  const old = stmt<[number], { term: string }>(
    db,
    "SELECT term FROM article_terms WHERE article_id = ? AND kind = 'keyword'"
  )
    .all(id)
    .map((r) => r.term)
  const had = stmt<[number], { n: number }>(
    db,
    'SELECT COUNT(*) AS n FROM article_analysis WHERE article_id = ?'
  ).get(id)!.n
  if (had) bumpDf(db, ['', ...old], -1)
  stmt(db, 'DELETE FROM article_terms WHERE article_id = ?').run(id)
}

/** Stores an article's terms, keywords weighed against the library as it is now. */
export function storeTerms(db: Db, id: number, draft: ArticleTermsDraft): void {
  const terms = draft.keywords.map((k) => k.term)
  bumpDf(db, ['', ...terms], 1)
  const n = docCount(db)
  const dfOf = stmt<[string], { df: number }>(db, 'SELECT df FROM term_df WHERE term = ?')
  const trust = Math.min(1, n / FULL_LIBRARY)
  const put = stmt(
    db,
    'INSERT OR REPLACE INTO article_terms (article_id, kind, term, weight) VALUES (?, ?, ?, ?)'
  )
  for (const k of draft.keywords) {
    const df = dfOf.get(k.term)?.df ?? 1
    const libraryIdf = Math.log((n + 1) / df)
    put.run(id, 'keyword', k.term, k.tf * (trust * libraryIdf + (1 - trust) * k.idf))
  }
  for (const e of draft.entities) put.run(id, e.kind, e.term, e.count)
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
