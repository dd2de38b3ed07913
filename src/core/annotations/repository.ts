// Annotations over the `annotations` table. Highlights are stored as W3C selectors
// (selectors_json: [TextQuoteSelector, TextPositionSelector]) against articles.clean_text at a
// cleaning version; article notes have no selectors. Every change re-indexes the article for
// search, since notes and highlighted text are searchable.
import {
  ANNOTATION_COLORS,
  DEFAULT_ANNOTATION_COLOR,
  type AnchorStatus,
  type Annotation,
  type AnnotationColor,
  type AnnotationPatch,
  type ExtendedContext,
  type NewAnnotation,
  type NewArticleNote,
  type NewHighlight,
  type ReanchorCounts,
  type Selectors,
  type TextPositionSelector,
  type TextQuoteSelector
} from '../../shared/annotation-types'
import { errorKind } from '../../shared/errors'
import type { Db } from '../library/open'
import { syncSearchIndex } from '../search/index'
import { anchorSelectors, describeRange } from './anchoring'
import { newIdSql } from '../library/id-floor'
import { writeTx } from '../library/write-tx'
import { isStoredTimestamp } from '../library/timestamps'

export type AnnotationErrorCode =
  | 'no-article'
  | 'no-annotation'
  | 'invalid-range'
  | 'invalid-color'
  | 'invalid-input'
  | 'quote-not-found'
  | 'quote-ambiguous'
  | 'id-taken'

/** An error the UI and CLI can explain: a stable code and a one-line message. */
export class AnnotationError extends errorKind<AnnotationErrorCode>('AnnotationError') {}

export interface AnnotationRow {
  id: number
  article_id: number
  selectors_json: string | null
  exact: string | null
  color: string | null
  note: string | null
  tags_json: string
  cleaning_version: number | null
  anchor_status: string
  created_at: string
  updated_at: string
  author: string | null
  conflict: number
}

export const COLUMNS = `id, article_id, selectors_json, exact, color, note, tags_json, cleaning_version,
  anchor_status, created_at, updated_at, author, conflict`

const isColor = (c: unknown): c is AnnotationColor =>
  typeof c === 'string' && (ANNOTATION_COLORS as readonly string[]).includes(c)

const isStatus = (s: string): s is AnchorStatus =>
  s === 'anchored' || s === 'fuzzy' || s === 'needs-review'

/** JSON from the database; a damaged value reads as the fallback instead of breaking a list. */
export function parseJson(text: string | null, fallback: unknown): unknown {
  if (text === null) return fallback
  try {
    return JSON.parse(text) as unknown
  } catch {
    return fallback
  }
}

export function parseSelectors(json: string | null): Selectors | null {
  if (json === null) return null
  const list = parseJson(json, null)
  if (!Array.isArray(list)) return null
  const quote = list.find(
    (s): s is TextQuoteSelector =>
      typeof s === 'object' && s !== null && s.type === 'TextQuoteSelector'
  )
  const position = list.find(
    (s): s is TextPositionSelector =>
      typeof s === 'object' && s !== null && s.type === 'TextPositionSelector'
  )
  if (!quote || typeof quote.exact !== 'string') return null
  const context = list.find(
    (s): s is ExtendedContext =>
      typeof s === 'object' &&
      s !== null &&
      s.type === 'GleanerContextSelector' &&
      typeof s.prefix === 'string' &&
      typeof s.suffix === 'string'
  )
  const out: Selectors = {
    quote: {
      type: 'TextQuoteSelector',
      exact: quote.exact,
      prefix: quote.prefix ?? '',
      suffix: quote.suffix ?? ''
    },
    position: position
      ? { type: 'TextPositionSelector', start: position.start, end: position.end }
      : { type: 'TextPositionSelector', start: -1, end: -1 }
  }
  if (context)
    out.context = { type: 'GleanerContextSelector', prefix: context.prefix, suffix: context.suffix }
  return out
}

// The extended context rides as a third element of its own type: readers that pick selectors
// by type (the exporter, older builds) skip it, and the W3C pair stays as it was.
export const selectorsJson = (s: Selectors): string =>
  JSON.stringify(s.context ? [s.quote, s.position, s.context] : [s.quote, s.position])

export function fromRow(r: AnnotationRow): Annotation {
  const tags = parseJson(r.tags_json, [])
  return {
    id: r.id,
    articleId: r.article_id,
    selectors: parseSelectors(r.selectors_json),
    exact: r.exact,
    color: isColor(r.color) ? r.color : null,
    note: r.note ?? '',
    tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [],
    cleaningVersion: r.cleaning_version,
    anchorStatus: isStatus(r.anchor_status) ? r.anchor_status : 'needs-review',
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.author !== null ? { author: r.author } : {}),
    ...(r.conflict ? { conflict: true } : {})
  }
}

/** Trimmed, non-empty, unique, in first-seen order. */
function cleanTags(tags: unknown): string[] {
  if (tags === undefined) return []
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) {
    throw new AnnotationError('invalid-input', 'tags must be a list of strings')
  }
  return [...new Set(tags.map((t) => t.trim()).filter((t) => t.length > 0))]
}

function checkColor(color: unknown): AnnotationColor {
  if (color === undefined) return DEFAULT_ANNOTATION_COLOR
  if (!isColor(color)) {
    throw new AnnotationError(
      'invalid-color',
      `colour must be one of ${ANNOTATION_COLORS.join(', ')} (got ${String(color)})`
    )
  }
  return color
}

function checkNote(note: unknown): string {
  if (note === undefined) return ''
  if (typeof note !== 'string') throw new AnnotationError('invalid-input', 'note must be text')
  return note
}

interface ArticleText {
  clean_text: string
  cleaning_version: number
}

function articleText(db: Db, articleId: number): ArticleText {
  const row = db
    .prepare<[number], ArticleText>(
      'SELECT clean_text, cleaning_version FROM articles WHERE id = ? AND deleted_at IS NULL'
    )
    .get(articleId)
  if (!row) throw new AnnotationError('no-article', `no article ${articleId}`)
  return row
}

function reindex(db: Db, articleIds: number[]): void {
  syncSearchIndex(db, articleIds)
}

const nowIso = (): string => new Date().toISOString()

export function getAnnotation(db: Db, id: number): Annotation | null {
  const row = db
    .prepare<[number], AnnotationRow>(`SELECT ${COLUMNS} FROM annotations WHERE id = ?`)
    .get(id)
  return row ? fromRow(row) : null
}

function mustGet(db: Db, id: number): Annotation {
  const a = getAnnotation(db, id)
  if (!a) throw new AnnotationError('no-annotation', `no annotation ${id}`)
  return a
}

/** A row to write: `exact` is taken from the selectors; the id is new unless one is given. */
type InsertValues = Omit<Annotation, 'id' | 'exact'> & { id?: number }

function insertRow(db: Db, v: InsertValues): number {
  const info = db
    .prepare(
      `INSERT INTO annotations (id, article_id, selectors_json, exact, color, note, tags_json,
         cleaning_version, anchor_status, created_at, updated_at)
       VALUES (coalesce(@id, ${newIdSql('annotations')}), @articleId, @selectors, @exact, @color, @note, @tags, @cleaningVersion,
         @anchorStatus, @createdAt, @updatedAt)`
    )
    .run({
      id: v.id ?? null,
      articleId: v.articleId,
      selectors: v.selectors ? selectorsJson(v.selectors) : null,
      exact: v.selectors?.quote.exact ?? null,
      color: v.color,
      note: v.note,
      tags: JSON.stringify(v.tags),
      cleaningVersion: v.cleaningVersion,
      anchorStatus: v.anchorStatus,
      createdAt: v.createdAt,
      updatedAt: v.updatedAt
    })
  return Number(info.lastInsertRowid)
}

/** A new annotation: anchored where it was made, created now. */
function insertNew(
  db: Db,
  v: Omit<InsertValues, 'anchorStatus' | 'createdAt' | 'updatedAt'>
): number {
  const now = nowIso()
  return insertRow(db, { ...v, anchorStatus: 'anchored', createdAt: now, updatedAt: now })
}

/** Highlights [start, end) of the article's current clean text (UTF-16 offsets). */
export function createHighlight(db: Db, h: NewHighlight): Annotation {
  const color = checkColor(h.color)
  const note = checkNote(h.note)
  const tags = cleanTags(h.tags)
  const id = writeTx(db, () => {
    const article = articleText(db, h.articleId)
    let selectors: Selectors
    try {
      selectors = describeRange(article.clean_text, h.start, h.end)
    } catch (e) {
      throw new AnnotationError('invalid-range', (e as Error).message)
    }
    const cleaningVersion = article.cleaning_version
    return insertNew(db, { articleId: h.articleId, selectors, color, note, tags, cleaningVersion })
  })
  reindex(db, [h.articleId])
  return mustGet(db, id)
}

/** A note about the article as a whole (no highlighted text). */
export function createArticleNote(db: Db, n: NewArticleNote): Annotation {
  const note = checkNote(n.note)
  const tags = cleanTags(n.tags)
  const id = writeTx(db, () => {
    articleText(db, n.articleId)
    const articleId = n.articleId
    return insertNew(db, {
      articleId,
      selectors: null,
      color: null,
      note,
      tags,
      cleaningVersion: null
    })
  })
  reindex(db, [n.articleId])
  return mustGet(db, id)
}

export function createAnnotation(db: Db, a: NewAnnotation): Annotation {
  return 'start' in a ? createHighlight(db, a) : createArticleNote(db, a)
}

export interface QuoteOptions {
  note?: string
  color?: AnnotationColor
  tags?: string[]
  /** Which occurrence to take when the quote occurs more than once: the one nearest this offset. */
  near?: number
}

/** All offsets where `quote` occurs in `text`. */
function occurrences(text: string, quote: string): number[] {
  const out: number[] = []
  for (let i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1)) out.push(i)
  return out
}

/**
 * Highlights the passage of the article's clean text that equals `quote` exactly. Throws
 * AnnotationError 'quote-not-found' when it is absent, 'quote-ambiguous' when it occurs more than
 * once and no `near` offset says which.
 */
export function createAnnotationFromQuote(
  db: Db,
  articleId: number,
  quote: string,
  opts: QuoteOptions = {}
): Annotation {
  if (typeof quote !== 'string' || quote.length === 0) {
    throw new AnnotationError('invalid-input', 'the quote is empty')
  }
  const { clean_text: text } = articleText(db, articleId)
  const found = occurrences(text, quote)
  if (found.length === 0) {
    throw new AnnotationError(
      'quote-not-found',
      `the quote does not occur in article ${articleId}'s text`
    )
  }
  let start = found[0] as number
  if (found.length > 1) {
    const near = opts.near
    if (near === undefined || !Number.isFinite(near)) {
      throw new AnnotationError(
        'quote-ambiguous',
        `the quote occurs ${found.length} times (at ${found.slice(0, 5).join(', ')}${found.length > 5 ? ', …' : ''}); give a longer quote or an offset near the one you mean`
      )
    }
    start = found.reduce((b, x) => (Math.abs(x - near) < Math.abs(b - near) ? x : b), start)
  }
  return createHighlight(db, {
    articleId,
    start,
    end: start + quote.length,
    ...(opts.color !== undefined && { color: opts.color }),
    ...(opts.note !== undefined && { note: opts.note }),
    ...(opts.tags !== undefined && { tags: opts.tags })
  })
}

/** Changes note, colour and/or tags. Colour applies to highlights only. */
export function updateAnnotation(db: Db, id: number, patch: AnnotationPatch): Annotation {
  const current = mustGet(db, id)
  const note = patch.note === undefined ? current.note : checkNote(patch.note)
  const tags = patch.tags === undefined ? current.tags : cleanTags(patch.tags)
  let color = current.color
  if (patch.color !== undefined) {
    if (current.selectors === null)
      throw new AnnotationError('invalid-input', 'an article note has no colour')
    color = checkColor(patch.color)
  }
  db.prepare(
    'UPDATE annotations SET note = ?, tags_json = ?, color = ?, updated_at = ? WHERE id = ?'
  ).run(note, JSON.stringify(tags), color, nowIso(), id)
  reindex(db, [current.articleId])
  return mustGet(db, id)
}

/**
 * Deletes an annotation and returns it as it was, so the UI can offer undo through
 * restoreAnnotation.
 */
export function deleteAnnotation(db: Db, id: number): Annotation {
  const current = mustGet(db, id)
  db.prepare('DELETE FROM annotations WHERE id = ?').run(id)
  reindex(db, [current.articleId])
  return current
}

/**
 * Puts back an annotation returned by deleteAnnotation, under the same id. If the article's
 * text was re-cleaned in between, the highlight is re-anchored to the current text.
 */
export function restoreAnnotation(db: Db, a: Annotation): Annotation {
  // It comes back from outside (undo over IPC or HTTP): its creation time must be one Gleaner
  // wrote, or the annotation would sort and export as made whenever the caller says.
  if (!isStoredTimestamp(a.createdAt))
    throw new AnnotationError(
      'invalid-input',
      `the annotation's creation time is not a time Gleaner wrote: ${a.createdAt}`
    )
  writeTx(db, () => {
    if (getAnnotation(db, a.id))
      throw new AnnotationError('id-taken', `annotation ${a.id} exists already`)
    const article = articleText(db, a.articleId)
    let selectors = a.selectors
    let status = a.anchorStatus
    let version = a.cleaningVersion
    if (selectors && version !== article.cleaning_version) {
      const moved = reanchorOne(article.clean_text, selectors, status)
      selectors = moved.selectors
      status = moved.status
      if (moved.status !== 'needs-review') version = article.cleaning_version
    } else if (selectors && !selectors.context) {
      selectors = withExtendedContext(article.clean_text, selectors)
    }
    insertRow(db, {
      id: a.id,
      articleId: a.articleId,
      selectors,
      color: selectors ? (a.color ?? DEFAULT_ANNOTATION_COLOR) : null,
      note: a.note,
      tags: a.tags,
      cleaningVersion: version,
      anchorStatus: status,
      createdAt: a.createdAt,
      updatedAt: nowIso()
    })
  })
  reindex(db, [a.articleId])
  return mustGet(db, a.id)
}

/**
 * Selectors that came back without the extended context (through an API that passes only the
 * W3C fields) get it again from the text they describe, when that text is still exactly there.
 */
function withExtendedContext(text: string, s: Selectors): Selectors {
  const { start, end } = s.position
  if (!(start >= 0 && end <= text.length && start < end)) return s
  if (text.slice(start, end) !== s.quote.exact) return s
  const fresh = describeRange(text, start, end)
  return fresh.quote.prefix === s.quote.prefix && fresh.quote.suffix === s.quote.suffix
    ? { ...s, context: fresh.context }
    : s
}

/** The user points a highlight (typically one that needs review) at [start, end) of the current text. */
export function reattachAnnotation(db: Db, id: number, start: number, end: number): Annotation {
  const current = mustGet(db, id)
  if (!current.selectors)
    throw new AnnotationError('invalid-input', 'an article note has no text to attach')
  const article = articleText(db, current.articleId)
  let selectors: Selectors
  try {
    selectors = describeRange(article.clean_text, start, end)
  } catch (e) {
    throw new AnnotationError('invalid-range', (e as Error).message)
  }
  db.prepare(
    `UPDATE annotations SET selectors_json = ?, exact = ?, cleaning_version = ?, anchor_status = 'anchored',
       updated_at = ? WHERE id = ?`
  ).run(selectorsJson(selectors), selectors.quote.exact, article.cleaning_version, nowIso(), id)
  reindex(db, [current.articleId])
  return mustGet(db, id)
}

/** Where a highlight is anchored: what reattach and confirm change, and their undo restores. */
export interface AnchorState {
  selectors: Selectors | null
  cleaningVersion: number | null
  anchorStatus: AnchorStatus
}

export function anchorStateOf(a: Annotation): AnchorState {
  return {
    selectors: a.selectors,
    cleaningVersion: a.cleaningVersion,
    anchorStatus: a.anchorStatus
  }
}

/** Puts a highlight's anchor back as it was (the undo of a reattach or a confirm). */
export function setAnchor(db: Db, id: number, state: AnchorState): Annotation {
  const current = mustGet(db, id)
  if (!current.selectors || !state.selectors)
    throw new AnnotationError('invalid-input', 'an article note has no anchor')
  db.prepare(
    `UPDATE annotations SET selectors_json = ?, exact = ?, cleaning_version = ?, anchor_status = ?,
       updated_at = ? WHERE id = ?`
  ).run(
    selectorsJson(state.selectors),
    state.selectors.quote.exact,
    state.cleaningVersion,
    state.anchorStatus,
    nowIso(),
    id
  )
  reindex(db, [current.articleId])
  return mustGet(db, id)
}

/** The user accepts where a fuzzy re-anchor put a highlight. */
export function confirmAnchor(db: Db, id: number): Annotation {
  const current = mustGet(db, id)
  if (current.anchorStatus !== 'fuzzy') return current
  db.prepare(`UPDATE annotations SET anchor_status = 'anchored', updated_at = ? WHERE id = ?`).run(
    nowIso(),
    id
  )
  return mustGet(db, id)
}

/**
 * Text order: article notes first, then highlights by position, then highlights that need
 * review (their positions describe an older text).
 */
function textOrder(a: Annotation, b: Annotation): number {
  const rank = (x: Annotation): number =>
    x.selectors === null ? 0 : x.anchorStatus === 'needs-review' ? 2 : 1
  const r = rank(a) - rank(b)
  if (r !== 0) return r
  if (rank(a) === 1) {
    const d = (a.selectors?.position.start ?? 0) - (b.selectors?.position.start ?? 0)
    if (d !== 0) return d
  }
  return a.id - b.id
}

export function listAnnotations(db: Db, articleId: number): Annotation[] {
  return db
    .prepare<[number], AnnotationRow>(`SELECT ${COLUMNS} FROM annotations WHERE article_id = ?`)
    .all(articleId)
    .map(fromRow)
    .sort(textOrder)
}

/** Every annotation, grouped by article (ascending id), each group in text order. */
export function listAllAnnotations(db: Db): Annotation[] {
  return db
    .prepare<[], AnnotationRow>(`SELECT ${COLUMNS} FROM annotations`)
    .all()
    .map(fromRow)
    .sort((a, b) => a.articleId - b.articleId || textOrder(a, b))
}

/** Needs-review annotations of articles in the library (an article in the trash waits there). */
export function listNeedsReview(db: Db): Annotation[] {
  return db
    .prepare<[], AnnotationRow>(
      `SELECT ${COLUMNS} FROM annotations WHERE anchor_status = 'needs-review'
         AND article_id IN (SELECT id FROM articles WHERE deleted_at IS NULL)`
    )
    .all()
    .map(fromRow)
    .sort((a, b) => a.articleId - b.articleId || a.id - b.id)
}

interface Reanchored {
  selectors: Selectors
  status: AnchorStatus
  outcome: 'unchanged' | 'moved' | 'fuzzy' | 'needs-review'
}

export function reanchorOne(text: string, selectors: Selectors, status: AnchorStatus): Reanchored {
  const r = anchorSelectors(text, selectors)
  // Not found: keep the selectors describing the text the user highlighted, for the next try.
  if (r.method === 'failed') return { selectors, status: 'needs-review', outcome: 'needs-review' }
  const fresh = describeRange(text, r.start, r.end)
  if (r.method === 'fuzzy') return { selectors: fresh, status: 'fuzzy', outcome: 'fuzzy' }
  // Found verbatim. A highlight already moved by a fuzzy match stays 'fuzzy' until confirmed.
  const kept: AnchorStatus = status === 'fuzzy' ? 'fuzzy' : 'anchored'
  return {
    selectors: fresh,
    status: kept,
    outcome: r.method === 'position' ? 'unchanged' : 'moved'
  }
}

/**
 * Re-anchors every highlight of an article against `newText` (about to become its clean text,
 * at `newCleaningVersion`). Call it in the same transaction that writes the new text.
 * Highlights that cannot be found confidently become 'needs-review' and keep their old selectors.
 */
export function reanchorArticle(
  db: Db,
  articleId: number,
  newText: string,
  newCleaningVersion: number
): ReanchorCounts {
  const counts: ReanchorCounts = { total: 0, unchanged: 0, moved: 0, fuzzy: 0, needsReview: 0 }
  const rows = db
    .prepare<[number], AnnotationRow>(
      `SELECT ${COLUMNS} FROM annotations WHERE article_id = ? AND selectors_json IS NOT NULL`
    )
    .all(articleId)
  const update = db.prepare(
    `UPDATE annotations SET selectors_json = ?, exact = ?, cleaning_version = ?, anchor_status = ?, updated_at = ?
     WHERE id = ?`
  )
  const now = nowIso()
  writeTx(db, () => {
    for (const row of rows) {
      const a = fromRow(row)
      if (!a.selectors) continue
      counts.total++
      const r = reanchorOne(newText, a.selectors, a.anchorStatus)
      if (r.outcome === 'needs-review') {
        counts.needsReview++
        update.run(
          selectorsJson(a.selectors),
          a.selectors.quote.exact,
          a.cleaningVersion,
          'needs-review',
          now,
          a.id
        )
        continue
      }
      if (r.outcome === 'unchanged') counts.unchanged++
      else if (r.outcome === 'moved') counts.moved++
      else counts.fuzzy++
      update.run(
        selectorsJson(r.selectors),
        r.selectors.quote.exact,
        newCleaningVersion,
        r.status,
        now,
        a.id
      )
    }
  })
  // The article's own row is written by the caller; the search index follows its text there.
  return counts
}
