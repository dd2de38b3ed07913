// The import_runs / import_results tables: what each run did to each file.
import type {
  ImportCounts,
  ImportFileResult,
  ImportProblem,
  ImportRun,
  ImportRunSummary,
  ImportStatus
} from '../../shared/types'
import { stmt } from './statements'
import type { Db } from './open'

export function createRun(db: Db, roots: readonly string[], startedAt: string): number {
  return Number(
    stmt(db, 'INSERT INTO import_runs (started_at, roots_json) VALUES (?, ?)').run(
      startedAt,
      JSON.stringify(roots)
    ).lastInsertRowid
  )
}

// import_runs.cancelled says how a run ended: 0 it went through, 1 the user cancelled it, 2 the
// process running it died (marked at a later start: abortOrphanedRuns).
const RUN_CANCELLED = 1
const RUN_ABORTED = 2

export function finishRun(db: Db, runId: number, finishedAt: string, cancelled: boolean): void {
  stmt(db, 'UPDATE import_runs SET finished_at = ?, cancelled = ? WHERE id = ?').run(
    finishedAt,
    cancelled ? RUN_CANCELLED : 0,
    runId
  )
}

/**
 * Marks every unfinished run aborted. Only for a connection that has the library to itself
 * (library/lock.ts withSoleAccess): then no process is left that could still finish one.
 */
export function abortOrphanedRuns(db: Db, at: string): number {
  return db
    .prepare('UPDATE import_runs SET finished_at = ?, cancelled = ? WHERE finished_at IS NULL')
    .run(at, RUN_ABORTED).changes
}

export function saveResults(db: Db, runId: number, results: readonly ImportFileResult[]): void {
  const insert = stmt(
    db,
    `INSERT INTO import_results (run_id, path, status, code, reason, article_id, warnings_json)
     VALUES (?, ?, ?, ?, ?, ?, ?)`
  )
  for (const r of results) {
    insert.run(
      runId,
      r.path,
      r.status,
      r.code ?? null,
      r.reason ?? null,
      r.articleId ?? null,
      r.warnings?.length ? JSON.stringify(r.warnings) : null
    )
  }
}

interface RunRow {
  id: number
  started_at: string
  finished_at: string | null
  roots_json: string
  cancelled: number
}

function countsOf(db: Db, runId: number): ImportCounts {
  const rows = stmt<[number], { status: ImportStatus; n: number }>(
    db,
    'SELECT status, COUNT(*) AS n FROM import_results WHERE run_id = ? GROUP BY status'
  ).all(runId)
  const by = (s: ImportStatus): number => rows.find((r) => r.status === s)?.n ?? 0
  return {
    total: rows.reduce((a, r) => a + r.n, 0),
    imported: by('imported'),
    updated: by('updated'),
    duplicates: by('duplicate'),
    unchanged: by('unchanged'),
    inTrash: by('in-trash'),
    failed: by('failed')
  }
}

function toSummary(db: Db, r: RunRow): ImportRunSummary {
  return {
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    roots: JSON.parse(r.roots_json) as string[],
    counts: countsOf(db, r.id),
    cancelled: r.cancelled !== 0,
    aborted: r.cancelled === RUN_ABORTED
  }
}

export function listRuns(db: Db, limit: number): ImportRunSummary[] {
  return stmt<[number], RunRow>(db, 'SELECT * FROM import_runs ORDER BY id DESC LIMIT ?')
    .all(Math.max(1, Math.min(limit, 1000)))
    .map((r) => toSummary(db, r))
}

export function getRun(db: Db, runId: number): ImportRun | null {
  const r = stmt<[number], RunRow>(db, 'SELECT * FROM import_runs WHERE id = ?').get(runId)
  if (!r) return null
  const results = stmt<
    [number],
    {
      path: string
      status: ImportStatus
      code: string | null
      reason: string | null
      article_id: number | null
      warnings_json: string | null
    }
  >(db, 'SELECT * FROM import_results WHERE run_id = ? ORDER BY id')
    .all(runId)
    .map((x): ImportFileResult => ({
      path: x.path,
      status: x.status,
      ...(x.code ? { code: x.code as ImportFileResult['code'] } : {}),
      ...(x.reason ? { reason: x.reason } : {}),
      ...(x.article_id !== null ? { articleId: x.article_id } : {}),
      ...(x.warnings_json ? { warnings: JSON.parse(x.warnings_json) as string[] } : {})
    }))
  return { ...toSummary(db, r), results }
}

/** Failed files of recent runs, newest first: the "Import problems" view. */
export function listImportProblems(db: Db, limit: number): ImportProblem[] {
  return stmt<[number], ImportProblem>(
    db,
    `SELECT r.run_id AS runId, u.started_at AS at, r.path, r.code, r.reason
       FROM import_results r JOIN import_runs u ON u.id = r.run_id
      WHERE r.status = 'failed'
      ORDER BY r.run_id DESC, r.id
      LIMIT ?`
  ).all(Math.max(1, Math.min(limit, 10_000)))
}

/** Articles a run brought in new (not updated ones), still in the library: what undoing it removes. */
export function articlesImportedBy(db: Db, runId: number): number[] {
  return (
    db
      .prepare(
        `SELECT DISTINCT r.article_id AS id FROM import_results r
           JOIN articles a ON a.id = r.article_id
          WHERE r.run_id = ? AND r.status = 'imported' AND a.deleted_at IS NULL
          ORDER BY r.article_id`
      )
      .all(runId) as { id: number }[]
  ).map((r) => r.id)
}
