// The user's edits of stories: name, follow, split, merge. Each pins the articles it places
// (story_pinned), so re-clustering leaves them where the user put them. Undo works on
// snapshots: an edit records the affected stories and their members before it, and restoring
// a snapshot puts exactly those rows back (and drops stories the edit created).
import { GleanerError } from '../../shared/errors'
import type { Db } from '../library/open'
import { stmt } from '../library/statements'
import { refreshStory } from './stories'

interface StoryRow {
  id: number
  user_name: string | null
  followed: number
  first_at: string | null
  last_at: string | null
  size: number
  centroid: string
}

/** Stories as they were (rows), the ids involved, and where each of their articles was. */
export interface StorySnapshot {
  stories: StoryRow[]
  involved: number[]
  members: [articleId: number, storyId: number, pinned: number][]
}

export function snapshotStories(db: Db, ids: readonly number[]): StorySnapshot {
  const list = JSON.stringify(ids)
  return {
    stories: db
      .prepare('SELECT * FROM stories WHERE id IN (SELECT value FROM json_each(?))')
      .all(list) as StoryRow[],
    involved: [...ids],
    members: (
      db
        .prepare(
          `SELECT article_id, story_id, story_pinned FROM article_analysis
            WHERE story_id IN (SELECT value FROM json_each(?))`
        )
        .all(list) as { article_id: number; story_id: number; story_pinned: number }[]
    ).map((r) => [r.article_id, r.story_id, r.story_pinned])
  }
}

/** Puts stories back as a snapshot has them; returns the snapshot of what it replaced. */
export function restoreStories(db: Db, snap: StorySnapshot): StorySnapshot {
  const now = snapshotStories(db, snap.involved)
  const list = JSON.stringify(snap.involved)
  db.prepare(
    `UPDATE article_analysis SET story_id = NULL, story_pinned = 0
      WHERE story_id IN (SELECT value FROM json_each(?))`
  ).run(list)
  db.prepare('DELETE FROM stories WHERE id IN (SELECT value FROM json_each(?))').run(list)
  const put = stmt(
    db,
    `INSERT INTO stories (id, user_name, followed, first_at, last_at, size, centroid)
     VALUES (@id, @user_name, @followed, @first_at, @last_at, @size, @centroid)`
  )
  for (const s of snap.stories) put.run(s)
  const place = stmt(
    db,
    'UPDATE article_analysis SET story_id = ?, story_pinned = ? WHERE article_id = ?'
  )
  for (const [article, story, pinned] of snap.members) place.run(story, pinned, article)
  return now
}

function mustStory(db: Db, id: number): StoryRow {
  const row = stmt<[number], StoryRow>(db, 'SELECT * FROM stories WHERE id = ?').get(id)
  if (!row) throw new GleanerError('story-not-found', `no story #${id}`, { id })
  return row
}

const pinAll = (db: Db, storyId: number): void => {
  stmt(db, 'UPDATE article_analysis SET story_pinned = 1 WHERE story_id = ?').run(storyId)
}

export function renameStory(db: Db, id: number, name: string | null): void {
  mustStory(db, id)
  const clean = name?.trim() || null
  stmt(db, 'UPDATE stories SET user_name = ? WHERE id = ?').run(clean, id)
  pinAll(db, id)
}

export function followStory(db: Db, id: number, followed: boolean): void {
  mustStory(db, id)
  stmt(db, 'UPDATE stories SET followed = ? WHERE id = ?').run(followed ? 1 : 0, id)
  pinAll(db, id)
}

/** Moves `articleIds` (all in story `id`) into a new story; returns its id. */
export function splitStory(db: Db, id: number, articleIds: readonly number[]): number {
  const story = mustStory(db, id)
  const members = new Set(
    stmt<[number], { article_id: number }>(
      db,
      'SELECT article_id FROM article_analysis WHERE story_id = ?'
    )
      .all(id)
      .map((r) => r.article_id)
  )
  const outside = articleIds.filter((a) => !members.has(a))
  if (outside.length)
    throw new GleanerError(
      'story-split-outside',
      `article #${outside[0]} is not in story #${id}; only a story's own articles can be split off`,
      { id, articleId: outside[0]! }
    )
  const moving = new Set(articleIds)
  if (!moving.size || moving.size >= members.size)
    throw new GleanerError(
      'story-split-all',
      `splitting story #${id} needs some of its articles, not none or all`,
      { id }
    )
  const created = Number(
    stmt(db, 'INSERT INTO stories (first_at, last_at, size, centroid) VALUES (?, ?, 0, ?)').run(
      story.first_at,
      story.last_at,
      '{}'
    ).lastInsertRowid
  )
  pinAll(db, id)
  const move = stmt(
    db,
    'UPDATE article_analysis SET story_id = ?, story_pinned = 1 WHERE article_id = ?'
  )
  for (const a of moving) move.run(created, a)
  refreshStory(db, id)
  refreshStory(db, created)
  return created
}

/** Moves every article of `sourceId` into `targetId`; the source story goes. */
export function mergeStories(db: Db, targetId: number, sourceId: number): void {
  if (targetId === sourceId)
    throw new GleanerError('story-merge-self', `story #${targetId} cannot be merged into itself`, {
      id: targetId
    })
  const target = mustStory(db, targetId)
  const source = mustStory(db, sourceId)
  pinAll(db, targetId)
  stmt(db, 'UPDATE article_analysis SET story_id = ?, story_pinned = 1 WHERE story_id = ?').run(
    targetId,
    sourceId
  )
  stmt(db, 'UPDATE stories SET user_name = ?, followed = ? WHERE id = ?').run(
    target.user_name ?? source.user_name,
    target.followed || source.followed,
    targetId
  )
  stmt(db, 'DELETE FROM stories WHERE id = ?').run(sourceId)
  refreshStory(db, targetId)
}
