// The one path every change takes. `run` applies an operation (ops.ts) in one write
// transaction together with its derived work (filing marks, search re-indexing) and its row in
// the change log; after the commit it announces the change to every window of this process.
// Undo and redo apply logged inverses through the same path, so they are changes too: logged,
// announced, and undoable in turn. Other processes hear of all of it through the log
// (external.ts).
import { randomUUID } from 'node:crypto'
import type {
  ChangeOrigin,
  HistoryQuery,
  LibraryChange,
  UndoState
} from '../../shared/change-types'
import { errorData, GleanerError } from '../../shared/errors'
import type { Db } from '../library/open'
import { clearUserFiled, collectMarks, type NewMarks } from '../library/user-filing'
import { writeTx } from '../library/write-tx'
import {
  appendChange,
  describeChange,
  dropInverse,
  getChange,
  history,
  inverseOf,
  redoCandidate,
  setReverted,
  trimLog,
  undoCandidate,
  type OpCall
} from './log'
import { fullTouched, OPS, type OpOutcome } from './ops'

/** An inverse with the filing marks the forward change added, which undoing it clears. */
interface LoggedCall extends OpCall {
  clearMarks?: NewMarks
}

export interface ChangeRunnerOptions {
  origin: ChangeOrigin
  /** Called after each commit with the change as logged. */
  announce: (change: LibraryChange) => void
  /** Re-indexes articles for search (now, or queued when many); runs inside the transaction. */
  reindex: (articleIds: number[]) => void
}

export interface ChangeRunner {
  /** This process's id in the log (its own rows are not heard back through polling). */
  readonly session: string
  readonly actor: string
  /** Applies an operation as one logged, announced change; returns the operation's result. */
  run<T>(op: string, args: unknown[]): T
  /**
   * Logs work that was applied outside `run` (an import, a re-clean: long runs in many
   * transactions) as one change, and announces it.
   */
  record(op: string, args: unknown[], outcome: Omit<OpOutcome, 'result' | 'noop'>): LibraryChange
  /** Undoes the actor's last undoable change; null when there is none. */
  undo(): LibraryChange | null
  redo(): LibraryChange | null
  undoState(): UndoState
  history(q?: HistoryQuery): LibraryChange[]
}

/**
 * The library's user on this device: one id per library file, kept in settings. A library
 * that cannot be read or written (damaged, open read-only) gets one for this session only: it
 * takes no edits anyway, and opening it must not fail on this.
 */
export function libraryActor(db: Db): string {
  const read = (): string | undefined =>
    (db.prepare(`SELECT value FROM settings WHERE key = 'change.actor'`).pluck().get() as
      string | undefined) ?? undefined
  try {
    const found = read()
    if (found) return found
    writeTx(db, () => {
      db.prepare(`INSERT OR IGNORE INTO settings (key, value) VALUES ('change.actor', ?)`).run(
        randomUUID()
      )
    })
    return read() ?? `session-${randomUUID()}`
  } catch {
    return `session-${randomUUID()}`
  }
}

/** Trim the log every this many changes (a cheap DELETE by primary key). */
const TRIM_EVERY = 500

export function createChangeRunner(db: Db, opts: ChangeRunnerOptions): ChangeRunner {
  const session = randomUUID()
  const actor = libraryActor(db)
  let sinceTrim = 0

  const log = (
    call: OpCall,
    outcome: Omit<OpOutcome, 'result' | 'noop'>,
    marks: NewMarks,
    link: { undoOf?: number; redoOf?: number }
  ): number => {
    const inverse: LoggedCall | null =
      outcome.inverse && Object.keys(marks).length
        ? { ...outcome.inverse, clearMarks: marks }
        : outcome.inverse
    return appendChange(db, {
      id: randomUUID(),
      actor,
      origin: opts.origin,
      session,
      at: new Date().toISOString(),
      op: call.op,
      args: call.args,
      touched: fullTouched(outcome.touched),
      summary: outcome.summary,
      inverse,
      ...link
    })
  }

  const after = (seq: number): LibraryChange => {
    if (++sinceTrim >= TRIM_EVERY) {
      sinceTrim = 0
      writeTx(db, () => trimLog(db))
    }
    const change = describeChange(db, getChange(db, seq)!)
    opts.announce(change)
    return change
  }

  /** Applies a call in the current transaction: the op, its marks, the marks it must clear. */
  const applyInTx = (call: LoggedCall): { outcome: OpOutcome; marks: NewMarks } => {
    const op = OPS[call.op]
    if (!op) throw new GleanerError('unknown-operation', `No operation named ${call.op}.`)
    const { result: outcome, marks } = collectMarks(db, () => op(db, call.args))
    for (const [kind, ids] of Object.entries(call.clearMarks ?? {}))
      clearUserFiled(db, kind as keyof NewMarks, ids)
    if (outcome.reindex?.length) opts.reindex(outcome.reindex)
    return { outcome, marks }
  }

  /** Undo and redo: apply a logged inverse, log it linked to what it reverts, flip that row. */
  const revert = (
    row: NonNullable<ReturnType<typeof undoCandidate>>,
    kind: 'undo' | 'redo'
  ): LibraryChange => {
    const inverse = inverseOf(row) as LoggedCall
    let seq: number
    try {
      seq = writeTx(db, () => {
        const { outcome, marks } = applyInTx(inverse)
        setReverted(db, row.seq, true)
        return log(
          inverse,
          outcome,
          marks,
          kind === 'undo' ? { undoOf: row.seq } : { redoOf: row.seq }
        )
      })
    } catch (err) {
      // The library moved on so that this can no longer be reverted (say, a collection's name
      // was taken meanwhile): it leaves the stack so the next Undo reaches the change before it.
      writeTx(db, () => dropInverse(db, row.seq))
      const cause = errorData(err)
      throw new GleanerError(
        kind === 'undo' ? 'undo-failed' : 'redo-failed',
        `Could not ${kind} “${row.op}”: ${cause.message}`,
        { op: row.op, reason: cause.message, cause: cause.code }
      )
    }
    return after(seq)
  }

  return {
    session,
    actor,
    run<T>(op: string, args: unknown[]): T {
      const done = writeTx(db, () => {
        const { outcome, marks } = applyInTx({ op, args })
        if (outcome.noop) return { outcome, seq: null }
        return { outcome, seq: log({ op, args }, outcome, marks, {}) }
      })
      if (done.seq !== null) after(done.seq)
      return done.outcome.result as T
    },
    record(op, args, outcome) {
      const seq = writeTx(db, () => log({ op, args }, outcome, {}, {}))
      return after(seq)
    },
    undo() {
      const row = undoCandidate(db, actor)
      return row ? revert(row, 'undo') : null
    },
    redo() {
      const row = redoCandidate(db, actor)
      return row ? revert(row, 'redo') : null
    },
    undoState() {
      const u = undoCandidate(db, actor)
      const r = redoCandidate(db, actor)
      return { undo: u ? describeChange(db, u) : null, redo: r ? describeChange(db, r) : null }
    },
    history(q) {
      return history(db, q)
    }
  }
}
