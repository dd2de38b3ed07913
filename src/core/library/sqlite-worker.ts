// Long reads of the whole library file — the background integrity check, scheduled backups
// (VACUUM INTO) — on a worker thread with its own read-only connection, so the process that
// serves the window keeps answering (better-sqlite3 is synchronous: a 20 s check on the main
// thread is a 20 s frozen app). The worker is a few lines evaluated as code, loading the same
// better-sqlite3 the caller resolved, so it needs no bundle entry of its own; what to run is
// decided by the caller.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { GleanerError } from '../../shared/errors'

/** A statement and its parameters. Readers return their rows (raw arrays); others run. */
export type Statement = readonly [sql: string, params?: readonly unknown[]]

export interface WorkerJob {
  /** Rows per statement, in order. Rejects with the driver's error code kept. */
  done: Promise<unknown[][]>
  /** Stops the worker; `done` rejects with code 'cancelled'. */
  cancel(): void
}

const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
let db
try {
  db = new Database(workerData.path, { readonly: true, fileMustExist: true })
  db.pragma('busy_timeout = 5000')
  const results = workerData.statements.map(([sql, params]) => {
    const statement = db.prepare(sql)
    if (statement.reader) return statement.raw().all(...(params || []))
    statement.run(...(params || []))
    return []
  })
  parentPort.postMessage({ ok: true, results })
} catch (e) {
  parentPort.postMessage({
    ok: false,
    code: e && typeof e.code === 'string' ? e.code : null,
    message: String((e && e.message) || e)
  })
} finally {
  if (db) db.close()
}
`

let driver: string | undefined

/** Runs read-only statements on `path` in a worker thread. */
export function runInWorker(path: string, statements: readonly Statement[]): WorkerJob {
  driver ??= createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(WORKER_CODE, {
    eval: true,
    workerData: { driver, path, statements: statements.map(([sql, p]) => [sql, p ?? []]) }
  })
  let settle: ((e: Error | null, rows?: unknown[][]) => void) | null = null
  const done = new Promise<unknown[][]>((resolve, reject) => {
    settle = (e, rows) => {
      settle = null
      if (e) reject(e)
      else resolve(rows ?? [])
    }
  })
  worker.on(
    'message',
    (
      m: { ok: true; results: unknown[][] } | { ok: false; code: string | null; message: string }
    ) => {
      if (m.ok) settle?.(null, m.results)
      else settle?.(Object.assign(new Error(m.message), { code: m.code ?? undefined }))
    }
  )
  worker.on('error', (e) => settle?.(e))
  worker.on('exit', () =>
    settle?.(new GleanerError('cancelled', 'The worker stopped before answering.'))
  )
  return {
    done,
    cancel: () => {
      settle?.(new GleanerError('cancelled', 'Stopped.'))
      void worker.terminate()
    }
  }
}
