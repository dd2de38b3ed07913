// Applies fields as the server has them (a pull's pages, a push's overruled fields) to the
// working copy: the shadow first, then the library rows, all in the caller's transaction and
// without marking them as local edits. A field this copy edited since its last push (dirty, and
// different from the shadow) is left to that push to settle: a note keeps its old base so the
// server merges both texts, and any other field wins here only if its clock is later than the
// local edit's.
import { reanchorOne, parseSelectors, selectorsJson } from '../../annotations/repository'
import { ensureCategoryPath } from '../../library/categories'
import { dropIfUnused } from '../../library/tag-edit'
import { normaliseName } from '../../library/taxonomy-errors'
import type { Db } from '../../library/open'
import { MERGE_FIELDS, type EntityKind, type FieldState } from '../protocol'
import { articleFields, localFields, type Fields } from './fields'
import { canonicalJson, setShadow, shadowOf } from './shadow'
import { articleIdOf, articleKeyOf, idByUid, splitItemKey } from './keys'
import { fieldHlc } from './clock'

export interface Applied {
  /** Fields that became this copy's value. */
  fields: number
  conflicts: number
  articleIds: Set<number>
  annotationArticleIds: Set<number>
  collectionIds: Set<number>
  collections: boolean
  /** Articles whose search document changed (categories, tags, deletion, annotations). */
  reindex: Set<number>
  /** Fields that could not be applied (a bad value from the server): why, by field. */
  problems: string[]
}

export function emptyApplied(): Applied {
  return {
    fields: 0,
    conflicts: 0,
    articleIds: new Set(),
    annotationArticleIds: new Set(),
    collectionIds: new Set(),
    collections: false,
    reindex: new Set(),
    problems: []
  }
}

interface Target {
  kind: EntityKind
  key: string
  /** Local ids (a, b as in team_dirty); null when the row is not here. */
  local: { a: number; b: number } | null
  taken: Map<string, FieldState>
}

function localRef(db: Db, kind: EntityKind, key: string): { a: number; b: number } | null {
  switch (kind) {
    case 'article': {
      const id = articleIdOf(db, key)
      return id === null ? null : { a: id, b: 0 }
    }
    case 'collection': {
      const id = idByUid(db, 'collections', key)
      return id === null ? null : { a: id, b: 0 }
    }
    case 'annotation': {
      const id = idByUid(db, 'annotations', key)
      return id === null ? null : { a: id, b: 0 }
    }
    case 'item': {
      const k = splitItemKey(key)
      if (!k) return null
      const c = idByUid(db, 'collections', k.collection)
      const a = articleIdOf(db, k.article)
      return c === null || a === null ? null : { a: c, b: a }
    }
  }
}

const dirtyAt = (db: Db, kind: EntityKind, ref: { a: number; b: number }): number | null =>
  (db
    .prepare('SELECT at_ms FROM team_dirty WHERE kind = ? AND a = ? AND b = ?')
    .pluck()
    .get(kind, ref.a, ref.b) as number | undefined) ?? null

/** A local value as it compares with the shadow (absent tags read as false). */
function localValue(fields: Fields | null, field: string): unknown {
  if (!fields) return undefined
  if (field in fields) return fields[field]
  return field.startsWith('tag:') ? false : undefined
}

const same = (a: unknown, b: string | null | undefined): boolean =>
  canonicalJson(a ?? null) === (b ?? 'null')

/**
 * Applies `states` (in server version order). `force`: the server's answer to this copy's own
 * push (overruled fields), which replace what was pushed even where the field is dirty.
 */
export function applyFields(
  db: Db,
  states: readonly FieldState[],
  opts: { force?: boolean; out?: Applied; fresh?: ReadonlySet<number> } = {}
): Applied {
  const out = opts.out ?? emptyApplied()
  const targets = new Map<string, Target>()
  for (const s of states) {
    const id = `${s.kind}\u0000${s.key}`
    let t = targets.get(id)
    if (!t) {
      t = { kind: s.kind, key: s.key, local: localRef(db, s.kind, s.key), taken: new Map() }
      targets.set(id, t)
    }
    // Known already (this copy's own write coming back, or a page pulled again).
    if (!opts.force && sameAsShadow(db, s)) continue
    if (!opts.force && t.local && !takes(db, t, s)) continue
    setShadow(db, s.kind, s.key, s.field, s.value, s.hlc)
    t.taken.set(s.field, s)
    out.fields++
    if (s.conflict) out.conflicts++
  }
  for (const t of targets.values()) {
    // Just imported for the team: adoptTeamState gives it the team's fields in one go.
    if (t.kind === 'article' && t.local && opts.fresh?.has(t.local.a)) continue
    try {
      materialize(db, t, out)
    } catch (e) {
      out.problems.push(`${t.kind} ${t.key}: ${(e as Error).message}`)
    }
  }
  return out
}

function sameAsShadow(db: Db, s: FieldState): boolean {
  const row = db
    .prepare('SELECT value, hlc FROM team_shadow WHERE kind = ? AND key = ? AND field = ?')
    .get(s.kind, s.key, s.field) as { value: string | null; hlc: string } | undefined
  return row !== undefined && row.hlc === s.hlc && same(s.value, row.value)
}

/** Whether a pulled field replaces the local one (see the header). */
function takes(db: Db, t: Target, s: FieldState): boolean {
  const at = dirtyAt(db, t.kind, t.local!)
  if (at === null) return true
  const shadow = shadowOf(db, t.kind, t.key).get(s.field)
  const local = localValue(localFields(db, t.kind, t.local!.a, t.local!.b), s.field)
  if (local === undefined || same(local, shadow?.value)) return true
  // A tag this copy never had and never heard of is no edit here, whatever else of the article
  // was edited: another member's new tag always lands.
  if (shadow === undefined && s.field.startsWith('tag:') && local === false) return true
  if (MERGE_FIELDS.has(s.field)) return false
  return s.hlc > fieldHlc(at, shadow?.hlc ?? '', '')
}

function materialize(db: Db, t: Target, out: Applied): void {
  if (t.taken.size === 0) return
  switch (t.kind) {
    case 'article':
      return materializeArticle(db, t, out)
    case 'collection':
      return materializeCollection(db, t, out)
    case 'item':
      return materializeItem(db, t, out)
    case 'annotation':
      return materializeAnnotation(db, t, out)
  }
}

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string' || v === '') throw new Error(`${what} is not a text`)
  return v
}

function materializeArticle(db: Db, t: Target, out: Applied): void {
  if (!t.local) return
  const id = t.local.a
  let changed = false
  for (const [field, s] of t.taken) {
    // One bad field is said and skipped; the article's other fields still apply.
    try {
      if (field === 'categories') setCategories(db, id, s.value)
      else if (field.startsWith('tag:'))
        setTag(db, id, normaliseName('tag', field.slice(4)), s.value === true)
      else if (field === 'deleted')
        db.prepare('UPDATE articles SET deleted_at = ? WHERE id = ?').run(
          s.value === null ? null : str(s.value, 'deleted'),
          id
        )
      else continue
      changed = true
    } catch (e) {
      out.problems.push(`article ${t.key} ${field}: ${(e as Error).message}`)
    }
  }
  if (changed) {
    out.articleIds.add(id)
    out.reindex.add(id)
  }
}

export function setCategories(db: Db, articleId: number, value: unknown): void {
  const paths = Array.isArray(value) ? value : []
  db.prepare('DELETE FROM article_categories WHERE article_id = ?').run(articleId)
  const link = db.prepare(
    'INSERT OR IGNORE INTO article_categories (article_id, category_id) VALUES (?, ?)'
  )
  for (const p of paths) {
    if (!Array.isArray(p) || !p.every((s) => typeof s === 'string'))
      throw new Error('a category path is not a list of names')
    const leaf = ensureCategoryPath(
      db,
      p.map((seg: string) => normaliseName('category', seg))
    )
    if (leaf !== null) link.run(articleId, leaf)
  }
}

export function setTag(db: Db, articleId: number, name: string, on: boolean): void {
  if (on) {
    db.prepare('INSERT INTO tags (name) VALUES (?) ON CONFLICT(name) DO NOTHING').run(name)
    db.prepare(
      'INSERT OR IGNORE INTO article_tags (article_id, tag_id) SELECT ?, id FROM tags WHERE name = ?'
    ).run(articleId, name)
    return
  }
  const tagId = db.prepare('SELECT id FROM tags WHERE name = ?').pluck().get(name) as
    number | undefined
  if (tagId === undefined) return
  db.prepare('DELETE FROM article_tags WHERE article_id = ? AND tag_id = ?').run(articleId, tagId)
  dropIfUnused(db, tagId)
}

/** A collection name nobody here uses yet: the team's, or with “(2)”, “(3)”… after it. */
function freeName(db: Db, name: string, exceptId: number | null): string {
  const taken = db.prepare('SELECT id FROM collections WHERE name = ?').pluck()
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${name} (${n})`
    const other = taken.get(candidate) as number | undefined
    if (other === undefined || other === exceptId) return candidate
  }
}

function materializeCollection(db: Db, t: Target, out: Applied): void {
  const shadow = shadowOf(db, 'collection', t.key)
  const value = (f: string): unknown => {
    const v = shadow.get(f)?.value
    return v === null || v === undefined ? null : (JSON.parse(v) as unknown)
  }
  const id = t.local?.a ?? null
  out.collections = true
  if (value('deleted') !== null) {
    if (id !== null) {
      db.prepare('DELETE FROM collections WHERE id = ?').run(id)
      out.collectionIds.add(id)
    }
    return
  }
  const name = value('name')
  if (typeof name !== 'string' || name.trim() === '') return
  const query = value('query')
  const q = typeof query === 'string' && query.trim() !== '' ? query : null
  if (id === null) {
    const info = db
      .prepare('INSERT INTO collections (uid, name, query, created_at) VALUES (?, ?, ?, ?)')
      .run(t.key, freeName(db, name, null), q, new Date().toISOString())
    const newId = Number(info.lastInsertRowid)
    out.collectionIds.add(newId)
    // Items that arrived before their collection (an earlier page) are in the shadow already.
    materializeItemsOf(db, t.key, out)
    return
  }
  if (t.taken.has('name'))
    db.prepare('UPDATE collections SET name = ? WHERE id = ?').run(freeName(db, name, id), id)
  if (t.taken.has('query')) db.prepare('UPDATE collections SET query = ? WHERE id = ?').run(q, id)
  out.collectionIds.add(id)
}

function materializeItemsOf(db: Db, collectionUid: string, out: Applied): void {
  const keys = db
    .prepare(`SELECT DISTINCT key FROM team_shadow WHERE kind = 'item' AND key >= ? AND key < ?`)
    .pluck()
    .all(`${collectionUid}|`, `${collectionUid}}`) as string[]
  for (const key of keys) {
    const local = localRef(db, 'item', key)
    const taken = new Map<string, FieldState>()
    materializeItem(db, { kind: 'item', key, local, taken, all: true } as Target, out)
  }
}

function materializeItem(db: Db, t: Target & { all?: boolean }, out: Applied): void {
  const k = splitItemKey(t.key)
  if (!k) return
  const c = idByUid(db, 'collections', k.collection)
  const a = articleIdOf(db, k.article)
  if (c === null || a === null) return
  const shadow = shadowOf(db, 'item', t.key)
  const value = (f: string): unknown => {
    const v = shadow.get(f)?.value
    return v === null || v === undefined ? null : (JSON.parse(v) as unknown)
  }
  out.collections = true
  out.collectionIds.add(c)
  out.articleIds.add(a)
  if (value('in') !== true) {
    db.prepare('DELETE FROM collection_items WHERE collection_id = ? AND article_id = ?').run(c, a)
    return
  }
  const position = typeof value('position') === 'number' ? (value('position') as number) : null
  const note = typeof value('note') === 'string' ? (value('note') as string) : null
  const conflict = t.taken.get('note')?.conflict ? 1 : 0
  const exists = db
    .prepare('SELECT 1 FROM collection_items WHERE collection_id = ? AND article_id = ?')
    .get(c, a)
  if (!exists) {
    const pos =
      position ??
      ((db
        .prepare('SELECT MAX(position) FROM collection_items WHERE collection_id = ?')
        .pluck()
        .get(c) as number | null) ?? 0) + 1
    db.prepare(
      'INSERT INTO collection_items (collection_id, article_id, position, note, conflict) VALUES (?, ?, ?, ?, ?)'
    ).run(c, a, pos, note, conflict)
    untie(db, c, pos)
    return
  }
  if ((t.taken.has('position') || t.all) && position !== null) {
    db.prepare(
      'UPDATE collection_items SET position = ? WHERE collection_id = ? AND article_id = ?'
    ).run(position, c, a)
    untie(db, c, position)
  }
  if (t.taken.has('note') || t.all)
    db.prepare(
      'UPDATE collection_items SET note = ?, conflict = ? WHERE collection_id = ? AND article_id = ?'
    ).run(note, conflict, c, a)
}

/**
 * Two members who moved items into the same gap at once gave them the same position; the list
 * would break the tie by local ids, which differ per copy. Spread the tied items across the gap
 * in the order of their shared keys instead: every copy that holds the same items does the same.
 */
function untie(db: Db, collectionId: number, position: number): void {
  const tied = db
    .prepare('SELECT article_id FROM collection_items WHERE collection_id = ? AND position = ?')
    .pluck()
    .all(collectionId, position) as number[]
  if (tied.length < 2) return
  const next = db
    .prepare('SELECT MIN(position) FROM collection_items WHERE collection_id = ? AND position > ?')
    .pluck()
    .get(collectionId, position) as number | null
  const step = ((next ?? position + 1) - position) / tied.length
  const byKey = tied
    .map((id) => ({ id, key: articleKeyOf(db, id) ?? '' }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
  const move = db.prepare(
    'UPDATE collection_items SET position = ? WHERE collection_id = ? AND article_id = ?'
  )
  byKey.forEach(({ id }, i) => move.run(position + i * step, collectionId, id))
}

function materializeAnnotation(db: Db, t: Target, out: Applied): void {
  const shadow = shadowOf(db, 'annotation', t.key)
  const value = (f: string): unknown => {
    const v = shadow.get(f)?.value
    return v === null || v === undefined ? null : (JSON.parse(v) as unknown)
  }
  const id = t.local?.a ?? null
  if (value('deleted') !== null) {
    if (id === null) return
    const articleId = db.prepare('SELECT article_id FROM annotations WHERE id = ?').pluck().get(id)
    db.prepare('DELETE FROM annotations WHERE id = ?').run(id)
    touchAnnotation(out, articleId as number)
    return
  }
  const note = typeof value('note') === 'string' ? (value('note') as string) : null
  const tags = Array.isArray(value('tags'))
    ? (value('tags') as unknown[]).filter((x) => typeof x === 'string')
    : []
  const color = typeof value('color') === 'string' ? (value('color') as string) : null
  const conflict = t.taken.get('note')?.conflict ? 1 : 0
  const now = new Date().toISOString()
  if (id !== null) {
    const articleId = db
      .prepare('SELECT article_id FROM annotations WHERE id = ?')
      .pluck()
      .get(id) as number
    if (t.taken.has('note'))
      db.prepare('UPDATE annotations SET note = ?, conflict = ?, updated_at = ? WHERE id = ?').run(
        note,
        conflict,
        now,
        id
      )
    if (t.taken.has('tags'))
      db.prepare('UPDATE annotations SET tags_json = ?, updated_at = ? WHERE id = ?').run(
        JSON.stringify(tags),
        now,
        id
      )
    if (t.taken.has('color'))
      db.prepare('UPDATE annotations SET color = ?, updated_at = ? WHERE id = ?').run(
        color,
        now,
        id
      )
    if (t.taken.has('selectors')) anchor(db, id, articleId, value('selectors'))
    touchAnnotation(out, articleId)
    return
  }
  const articleKey = value('article')
  if (typeof articleKey !== 'string') return
  const articleId = articleIdOf(db, articleKey)
  if (articleId === null) return
  const author = t.taken.get('article')?.author ?? null
  const info = db
    .prepare(
      `INSERT INTO annotations (uid, article_id, selectors_json, exact, color, note, tags_json,
         cleaning_version, anchor_status, created_at, updated_at, author, conflict)
       VALUES (?, ?, NULL, NULL, ?, ?, ?, NULL, 'anchored', ?, ?, ?, ?)`
    )
    .run(t.key, articleId, color, note, JSON.stringify(tags), now, now, author, conflict)
  anchor(db, Number(info.lastInsertRowid), articleId, value('selectors'))
  touchAnnotation(out, articleId)
}

/**
 * Articles that arrived here after their annotations and collection items were pulled (an
 * import that failed and was fetched again later): those rows were skipped then, for want of
 * their article, and are made now from what the shadow holds.
 */
export function materializeArrivals(db: Db, keys: ReadonlySet<string>, out: Applied): void {
  if (!keys.size) return
  const annotations = db
    .prepare(`SELECT key, value FROM team_shadow WHERE kind = 'annotation' AND field = 'article'`)
    .all() as { key: string; value: string | null }[]
  for (const a of annotations) {
    if (a.value === null || !keys.has(JSON.parse(a.value) as string)) continue
    if (idByUid(db, 'annotations', a.key) !== null) continue
    materializeAnnotation(
      db,
      { kind: 'annotation', key: a.key, local: null, taken: new Map() },
      out
    )
  }
  const items = db
    .prepare(`SELECT DISTINCT key FROM team_shadow WHERE kind = 'item'`)
    .pluck()
    .all() as string[]
  for (const key of items) {
    const k = splitItemKey(key)
    if (!k || !keys.has(k.article)) continue
    const target = {
      kind: 'item',
      key,
      local: localRef(db, 'item', key),
      taken: new Map(),
      all: true
    }
    materializeItem(db, target as Target & { all: boolean }, out)
  }
}

/** Anchors pulled selectors on this copy's own clean text (its cleaner may differ). */
function anchor(db: Db, id: number, articleId: number, value: unknown): void {
  const selectors = value === null ? null : parseSelectors(canonicalJson(value))
  if (!selectors) {
    db.prepare(
      `UPDATE annotations SET selectors_json = NULL, exact = NULL, cleaning_version = NULL,
         anchor_status = 'anchored' WHERE id = ?`
    ).run(id)
    return
  }
  const article = db
    .prepare('SELECT clean_text, cleaning_version FROM articles WHERE id = ?')
    .get(articleId) as { clean_text: string; cleaning_version: number }
  const r = reanchorOne(article.clean_text, selectors, 'anchored')
  db.prepare(
    `UPDATE annotations SET selectors_json = ?, exact = ?, cleaning_version = ?, anchor_status = ?
      WHERE id = ?`
  ).run(selectorsJson(r.selectors), r.selectors.quote.exact, article.cleaning_version, r.status, id)
}

function touchAnnotation(out: Applied, articleId: number): void {
  out.articleIds.add(articleId)
  out.annotationArticleIds.add(articleId)
  out.reindex.add(articleId)
}

/**
 * An article this sync just imported for the team: its filing and tombstone are the team's,
 * not what its file's front matter says.
 */
export function adoptTeamState(db: Db, articleId: number, key: string, out: Applied): void {
  const shadow = shadowOf(db, 'article', key)
  const value = (f: string): unknown => {
    const v = shadow.get(f)?.value
    return v === null || v === undefined ? null : (JSON.parse(v) as unknown)
  }
  const now = articleFields(db, articleId)
  if (!now) return
  db.prepare(`DELETE FROM team_dirty WHERE kind = 'article' AND a = ?`).run(articleId)
  out.articleIds.add(articleId)
  const teamTags = [...shadow]
    .filter(([f, s]) => f.startsWith('tag:') && s.value === 'true')
    .map(([f]) => f.slice(4))
    .sort()
  const hereTags = Object.keys(now)
    .filter((f) => f.startsWith('tag:'))
    .map((f) => f.slice(4))
    .sort()
  const categories = value('categories') ?? []
  const deleted = value('deleted')
  const sameFiling =
    canonicalJson(categories) === canonicalJson(now.categories) &&
    canonicalJson(teamTags) === canonicalJson(hereTags)
  if (!sameFiling) {
    setCategories(db, articleId, categories)
    for (const t of hereTags) if (!teamTags.includes(t)) setTag(db, articleId, t, false)
    for (const t of teamTags) setTag(db, articleId, t, true)
    out.reindex.add(articleId)
  }
  if ((typeof deleted === 'string' ? deleted : null) !== now.deleted) {
    db.prepare('UPDATE articles SET deleted_at = ? WHERE id = ?').run(
      typeof deleted === 'string' ? deleted : null,
      articleId
    )
    out.reindex.add(articleId)
  }
}
