// Chinese-news intelligence over the library: copies, stories, keywords and entities.
// recordAnalysis runs in the writer's transaction for each new or changed article (the
// import, a re-clean); backlogSlice and recordBacklog bring articles analysed by an older version
// (or none: a library from before this module) up to date in the background, the worker pool
// doing the analysis; clusterPending then places new articles in stories.
import type { ArticleInsight } from '../../shared/story-types'
import type { Db } from '../library/open'
import { stmt } from '../library/statements'
import { writeTx } from '../library/write-tx'
import { ORIGIN_META_KEY, type ArticleOrigin } from '../model/parsed-article'
import { ANALYSIS_VERSION, analysisOf, type ArticleAnalysisDraft } from './analyse'
import { forgetCopyKeys, placeCopy } from './copies'
import { storyOfArticle } from './story-read'
import { forgetTerms, storeTerms, termsOfArticles } from './terms-store'

export { copiesOf } from './copies'
export { clusterPending, reclusterStories } from './stories'
export { getStory, listStories, storySummary } from './story-read'
export { termFacets } from './terms-store'

export interface AnalysedArticle {
  title: string
  cleanText: string
  publishedAt: string | null
  origin: ArticleOrigin | null
}

/**
 * Stores what an article's text yields and finds its copies. `restory`: its text is new or
 * changed, so it is clustered again (unless the user placed it).
 */
export function recordAnalysis(
  db: Db,
  id: number,
  a: AnalysedArticle,
  draft: ArticleAnalysisDraft = analysisOf(a.title, a.cleanText),
  opts: { restory: boolean } = { restory: true }
): void {
  forgetTerms(db, id)
  forgetCopyKeys(db, id)
  stmt(
    db,
    `INSERT INTO article_analysis (article_id, version, outlet) VALUES (?, ?, ?)
     ON CONFLICT(article_id) DO UPDATE SET version = excluded.version, outlet = excluded.outlet`
  ).run(id, ANALYSIS_VERSION, a.origin?.outlet ?? null)
  if (opts.restory)
    stmt(
      db,
      'UPDATE article_analysis SET story_id = NULL WHERE article_id = ? AND story_pinned = 0'
    ).run(id)
  storeTerms(db, id, draft.terms)
  placeCopy(db, {
    id,
    publishedAt: a.publishedAt,
    shingles: draft.shingles,
    signature: draft.signature,
    keys: draft.keys
  })
}

/** Removes what was recorded of articles removed for good (emptying the trash). */
export function forgetAnalysis(db: Db, ids: readonly number[]): void {
  for (const id of ids) {
    forgetTerms(db, id)
    forgetCopyKeys(db, id)
    stmt(db, 'DELETE FROM article_analysis WHERE article_id = ?').run(id)
  }
  if (ids.length)
    db.exec(
      `DELETE FROM stories WHERE id NOT IN
         (SELECT story_id FROM article_analysis WHERE story_id IS NOT NULL)`
    )
}

/** Articles (live or trashed) not analysed, or analysed by an older version. */
export function analysisBacklog(db: Db): number {
  return stmt<[number], { n: number }>(
    db,
    `SELECT COUNT(*) AS n FROM articles a LEFT JOIN article_analysis s ON s.article_id = a.id
      WHERE s.article_id IS NULL OR s.version <> ?`
  ).get(ANALYSIS_VERSION)!.n
}

/** An article of the backlog, as stored. */
export interface BacklogArticle extends AnalysedArticle {
  id: number
  /** It had an analysis row (an older version's): its story stays. */
  had: boolean
}

/** The next `limit` articles of the backlog (oldest id first). */
export function backlogSlice(db: Db, limit: number): BacklogArticle[] {
  return stmt<
    [number, number],
    {
      id: number
      title: string
      clean_text: string
      published_at: string | null
      meta_json: string
      had: number
    }
  >(
    db,
    `SELECT a.id, a.title, a.clean_text, a.published_at, a.meta_json,
            s.article_id IS NOT NULL AS had
       FROM articles a LEFT JOIN article_analysis s ON s.article_id = a.id
      WHERE s.article_id IS NULL OR s.version <> ? ORDER BY a.id LIMIT ?`
  )
    .all(ANALYSIS_VERSION, limit)
    .map((r) => {
      let origin: ArticleOrigin | null
      try {
        origin = ((JSON.parse(r.meta_json) as Record<string, unknown>)[ORIGIN_META_KEY] ??
          null) as ArticleOrigin | null
      } catch {
        origin = null
      }
      return {
        id: r.id,
        title: r.title,
        cleanText: r.clean_text,
        publishedAt: r.published_at,
        origin,
        had: r.had === 1
      }
    })
}

/** Records a backlog slice with its drafts (made by the worker pool, or here when none). */
export function recordBacklog(
  db: Db,
  slice: readonly BacklogArticle[],
  drafts?: readonly ArticleAnalysisDraft[]
): void {
  writeTx(db, () => {
    slice.forEach((a, i) =>
      recordAnalysis(db, a.id, a, drafts?.[i] ?? analysisOf(a.title, a.cleanText), {
        restory: !a.had
      })
    )
  })
}

/** The reader's line of insight for one article. */
export function insightOf(db: Db, id: number): ArticleInsight {
  const t = termsOfArticles(db, [id]).get(id)!
  const copies = stmt<[number], { n: number }>(
    db,
    `SELECT COUNT(*) AS n FROM article_analysis x
       JOIN article_analysis g ON g.copy_group = x.copy_group AND g.article_id <> x.article_id
       JOIN articles b ON b.id = g.article_id AND b.deleted_at IS NULL
      WHERE x.article_id = ? AND x.copy_group IS NOT NULL`
  ).get(id)!.n
  return {
    keywords: t.keywords,
    entities: t.entities,
    story: storyOfArticle(db, id),
    copyCount: copies
  }
}
