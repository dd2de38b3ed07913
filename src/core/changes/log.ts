// The change log (table `changes`, migration m9): one row per user edit, in the order they
// were made. This module only reads and writes rows; runner.ts decides what goes in them.
import type {
  ChangeOrigin,
  ChangeSummary,
  HistoryQuery,
  LibraryChange,
  Touched
} from '../../shared/change-types'
import type { Db } from '../library/open'
import { stmt } from '../library/statements'

/** An operation as data: what the runner applies for a change, its undo or its redo. */
export interface OpCall {
  op: string
  args: unknown[]
}

export interface ChangeRow {
  seq: number
  id: string
  actor: string
  origin: string
  session: string
  at: string
  op: string
  args_json: string
  touched_json: string
  summary_json: string
  inverse_json: string | null
  undo_of: number | null
  redo_of: number | null
  reverted: number
}

export interface NewChange {
  id: string
  actor: string
  origin: ChangeOrigin
  session: string
  at: string
  op: string
  args: unknown[]
  touched: Touched
  summary: ChangeSummary
  inverse: OpCall | null
  undoOf?: number
  redoOf?: number
}

/** Arguments longer than this are stored cut (the history shows them; undo uses the inverse). */
const MAX_ARGS_JSON = 64 * 1024

export function appendChange(db: Db, c: NewChange): number {
  let args = JSON.stringify(c.args)
  if (args.length > MAX_ARGS_JSON) args = JSON.stringify([{ truncated: args.length }])
  return Number(
    stmt(
      db,
      `INSERT INTO changes (id, actor, origin, session, at, op, args_json, touched_json,
         summary_json, inverse_json, undo_of, redo_of)
       VALUES (@id, @actor, @origin, @session, @at, @op, @args, @touched, @summary, @inverse,
         @undoOf, @redoOf)`
    ).run({
      id: c.id,
      actor: c.actor,
      origin: c.origin,
      session: c.session,
      at: c.at,
      op: c.op,
      args,
      touched: JSON.stringify(c.touched),
      summary: JSON.stringify(c.summary),
      inverse: c.inverse ? JSON.stringify(c.inverse) : null,
      undoOf: c.undoOf ?? null,
      redoOf: c.redoOf ?? null
    }).lastInsertRowid
  )
}

export function setReverted(db: Db, seq: number, reverted: boolean): void {
  stmt(db, 'UPDATE changes SET reverted = ? WHERE seq = ?').run(reverted ? 1 : 0, seq)
}

/** A change that can no longer be undone (its undo failed): it leaves the undo stack. */
export function dropInverse(db: Db, seq: number): void {
  stmt(db, 'UPDATE changes SET inverse_json = NULL WHERE seq = ?').run(seq)
}

export function getChange(db: Db, seq: number): ChangeRow | undefined {
  return stmt<[number], ChangeRow>(db, 'SELECT * FROM changes WHERE seq = ?').get(seq)
}

export function inverseOf(row: ChangeRow): OpCall | null {
  if (row.inverse_json === null) return null
  return JSON.parse(row.inverse_json) as OpCall
}

/**
 * The change Undo reverts next: the actor's newest change (an edit or a redo) that has an
 * inverse and stands. Undos themselves are not on this stack; Redo takes them back.
 */
export function undoCandidate(db: Db, actor: string): ChangeRow | undefined {
  return stmt<[string], ChangeRow>(
    db,
    `SELECT * FROM changes
      WHERE actor = ? AND undo_of IS NULL AND inverse_json IS NOT NULL AND reverted = 0
      ORDER BY seq DESC LIMIT 1`
  ).get(actor)
}

/**
 * The undo Redo takes back next: the actor's newest undo not yet redone, provided the actor has
 * made no new edit since it (a new edit ends the redo stack, as in every editor).
 */
export function redoCandidate(db: Db, actor: string): ChangeRow | undefined {
  return stmt<[string, string], ChangeRow>(
    db,
    `SELECT u.* FROM changes u
      WHERE u.actor = ? AND u.undo_of IS NOT NULL AND u.reverted = 0
        AND u.inverse_json IS NOT NULL
        AND NOT EXISTS (
          SELECT 1 FROM changes n
           WHERE n.actor = ? AND n.seq > u.seq AND n.undo_of IS NULL AND n.redo_of IS NULL
             AND n.inverse_json IS NOT NULL)
      ORDER BY u.seq DESC LIMIT 1`
  ).get(actor, actor)
}

export function toLibraryChange(row: ChangeRow, subjectOp?: string): LibraryChange {
  const change: LibraryChange = {
    seq: row.seq,
    id: row.id,
    op: row.op,
    actor: row.actor,
    origin: row.origin as ChangeOrigin,
    at: row.at,
    touched: JSON.parse(row.touched_json) as Touched,
    summary: JSON.parse(row.summary_json) as ChangeSummary,
    undoable: row.inverse_json !== null && row.reverted === 0 && row.undo_of === null
  }
  if (row.reverted === 1 && row.undo_of === null) change.undone = true
  if (row.undo_of !== null) change.undoOf = row.undo_of
  if (row.redo_of !== null) change.redoOf = row.redo_of
  if (subjectOp !== undefined) change.subjectOp = subjectOp
  return change
}

/** The op an undo or redo row acted on (for "Undo Add tag"), following redo → undo → edit. */
export function subjectOpOf(db: Db, row: ChangeRow): string | undefined {
  let target = row.undo_of ?? row.redo_of
  let op: string | undefined
  for (let hops = 0; target !== null && hops < 64; hops++) {
    const next = getChange(db, target)
    if (!next) break
    op = next.op
    target = next.undo_of ?? next.redo_of
  }
  return op
}

export function describeChange(db: Db, row: ChangeRow): LibraryChange {
  return toLibraryChange(
    row,
    row.undo_of !== null || row.redo_of !== null ? subjectOpOf(db, row) : undefined
  )
}

/** Newest first. */
export function history(db: Db, q: HistoryQuery = {}): LibraryChange[] {
  const limit = Math.min(Math.max(1, q.limit ?? 50), 1000)
  const rows = stmt<[number, number], ChangeRow>(
    db,
    'SELECT * FROM changes WHERE seq < ? ORDER BY seq DESC LIMIT ?'
  ).all(q.beforeSeq ?? Number.MAX_SAFE_INTEGER, limit)
  return rows.map((r) => describeChange(db, r))
}

export function lastSeq(db: Db): number {
  return stmt<[], { seq: number | null }>(db, 'SELECT MAX(seq) AS seq FROM changes').get()?.seq ?? 0
}

/** Changes after `seq` written by other processes (other sessions), oldest first. */
export function changesSince(db: Db, seq: number, session: string, limit = 500): ChangeRow[] {
  return stmt<[number, string, number], ChangeRow>(
    db,
    'SELECT * FROM changes WHERE seq > ? AND session <> ? ORDER BY seq LIMIT ?'
  ).all(seq, session, limit)
}

/**
 * A personal library keeps the newest KEEP changes: enough for a long undo history and for
 * another process to catch up; older rows are history nobody can act on. (A team library will
 * keep rows until the server has them.)
 */
export const KEEP_CHANGES = 20_000

export function trimLog(db: Db, keep = KEEP_CHANGES): number {
  return stmt(db, 'DELETE FROM changes WHERE seq <= (SELECT MAX(seq) FROM changes) - ?').run(keep)
    .changes
}
