// A pool of worker_threads that run parseArticleFile, so an import uses every core and the main
// thread stays free for reading, hashing, writing and the UI. (Re-cleaning parses here too, and a
// search-index rebuild makes its index text here.) Each worker parses within the
// import budget's parse limits and heap; one that fails, hangs or outgrows its heap costs the
// file it was on and is replaced. If workers cannot start (entry not found in an unusual build,
// a sandbox that forbids threads), parsing falls back to the calling thread: slower, never wrong.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { ImportFailureCode } from '../../shared/types'
import type { ParseLimits } from '../model/parse-limits'
import type { SiteRuleSet } from '../extract/extract-types'
import { parseArticleFile } from '../ingest/parse'
import type { ParseOutcome } from '../model/parsed-article'
import { importBudget, type ImportBudget } from './budget'
import { indexColumns, type SearchDocument } from '../search/document'
import { analysisOf, type ArticleAnalysisDraft } from '../analysis/analyse'
import type {
  AnalyseRequest,
  AnalyseResponse,
  AnalysisText,
  IndexTextRequest,
  IndexTextResponse,
  ParseRequest,
  ParseResponse,
  WorkerRequest,
  WorkerResponse
} from './parse-worker'

export interface ParsePool {
  parse(bytes: Uint8Array, path: string): Promise<ParseOutcome>
  /** The full-text index columns of each document (a search-index rebuild's CPU work). */
  indexText(docs: SearchDocument[]): Promise<string[][]>
  /** Copy fingerprints, keywords and entities of stored articles (analysing an old library). */
  analyse(texts: AnalysisText[]): Promise<ArticleAnalysisDraft[]>
  close(): Promise<void>
  /** 'workers' while threads run the parser; 'in-process' after a fallback (see fallbackReason). */
  readonly mode: 'workers' | 'in-process'
  readonly fallbackReason: string | null
  readonly size: number
}

export interface ParsePoolOptions {
  /** A file that takes longer than this is given up (the worker is replaced): hostile input. */
  taskTimeoutMs?: number
  /** Overrides the worker entry (tests of the fallback). */
  entry?: WorkerEntry | null
  /** The import budget's parse limits and worker heap (the rest of the budget is the run's). */
  budget?: Partial<Pick<ImportBudget, 'htmlNodes' | 'depth' | 'workerHeapMb'>>
  /** The library's site rules, handed to every worker; the shipped ones by default. */
  siteRules?: SiteRuleSet
  /**
   * Workers compute each article's copy fingerprint, keywords and entities (default true). Off
   * only to measure what that costs (bench:stories), with ImportOptions.analysis off.
   */
  analysis?: boolean
}

/** What a worker is started with (workerData; site rules clone: strings, lists, RegExps). */
export interface WorkerSetup {
  limits: ParseLimits
  siteRules?: SiteRuleSet
  analysis?: boolean
}

/** A worker script: a file URL, or (for TypeScript sources) a small bootstrap evaluated as code. */
export type WorkerEntry = { url: URL } | { code: string }

interface Task {
  id: number
  request: Omit<ParseRequest, 'id'> | Omit<IndexTextRequest, 'id'> | Omit<AnalyseRequest, 'id'>
  /** The worker's reply. */
  answer: (reply: WorkerResponse) => void
  /** No worker could do it (it died, hung or outgrew its heap): why. */
  fail: (reason: string, code?: ImportFailureCode) => void
  /** Done on this thread instead (no workers, or the pool closed with it waiting). */
  here: () => void
}

interface Slot {
  worker: Worker
  /** Sent and not yet answered, in sending order: the worker parses them in that order. */
  inflight: Task[]
  /** Times the task at the head of inflight (the one being parsed). */
  timer: NodeJS.Timeout | null
  /** Watches the worker's heap while it has work. */
  heapWatch: NodeJS.Timeout | null
  ready: boolean
}

const DEFAULT_TIMEOUT_MS = 30_000
/**
 * The young generation is capped because parsing makes much short-lived garbage, and V8 sized
 * each worker's nursery from the machine's memory (100,000 files: peak RSS 428–561 MB
 * uncapped, 405–419 MB at 16 MB).
 */
const YOUNG_GENERATION_MB = 16
/**
 * The budget's worker heap is watched from here (HEAP_WATCH_MS), and a worker past it is
 * stopped: that is the limit files meet. V8's own old-generation limit sits this many times
 * higher, as a last line only: a worker reaching it is stopped too, unless one allocation
 * needs more than the 16 MB of grace Node gives at that point, and then V8 aborts the whole
 * process (checked on Node 24: "FATAL ERROR: Reached heap limit" allocating a 240 MB array
 * under a 128 MB limit). Plain text no longer costs gigabytes (see paragraphsToFragment), so
 * files stay far below either.
 */
const HARD_HEAP_FACTOR = 2
const HEAP_WATCH_MS = 200
/**
 * Files queued inside each worker. The writer's thread hands out work, and while it commits a
 * batch (up to ~150 ms) it can hand out nothing: with one file per worker the workers sat idle
 * for most of each commit (measured: parse workers busy 27% of a 10,000-file import). 32 each
 * (with the importer reading 128 ahead) took 100,000 files from 917 to ~1,250 articles/s with
 * peak RSS ~440 MB; 96–256 each were no faster and held 530–570 MB.
 */
const IN_FLIGHT_PER_WORKER = 32

/**
 * Where the worker's code is. From TypeScript sources (dev, tests, the tsx-run CLI) the .ts
 * entry is loaded through tsx's ESM API, registered inside the worker by a two-line bootstrap:
 * `execArgv: ['--import', tsx]` is not honoured by worker threads on Node 24 (checked: the
 * worker then falls back to Node's own type stripping, which cannot resolve extensionless
 * imports). In the electron-vite bundle the entry is a separate output file `parse-worker.js`
 * beside (or one folder above) the chunk this code lands in.
 */
export function resolveWorkerEntry(): WorkerEntry | null {
  const here = import.meta.url
  const override = process.env.GLEANER_PARSE_WORKER
  if (override) return { url: pathToFileURL(override) }
  if (here.endsWith('.ts')) {
    const entry = new URL('./parse-worker.ts', here).href
    try {
      // The ESM build of tsx's API (require.resolve would give its CJS build).
      const pkg = createRequire(here).resolve('tsx/package.json')
      const api = pathToFileURL(join(dirname(pkg), 'dist/esm/api/index.mjs')).href
      const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`
      return { code }
    } catch {
      return null
    }
  }
  for (const rel of ['./parse-worker.js', '../parse-worker.js']) {
    const url = new URL(rel, here)
    if (existsSync(fileURLToPath(url))) return { url }
  }
  return null
}

/** Stops a worker we gave up on; a late error from it must not crash the process. */
function quiet(worker: Worker): void {
  worker.removeAllListeners()
  worker.on('error', () => undefined)
  void worker.terminate()
}

function failedOutcome(reason: string, code: ImportFailureCode = 'internal'): ParseOutcome {
  return { ok: false, code, reason }
}

export function createParsePool(size?: number, opts: ParsePoolOptions = {}): ParsePool {
  const want = Math.max(1, Math.min(size ?? availableParallelism(), 16))
  const timeoutMs = opts.taskTimeoutMs ?? DEFAULT_TIMEOUT_MS
  const entry = opts.entry === undefined ? resolveWorkerEntry() : opts.entry
  const budget = importBudget(opts.budget)
  const limits: ParseLimits = { nodes: budget.htmlNodes, depth: budget.depth }
  const heapBytes = budget.workerHeapMb * 1024 * 1024
  const resourceLimits = {
    maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
    maxOldGenerationSizeMb: Math.ceil(budget.workerHeapMb * HARD_HEAP_FACTOR)
  }
  const setup: WorkerSetup = {
    limits,
    ...(opts.siteRules ? { siteRules: opts.siteRules } : {}),
    ...(opts.analysis === false ? { analysis: false } : {})
  }
  const outOfMemory = `parsing needed more than ${budget.workerHeapMb} MB of memory; file refused`
  const queue: Task[] = []
  const slots: Slot[] = []
  let nextId = 1
  let closed = false
  let mode: 'workers' | 'in-process' = 'workers'
  let fallbackReason: string | null = null

  const fallBack = (reason: string): void => {
    if (mode === 'in-process') return
    mode = 'in-process'
    fallbackReason = reason
    // Whatever was waiting is parsed here, one per tick so the event loop keeps breathing.
    drainInProcess()
  }

  const parseHere = (bytes: Uint8Array, path: string): ParseOutcome => {
    try {
      return parseArticleFile(bytes, path, { limits, siteRules: opts.siteRules })
    } catch (e) {
      return failedOutcome(
        `parser error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`
      )
    }
  }

  const drainInProcess = (): void => {
    const task = queue.shift()
    if (!task) return
    task.here()
    setImmediate(drainInProcess)
  }

  const stopWatching = (slot: Slot): void => {
    if (slot.timer) clearTimeout(slot.timer)
    if (slot.heapWatch) clearInterval(slot.heapWatch)
    slot.timer = slot.heapWatch = null
  }

  /**
   * While a worker has work its heap is read every HEAP_WATCH_MS (an interrupt: it answers in
   * the middle of a parse); past the budget the file it is on fails and the worker is replaced.
   */
  const watchHeap = (slot: Slot): void => {
    if (slot.heapWatch || typeof slot.worker.getHeapStatistics !== 'function') return
    let reading = false
    slot.heapWatch = setInterval(() => {
      if (reading) return
      reading = true
      slot.worker.getHeapStatistics().then(
        (stats) => {
          reading = false
          if (stats.used_heap_size <= heapBytes || !slots.includes(slot)) return
          failHead(slot, outOfMemory, 'too-large')
          replace(slot)
        },
        () => {
          reading = false
        }
      )
    }, HEAP_WATCH_MS)
    slot.heapWatch.unref()
  }

  const startTimer = (slot: Slot): void => {
    if (slot.timer) clearTimeout(slot.timer)
    slot.timer = null
    if (slot.inflight.length === 0) {
      stopWatching(slot)
      return
    }
    watchHeap(slot)
    slot.timer = setTimeout(() => {
      // A parser stuck on one file (pathological input) must not hold the import hostage; the
      // files queued behind it go to the other workers.
      failHead(slot, `parsing took over ${Math.round(timeoutMs / 1000)} s; file skipped`)
      replace(slot)
    }, timeoutMs)
  }

  const dispatch = (): void => {
    if (mode === 'in-process') return drainInProcess()
    for (const slot of slots) {
      while (slot.inflight.length < IN_FLIGHT_PER_WORKER && queue.length > 0) {
        const task = queue.shift() as Task
        slot.inflight.push(task)
        if (slot.inflight.length === 1) {
          slot.worker.ref()
          startTimer(slot)
        }
        const req: WorkerRequest = { id: task.id, ...task.request }
        slot.worker.postMessage(req)
      }
    }
  }

  /** Answers one task of this slot; the next one in line is now being parsed. */
  const finish = (slot: Slot, id: number, settle: (task: Task) => void): void => {
    const i = slot.inflight.findIndex((t) => t.id === id)
    if (i < 0) return
    const [task] = slot.inflight.splice(i, 1)
    startTimer(slot)
    if (slot.inflight.length === 0 && !closed) slot.worker.unref()
    if (task) settle(task)
  }

  /** A worker that died or was stopped: the file it was on fails, the ones behind it go on. */
  const failHead = (slot: Slot, reason: string, code?: ImportFailureCode): void => {
    stopWatching(slot)
    const [head, ...rest] = slot.inflight.splice(0)
    queue.unshift(...rest)
    head?.fail(reason, code)
  }

  /**
   * A worker that failed is always replaced: each failure costs one file, so hostile files
   * cannot wear the pool down to parsing on the main thread (they once did after 4).
   */
  const replace = (slot: Slot): void => {
    stopWatching(slot)
    const i = slots.indexOf(slot)
    if (i >= 0) slots.splice(i, 1)
    quiet(slot.worker)
    if (closed) return
    spawn()
    dispatch()
  }

  const spawn = (): void => {
    if (!entry) return
    let worker: Worker
    try {
      const options = { resourceLimits, workerData: setup }
      worker =
        'code' in entry
          ? new Worker(entry.code, { ...options, eval: true })
          : new Worker(entry.url, options)
    } catch (e) {
      fallBack(`cannot start parse worker: ${(e as Error).message}`)
      return
    }
    worker.unref()
    const slot: Slot = { worker, inflight: [], timer: null, heapWatch: null, ready: false }
    slots.push(slot)
    worker.on('message', (msg: WorkerResponse | { ready: true }) => {
      if ('ready' in msg) {
        slot.ready = true
        // A file sent while the worker was still starting gets its whole time from now: a slow
        // start on a busy machine is not a slow parse.
        if (slot.inflight.length) startTimer(slot)
        return
      }
      finish(slot, msg.id, (task) => task.answer(msg))
      dispatch()
    })
    // A reply that cannot be decoded here (once: front matter nested 3,000 deep overflowed the
    // structured clone's stack) answers the file it belongs to, the oldest one sent: replies
    // come in sending order. The worker itself is fine and goes on.
    worker.on('messageerror', (e: Error) => {
      const head = slot.inflight[0]
      if (head)
        finish(slot, head.id, (task) =>
          task.fail(`the parse result could not be passed back: ${e.message.split('\n')[0]}`)
        )
      dispatch()
    })
    worker.on('error', (e: Error & { code?: string }) => {
      // A worker that never came up means the entry cannot load: no point in retrying.
      if (!slot.ready) {
        const reason = `parse worker failed: ${e.message.split('\n')[0]}`
        stopWatching(slot)
        queue.unshift(...slot.inflight.splice(0))
        slots.splice(slots.indexOf(slot), 1)
        if (slots.every((s) => !s.ready)) {
          for (const s of [...slots]) {
            queue.unshift(...s.inflight.splice(0))
            stopWatching(s)
            quiet(s.worker)
          }
          slots.length = 0
          fallBack(reason)
        }
        return
      }
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') failHead(slot, outOfMemory, 'too-large')
      else failHead(slot, `parse worker failed: ${e.message.split('\n')[0]}`)
      replace(slot)
    })
    worker.on('exit', (code) => {
      if (closed || !slots.includes(slot)) return
      failHead(slot, `parse worker exited (code ${code})`)
      replace(slot)
    })
  }

  if (!entry) fallBack('parse worker entry not found; parsing in the main thread')
  else for (let i = 0; i < want; i++) spawn()

  return {
    get mode() {
      return mode
    },
    get fallbackReason() {
      return fallbackReason
    },
    get size() {
      return mode === 'workers' ? slots.length : 0
    },
    parse(bytes, path) {
      if (closed) return Promise.resolve(parseHere(bytes, path))
      return new Promise<ParseOutcome>((resolve) => {
        queue.push({
          id: nextId++,
          request: { bytes, path },
          answer: (reply) => resolve((reply as ParseResponse).outcome),
          fail: (reason, code) => resolve(failedOutcome(reason, code)),
          here: () => resolve(parseHere(bytes, path))
        })
        dispatch()
      })
    },
    indexText(docs) {
      // Pure and cheap to redo: whatever keeps a worker from answering, this thread does it.
      const here = (): string[][] => docs.map(indexColumns)
      if (closed) return Promise.resolve(here())
      return new Promise<string[][]>((resolve) => {
        queue.push({
          id: nextId++,
          request: { docs },
          answer: (reply) => resolve((reply as IndexTextResponse).columns),
          fail: () => resolve(here()),
          here: () => resolve(here())
        })
        dispatch()
      })
    },
    analyse(texts) {
      const here = (): ArticleAnalysisDraft[] => texts.map((t) => analysisOf(t.title, t.cleanText))
      if (closed) return Promise.resolve(here())
      return new Promise<ArticleAnalysisDraft[]>((resolve) => {
        queue.push({
          id: nextId++,
          request: { texts },
          answer: (reply) => resolve((reply as AnalyseResponse).drafts),
          fail: () => resolve(here()),
          here: () => resolve(here())
        })
        dispatch()
      })
    },
    async close() {
      closed = true
      const all = slots.splice(0)
      for (const s of all) {
        stopWatching(s)
        s.worker.removeAllListeners()
        s.worker.on('error', () => undefined)
        for (const t of s.inflight.splice(0)) t.fail('import closed before this file was parsed')
      }
      for (const t of queue.splice(0)) t.here()
      await Promise.all(all.map((s) => s.worker.terminate()))
    }
  }
}
