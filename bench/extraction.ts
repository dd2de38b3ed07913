// Extraction benchmark: quality on the ScrapingHub pages (Gleaner and every peer, one scorer, one run),
// speed and memory against Mozilla Readability (each extractor in its own child process), and
// leaked boilerplate / lost paragraphs over the real Chinese corpus through the import parser.
//   npx tsx bench/extraction.ts [--quick]
import { fork } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { aggregate, precisionOf, recallOf, shingleConfusion } from './lib/shingle-f1'
import type { Confusion } from './lib/shingle-f1'
import { extractArticle } from '../src/core/extract/extract-article'
import { loadSiteRules } from '../src/core/extract/site-rules'
import { decodeBytes } from '../src/core/encoding/decode-bytes'
import { corpusReport } from './lib/corpus-leaks'
import { SHARED } from './lib/shared'

const BENCH_DIR = `${SHARED}/bench/extraction`

interface Truth {
  articleBody: string
  url: string
}
type Outputs = Record<string, { articleBody: string }>

interface ChildResult {
  name: string
  texts: Record<string, string>
  ms: number
  /** CPU time of the extraction loop: steadier than wall time on a machine shared with other work. */
  cpuMs: number
  pages: number
  rssBeforeMb: number
  peakRssMb: number
  heapDeltaMb: number
  /** Pages on which the extractor threw (scored as empty output). */
  errors: string[]
}

function pageText(id: string): string {
  const decoded = decodeBytes(gunzipSync(readFileSync(join(BENCH_DIR, 'html', `${id}.html.gz`))))
  if (!decoded.ok) throw new Error(`page ${id}: ${decoded.reason}`)
  return decoded.text
}

function loadPages(): { id: string; html: string; url: string }[] {
  const truth = JSON.parse(readFileSync(join(BENCH_DIR, 'ground-truth.json'), 'utf8')) as Record<
    string,
    Truth
  >
  return Object.keys(truth)
    .sort()
    .map((id) => ({
      id,
      url: truth[id]!.url,
      html: pageText(id)
    }))
}

async function runChild(name: string): Promise<void> {
  const pages = loadPages()
  let extract: (html: string, url: string) => string
  if (name === 'gleaner') {
    const { rules } = loadSiteRules({})
    extract = (html, url) => extractArticle(html, { url, rules }).text
  } else {
    const { Readability } = await import('@mozilla/readability')
    if (name === 'readability-linkedom') {
      const { parseHTML } = await import('linkedom')
      extract = (html) => {
        const { document } = parseHTML(html)
        return new Readability(document as unknown as Document).parse()?.textContent ?? ''
      }
    } else {
      // jsdom ships no types here; only its JSDOM constructor is used.
      const { JSDOM } = (await import('jsdom' as string)) as {
        JSDOM: new (html: string, o: { url: string }) => { window: { document: Document } }
      }
      extract = (html, url) =>
        new Readability(new JSDOM(html, { url }).window.document).parse()?.textContent ?? ''
    }
  }
  global.gc?.()
  const rssBefore = process.memoryUsage().rss
  const heapBefore = process.memoryUsage().heapUsed
  let heapPeak = heapBefore
  const texts: Record<string, string> = {}
  const errors: string[] = []
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  for (const p of pages) {
    try {
      texts[p.id] = extract(p.html, p.url)
    } catch (e) {
      texts[p.id] = ''
      errors.push(`${p.id.slice(0, 8)}: ${(e as Error).message}`)
    }
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)
  }
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const mb = (b: number): number => Math.round((b / 1048576) * 10) / 10
  const result: ChildResult = {
    name,
    texts,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    pages: pages.length,
    rssBeforeMb: mb(rssBefore),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
    heapDeltaMb: mb(heapPeak - heapBefore),
    errors
  }
  process.send?.(result)
}

function inChild(name: string): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', name], {
      execArgv: [...process.execArgv, '--expose-gc']
    })
    child.once('message', (m) => resolvePromise(m as ChildResult))
    child.once(
      'exit',
      (code) => code !== 0 && reject(new Error(`${name} child exited with ${code}`))
    )
  })
}

function score(
  truth: Record<string, Truth>,
  outputs: Record<string, string>
): { all: Confusion[]; scores: ReturnType<typeof aggregate> } {
  const all = Object.keys(truth).map((id) =>
    shingleConfusion(truth[id]!.articleBody ?? '', outputs[id] ?? '')
  )
  return { all, scores: aggregate(all) }
}

async function main(): Promise<void> {
  const truth = JSON.parse(readFileSync(join(BENCH_DIR, 'ground-truth.json'), 'utf8')) as Record<
    string,
    Truth
  >
  const rows: { name: string; p: number; r: number; f1: number }[] = []
  for (const f of readdirSync(join(BENCH_DIR, 'peers')).sort()) {
    let data = JSON.parse(readFileSync(join(BENCH_DIR, 'peers', f), 'utf8')) as
      Outputs | { output: Outputs }
    if ('output' in data && typeof data.output === 'object') data = data.output as Outputs
    const texts = Object.fromEntries(
      Object.entries(data as Outputs).map(([k, v]) => [k, v?.articleBody ?? ''])
    )
    const { scores } = score(truth, texts)
    rows.push({
      name: `peer:${f.replace(/\.json$/, '')}`,
      p: scores.precision,
      r: scores.recall,
      f1: scores.f1
    })
  }

  // One child at a time: they share two cores with other work, and timings must not overlap.
  const gleaner = await inChild('gleaner')
  const readabilityLinkedom = await inChild('readability-linkedom')
  const readabilityJsdom = process.argv.includes('--quick')
    ? null
    : await inChild('readability-jsdom')
  for (const c of [gleaner, readabilityLinkedom, readabilityJsdom]) {
    if (c?.errors.length)
      console.log(`${c.name}: threw on ${c.errors.length} pages, e.g. ${c.errors[0]}`)
  }
  const g = score(truth, gleaner.texts)
  rows.push({ name: 'gleaner', p: g.scores.precision, r: g.scores.recall, f1: g.scores.f1 })
  for (const c of [readabilityLinkedom, readabilityJsdom]) {
    if (!c) continue
    const s = score(truth, c.texts).scores
    rows.push({ name: `${c.name} (this run)`, p: s.precision, r: s.recall, f1: s.f1 })
  }

  rows.sort((a, b) => b.f1 - a.f1)
  console.log(
    '\nQuality on %d pages (word 4-gram shingles, evaluate.py metric)',
    Object.keys(truth).length
  )
  console.log('extractor'.padEnd(34) + 'F1'.padStart(7) + 'prec'.padStart(7) + 'recall'.padStart(8))
  for (const r of rows)
    console.log(
      r.name.padEnd(34) +
        r.f1.toFixed(3).padStart(7) +
        r.p.toFixed(3).padStart(7) +
        r.r.toFixed(3).padStart(8)
    )

  if (process.argv.includes('--worst')) {
    const ids = Object.keys(truth)
    const worst = g.all
      .map((c, i) => ({ id: ids[i]!, p: precisionOf(c), r: recallOf(c) }))
      .sort((a, b) => a.p + a.r - (b.p + b.r))
    for (const w of worst.slice(0, 25))
      console.log(
        `  ${w.id.slice(0, 8)} p=${w.p.toFixed(2)} r=${w.r.toFixed(2)} ${truth[w.id]!.url.slice(0, 80)}`
      )
  }

  console.log(
    '\nSpeed and memory: each extractor alone in a child process, pages pre-decoded in memory; pages/s per CPU second\n' +
      '(peak RSS = child maxRSS; RSS before = after loading pages; heap peak Δ = max heapUsed in the loop minus before)'
  )
  console.log(
    'extractor'.padEnd(24) +
      'pages/s'.padStart(9) +
      'CPU ms'.padStart(10) +
      'wall ms'.padStart(10) +
      'peak RSS MB'.padStart(13) +
      'RSS before'.padStart(12) +
      'heap peak Δ MB'.padStart(16)
  )
  const speeds = [gleaner, readabilityLinkedom, readabilityJsdom].filter(
    (c): c is ChildResult => !!c
  )
  for (const c of speeds) {
    const pps = c.pages / (c.cpuMs / 1000)
    console.log(
      c.name.padEnd(24) +
        pps.toFixed(1).padStart(9) +
        c.cpuMs.toFixed(0).padStart(10) +
        c.ms.toFixed(0).padStart(10) +
        c.peakRssMb.toFixed(1).padStart(13) +
        c.rssBeforeMb.toFixed(1).padStart(12) +
        c.heapDeltaMb.toFixed(1).padStart(16)
    )
  }
  // Per CPU second: wall time swings with whatever else shares the machine. The baseline is
  // Readability on jsdom, the setup behind the benchmark's published readability_js figure.
  const pps = gleaner.pages / (gleaner.cpuMs / 1000)
  const baseline = readabilityJsdom ?? readabilityLinkedom
  const speedup = baseline.cpuMs / gleaner.cpuMs
  console.log(
    `speedup vs readability+linkedom: ${(readabilityLinkedom.cpuMs / gleaner.cpuMs).toFixed(1)}x (CPU time)`
  )
  if (readabilityJsdom)
    console.log(
      `speedup vs readability+jsdom:    ${(readabilityJsdom.cpuMs / gleaner.cpuMs).toFixed(1)}x (CPU time)`
    )

  const corpus = await corpusReport()
  const find = (n: string): number => rows.find((r) => r.name === n)?.f1 ?? NaN
  console.log(
    `BENCH extraction f1=${g.scores.f1.toFixed(3)} precision=${g.scores.precision.toFixed(3)} recall=${g.scores.recall.toFixed(3)} ` +
      `readability_f1=${find('peer:readability_js').toFixed(3)} trafilatura_f1=${find('peer:trafilatura').toFixed(3)} ` +
      `pages_per_s=${pps.toFixed(1)} speedup_vs_readability=${speedup.toFixed(1)} leaks=${corpus.leaks} lost_paragraphs=${corpus.lostParagraphs}`
  )
}

const childAt = process.argv.indexOf('--child')
if (childAt >= 0) await runChild(process.argv[childAt + 1] ?? 'gleaner')
else await main()
