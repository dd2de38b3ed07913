// Stories: articles about one event, clustered incrementally as topic detection and tracking
// systems do — one pass over articles in date order; each joins the most similar story active
// within a few days of its date (cosine of its keyword and entity vector against the story's
// centroid), or starts a new one. Copies join their group's story. New imports are clustered
// the same way against the stories already there (clusterPending, after each import), so
// earlier articles never move when later ones arrive. Re-clustering (reclusterStories) redoes
// it for every article the user did not place: articles the user put in a story by a split,
// a merge, or by naming or following it (story_pinned) stay, so those edits survive it.
import type { Db } from '../library/open'
import { stmt } from '../library/statements'
import { writeTx } from '../library/write-tx'

/** Cosine an article must reach against a story's centroid to join it. */
export const JOIN_SIMILARITY = 0.3
/**
 * Terms an article must share with a story to join it — at least one of them a named entity:
 * two short posts of one account (a designer's shots, a few words on a social feed) can reach
 * any cosine on one or two words, and two posts of one source's template (a film site's 评分,
 * 主演, 上映) share its words without being about one event, which names someone or somewhere.
 */
const MIN_SHARED_TERMS = 3
/** Marks an entity's dimension in a vector (an entity and a keyword of one spelling differ). */
const ENTITY = '\u0001'
/** A story takes articles dated this long after its last one (or before its first). */
const WINDOW_MS = 4 * 86_400_000
/** Terms a story's centroid keeps (the heaviest). */
const CENTROID_TERMS = 40
/** Terms of each part of an article's vector (its best keywords, its most named entities). */
const VECTOR_TERMS = 12
/** An article looks for stories through its heaviest terms only (each a posting list). */
const LOOKUP_TERMS = 10
/**
 * Stories an article is weighed against at most: a library of one desk's beat shares its
 * common words with thousands of stories a week; the heaviest terms' stories come first.
 */
const MAX_WEIGHED_STORIES = 300
/** Articles clustered per transaction: the library stays writable for others between. */
const CHUNK = 500

type Vector = Map<string, number>

interface Story {
  id: number
  first: number
  last: number
  size: number
  centroid: Vector
  /** The centroid's length, kept with it. */
  norm: number
  dirty: boolean
}

function lengthOf(v: Vector): number {
  let sum = 0
  for (const w of v.values()) sum += w * w
  return Math.sqrt(sum)
}

function normalise(v: Vector): Vector {
  let sum = 0
  for (const w of v.values()) sum += w * w
  const n = Math.sqrt(sum) || 1
  for (const [k, w] of v) v.set(k, w / n)
  return v
}

function top(v: Vector, n: number): Vector {
  if (v.size <= n) return v
  return new Map([...v].sort((a, b) => b[1] - a[1]).slice(0, n))
}

/**
 * An article's vector: its keywords (TF-IDF) and its named entities (how often named), each
 * part scaled to length 1 and weighed equally, so a story is its names as much as its words.
 */
export function vectorOf(terms: readonly { kind: string; term: string; weight: number }[]): Vector {
  const kw: Vector = new Map()
  const ent: Vector = new Map()
  for (const t of terms) {
    const [into, key] = t.kind === 'keyword' ? [kw, t.term] : [ent, ENTITY + t.term]
    into.set(key, Math.max(into.get(key) ?? 0, t.weight))
  }
  const v: Vector = new Map()
  for (const part of [normalise(top(kw, VECTOR_TERMS)), normalise(top(ent, VECTOR_TERMS))])
    for (const [k, w] of part) v.set(k, (v.get(k) ?? 0) + w)
  return normalise(v)
}

/**
 * Cosine of an article against a centroid; 0 when they share fewer than MIN_SHARED_TERMS or
 * no entity.
 */
function cosine(a: Vector, s: Story): number {
  let dot = 0
  let shared = 0
  let entity = false
  for (const [k, w] of a) {
    const c = s.centroid.get(k)
    if (c === undefined) continue
    dot += w * c
    shared++
    entity ||= k.startsWith(ENTITY)
  }
  if (shared < MIN_SHARED_TERMS || !entity) return 0
  return s.norm ? dot / s.norm : 0
}

function addInto(centroid: Vector, v: Vector): Vector {
  for (const [k, w] of v) centroid.set(k, (centroid.get(k) ?? 0) + w)
  return centroid.size > CENTROID_TERMS * 2 ? top(centroid, CENTROID_TERMS) : centroid
}

/** The terms an article looks stories up by: its heaviest. */
function lookupTerms(v: Vector): string[] {
  return [...v]
    .sort((a, b) => b[1] - a[1])
    .slice(0, LOOKUP_TERMS)
    .map(([k]) => k)
}

const timeOf = (iso: string): number => Date.parse(iso)

interface PendingRow {
  id: number
  at: string
  copy_group: number | null
}

/** Loads articles' vectors in one query. */
function vectorsOf(db: Db, ids: readonly number[]): Map<number, Vector> {
  const rows = stmt<[string], { article_id: number; kind: string; term: string; weight: number }>(
    db,
    `SELECT article_id, kind, term, weight FROM article_terms
      WHERE article_id IN (SELECT value FROM json_each(?))`
  ).all(JSON.stringify(ids))
  const by = new Map<number, { kind: string; term: string; weight: number }[]>()
  for (const r of rows) {
    let list = by.get(r.article_id)
    if (!list) by.set(r.article_id, (list = []))
    list.push(r)
  }
  return new Map(ids.map((id) => [id, vectorOf(by.get(id) ?? [])]))
}

/** Clusters every analysed live article not in a story yet; returns how many it placed. */
export function clusterPending(db: Db, opts: { signal?: AbortSignal } = {}): number {
  const pending = stmt<[], PendingRow>(
    db,
    `SELECT s.article_id AS id, coalesce(a.published_at, a.imported_at) AS at, s.copy_group
       FROM article_analysis s JOIN articles a ON a.id = s.article_id AND a.deleted_at IS NULL
      WHERE s.story_id IS NULL ORDER BY at, s.article_id`
  ).all()
  if (!pending.length) return 0
  // The stories new articles may join: those active within the window around the article
  // at hand, loaded as the pass moves forward in time (a library's older stories never are).
  const active = new Map<number, Story>()
  const byTerm = new Map<string, Set<number>>()
  const index = (s: Story): void => {
    for (const k of s.centroid.keys()) {
      let set = byTerm.get(k)
      if (!set) byTerm.set(k, (set = new Set()))
      set.add(s.id)
    }
  }
  const storiesStarting = stmt<
    [string, string, string],
    { id: number; first_at: string; last_at: string; size: number; centroid: string }
  >(
    db,
    `SELECT id, first_at, last_at, size, centroid FROM stories
      WHERE first_at > ? AND first_at <= ? AND last_at >= ?`
  )
  let loadedTo = Number.NEGATIVE_INFINITY
  const loadAround = (t: number): void => {
    if (t + WINDOW_MS <= loadedTo) return
    const upTo = t + 2 * WINDOW_MS
    const after = loadedTo === Number.NEGATIVE_INFINITY ? '' : new Date(loadedTo).toISOString()
    for (const r of storiesStarting.all(
      after,
      new Date(upTo).toISOString(),
      new Date(t - WINDOW_MS).toISOString()
    )) {
      if (active.has(r.id)) continue
      const centroid = new Map(Object.entries(JSON.parse(r.centroid) as Record<string, number>))
      const s: Story = {
        id: r.id,
        first: timeOf(r.first_at),
        last: timeOf(r.last_at),
        size: r.size,
        centroid,
        norm: lengthOf(centroid),
        dirty: false
      }
      active.set(s.id, s)
      index(s)
    }
    loadedTo = upTo
  }
  const storyOfGroup = stmt<[number], { story_id: number | null }>(
    db,
    `SELECT story_id FROM article_analysis WHERE copy_group = ? AND story_id IS NOT NULL
      ORDER BY order_key LIMIT 1`
  )
  const insertStory = stmt<[string, string, string], unknown>(
    db,
    'INSERT INTO stories (first_at, last_at, size, centroid) VALUES (?, ?, 1, ?)'
  )
  const place = stmt(db, 'UPDATE article_analysis SET story_id = ? WHERE article_id = ?')
  const saveStory = stmt(
    db,
    'UPDATE stories SET first_at = ?, last_at = ?, size = ?, centroid = ? WHERE id = ?'
  )
  const save = (s: Story): void => {
    saveStory.run(
      new Date(s.first).toISOString(),
      new Date(s.last).toISOString(),
      s.size,
      JSON.stringify(Object.fromEntries(top(s.centroid, CENTROID_TERMS))),
      s.id
    )
    s.dirty = false
  }
  let placed = 0
  for (let c = 0; c < pending.length; c += CHUNK) {
    if (opts.signal?.aborted) break
    const chunk = pending.slice(c, c + CHUNK)
    writeTx(db, () => {
      const vectors = vectorsOf(
        db,
        chunk.map((p) => p.id)
      )
      for (const p of chunk) {
        const t = timeOf(p.at)
        loadAround(t)
        const v = vectors.get(p.id)!
        let target: Story | null = null
        const grouped = p.copy_group === null ? null : storyOfGroup.get(p.copy_group)?.story_id
        if (grouped) target = active.get(grouped) ?? null
        if (grouped && !target) {
          place.run(grouped, p.id)
          stmt(db, 'UPDATE stories SET size = size + 1 WHERE id = ?').run(grouped)
          placed++
          continue
        }
        if (!target) {
          const seen = new Set<number>()
          let best = JOIN_SIMILARITY
          lookup: for (const k of lookupTerms(v))
            for (const id of byTerm.get(k) ?? []) {
              if (seen.has(id)) continue
              if (seen.size >= MAX_WEIGHED_STORIES) break lookup
              seen.add(id)
              const s = active.get(id)
              // A term its centroid has since dropped, of a story let go: no longer indexed.
              if (!s) {
                byTerm.get(k)?.delete(id)
                continue
              }
              if (t > s.last + WINDOW_MS || t < s.first - WINDOW_MS) continue
              const sim = cosine(v, s)
              if (sim >= best) {
                best = sim
                target = s
              }
            }
        }
        if (target) {
          const before = target.centroid
          target.centroid = addInto(before, v)
          // A trimmed centroid's dropped terms no longer lead to it.
          if (target.centroid !== before)
            for (const k of before.keys())
              if (!target.centroid.has(k)) byTerm.get(k)?.delete(target.id)
          target.norm = lengthOf(target.centroid)
          target.size++
          target.first = Math.min(target.first, t)
          target.last = Math.max(target.last, t)
          target.dirty = true
          index(target)
        } else {
          const iso = new Date(t).toISOString()
          const id = Number(
            insertStory.run(iso, iso, JSON.stringify(Object.fromEntries(v))).lastInsertRowid
          )
          target = { id, first: t, last: t, size: 1, centroid: new Map(v), norm: 1, dirty: false }
          active.set(id, target)
          index(target)
        }
        place.run(target.id, p.id)
        placed++
      }
      for (const s of active.values()) if (s.dirty) save(s)
    })
    // Stories past the window of what comes next can take no more articles: let them go.
    const next = pending[c + CHUNK]
    if (next) {
      const horizon = timeOf(next.at) - WINDOW_MS
      for (const [id, s] of active)
        if (s.last < horizon) {
          active.delete(id)
          for (const k of s.centroid.keys()) byTerm.get(k)?.delete(id)
        }
    }
  }
  return placed
}

/** Recomputes a story's centroid, size and dates from its members (after a split or merge). */
export function refreshStory(db: Db, storyId: number): void {
  const members = stmt<[number], { id: number; at: string }>(
    db,
    `SELECT s.article_id AS id, coalesce(a.published_at, a.imported_at) AS at
       FROM article_analysis s JOIN articles a ON a.id = s.article_id
      WHERE s.story_id = ? ORDER BY at`
  ).all(storyId)
  if (!members.length) {
    stmt(db, 'DELETE FROM stories WHERE id = ?').run(storyId)
    return
  }
  let centroid: Vector = new Map()
  for (const v of vectorsOf(
    db,
    members.map((m) => m.id)
  ).values())
    centroid = addInto(centroid, v)
  stmt(db, 'UPDATE stories SET first_at = ?, last_at = ?, size = ?, centroid = ? WHERE id = ?').run(
    members[0]!.at,
    members[members.length - 1]!.at,
    members.length,
    JSON.stringify(Object.fromEntries(top(centroid, CENTROID_TERMS))),
    storyId
  )
}

/**
 * Clusters the whole library again: every article the user did not place leaves its story,
 * stories left empty go, and one pass over time places them anew. Returns how many it placed.
 */
export function reclusterStories(db: Db, opts: { signal?: AbortSignal } = {}): number {
  writeTx(db, () => {
    db.exec('UPDATE article_analysis SET story_id = NULL WHERE story_pinned = 0')
    db.exec(
      `DELETE FROM stories WHERE id NOT IN
         (SELECT story_id FROM article_analysis WHERE story_id IS NOT NULL)`
    )
    for (const { id } of db.prepare('SELECT id FROM stories').all() as { id: number }[])
      refreshStory(db, id)
  })
  return clusterPending(db, opts)
}
