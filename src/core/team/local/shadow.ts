// team_shadow: each field as the server last had it (value and hlc). A push diffs the working
// copy against it; a pull writes it together with the library rows it changes.
import type { Db } from '../../library/open'
import type { EntityKind } from '../protocol'

export interface ShadowField {
  field: string
  /** Canonical JSON text (canonicalJson), null when the field is cleared. */
  value: string | null
  hlc: string
}

/** JSON with object keys sorted, so equal values compare equal whoever serialised them. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))
        )
      : v
  )
}

export function shadowOf(db: Db, kind: EntityKind, key: string): Map<string, ShadowField> {
  const rows = db
    .prepare('SELECT field, value, hlc FROM team_shadow WHERE kind = ? AND key = ?')
    .all(kind, key) as ShadowField[]
  return new Map(rows.map((r) => [r.field, r]))
}

export function shadowValue(db: Db, kind: EntityKind, key: string, field: string): unknown {
  const v = db
    .prepare('SELECT value FROM team_shadow WHERE kind = ? AND key = ? AND field = ?')
    .pluck()
    .get(kind, key, field) as string | null | undefined
  return v === undefined || v === null ? undefined : (JSON.parse(v) as unknown)
}

export function setShadow(
  db: Db,
  kind: EntityKind,
  key: string,
  field: string,
  value: unknown,
  hlc: string
): void {
  db.prepare(
    'INSERT OR REPLACE INTO team_shadow (kind, key, field, value, hlc) VALUES (?, ?, ?, ?, ?)'
  ).run(kind, key, field, value === null || value === undefined ? null : canonicalJson(value), hlc)
}
