// Re-cleaning: when the cleaner improves, rebuild articles from the original bytes kept in the
// library. Read/starred state, collections and annotations stay with the article; annotations
// are re-anchored against the new text before it is written (replace-text.ts).
//
// In the app the core runs on the thread that answers every window, so a re-clean must never
// hold it for long: originals are parsed and cleaned by the import's worker pool, several ahead
// of the writer, and written here in short transactions with a turn of the event loop between
// them (where the windows' calls, progress events and a Cancel get through).
import type { RecleanResult } from '../shared/types'
import { CLEANER_VERSION } from './clean/version'
import type { SiteRuleSet } from './extract/extract-types'
import { parseArticleFile } from './ingest/parse'
import type { ParseOutcome, ParsedArticle } from './model/parsed-article'
import { contentKeyOf } from './library/content-key'
import { replaceArticleContent } from './replace-text'
import { edgeLinesOf, learnFrom, withoutLearnedLines } from './boilerplate'
import { recordAnalysis } from './analysis'
import type { Db } from './library/open'
import { writeTx } from './library/write-tx'
import { nextTurn, unlessAborted } from './async'

export interface RecleanOptions {
  /** Re-clean these ids; default: every article cleaned by an older cleaner version. */
  ids?: number[]
  /** Re-clean every article, whatever its version. */
  all?: boolean
  /** Parses one original: the worker pool's parse in the app; this thread's parser otherwise. */
  parse?: (bytes: Uint8Array, path: string) => ParseOutcome | Promise<ParseOutcome>
  /**
   * Re-indexes articles for search, inside each batch's transaction. Only articles whose
   * searchable text (title, original title, text, author, source) changed are passed: the
   * rest keep their index rows, which say the same.
   */
  afterWrite?: (db: Db, articleIds: number[]) => void
  /** Stops the run before its next batch; what was written stays (each batch is whole). */
  signal?: AbortSignal
  /** After each batch: articles done (written or failed) of the total. */
  onProgress?: (done: number, total: number) => void
  now?: () => Date
  /** The library's site rules for web pages; the shipped ones by default. */
  siteRules?: SiteRuleSet
}

interface Row {
  id: number
  item_index: number
  source_path: string | null
  original_id: number
  clean_html: string
  title: string
  original_title: string | null
  clean_text: string
  author: string | null
  source: string | null
}

/** An article and what its original yields now, ready to be written. */
interface Parsed {
  row: Row
  outcome: ParseOutcome
}

/** Articles loaded (and their originals sent to the parser) per read. */
const LOAD = 50
/** Loads parsed or being parsed ahead of the writer: enough to keep a pool of workers busy. */
const AHEAD_LOADS = 6
/** Original bytes held ahead of the writer at most (at least one load is always held). */
const AHEAD_BYTES = 64 * 1024 * 1024
/**
 * A write transaction blocks the thread it runs on (the one answering the windows): batches
 * shrink when one takes longer than this and grow back when quick.
 */
const WRITE_TARGET_MS = 25
const MIN_BATCH = 5
const MAX_BATCH = 200
const PROGRESS_MS = 100

export function articlesNeedingReclean(db: Db): number {
  return (
    db
      .prepare(
        'SELECT COUNT(*) AS n FROM articles WHERE deleted_at IS NULL AND cleaning_version < ?'
      )
      .get(CLEANER_VERSION) as { n: number }
  ).n
}

/** The searchable fields of an article as stored and as parsed now: same index row when equal. */
function sameSearchText(row: Row, p: ParsedArticle): boolean {
  return (
    row.title === p.title &&
    row.original_title === p.originalTitle &&
    row.clean_text === p.cleanText &&
    row.author === p.author &&
    row.source === p.source
  )
}

export async function recleanArticles(db: Db, opts: RecleanOptions = {}): Promise<RecleanResult> {
  const ids: number[] = opts.ids
    ? [...new Set(opts.ids)]
    : (
        db
          .prepare(
            `SELECT id FROM articles WHERE deleted_at IS NULL ${opts.all ? '' : 'AND cleaning_version < ?'} ORDER BY id`
          )
          .all(...(opts.all ? [] : [CLEANER_VERSION])) as { id: number }[]
      ).map((r) => r.id)
  const parse =
    opts.parse ??
    ((bytes: Uint8Array, path: string) =>
      parseArticleFile(bytes, path, { siteRules: opts.siteRules }))
  const now = opts.now ?? (() => new Date())
  const signal = opts.signal
  const result: RecleanResult = {
    total: ids.length,
    changed: 0,
    unchanged: 0,
    failed: [],
    annotated: [],
    needsReview: 0,
    cancelled: false
  }
  const load = db.prepare<[string], Row>(
    `SELECT id, item_index, source_path, original_id, clean_html, title, original_title,
            clean_text, author, source
       FROM articles WHERE id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL`
  )
  const original = db.prepare<[number], { bytes: Buffer }>(
    'SELECT bytes FROM originals WHERE id = ?'
  )

  /** Reads a load's rows and sends each original to the parser once (a feed holds many). */
  const startLoad = (chunk: number[]): { size: number; parsed: Promise<(Parsed | number)[]> } => {
    const rows = new Map(load.all(JSON.stringify(chunk)).map((r) => [r.id, r]))
    const byOriginal = new Map<number, Promise<ParseOutcome>>()
    let size = 0
    for (const row of rows.values()) {
      if (byOriginal.has(row.original_id)) continue
      const bytes = original.get(row.original_id)?.bytes
      if (!bytes) continue
      size += bytes.length
      byOriginal.set(
        row.original_id,
        Promise.resolve()
          .then(() => parse(new Uint8Array(bytes), row.source_path ?? `article-${row.id}`))
          .catch((e: unknown): ParseOutcome => ({
            ok: false,
            code: 'internal',
            reason: `parser error: ${e instanceof Error ? e.message : String(e)}`
          }))
      )
    }
    // Ids no longer in the library (deleted meanwhile) stay numbers: they fail as such.
    const parsed = Promise.all(
      chunk.map(async (id): Promise<Parsed | number> => {
        const row = rows.get(id)
        const outcome = row && byOriginal.get(row.original_id)
        return row && outcome ? { row, outcome: await outcome } : id
      })
    )
    return { size, parsed }
  }

  let batch = 50
  let lastProgress = 0
  let lastDone = -1
  /** A new count, at most every PROGRESS_MS unless `now` (the run is about to wait). */
  const progress = (now = false): void => {
    const done = result.changed + result.unchanged + result.failed.length
    const t = Date.now()
    if (!opts.onProgress || done === lastDone) return
    if (!now && t - lastProgress < PROGRESS_MS) return
    lastProgress = t
    lastDone = done
    opts.onProgress(done, result.total)
  }

  /** Writes parsed articles in one transaction; returns how long it held the thread. */
  const write = (items: (Parsed | number)[]): number => {
    const started = performance.now()
    const stamp = now().toISOString()
    writeTx(db, () => {
      const reindex: number[] = []
      for (const item of items) {
        if (typeof item === 'number') {
          result.failed.push({ id: item, reason: 'no such article' })
          continue
        }
        const { row, outcome } = item
        const parsed = outcome.ok ? outcome.articles[row.item_index] : undefined
        if (!outcome.ok || !parsed) {
          result.failed.push({
            id: row.id,
            reason: outcome.ok ? 'the original no longer yields this article' : outcome.reason
          })
          continue
        }
        const edges = parsed.writerHints?.edges ?? edgeLinesOf(parsed.cleanText, parsed.title)
        learnFrom(db, row.id, parsed, { edges })
        const stored = withoutLearnedLines(db, parsed, edges)
        if (stored.cleanHtml === row.clean_html) result.unchanged++
        else result.changed++
        const moved = replaceArticleContent(
          db,
          row.id,
          {
            originalId: row.original_id,
            itemIndex: row.item_index,
            sourcePath: row.source_path,
            cleaningVersion: CLEANER_VERSION,
            parsed: stored,
            contentKey: contentKeyOf(parsed)
          },
          stamp,
          { keepTaxonomy: true }
        )
        recordAnalysis(db, row.id, stored, parsed.writerHints?.analysis, {
          restory: stored.cleanText !== row.clean_text
        })
        if (moved.total > 0) result.annotated.push(row.id)
        result.needsReview += moved.needsReview
        if (!sameSearchText(row, stored)) reindex.push(row.id)
      }
      if (reindex.length) opts.afterWrite?.(db, reindex)
    })
    return performance.now() - started
  }

  const ahead: { size: number; parsed: Promise<(Parsed | number)[]>; settled: boolean }[] = []
  let aheadBytes = 0
  let next = 0
  const fill = (): void => {
    while (
      next < ids.length &&
      (ahead.length === 0 || (ahead.length < AHEAD_LOADS && aheadBytes < AHEAD_BYTES))
    ) {
      const started = { ...startLoad(ids.slice(next, next + LOAD)), settled: false }
      void started.parsed.then(() => (started.settled = true))
      next += LOAD
      ahead.push(started)
      aheadBytes += started.size
    }
  }

  let ready: (Parsed | number)[] = []
  // The first event says the run started (and how big it is), so it can be cancelled at once.
  progress(true)
  fill()
  while (ahead.length || ready.length) {
    if (signal?.aborted) break
    // Write what is parsed in batches sized to the time a batch may hold the thread; gather
    // parsed loads up to a batch, and wait for the parser only when nothing is ready to write.
    const oldest = ahead[0]
    if (oldest && ready.length < batch && (oldest.settled || ready.length === 0)) {
      ahead.shift()
      aheadBytes -= oldest.size
      fill()
      // About to wait: say how far the run got first.
      if (!oldest.settled) progress(true)
      const got = await unlessAborted(oldest.parsed, signal)
      if (got === 'aborted') break
      ready.push(...got)
      continue
    }
    const items = ready.slice(0, batch)
    ready = ready.slice(batch)
    const took = write(items)
    if (took > WRITE_TARGET_MS * 2) batch = Math.max(MIN_BATCH, Math.floor(batch / 2))
    else if (took < WRITE_TARGET_MS / 2) batch = Math.min(MAX_BATCH, batch * 2)
    progress()
    await nextTurn()
  }
  // Parsed but not written when cancelled: left as they were.
  result.cancelled =
    signal?.aborted === true &&
    result.changed + result.unchanged + result.failed.length < result.total
  progress(true)
  return result
}
