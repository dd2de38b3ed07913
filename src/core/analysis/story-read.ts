// Stories as the window and the CLI read them: a page of stories with their live counts, one
// story's timeline (copies folded into their first report's entry), its key entities.
import type {
  ArticleTerm,
  StoryDetail,
  StoryEntry,
  StoryPage,
  StoryQuery,
  StorySummary
} from '../../shared/story-types'
import type { Db } from '../library/open'
import { stmt } from '../library/statements'

const STORY_ENTITIES = 6
const STORY_KEYWORDS = 8
/** Entries a timeline lists (a story of thousands is a topic, not an event). */
const MAX_TIMELINE = 2000

interface LiveStoryRow {
  id: number
  user_name: string | null
  followed: number
  articles: number
  outlets: number
  first_at: string | null
  last_at: string | null
}

// Live counts and dates come from the members (trashed articles do not count); the story's
// own first_at/last_at are its clustering window, which includes them.
const LIVE_STORIES = `
  SELECT t.id, t.user_name, t.followed, COUNT(*) AS articles,
         COUNT(DISTINCT COALESCE(a.source, s.outlet)) AS outlets,
         MIN(a.published_at) AS first_at, MAX(a.published_at) AS last_at
    FROM stories t
    JOIN article_analysis s ON s.story_id = t.id
    JOIN articles a ON a.id = s.article_id AND a.deleted_at IS NULL`

function firstReport(db: Db, storyId: number): { id: number; title: string } | undefined {
  return stmt<[number], { id: number; title: string }>(
    db,
    `SELECT a.id, a.title FROM article_analysis s
       JOIN articles a ON a.id = s.article_id AND a.deleted_at IS NULL
      WHERE s.story_id = ?
      ORDER BY a.published_at IS NULL, a.published_at, a.imported_at, a.id LIMIT 1`
  ).get(storyId)
}

function storyTerms(db: Db, storyId: number, entities: boolean, limit: number): ArticleTerm[] {
  return stmt<[number, number], ArticleTerm>(
    db,
    `SELECT t.kind, t.term FROM article_terms t
       JOIN article_analysis s ON s.article_id = t.article_id
       JOIN articles a ON a.id = t.article_id AND a.deleted_at IS NULL
      WHERE s.story_id = ? AND t.kind ${entities ? "<> 'keyword'" : "= 'keyword'"}
      GROUP BY t.kind, t.term ORDER BY COUNT(*) DESC, SUM(t.weight) DESC, t.term LIMIT ?`
  ).all(storyId, limit)
}

function summaryOf(db: Db, r: LiveStoryRow): StorySummary {
  const first = firstReport(db, r.id)
  return {
    id: r.id,
    name: r.user_name ?? first?.title ?? '',
    named: r.user_name !== null,
    followed: r.followed === 1,
    articleCount: r.articles,
    outletCount: r.outlets,
    firstAt: r.first_at,
    lastAt: r.last_at,
    firstArticleId: first?.id ?? 0,
    entities: storyTerms(db, r.id, true, STORY_ENTITIES)
  }
}

export function storySummary(db: Db, id: number): StorySummary | null {
  const r = stmt<[number], LiveStoryRow>(db, `${LIVE_STORIES} WHERE t.id = ? GROUP BY t.id`).get(id)
  return r ? summaryOf(db, r) : null
}

/** Stories with at least `minArticles` live articles: followed first, latest news first. */
export function listStories(db: Db, q: StoryQuery): StoryPage {
  const min = Math.max(1, q.minArticles ?? 2)
  const offset = Math.max(0, q.offset ?? 0)
  const limit = Math.min(Math.max(1, q.limit ?? 50), 500)
  const rows = db
    .prepare(
      `${LIVE_STORIES} ${q.followed ? 'WHERE t.followed = 1' : ''}
       GROUP BY t.id HAVING COUNT(*) >= ?
       ORDER BY t.followed DESC, last_at IS NULL, last_at DESC, t.id DESC`
    )
    .all(min) as LiveStoryRow[]
  return {
    total: rows.length,
    offset,
    items: rows.slice(offset, offset + limit).map((r) => summaryOf(db, r))
  }
}

export function getStory(db: Db, id: number): StoryDetail | null {
  const summary = storySummary(db, id)
  if (!summary) return null
  const rows = stmt<
    [number, number],
    {
      id: number
      title: string
      source: string | null
      outlet: string | null
      published_at: string | null
      copy_group: number | null
      pinned: number
    }
  >(
    db,
    `SELECT a.id, a.title, a.source, s.outlet, a.published_at, s.copy_group, s.story_pinned AS pinned
       FROM article_analysis s JOIN articles a ON a.id = s.article_id AND a.deleted_at IS NULL
      WHERE s.story_id = ?
      ORDER BY a.published_at IS NULL, a.published_at, a.imported_at, a.id LIMIT ?`
  ).all(id, MAX_TIMELINE)
  const timeline: StoryEntry[] = []
  const entryOfGroup = new Map<number, StoryEntry>()
  for (const r of rows) {
    const lead = r.copy_group === null ? undefined : entryOfGroup.get(r.copy_group)
    if (lead) {
      lead.copyCount++
      continue
    }
    const entry: StoryEntry = {
      articleId: r.id,
      title: r.title,
      source: r.source,
      outlet: r.outlet,
      publishedAt: r.published_at,
      copyCount: 0,
      pinned: r.pinned === 1
    }
    if (r.copy_group !== null) entryOfGroup.set(r.copy_group, entry)
    timeline.push(entry)
  }
  return {
    ...summary,
    timeline,
    keywords: storyTerms(db, id, false, STORY_KEYWORDS).map((t) => t.term)
  }
}

/** The story an article is in, when it has at least two live articles. */
export function storyOfArticle(db: Db, articleId: number): { id: number; name: string } | null {
  const r = stmt<[number], LiveStoryRow>(
    db,
    `${LIVE_STORIES} WHERE t.id = (SELECT story_id FROM article_analysis WHERE article_id = ?)
      GROUP BY t.id HAVING COUNT(*) >= 2`
  ).get(articleId)
  if (!r) return null
  return { id: r.id, name: r.user_name ?? firstReport(db, r.id)?.title ?? '' }
}
