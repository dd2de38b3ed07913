// Trafilatura's 990-page evaluation set (../shared/bench/trafilatura-eval, see its README) and its
// metric: a `with` segment must be a substring of the output, a `without` segment must not.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { SHARED } from './shared'

export const TRAF_DIR = `${SHARED}/bench/trafilatura-eval`

export interface TrafPage {
  url: string
  file: string
  bytes: Uint8Array
  with: string[]
  without: string[]
}

interface EvalEntry {
  file: string
  with?: string[]
  without?: string[]
}

export function loadTrafSet(): TrafPage[] {
  const data = JSON.parse(readFileSync(join(TRAF_DIR, 'evaldata.json'), 'utf8')) as Record<
    string,
    EvalEntry
  >
  return Object.keys(data)
    .sort()
    .map((url) => {
      const e = data[url]!
      return {
        url,
        file: e.file,
        bytes: new Uint8Array(gunzipSync(readFileSync(join(TRAF_DIR, 'pages', `${e.file}.gz`)))),
        with: e.with ?? [],
        without: e.without ?? []
      }
    })
}

const norm = (s: string): string => s.replace(/\s+/g, ' ').trim()

export interface TrafScore {
  tp: number
  fn: number
  fp: number
  tn: number
  precision: number
  recall: number
  f1: number
  accuracy: number
}

/** Per page: how many `with` segments are missing and how many `without` ones are present. */
export function pageConfusion(
  page: TrafPage,
  output: string
): { tp: number; fn: number; fp: number; tn: number } {
  const out = norm(output)
  let tp = 0
  let fn = 0
  let fp = 0
  let tn = 0
  for (const seg of page.with)
    if (out.includes(norm(seg))) tp++
    else fn++
  for (const seg of page.without)
    if (out.includes(norm(seg))) fp++
    else tn++
  return { tp, fn, fp, tn }
}

export function scoreTrafSet(pages: TrafPage[], outputs: Record<string, string>): TrafScore {
  const c = { tp: 0, fn: 0, fp: 0, tn: 0 }
  for (const p of pages) {
    const x = pageConfusion(p, outputs[p.url] ?? '')
    c.tp += x.tp
    c.fn += x.fn
    c.fp += x.fp
    c.tn += x.tn
  }
  const precision = c.tp / (c.tp + c.fp || 1)
  const recall = c.tp / (c.tp + c.fn || 1)
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0
  return { ...c, precision, recall, f1, accuracy: (c.tp + c.tn) / (c.tp + c.tn + c.fp + c.fn || 1) }
}
