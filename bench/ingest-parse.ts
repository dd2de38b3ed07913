// How fast parseArticleFile turns real corpus files into articles, against the cheapest
// possible reading of the same files (strict UTF-8 decode + gray-matter front matter split),
// measured in the same run; then the same for the corpus-like files the import benchmark
// generates (its parse_only_cpu_ms, without reading from disk). Run:
// npx tsx bench/ingest-parse.ts [rounds]
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import matter from 'gray-matter'
import { cleanArticleHtml } from '../src/core/clean/clean-article'
import { parseArticleFile } from '../src/core/ingest/parse'
import { articleText } from '../test/core/import-corpus-gen'
import { SHARED } from './lib/shared'

const CORPUS = `${SHARED}/corpus`
const rounds = Number(process.argv[2] ?? 5)

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

const files = walk(CORPUS)
  .filter((f) => !f.endsWith('.tsv'))
  .map((path) => ({ path, bytes: readFileSync(path) }))
const totalBytes = files.reduce((n, f) => n + f.bytes.length, 0)

/** CPU milliseconds per pass: on a machine shared by many jobs, wall time mostly measures the others. */
function time(fn: () => void): number {
  fn() // warm-up: JIT and module caches
  const start = process.cpuUsage()
  for (let r = 0; r < rounds; r++) fn()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000 / rounds
}

const baselineMs = time(() => {
  for (const f of files) {
    const text = new TextDecoder('utf-8').decode(f.bytes)
    try {
      matter(text.trimStart(), { language: 'yaml' })
    } catch {
      // broken YAML costs the baseline nothing more
    }
  }
})

let ok = 0
const parseMs = time(() => {
  ok = 0
  for (const f of files) if (parseArticleFile(f.bytes, f.path).ok) ok++
})

const cleanInputs = files.flatMap((f) => {
  const o = parseArticleFile(f.bytes, f.path)
  return o.ok ? o.articles.map((a) => a.cleanHtml) : []
})
const recleanMs = time(() => {
  for (const html of cleanInputs) cleanArticleHtml(html)
})

const perFileMs = parseMs / files.length
console.log(
  `files: ${files.length} (${(totalBytes / 1024).toFixed(0)} KiB), parsed ok: ${ok}, rounds: ${rounds}`
)
console.log(`baseline (decode + gray-matter): ${baselineMs.toFixed(1)} ms CPU per pass`)
console.log(
  `parseArticleFile:               ${parseMs.toFixed(1)} ms CPU per pass, ${perFileMs.toFixed(2)} ms per file`
)
console.log(`re-clean of clean HTML:         ${recleanMs.toFixed(1)} ms CPU per pass`)
console.log(`ratio parse/baseline: ${(parseMs / baselineMs).toFixed(1)}x`)
console.log(
  `BENCH ingest-parse files=${files.length} per_file_ms=${perFileMs.toFixed(3)} files_per_s=${(1000 / perFileMs).toFixed(0)} mb_per_s=${(totalBytes / 1e6 / (parseMs / 1000)).toFixed(2)} baseline_ms=${baselineMs.toFixed(1)} parse_ms=${parseMs.toFixed(1)} ratio_vs_baseline=${(parseMs / baselineMs).toFixed(2)} reclean_ms=${recleanMs.toFixed(1)}`
)

// The import benchmark's files: Hexo front matter + HTML body (Markdown one in five).
const GENERATED = 1000
const generated = Array.from({ length: GENERATED }, (_, i) => ({
  path: `batch/post-${i}.${i % 5 === 4 ? 'md' : 'txt'}`,
  bytes: Buffer.from(articleText(i))
}))
const genBaselineMs = time(() => {
  for (const f of generated) matter(new TextDecoder('utf-8').decode(f.bytes), { language: 'yaml' })
})
const genParseMs = time(() => {
  for (const f of generated) parseArticleFile(f.bytes, f.path)
})
const genPerFile = genParseMs / GENERATED
console.log(
  `generated (import bench) files: ${GENERATED}, parseArticleFile ${genPerFile.toFixed(3)} ms CPU per file, decode + gray-matter ${(genBaselineMs / GENERATED).toFixed(3)} ms`
)
console.log(
  `BENCH ingest-parse-generated files=${GENERATED} per_file_ms=${genPerFile.toFixed(3)} baseline_per_file_ms=${(genBaselineMs / GENERATED).toFixed(3)} ratio_vs_baseline=${(genParseMs / genBaselineMs).toFixed(2)}`
)
