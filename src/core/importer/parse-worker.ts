// Worker-thread entry: parses files sent by the pool (pool.ts), and makes the full-text index
// text of articles for a search-index rebuild. Both are pure and CPU-bound, so running them here
// keeps the main thread (and the window) responsive and uses every core.
import { parentPort, workerData } from 'node:worker_threads'
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from '../model/parse-limits'
import { parseArticleFile } from '../ingest/parse'
import type { ParseOutcome } from '../model/parsed-article'
import type { WorkerSetup } from './pool'
import { indexColumns, type SearchDocument } from '../search/document'
import { addWriterHints } from './writer-hints'
import { analysisOf, type ArticleAnalysisDraft } from '../analysis/analyse'

export interface ParseRequest {
  id: number
  bytes: Uint8Array
  path: string
}

/** The full-text index columns of documents (a search-index rebuild's CPU work). */
export interface IndexTextRequest {
  id: number
  docs: SearchDocument[]
}

/** Stored articles' texts to analyse (an old library's backlog, core/analysis/). */
export interface AnalyseRequest {
  id: number
  texts: AnalysisText[]
}

export interface AnalysisText {
  title: string
  cleanText: string
}

export type WorkerRequest = ParseRequest | IndexTextRequest | AnalyseRequest

export interface ParseResponse {
  id: number
  outcome: ParseOutcome
}

export interface IndexTextResponse {
  id: number
  columns: string[][]
}

export interface AnalyseResponse {
  id: number
  drafts: ArticleAnalysisDraft[]
}

export type WorkerResponse = ParseResponse | IndexTextResponse | AnalyseResponse

const setup = workerData as WorkerSetup | undefined
const limits: ParseLimits = setup?.limits ?? DEFAULT_PARSE_LIMITS
// The library's rules, as the pool was given them: a worker reads no global or environment.
const siteRules = setup?.siteRules
const analysis = setup?.analysis !== false

/**
 * How deep the reply's values nest, stopping past the limit. The parser caps what it builds;
 * this is checked again here because a reply nested too deep cannot be decoded on the other
 * side (the structured clone's stack overflows) and would leave the file unanswered.
 */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length) {
    const [v, depth] = stack.pop()!
    if (depth > limit) return true
    if (v && typeof v === 'object') for (const x of Object.values(v)) stack.push([x, depth + 1])
  }
  return false
}

function failed(reason: string): ParseOutcome {
  return { ok: false, code: 'internal', reason }
}

parentPort?.on('message', (msg: WorkerRequest) => {
  if ('texts' in msg) {
    parentPort?.postMessage({
      id: msg.id,
      drafts: msg.texts.map((t) => analysisOf(t.title, t.cleanText))
    } satisfies AnalyseResponse)
    return
  }
  if ('docs' in msg) {
    parentPort?.postMessage({
      id: msg.id,
      columns: msg.docs.map(indexColumns)
    } satisfies IndexTextResponse)
    return
  }
  let outcome: ParseOutcome
  try {
    outcome = addWriterHints(parseArticleFile(msg.bytes, msg.path, { limits, siteRules }), {
      analysis
    })
  } catch (e) {
    // parseArticleFile is meant never to throw; keep the worker alive if it does.
    outcome = failed(`parser error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`)
  }
  // Article fields are flat strings and lists; only metadata can nest.
  if (outcome.ok && outcome.articles.some((a) => nestsDeeperThan(a.meta, limits.depth)))
    outcome = {
      ok: false,
      code: 'too-large',
      reason: `metadata nests deeper than ${limits.depth} levels; file refused`
    }
  try {
    parentPort?.postMessage({ id: msg.id, outcome } satisfies ParseResponse)
  } catch (e) {
    // Whatever cannot be cloned still gets an answer, so the file is never left waiting.
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e)
    parentPort?.postMessage({
      id: msg.id,
      outcome: failed(`the parse result could not be passed back: ${why}`)
    } satisfies ParseResponse)
  }
})

// Tells the pool the module graph loaded: a worker that never says this cannot parse at all.
parentPort?.postMessage({ ready: true })
