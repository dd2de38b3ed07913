// From dirty rows to field writes: each dirty row's entity is read as it is now (fields.ts),
// diffed against the shadow, and every field that differs is written with a clock from the
// edit's time (clock.ts). The batch is saved before it is sent, so a batch whose answer was lost
// (a crash, a dropped connection) is sent again with the same id and the server applies it once.
import { randomUUID } from 'node:crypto'
import type { Db } from '../../library/open'
import { writeTx } from '../../library/write-tx'
import { MERGE_FIELDS, type EntityKind, type FieldWrite, type PushResult } from '../protocol'
import { applyFields, type Applied } from './apply'
import { fieldHlc } from './clock'
import { readSetting, writeSetting } from './config'
import { localFields, originalName, type Fields } from './fields'
import { articleIdOf, articleKeyOf, idByUid, splitArticleKey, splitItemKey, uidOf } from './keys'
import { canonicalJson, setShadow, shadowOf } from './shadow'
import { withoutMarking } from './triggers'

interface DirtyRow {
  kind: EntityKind
  a: number
  b: number
  at_ms: number
  gone: string | null
}

export interface PendingBatch {
  id: string
  writes: FieldWrite[]
  /** The dirty rows it was made from, with the times seen (cleared only if still those). */
  dirty: { kind: EntityKind; a: number; b: number; at_ms: number }[]
  /** Originals (sha256) its article writes refer to: on the server before the batch. */
  originals: string[]
}

const BATCH_KEY = 'team.batch'

export function pendingBatch(db: Db): PendingBatch | null {
  const text = readSetting(db, BATCH_KEY)
  return text ? (JSON.parse(text) as PendingBatch) : null
}

export function dirtyCount(db: Db): number {
  return db.prepare('SELECT COUNT(*) FROM team_dirty').pluck().get() as number
}

/** The shared key of a dirty row's entity now; null when it has none (a purged article). */
function keyOf(db: Db, row: DirtyRow): string | null {
  switch (row.kind) {
    case 'article':
      return articleKeyOf(db, row.a)
    case 'collection':
      return uidOf(db, 'collections', row.a)
    case 'annotation':
      return uidOf(db, 'annotations', row.a)
    case 'item': {
      const c = uidOf(db, 'collections', row.a)
      const a = articleKeyOf(db, row.b)
      return c && a ? `${c}|${a}` : null
    }
  }
}

/** What a row deleted here says to the team: a tombstone, or the item out of its collection. */
function goneFields(kind: EntityKind, atMs: number): Fields | null {
  if (kind === 'item') return { in: false }
  if (kind === 'collection' || kind === 'annotation')
    return { deleted: new Date(atMs).toISOString() }
  // An article purged from the Trash: the team's tombstone stays, recoverable by the others.
  return null
}

/** A field's value nobody needs to be told about when the team has never had the field. */
const isDefault = (field: string, v: unknown): boolean =>
  v === null ||
  v === false ||
  (field === 'categories' && Array.isArray(v) && v.length === 0) ||
  (field === 'tags' && Array.isArray(v) && v.length === 0)

function diff(
  db: Db,
  kind: EntityKind,
  key: string,
  fields: Fields,
  atMs: number,
  client: string
): FieldWrite[] {
  const shadow = shadowOf(db, kind, key)
  const local: Fields = { ...fields }
  // A tag the team has on the article and this copy took off.
  if (kind === 'article')
    for (const [field, s] of shadow)
      if (field.startsWith('tag:') && !(field in local) && s.value === 'true') local[field] = false
  const writes: FieldWrite[] = []
  for (const [field, value] of Object.entries(local)) {
    const prev = shadow.get(field)
    if (prev ? canonicalJson(value) === (prev.value ?? 'null') : isDefault(field, value)) continue
    const w: FieldWrite = { kind, key, field, value, hlc: fieldHlc(atMs, prev?.hlc ?? '', client) }
    if (MERGE_FIELDS.has(field)) w.base = prev?.hlc ?? ''
    writes.push(w)
  }
  return writes
}

/**
 * The batch to send next: the one saved and not yet answered, else a new one from up to
 * `maxRows` dirty rows (null when nothing differs; rows that turned out to differ in nothing
 * are cleared).
 */
export function nextBatch(db: Db, client: string, maxRows = 500): PendingBatch | null {
  const saved = pendingBatch(db)
  if (saved) return saved
  return writeTx(db, () => {
    const rows = db
      .prepare('SELECT kind, a, b, at_ms, gone FROM team_dirty ORDER BY at_ms LIMIT ?')
      .all(maxRows) as DirtyRow[]
    if (rows.length === 0) return null
    const writes: FieldWrite[] = []
    const originals = new Set<string>()
    for (const row of rows) {
      const key = keyOf(db, row)
      const fields = key === null ? null : localFields(db, row.kind, row.a, row.b)
      if (key !== null && fields !== null) {
        const w = diff(db, row.kind, key, fields, row.at_ms, client)
        if (row.kind === 'article' && w.length) originals.add(splitArticleKey(key)!.sha256)
        writes.push(...w)
      }
      // The row's old entity left (its ids now lead elsewhere, or nowhere).
      if (row.gone && row.gone !== key) {
        const g = goneFields(row.kind, row.at_ms)
        if (g) writes.push(...diff(db, row.kind, row.gone, g, row.at_ms, client))
      }
    }
    if (writes.length === 0) {
      clearDirty(db, rows)
      return null
    }
    const batch: PendingBatch = {
      id: randomUUID(),
      writes,
      dirty: rows.map(({ kind, a, b, at_ms }) => ({ kind, a, b, at_ms })),
      originals: [...originals]
    }
    writeSetting(db, BATCH_KEY, JSON.stringify(batch))
    return batch
  })
}

function clearDirty(
  db: Db,
  rows: readonly { kind: string; a: number; b: number; at_ms: number }[]
): void {
  const del = db.prepare('DELETE FROM team_dirty WHERE kind = ? AND a = ? AND b = ? AND at_ms = ?')
  for (const r of rows) del.run(r.kind, r.a, r.b, r.at_ms)
}

/**
 * After the server answered: the shadow takes the pushed values, the overruled fields are
 * applied here, the batch's dirty rows are cleared unless edited again meanwhile, and the saved
 * batch is dropped — one transaction, so a crash leaves either the batch to resend or nothing.
 */
export function settleBatch(db: Db, batch: PendingBatch, result: PushResult, out: Applied): void {
  writeTx(db, () =>
    withoutMarking(db, () => {
      for (const w of batch.writes) setShadow(db, w.kind, w.key, w.field, w.value, w.hlc)
      if (result.overruled.length) applyFields(db, result.overruled, { force: true, out })
      // A note the server took as written settles any conflict it had (its echo in the next
      // pull is skipped as known).
      const overruled = new Set(result.overruled.map((o) => `${o.kind}|${o.key}|${o.field}`))
      for (const w of batch.writes)
        if (MERGE_FIELDS.has(w.field) && !overruled.has(`${w.kind}|${w.key}|${w.field}`))
          clearConflict(db, w.kind, w.key)
      clearDirty(db, batch.dirty)
      writeSetting(db, BATCH_KEY, null)
    })
  )
}

/** Where a pushed article's original bytes and name are (for putOriginals). */
export function originalFor(db: Db, sha256: string): { bytes: Buffer; name: string } | null {
  const row = db
    .prepare(
      `SELECT o.bytes AS bytes, a.source_path AS path FROM originals o
         LEFT JOIN articles a ON a.original_id = o.id WHERE o.sha256 = ? LIMIT 1`
    )
    .get(sha256) as { bytes: Buffer; path: string | null } | undefined
  if (!row) return null
  return { bytes: row.bytes, name: originalName(row.path) ?? `${sha256}.html` }
}

function clearConflict(db: Db, kind: EntityKind, key: string): void {
  if (kind === 'annotation') {
    db.prepare('UPDATE annotations SET conflict = 0 WHERE uid = ? AND conflict <> 0').run(key)
    return
  }
  const k = kind === 'item' ? splitItemKey(key) : null
  const c = k ? idByUid(db, 'collections', k.collection) : null
  const a = k ? articleIdOf(db, k.article) : null
  if (c !== null && a !== null)
    db.prepare(
      'UPDATE collection_items SET conflict = 0 WHERE collection_id = ? AND article_id = ? AND conflict <> 0'
    ).run(c, a)
}
