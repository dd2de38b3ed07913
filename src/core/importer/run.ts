// One import run: walk the given paths, parse each file, write articles in batches, record a
// result row per file. A bad file becomes a failed result; it never stops the run. The run has
// one resource budget (budget.ts), checked where the data is read.
import { closeSync, realpathSync } from 'node:fs'
import { isAbsolute } from 'node:path'
import type { ImportCounts, ImportFileResult, ImportProgress, ImportRun } from '../../shared/types'
import { GleanerError } from '../../shared/errors'
import { CLEANER_VERSION } from '../clean/version'
import type { SiteRuleSet } from '../extract/extract-types'
import { parseArticleFile } from '../ingest/parse'
import type { ParseOutcome, ParsedArticle } from '../model/parsed-article'
import {
  findByContentKey,
  findByOriginal,
  findBySourcePath,
  insertArticle,
  sha256,
  storeOriginal
} from '../library/articles'
import { replaceArticleContent } from '../replace-text'
import { edgeLinesOf, learnFrom, withoutLearnedLines } from '../boilerplate'
import { recordAnalysis } from '../analysis'
import type { Db } from '../library/open'
import { contentKeyOf } from '../library/content-key'
import type { Statement } from 'better-sqlite3'
import { importBudget, RunSpend, type ImportBudget } from './budget'
import { GrewWhileReading, readOpened } from './read'
import { createRun, finishRun, saveResults } from '../library/import-runs'
import { importSources, type ItemHints, type SourceItem } from './sources'
import { describeFsError } from './walk'
import { writeTx } from '../library/write-tx'
import { IMAGE_FILE, keepImagesBeside } from '../images/beside'
import { unlessAborted } from '../async'

export interface ImportOptions {
  /** Overrides of the run's resource budget (DEFAULT_IMPORT_BUDGET). */
  budget?: Partial<ImportBudget>
  /**
   * Every path must lie inside this folder and links may not leave it: the paths are not the
   * user's own choice (a watched folder's changes), the folder is.
   */
  within?: string
  signal?: AbortSignal
  onProgress?: (p: ImportProgress) => void
  /** Called with the run id as soon as the run row exists (so callers can offer cancel). */
  onStart?: (runId: number) => void
  /** Parses one file; a worker pool can stand in for the in-process parser. */
  parse?: (bytes: Uint8Array, path: string) => ParseOutcome | Promise<ParseOutcome>
  /** Site rules for web pages when parsing here (without `parse`); the shipped ones by default. */
  siteRules?: SiteRuleSet
  /**
   * Runs inside each batch's transaction with the ids written (search indexing); `fresh` holds
   * the articles inserted by this batch (not updated ones), so they need not be read back.
   */
  afterWrite?: (db: Db, articleIds: number[], fresh: ReadonlyMap<number, ParsedArticle>) => void
  now?: () => Date
  /** Files read and parsed ahead of the writer (default 128); 1 = one at a time. */
  readAhead?: number
  /**
   * Finds copies and records keywords and entities of what is written (core/analysis/);
   * default true. Off only to measure what it costs (bench:stories).
   */
  analysis?: boolean
}

interface Pending {
  path: string
  bytes: Uint8Array
  hash: string
  outcome: ParseOutcome
  hints?: ItemHints
  /** Read from a file on disk (its images beside it may be kept with it). */
  fromDisk: boolean
}

/** One item after reading and parsing: either ready to write, or already decided. */
type Prepared = { pending: Pending } | { result: ImportFileResult }

/** Files per write transaction at most: bigger batches make fewer, larger index segments. */
const BATCH_FILES = 500
const BATCH_MS = 500
/**
 * A write transaction blocks the thread it runs on (in the app, the one that answers the
 * window), so the batch shrinks when one takes longer than this and grows back when quick.
 */
const FLUSH_TARGET_MS = 150
const MIN_BATCH_FILES = 25
const PROGRESS_MS = 100
/**
 * Items read or parsed ahead of the writer: enough to keep a pool of workers busy through a
 * batch commit, during which the writer's thread reads and hands out nothing (and never more
 * bytes than the budget's aheadBytes).
 */
const DEFAULT_READ_AHEAD = 128

/** A run's counts before it has read anything. */
export const noImportCounts = (): ImportCounts => ({
  total: 0,
  imported: 0,
  updated: 0,
  duplicates: 0,
  unchanged: 0,
  inTrash: 0,
  failed: 0
})

/** Paths an import starts from must be absolute: a relative one would resolve against
 * whatever folder the process runs in (`""` imported the working directory). */
function checkRoots(roots: readonly string[]): void {
  for (const root of roots)
    if (typeof root !== 'string' || root === '' || !isAbsolute(root))
      throw new GleanerError(
        'import-path-not-absolute',
        `import paths must be absolute; got ${JSON.stringify(root)}`,
        { path: String(root) }
      )
}

export async function importPaths(
  db: Db,
  roots: readonly string[],
  opts: ImportOptions = {}
): Promise<ImportRun> {
  checkRoots(roots)
  return importItems(
    db,
    roots,
    (spend) =>
      importSources(roots, {
        spend,
        ...(opts.within !== undefined ? { within: opts.within } : {})
      }),
    opts
  )
}

/**
 * One run over items that are not files the walk found: a feed's new items, a clipped page,
 * a fetched article page (their `path` is the address they came from). `roots` label the run
 * (its history entry, its undo); `items` is called once with the run's budget, and each bytes
 * item's size counts against it as a file's does.
 */
export async function importItems(
  db: Db,
  roots: readonly string[],
  items: (spend: RunSpend) => AsyncGenerator<SourceItem>,
  opts: ImportOptions = {}
): Promise<ImportRun> {
  const now = opts.now ?? (() => new Date())
  const budget = importBudget(opts.budget)
  const spend = new RunSpend(budget)
  const limits = { nodes: budget.htmlNodes, depth: budget.depth }
  const parse =
    opts.parse ??
    ((bytes: Uint8Array, path: string) =>
      parseArticleFile(bytes, path, { limits, siteRules: opts.siteRules }))
  const readAhead = Math.max(1, opts.readAhead ?? DEFAULT_READ_AHEAD)
  const startedAt = now().toISOString()
  const runId = createRun(db, roots, startedAt)
  opts.onStart?.(runId)

  const counts = noImportCounts()
  const allResults: ImportFileResult[] = []
  let unsaved: ImportFileResult[] = []
  let pending: Pending[] = []
  let done = 0
  let found = 0
  let currentPath = ''
  const t0 = Date.now()
  let lastProgress = 0
  let lastFlush = Date.now()
  let batchFiles = BATCH_FILES
  // Hashes of every file read in this run, so the same bytes twice are parsed and stored once.
  const runHashes = new Set<string>()

  // Image files are not articles; those a page of this run shows are kept with it (beside.ts),
  // so their results wait for the end of the run, when it is known which were claimed.
  const imageResults: ImportFileResult[] = []
  const claimedImages = new Set<string>()
  const record = (r: ImportFileResult): void => {
    if (r.articleId === undefined && IMAGE_FILE.test(r.path) && !imageResultsDue) {
      imageResults.push(r)
      return
    }
    allResults.push(r)
    unsaved.push(r)
    counts.total++
    if (r.status === 'imported') counts.imported++
    else if (r.status === 'updated') counts.updated++
    else if (r.status === 'duplicate') counts.duplicates++
    else if (r.status === 'unchanged') counts.unchanged++
    else if (r.status === 'in-trash') counts.inTrash++
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
      total: Math.max(done, found),
      currentPath,
      counts: { ...counts },
      filesPerSecond: Math.round((done / secs) * 10) / 10,
      finished
    })
  }

  let imageResultsDue = false
  const flush = (): void => {
    const batch = pending
    pending = []
    const stamp = now().toISOString()
    const started = performance.now()
    writeTx(db, () => {
      const written: number[] = []
      const fresh = new Map<number, ParsedArticle>()
      for (const p of batch) {
        for (const r of writeOne(db, p, stamp, opts, fresh, claimedImages)) {
          record(r)
          if (r.articleId !== undefined && (r.status === 'imported' || r.status === 'updated'))
            written.push(r.articleId)
        }
      }
      saveResults(db, runId, unsaved)
      unsaved = []
      if (written.length) opts.afterWrite?.(db, written, fresh)
    })
    lastFlush = Date.now()
    const took = performance.now() - started
    if (took > FLUSH_TARGET_MS) batchFiles = Math.max(MIN_BATCH_FILES, Math.floor(batchFiles / 2))
    else if (took < FLUSH_TARGET_MS / 2 && batch.length >= batchFiles)
      batchFiles = Math.min(BATCH_FILES, batchFiles * 2)
  }

  // Reads start at once (several in flight); the duplicate check runs in walk order, so which
  // of two identical files is "the original" does not depend on which read finished first.
  let inOrder: Promise<unknown> = Promise.resolve()
  const prepare = (item: SourceItem): Promise<Prepared> => {
    if (item.kind === 'failed')
      return Promise.resolve({
        result: { path: item.path, status: 'failed', code: item.code, reason: item.reason }
      })
    const read: Promise<Uint8Array | ImportFileResult> =
      item.kind === 'bytes'
        ? Promise.resolve(item.bytes)
        : readOpened(item.file).catch((e: unknown): ImportFileResult => ({
            path: item.path,
            status: 'failed',
            code: 'unreadable',
            reason: e instanceof GrewWhileReading ? e.message : describeFsError(e, 'cannot read')
          }))
    const checked = inOrder.then(
      async (): Promise<{ result: ImportFileResult } | { bytes: Uint8Array; hash: string }> => {
        const bytes = await read
        if (!(bytes instanceof Uint8Array)) return { result: bytes }
        const hash = sha256(bytes)
        const same = sameBytes(db, hash, runHashes)
        if (same) return { result: { path: item.path, ...same } }
        runHashes.add(hash)
        return { bytes, hash }
      }
    )
    inOrder = checked
    return checked.then(async (c): Promise<Prepared> => {
      if ('result' in c) return c
      let outcome: ParseOutcome
      try {
        outcome = await parse(c.bytes, item.path)
      } catch (e) {
        // The parser is meant never to throw; if it does, this file fails and the run goes on.
        outcome = {
          ok: false,
          code: 'internal',
          reason: `parser error: ${(e as Error).message ?? String(e)}`
        }
      }
      const hints = item.kind === 'bytes' ? item.hints : undefined
      return {
        pending: {
          path: item.path,
          bytes: c.bytes,
          hash: c.hash,
          outcome: hints ? withHints(outcome, hints) : outcome,
          fromDisk: item.kind === 'file'
        }
      }
    })
  }

  const consume = (prepared: Prepared, path: string): void => {
    currentPath = path
    done++
    if ('result' in prepared) record(prepared.result)
    else pending.push(prepared.pending)
    if (pending.length >= batchFiles || Date.now() - lastFlush > BATCH_MS) flush()
    progress(false)
  }

  const ahead: { path: string; size: number; prepared: Promise<Prepared> }[] = []
  let aheadBytes = 0
  let cancelled = false
  const takeOldest = async (): Promise<boolean> => {
    const next = ahead.shift()
    if (!next) return true
    aheadBytes -= next.size
    // Cancel must not wait for a slow parse: the run stops as soon as the signal fires.
    const got = await unlessAborted(next.prepared, opts.signal)
    if (got === 'aborted') return false
    consume(got, next.path)
    return true
  }

  // A heartbeat, so the UI hears from a run even while one slow file is being parsed.
  const heartbeat = opts.onProgress ? setInterval(() => progress(false), PROGRESS_MS * 2) : null
  const sources = items(spend)
  try {
    for await (const source of sources) {
      let item = source
      if (opts.signal?.aborted) {
        if (item.kind === 'file') closeSync(item.file.fd)
        cancelled = true
        break
      }
      found++
      // Files count against the run's bytes by their size on the open handle, which is the
      // most that is read (a file that grows while read is refused); archive entries as they
      // inflate (zip.ts). Read-ahead is held to what was, or will be, actually read.
      const claimed =
        item.kind === 'file'
          ? item.file.size
          : item.kind === 'bytes' && item.hints
            ? item.bytes.length
            : 0
      if (claimed > 0 && !spend.takeBytes(claimed)) {
        if (item.kind === 'file') closeSync(item.file.fd)
        item = {
          kind: 'failed',
          path: item.path,
          code: 'over-budget',
          reason: spend.bytesSpent().message
        }
      }
      const size =
        item.kind === 'file' ? item.file.size : item.kind === 'bytes' ? item.bytes.length : 0
      ahead.push({ path: item.path, size, prepared: prepare(item) })
      aheadBytes += size
      while (ahead.length >= readAhead || (aheadBytes > budget.aheadBytes && ahead.length > 1)) {
        if (!(await takeOldest())) break
      }
      if (opts.signal?.aborted) {
        cancelled = true
        break
      }
    }
    while (!cancelled && ahead.length) {
      if (!(await takeOldest())) cancelled = true
    }
  } finally {
    if (heartbeat) clearInterval(heartbeat)
    // Closes an open archive if the walk stopped early.
    await sources.return(undefined)
  }
  // Items read or parsed but not yet taken are dropped on cancel: they were never written.
  ahead.length = 0
  flush()
  imageResultsDue = true
  for (const r of imageResults) if (!claimedImages.has(realOrSame(r.path))) record(r)
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
    aborted: false,
    results: allResults
  }
}

/**
 * What the capturer knows better than the bytes say: a feed's category and tags for its items,
 * the address a clipped page was at. A parsed article's own URL and title stay when it has them.
 */
function withHints(outcome: ParseOutcome, hints: ItemHints): ParseOutcome {
  if (!outcome.ok) return outcome
  return {
    ...outcome,
    articles: outcome.articles.map((a) => ({
      ...a,
      url: a.url ?? hints.url ?? null,
      title: a.title || hints.title || a.title,
      source: a.source ?? hints.source ?? null,
      publishedAt: a.publishedAt ?? hints.publishedAt ?? null,
      categoryPath: hints.categoryPath?.length ? [...hints.categoryPath] : a.categoryPath,
      tags: hints.tags?.length ? [...new Set([...a.tags, ...hints.tags])] : a.tags
    }))
  }
}

/** What a file is when its bytes are in already: a duplicate, or an article in the trash. */
function sameBytes(
  db: Db,
  hash: string,
  runHashes: Set<string>
): Omit<ImportFileResult, 'path'> | null {
  const orig = originalByHash(db).get(hash)
  if (orig) {
    const live = findByOriginal(db, orig.id)
    if (live)
      return {
        status: 'duplicate',
        reason: `same bytes as article #${live.id}${live.source_path ? ` (${live.source_path})` : ''}`,
        articleId: live.id
      }
    // Only articles in the trash have these bytes: they stay there.
    const trashed = findByOriginal(db, orig.id, { trashed: true })
    if (trashed)
      return {
        status: 'in-trash',
        reason: `same bytes as article #${trashed.id}, which is in the trash; not imported again`,
        articleId: trashed.id
      }
  }
  // Read earlier in this run (written, failed, or still on its way to the writer).
  return runHashes.has(hash)
    ? { status: 'duplicate', reason: 'same bytes as another file in this import' }
    : null
}

function realOrSame(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

/**
 * Keeps the images beside a written article's file (images/beside.ts), noting the image files
 * it used in `claimed`.
 */
function keepBeside(
  db: Db,
  p: Pending,
  id: number,
  parsed: ParsedArticle,
  stamp: string,
  claimed: Set<string>
): void {
  if (!p.fromDisk) return
  for (const used of keepImagesBeside(db, id, p.path, parsed, new Date(stamp))) claimed.add(used)
}

/** Writes one parsed file; called inside the batch transaction. */
function writeOne(
  db: Db,
  p: Pending,
  stamp: string,
  opts: ImportOptions,
  fresh: Map<number, ParsedArticle>,
  claimed: Set<string>
): ImportFileResult[] {
  const o = p.outcome
  if (!o.ok) return [{ path: p.path, status: 'failed', code: o.code, reason: o.reason }]
  const bloated = o.articles.map((a) => metadataTooLarge(a.meta)).find((x) => x !== null)
  if (bloated) return [{ path: p.path, status: 'failed', code: 'parse-error', reason: bloated }]
  const originalId = storeOriginal(db, p.bytes, p.hash)
  const many = o.articles.length > 1
  return o.articles.map((parsed, index) => {
    const path = many ? `${p.path}#${index + 1}` : p.path
    const warnings = parsed.warnings.length ? { warnings: parsed.warnings } : {}
    // The duplicate key is the parse's own: what the source's learned lines are does not
    // change which articles are the same.
    const key = contentKeyOf(parsed)
    const edges = parsed.writerHints?.edges ?? edgeLinesOf(parsed.cleanText, parsed.title)
    const write = {
      originalId,
      itemIndex: index,
      sourcePath: p.path,
      cleaningVersion: CLEANER_VERSION,
      parsed: withoutLearnedLines(db, parsed, edges),
      contentKey: key
    }
    // A deleted article stays deleted: neither an unchanged nor a changed file brings it back.
    const previous = findBySourcePath(db, p.path, index)
    if (previous?.deleted_at)
      return {
        path,
        status: 'in-trash' as const,
        reason: `article #${previous.id} from this file is in the trash; not imported again`,
        articleId: previous.id,
        ...warnings
      }
    const same = findByContentKey(db, key, { url: parsed.url })
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
    // The same article (from another file) is in the trash: importing it anew would undo that.
    const trashed = findByContentKey(db, key, { trashed: true, url: parsed.url })
    if (trashed)
      return {
        path,
        status: 'in-trash' as const,
        reason: `same title, date and text as article #${trashed.id}, which is in the trash; not imported again`,
        articleId: trashed.id,
        ...warnings
      }
    if (previous) {
      // The file changed since it was imported: update in place so the user's data stays with it.
      replaceArticleContent(db, previous.id, write, stamp)
      keepBeside(db, p, previous.id, write.parsed, stamp, claimed)
      learnFrom(db, previous.id, parsed, { changed: true, edges })
      if (opts.analysis !== false)
        recordAnalysis(db, previous.id, write.parsed, parsed.writerHints?.analysis)
      return {
        path,
        status: 'updated' as const,
        reason: 'file changed since last import; article updated',
        articleId: previous.id,
        ...warnings
      }
    }
    const id = insertArticle(db, write, stamp)
    keepBeside(db, p, id, write.parsed, stamp, claimed)
    learnFrom(db, id, parsed, { edges })
    if (opts.analysis !== false) recordAnalysis(db, id, write.parsed, parsed.writerHints?.analysis)
    fresh.set(id, write.parsed)
    return { path, status: 'imported' as const, articleId: id, ...warnings }
  })
}

const META_MAX_VALUES = 20_000
const META_MAX_CHARS = 1024 * 1024

/**
 * Front matter whose stored form would be huge: YAML aliases can make a few hundred bytes
 * expand to millions of values ("billion laughs"), which JSON.stringify would then write out.
 * Counts every value as stored (shared references counted each time), stopping at the limit.
 */
export function metadataTooLarge(meta: unknown): string | null {
  let values = 0
  let chars = 0
  const stack: unknown[] = [meta]
  while (stack.length) {
    const v = stack.pop()
    if (++values > META_MAX_VALUES)
      return `front matter expands to over ${META_MAX_VALUES} values (YAML alias bomb?); file refused`
    if (typeof v === 'string') chars += v.length
    else if (Array.isArray(v)) for (const x of v) stack.push(x)
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        chars += k.length
        stack.push(x)
      }
    }
    if (chars > META_MAX_CHARS)
      return `front matter expands to over ${META_MAX_CHARS / (1024 * 1024)} MB of text (YAML alias bomb?); file refused`
  }
  return null
}

// Prepared once per database: preparing a statement for every file is measurable at 100k files.
const byHashStatements = new WeakMap<Db, Statement<[string], { id: number }>>()
function originalByHash(db: Db): Statement<[string], { id: number }> {
  let stmt = byHashStatements.get(db)
  if (!stmt) {
    stmt = db.prepare<[string], { id: number }>('SELECT id FROM originals WHERE sha256 = ?')
    byHashStatements.set(db, stmt)
  }
  return stmt
}
