// push: a batch of field writes in one statement (the schema's push function), checked here
// first so bad input gets a clear error naming the write instead of a database error.
import { parseHlc, formatHlc } from '../hlc'
import type { EntityKind, FieldState, FieldWrite, PushResult } from '../protocol'
import { escapeIdentifier as ident } from 'pg'
import { TeamServerError } from './errors'
import { run, type Session } from './session'

export const PUSH_LIMITS = {
  /** Writes in one batch (the sync engine sends smaller ones). */
  writes: 50_000,
  keyChars: 2_048,
  fieldChars: 256,
  /** One field's value as JSON text. */
  valueBytes: 1_048_576,
  /** The whole batch as JSON text. */
  batchBytes: 64 * 1_048_576,
  idChars: 200
} as const

const KINDS: ReadonlySet<EntityKind> = new Set(['article', 'collection', 'item', 'annotation'])

const bad = (why: string, params: Record<string, string | number> = {}): TeamServerError =>
  new TeamServerError('team-write-invalid', `A write cannot be pushed: ${why}.`, {
    reason: why,
    ...params
  })

const validHlc = (h: unknown): h is string => {
  if (typeof h !== 'string') return false
  const p = parseHlc(h)
  return p !== null && formatHlc(p) === h
}

/**
 * The writes as the server function takes them: checked, and one per field (the latest by
 * hlc: two writes of one field in one batch would otherwise hit the row twice in a statement).
 */
export function checkWrites(batchId: string, clientId: string, writes: FieldWrite[]): string {
  if (typeof batchId !== 'string' || batchId === '' || batchId.length > PUSH_LIMITS.idChars)
    throw bad('the batch id must be 1 to 200 characters')
  if (typeof clientId !== 'string' || clientId === '' || clientId.length > PUSH_LIMITS.idChars)
    throw bad('the client id must be 1 to 200 characters')
  if (!Array.isArray(writes)) throw bad('writes must be a list')
  if (writes.length > PUSH_LIMITS.writes)
    throw bad(
      `a batch holds at most ${PUSH_LIMITS.writes} writes (this one has ${writes.length})`,
      {
        count: writes.length
      }
    )
  const latest = new Map<string, FieldWrite>()
  for (const [i, w] of writes.entries()) {
    const at = { index: i }
    if (typeof w !== 'object' || w === null) throw bad(`write ${i} is not an object`, at)
    if (!KINDS.has(w.kind)) throw bad(`write ${i} has an unknown kind ${String(w.kind)}`, at)
    if (typeof w.key !== 'string' || w.key === '' || w.key.length > PUSH_LIMITS.keyChars)
      throw bad(`write ${i} needs a key of 1 to ${PUSH_LIMITS.keyChars} characters`, at)
    if (typeof w.field !== 'string' || w.field === '' || w.field.length > PUSH_LIMITS.fieldChars)
      throw bad(`write ${i} needs a field name of 1 to ${PUSH_LIMITS.fieldChars} characters`, at)
    if (!validHlc(w.hlc)) throw bad(`write ${i} has no valid hlc`, at)
    if (w.base !== undefined && w.base !== '' && !validHlc(w.base))
      throw bad(`write ${i} has an invalid base hlc`, at)
    const json = JSON.stringify(w.value === undefined ? null : w.value)
    if (Buffer.byteLength(json) > PUSH_LIMITS.valueBytes)
      throw bad(`write ${i}'s value is larger than ${PUSH_LIMITS.valueBytes} bytes`, at)
    const id = `${w.kind}\u0000${w.key}\u0000${w.field}`
    const prev = latest.get(id)
    if (!prev || w.hlc > prev.hlc) latest.set(id, w)
  }
  const text = JSON.stringify(
    [...latest.values()].map((w) => ({
      kind: w.kind,
      key: w.key,
      field: w.field,
      value: w.value === undefined ? null : w.value,
      hlc: w.hlc,
      base: w.base ?? ''
    }))
  )
  if (Buffer.byteLength(text) > PUSH_LIMITS.batchBytes)
    throw bad(`a batch is at most ${PUSH_LIMITS.batchBytes} bytes of JSON`)
  return text
}

/** A field as PostgreSQL returns it: the version is a bigint, which comes back as text. */
type RawState = Omit<FieldState, 'version' | 'conflict'> & {
  version: number | string
  conflict: boolean
}

export function toFieldState(r: RawState): FieldState {
  const state: FieldState = {
    kind: r.kind,
    key: r.key,
    field: r.field,
    value: r.value,
    hlc: r.hlc,
    author: r.author,
    version: Number(r.version)
  }
  if (r.conflict) state.conflict = true
  return state
}

export async function push(
  s: Session,
  batchId: string,
  clientId: string,
  writes: FieldWrite[]
): Promise<PushResult> {
  const payload = checkWrites(batchId, clientId, writes)
  const rows = await run<{
    r: { duplicate: boolean; applied: number; version: number; overruled: RawState[] }
  }>(s, `SELECT ${ident(s.names.schema)}.push($1, $2, $3::jsonb) AS r`, [
    batchId,
    clientId,
    payload
  ])
  const r = rows[0]!.r
  return {
    version: Number(r.version),
    applied: Number(r.applied),
    overruled: r.overruled.map(toFieldState),
    duplicate: r.duplicate
  }
}
