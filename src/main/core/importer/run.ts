// One import run: walk the given paths, parse each file, write articles in batches, record a
// result row per file. A bad file becomes a failed result; it never stops the run.
import { readFile } from 'node:fs/promises'
import type {
  ImportCounts,
  ImportFileResult,
  ImportProgress,
  ImportRun
} from '../../../shared/types'
import { CLEANER_VERSION } from '../clean/version'
import { parseArticleFile } from '../ingest/parse'
import type { ParseOutcome } from '../ingest/types'
import {
  contentKey,
  findByContentKey,
  findByOriginal,
  findBySourcePath,
  insertArticle,
  sha256,
  storeOriginal,
  updateArticleContent
} from '../library/articles'
import type { Db } from '../library/open'
import { describeFsError, walkPaths } from './walk'
import { createRun, finishRun, saveResults } from './runs'

/** Larger files are refused: no news article is this big, and reading one would stall the app. */
export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024

export interface ImportOptions {
  maxFileBytes?: number
  signal?: AbortSignal
  onProgress?: (p: ImportProgress) => void
  /** Called with the run id as soon as the run row exists (so callers can offer cancel). */
  onStart?: (runId: number) => void
  /** Parses one file; a worker pool can stand in for the in-process parser. */
  parse?: (bytes: Uint8Array, path: string) => ParseOutcome | Promise<ParseOutcome>
  /** Runs inside each batch's transaction with the ids written (search indexing). */
  afterWrite?: (db: Db, articleIds: number[]) => void
  /** Runs inside the transaction before an article's clean text is replaced (re-anchoring). */
  beforeUpdate?: (db: Db, articleId: number, newCleanText: string, cleaningVersion: number) => void
  now?: () => Date
}

interface Pending {
  path: string
  bytes: Uint8Array
  hash: string
  outcome: ParseOutcome
}

const BATCH_FILES = 200
const BATCH_MS = 500
const PROGRESS_MS = 100

export async function importPaths(
  db: Db,
  roots: readonly string[],
  opts: ImportOptions = {}
): Promise<ImportRun> {
  const now = opts.now ?? (() => new Date())
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  const parse = opts.parse ?? parseArticleFile
  const startedAt = now().toISOString()
  const runId = createRun(db, roots, startedAt)
  opts.onStart?.(runId)

  const counts: ImportCounts = {
    total: 0,
    imported: 0,
    updated: 0,
    duplicates: 0,
    unchanged: 0,
    failed: 0
  }
  const allResults: ImportFileResult[] = []
  let unsaved: ImportFileResult[] = []
  let pending: Pending[] = []
  let done = 0
  let currentPath = ''
  const t0 = Date.now()
  let lastProgress = 0
  let lastFlush = Date.now()
  // Hashes seen in this run but not yet committed, so a batch cannot import the same bytes twice.
  const batchHashes = new Set<string>()

  const record = (r: ImportFileResult): void => {
    allResults.push(r)
    unsaved.push(r)
    counts.total++
    if (r.status === 'imported') counts.imported++
    else if (r.status === 'updated') counts.updated++
    else if (r.status === 'duplicate') counts.duplicates++
    else if (r.status === 'unchanged') counts.unchanged++
    else counts.failed++
  }

  const progress = (finished: boolean): void => {
    if (!opts.onProgress) return
    const t = Date.now()
    if (!finished && t - lastProgress < PROGRESS_MS) return
    lastProgress = t
    const secs = Math.max((t - t0) / 1000, 0.001)
    opts.onProgress({
      runId,
      done,
      total: Math.max(done, counts.total),
      currentPath,
      counts: { ...counts },
      filesPerSecond: Math.round((done / secs) * 10) / 10,
      finished
    })
  }

  const flush = (): void => {
    const batch = pending
    pending = []
    batchHashes.clear()
    const stamp = now().toISOString()
    db.transaction(() => {
      const written: number[] = []
      for (const p of batch) {
        for (const r of writeOne(db, p, stamp, opts)) {
          record(r)
          if (r.articleId !== undefined && (r.status === 'imported' || r.status === 'updated'))
            written.push(r.articleId)
        }
      }
      saveResults(db, runId, unsaved)
      unsaved = []
      if (written.length) opts.afterWrite?.(db, written)
    })()
    lastFlush = Date.now()
  }

  let cancelled = false
  for await (const entry of walkPaths(roots)) {
    if (opts.signal?.aborted) {
      cancelled = true
      break
    }
    currentPath = entry.path
    done++
    if (entry.kind === 'error') {
      record({ path: entry.path, status: 'failed', code: 'unreadable', reason: entry.reason })
    } else if (entry.size === 0) {
      record({ path: entry.path, status: 'failed', code: 'empty', reason: 'empty file (0 bytes)' })
    } else if (entry.size > maxBytes) {
      record({
        path: entry.path,
        status: 'failed',
        code: 'too-large',
        reason: `file is ${formatMb(entry.size)}, over the ${formatMb(maxBytes)} limit`
      })
    } else {
      let bytes: Uint8Array
      try {
        bytes = await readFile(entry.path)
      } catch (e) {
        record({
          path: entry.path,
          status: 'failed',
          code: 'unreadable',
          reason: describeFsError(e, 'cannot read')
        })
        progress(false)
        continue
      }
      const hash = sha256(bytes)
      const dupe = sameBytes(db, hash, batchHashes)
      if (dupe) {
        record({
          path: entry.path,
          status: 'duplicate',
          reason: dupe.id
            ? `same bytes as article #${dupe.id}${dupe.source_path ? ` (${dupe.source_path})` : ''}`
            : 'same bytes as another file in this import',
          ...(dupe.id ? { articleId: dupe.id } : {})
        })
      } else {
        batchHashes.add(hash)
        let outcome: ParseOutcome
        try {
          outcome = await parse(bytes, entry.path)
        } catch (e) {
          // The parser is meant never to throw; if it does, this file fails and the run goes on.
          outcome = {
            ok: false,
            code: 'internal',
            reason: `parser error: ${(e as Error).message ?? String(e)}`
          }
        }
        pending.push({ path: entry.path, bytes, hash, outcome })
      }
    }
    if (pending.length >= BATCH_FILES || Date.now() - lastFlush > BATCH_MS) flush()
    progress(false)
  }
  flush()
  finishRun(db, runId, now().toISOString(), cancelled)
  progress(true)
  return {
    id: runId,
    startedAt,
    finishedAt: now().toISOString(),
    roots: [...roots],
    counts,
    cancelled,
    results: allResults
  }
}

function sameBytes(
  db: Db,
  hash: string,
  batchHashes: Set<string>
): { id: number | null; source_path: string | null } | null {
  if (batchHashes.has(hash)) return { id: null, source_path: null }
  const orig = db
    .prepare<[string], { id: number }>('SELECT id FROM originals WHERE sha256 = ?')
    .get(hash)
  if (!orig) return null
  const art = findByOriginal(db, orig.id)
  return art ? { id: art.id, source_path: art.source_path } : null
}

/** Writes one parsed file; called inside the batch transaction. */
function writeOne(db: Db, p: Pending, stamp: string, opts: ImportOptions): ImportFileResult[] {
  const o = p.outcome
  if (!o.ok) return [{ path: p.path, status: 'failed', code: o.code, reason: o.reason }]
  const originalId = storeOriginal(db, p.bytes, p.hash)
  const many = o.articles.length > 1
  return o.articles.map((parsed, index) => {
    const path = many ? `${p.path}#${index + 1}` : p.path
    const warnings = parsed.warnings.length ? { warnings: parsed.warnings } : {}
    const write = {
      originalId,
      itemIndex: index,
      sourcePath: p.path,
      cleaningVersion: CLEANER_VERSION,
      parsed
    }
    const same = findByContentKey(db, contentKey(parsed))
    if (same && same.source_path === p.path) {
      return {
        path,
        status: 'unchanged' as const,
        reason: `bytes changed but the article did not (#${same.id})`,
        articleId: same.id,
        ...warnings
      }
    }
    if (same) {
      return {
        path,
        status: 'duplicate' as const,
        reason: `same title, date and text as article #${same.id}${same.source_path ? ` (${same.source_path})` : ''}`,
        articleId: same.id,
        ...warnings
      }
    }
    const previous = findBySourcePath(db, p.path, index)
    if (previous) {
      // The file changed since it was imported: update in place so the user's data stays with it.
      opts.beforeUpdate?.(db, previous.id, parsed.cleanText, CLEANER_VERSION)
      updateArticleContent(db, previous.id, write, stamp)
      return {
        path,
        status: 'updated' as const,
        reason: 'file changed since last import; article updated',
        articleId: previous.id,
        ...warnings
      }
    }
    const id = insertArticle(db, write, stamp)
    return { path, status: 'imported' as const, articleId: id, ...warnings }
  })
}

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}
