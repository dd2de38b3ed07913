// Copy groups: one wire story republished by many outlets, each with its own head and tail
// lines and small edits. An article's candidate copies come from the band-key index
// (copy_keys, fingerprint.ts); each candidate is checked on the two texts' actual word 3-gram
// sets, and joins only when most of the shorter text is in the longer one and the two are
// mostly the same text. A new article joins its best match's group (never two groups: chains
// of look-alikes would otherwise merge stories that are not copies). The group's first report
// is its earliest-dated member (order_key), found at read time so a trashed or redated first
// report hands over to the next.
import { diffArrays } from 'diff'
import type { ArticleCopies, CopyMember, ParagraphDiff } from '../../shared/story-types'
import type { Db } from '../library/open'
import { stmt } from '../library/statements'
import { estimatedJaccard, overlap, shinglesOf } from './fingerprint'
import { foldForWords } from './words'

/** Share of the shorter text's 3-grams the longer must hold, and of both texts' together. */
export const COPY_CONTAINMENT = 0.6
export const COPY_JACCARD = 0.3
/** Candidates checked per article, most shared band keys first. */
const MAX_CANDIDATES = 8
/** Members a copies view lists (the largest wire stories have a few hundred). */
const MAX_MEMBERS = 300
/** Paragraphs a diff compares, and the edit distance it gives up at (then: no diff shown). */
const MAX_DIFF_PARAGRAPHS = 600

export interface CopySubject {
  id: number
  publishedAt: string | null
  shingles: Uint32Array
  signature: Uint32Array | null
  keys: readonly number[]
}

/**
 * Candidates whose signatures agree on fewer places than this are not compared on their
 * texts: a copy's Jaccard is at least COPY_JACCARD (0.3), and 32 places estimate it below 0.1
 * less than 1% of the time, while texts that share one band by chance agree on about 2.
 */
const PREFILTER_JACCARD = 0.1

/** Orders a group: dated before undated, earliest first, then by id. */
export function orderKeyOf(publishedAt: string | null, id: number): string {
  return `${publishedAt ?? '~'} ${String(id).padStart(12, '0')}`
}

function signatureFromBlob(b: Buffer): Uint32Array {
  // A copy: the blob's bytes need not sit at a 4-byte boundary.
  return new Uint32Array(new Uint8Array(b).buffer)
}

/** Removes an article's band keys and takes it out of its group (before re-analysis or purge). */
export function forgetCopyKeys(db: Db, id: number): void {
  const row = stmt<[number], { copy_keys: string }>(
    db,
    'SELECT copy_keys FROM article_analysis WHERE article_id = ?'
  ).get(id)
  if (!row) return
  const del = stmt(db, 'DELETE FROM copy_keys WHERE key = ? AND article_id = ?')
  for (const key of JSON.parse(row.copy_keys) as number[]) del.run(key, id)
  stmt(db, 'UPDATE article_analysis SET copy_group = NULL, copy_keys = ? WHERE article_id = ?').run(
    '[]',
    id
  )
}

/**
 * Finds the group `s` belongs to and records its band keys. Returns the group id (null: no
 * copy found). The article's analysis row must exist.
 */
export function placeCopy(db: Db, s: CopySubject): number | null {
  let best: { id: number; score: number } | null = null
  if (s.keys.length) {
    const candidates = stmt<[string, number, number], { id: number; signature: Buffer | null }>(
      db,
      `SELECT k.article_id AS id, g.signature FROM copy_keys k
         JOIN articles a ON a.id = k.article_id AND a.deleted_at IS NULL
         JOIN article_analysis g ON g.article_id = k.article_id
        WHERE k.key IN (SELECT value FROM json_each(?)) AND k.article_id <> ?
        GROUP BY k.article_id ORDER BY COUNT(*) DESC, k.article_id LIMIT ?`
    )
      .all(JSON.stringify(s.keys), s.id, MAX_CANDIDATES)
      .filter(
        (c) =>
          !s.signature ||
          !c.signature ||
          estimatedJaccard(s.signature, signatureFromBlob(c.signature)) >= PREFILTER_JACCARD
      )
    const textOf = stmt<[number], { clean_text: string }>(
      db,
      'SELECT clean_text FROM articles WHERE id = ?'
    )
    for (const c of candidates) {
      const text = textOf.get(c.id)?.clean_text ?? ''
      const o = overlap(s.shingles, shinglesOf(text))
      if (o.containment < COPY_CONTAINMENT || o.jaccard < COPY_JACCARD) continue
      const score = o.containment + o.jaccard
      if (!best || score > best.score) best = { id: c.id, score }
    }
    const add = stmt(db, 'INSERT OR IGNORE INTO copy_keys (key, article_id) VALUES (?, ?)')
    for (const key of s.keys) add.run(key, s.id)
  }
  let group: number | null = null
  if (best) {
    const theirs = stmt<[number], { copy_group: number | null }>(
      db,
      'SELECT copy_group FROM article_analysis WHERE article_id = ?'
    ).get(best.id)
    group = theirs?.copy_group ?? best.id
    if (theirs && theirs.copy_group === null)
      stmt(db, 'UPDATE article_analysis SET copy_group = ? WHERE article_id = ?').run(
        group,
        best.id
      )
  }
  stmt(
    db,
    `UPDATE article_analysis SET copy_keys = ?, signature = ?, copy_group = ?, order_key = ?
      WHERE article_id = ?`
  ).run(
    JSON.stringify(s.keys),
    s.signature
      ? Buffer.from(s.signature.buffer, s.signature.byteOffset, s.signature.byteLength)
      : null,
    group,
    orderKeyOf(s.publishedAt, s.id),
    s.id
  )
  return group
}

interface MemberRow {
  id: number
  title: string
  source: string | null
  outlet: string | null
  published_at: string | null
  imported_at: string
  clean_text: string
}

function paragraphsOf(text: string): string[] {
  return text
    .split(/\n{2,}/u)
    .map((p) => p.trim())
    .filter(Boolean)
    .slice(0, MAX_DIFF_PARAGRAPHS)
}

// Paragraphs are the same when they differ only in script, width, case, spaces or punctuation.
const sameParagraph = (a: string, b: string): boolean =>
  a === b ||
  foldForWords(a).replace(/[^\p{L}\p{N}]/gu, '') === foldForWords(b).replace(/[^\p{L}\p{N}]/gu, '')

/** A copy's paragraphs against the first report's: kept, added by the copy, or left out. */
export function paragraphDiff(first: string, copy: string): ParagraphDiff[] {
  const changes =
    diffArrays(paragraphsOf(first), paragraphsOf(copy), {
      comparator: sameParagraph,
      maxEditLength: 400
    }) ?? []
  const out: ParagraphDiff[] = []
  for (const c of changes) {
    const kind = c.added ? 'added' : c.removed ? 'removed' : 'same'
    for (const text of c.value) out.push({ kind, text })
  }
  return out
}

/** The article's copy group with the first report first; null when it has no live copy. */
export function copiesOf(db: Db, articleId: number): ArticleCopies | null {
  const group = stmt<[number], { copy_group: number | null }>(
    db,
    'SELECT copy_group FROM article_analysis WHERE article_id = ?'
  ).get(articleId)?.copy_group
  if (group === null || group === undefined) return null
  const rows = stmt<[number, number], MemberRow>(
    db,
    `SELECT a.id, a.title, a.source, g.outlet, a.published_at, a.imported_at, a.clean_text
       FROM article_analysis g JOIN articles a ON a.id = g.article_id AND a.deleted_at IS NULL
      WHERE g.copy_group = ? ORDER BY g.order_key LIMIT ?`
  ).all(group, MAX_MEMBERS)
  if (rows.length < 2) return null
  const first = rows[0]!
  const firstShingles = shinglesOf(first.clean_text)
  const members: CopyMember[] = rows.map((r, i) => ({
    id: r.id,
    title: r.title,
    source: r.source,
    outlet: r.outlet,
    publishedAt: r.published_at,
    importedAt: r.imported_at,
    first: i === 0,
    similarity: i === 0 ? 1 : overlap(firstShingles, shinglesOf(r.clean_text)).containment,
    diff: i === 0 ? [] : paragraphDiff(first.clean_text, r.clean_text)
  }))
  return { groupId: group, origin: originOf(rows), members }
}

/** The outlet most members credit (ties: the earliest's), else the first report's source. */
function originOf(rows: readonly MemberRow[]): string | null {
  const votes = new Map<string, number>()
  for (const r of rows) if (r.outlet) votes.set(r.outlet, (votes.get(r.outlet) ?? 0) + 1)
  let origin: string | null = null
  let most = 0
  for (const [outlet, n] of votes)
    if (n > most) {
      origin = outlet
      most = n
    }
  return origin ?? rows[0]!.source
}
