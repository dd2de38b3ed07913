// Worker-thread entry: parses files sent by the pool (pool.ts). Parsing is pure and CPU-bound,
// so running it here keeps the main thread (and the window) responsive and uses every core.
import { parentPort } from 'node:worker_threads'
import { parseArticleFile } from '../ingest/parse'
import type { ParseOutcome } from '../ingest/types'
import { addWriterHints } from './writer-hints'

export interface ParseRequest {
  id: number
  bytes: Uint8Array
  path: string
}

export interface ParseResponse {
  id: number
  outcome: ParseOutcome
}

parentPort?.on('message', (msg: ParseRequest) => {
  let outcome: ParseOutcome
  try {
    outcome = addWriterHints(parseArticleFile(msg.bytes, msg.path))
  } catch (e) {
    // parseArticleFile is meant never to throw; keep the worker alive if it does.
    outcome = {
      ok: false,
      code: 'internal',
      reason: `parser error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`
    }
  }
  const reply: ParseResponse = { id: msg.id, outcome }
  parentPort?.postMessage(reply)
})

// Tells the pool the module graph loaded: a worker that never says this cannot parse at all.
parentPort?.postMessage({ ready: true })
