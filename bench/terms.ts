// How long termsOf (keywords and named entities, src/core/analysis/terms.ts) takes per article:
// every article of the corpus as the parser reads it, then 1,800-character texts cut from the
// corpus's longer Chinese articles (the reference size; target ≤ 0.5 ms), on their own
// and as at import, where the fingerprint has just segmented the same text (words.ts keeps
// it). Wall time per call, median and p95 over several rounds (a median shrugs off the other
// jobs on a shared machine), and CPU time per article over whole passes (segmentation for the
// fingerprint outside the timed call included in neither). Run: npx tsx bench/terms.ts [rounds]
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { termsOf } from '../src/core/analysis/terms'
import { tokensOf } from '../src/core/analysis/words'
import { parseArticleFile } from '../src/core/ingest/parse'
import { SHARED } from './lib/shared'

const rounds = Number(process.argv[2] ?? 20)
const REFERENCE_CHARS = 1_800

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name)
      return statSync(path).isDirectory() ? walk(path) : [path]
    })
}

interface Text {
  title: string
  text: string
}

const articles: Text[] = walk(join(SHARED, 'corpus'))
  .filter((p) => /\.(?:md|txt)$/u.test(p) && !p.endsWith('README.md'))
  .flatMap((p) => {
    const parsed = parseArticleFile(readFileSync(p), p)
    return parsed.ok ? parsed.articles.map((a) => ({ title: a.title, text: a.cleanText })) : []
  })
const han = (s: string): number => (s.match(/\p{Script=Han}/gu) ?? []).length
const reference: Text[] = articles
  .filter((a) => a.text.length >= REFERENCE_CHARS && han(a.text) > a.text.length / 2)
  .map((a) => ({ title: a.title, text: a.text.slice(0, REFERENCE_CHARS) }))

function measure(
  texts: Text[],
  afterFingerprint = false
): { median: number; p95: number; cpuPerArticle: number } {
  for (const t of texts) termsOf(t.title, t.text) // warm-up: dictionaries, JIT
  const times: number[] = []
  let cpuMs = 0
  for (let r = 0; r < rounds; r++)
    for (const t of texts) {
      if (afterFingerprint) tokensOf(t.text)
      else tokensOf('') // forget the last text: termsOf segments on its own
      const cpu = process.cpuUsage()
      const start = performance.now()
      termsOf(t.title, t.text)
      times.push(performance.now() - start)
      const used = process.cpuUsage(cpu)
      cpuMs += (used.user + used.system) / 1000
    }
  times.sort((a, b) => a - b)
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))]!
  return {
    median: at(0.5),
    p95: at(0.95),
    cpuPerArticle: cpuMs / (rounds * texts.length)
  }
}

const loadStart = performance.now()
termsOf('', '')
const loadMs = performance.now() - loadStart
const all = measure(articles)
const ref = measure(reference)
const refAtImport = measure(reference, true)
const chars = Math.round(articles.reduce((n, a) => n + a.text.length, 0) / articles.length)
const f = (ms: number): string => ms.toFixed(3)
console.log(`first call (segmenter, lexicon and word lists loaded): ${loadMs.toFixed(0)} ms`)
console.log(
  `corpus: ${articles.length} articles, mean ${chars} characters: median ${f(all.median)} ms, ` +
    `p95 ${f(all.p95)} ms, CPU ${f(all.cpuPerArticle)} ms/article`
)
console.log(
  `${REFERENCE_CHARS}-character Chinese texts: ${reference.length}: median ${f(ref.median)} ms, ` +
    `p95 ${f(ref.p95)} ms, CPU ${f(ref.cpuPerArticle)} ms/article (target ≤ 0.5 ms)`
)
console.log(
  `the same after the fingerprint's segmentation of the text (as at import): median ` +
    `${f(refAtImport.median)} ms, p95 ${f(refAtImport.p95)} ms, CPU ${f(refAtImport.cpuPerArticle)} ms/article`
)
console.log(
  `BENCH terms median_ms=${f(all.median)} p95_ms=${f(all.p95)} ` +
    `median_1800_ms=${f(ref.median)} p95_1800_ms=${f(ref.p95)} ` +
    `median_1800_at_import_ms=${f(refAtImport.median)} p95_1800_at_import_ms=${f(refAtImport.p95)}`
)
