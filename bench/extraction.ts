// Extraction benchmark, in one run:
// - quality on the ScrapingHub pages (Gleaner and every peer, one scorer);
// - quality on Trafilatura's 990-page evaluation set (its with/without metric, bench/lib/traf-set.ts)
//   for Gleaner's real import parser (parseArticleFile: title + clean text) and for Mozilla
//   Readability on jsdom, and the pages Gleaner fails to import although Readability extracts
//   text from them (traf_set_failed);
// - speed and memory against Readability (each extractor and set in its own child process);
// - over the real Chinese corpus through the import parser: leaked boilerplate, lost paragraphs,
//   and footers left at the end of RSSHub posts per source (bench/lib/footer-markers.ts, a marker
//   list independent of the cleaner's own patterns).
//   npx tsx bench/extraction.ts [--quick] [--worst] [--traf-worst] [--corpus-detail]
// --quick skips Readability on jsdom for the ScrapingHub pages (speedup_vs_readability is then
// against Readability on linkedom), and runs Readability on the Trafilatura set with linkedom
// instead of jsdom (several times cheaper; its figure is labelled so in the table, and
// readability_traf_set_f1 is then the linkedom one).
import { fork } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { aggregate, precisionOf, recallOf, shingleConfusion } from './lib/shingle-f1'
import type { Confusion } from './lib/shingle-f1'
import { parseHtmlPageAt } from '../src/core/ingest/page'
import { loadSiteRules } from '../src/core/extract/site-rules'
import { decodeBytes } from '../src/core/encoding/decode-bytes'
import { corpusReport } from './lib/corpus-leaks'
import { loadTrafSet, pageConfusion, scoreTrafSet } from './lib/traf-set'
import type { TrafPage, TrafScore } from './lib/traf-set'
import { parseArticleFile } from '../src/core/ingest/parse'
import { SHARED } from './lib/shared'

const BENCH_DIR = `${SHARED}/bench/extraction`

interface Truth {
  articleBody: string
  url: string
}
type Outputs = Record<string, { articleBody: string }>

interface ChildResult {
  name: string
  set: SetName
  texts: Record<string, string>
  /** Gleaner on the Trafilatura set: pages the import parser refused or left without text, and why. */
  failures: Record<string, string>
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

type SetName = 'sh' | 'traf'

/** One page as a child extracts it: ScrapingHub pages pre-decoded, Trafilatura pages as file bytes. */
interface Job {
  key: string
  url: string
  html: string
  bytes: Uint8Array
  file: string
}

function loadJobs(set: SetName, decode: boolean): Job[] {
  if (set === 'sh')
    return loadPages().map((p) => ({
      key: p.id,
      url: p.url,
      html: p.html,
      bytes: new Uint8Array(),
      file: ''
    }))
  return loadTrafSet().map((p) => {
    let html = ''
    if (decode) {
      const d = decodeBytes(p.bytes)
      html = d.ok ? d.text : new TextDecoder().decode(p.bytes)
    }
    return { key: p.url, url: p.url, html, bytes: p.bytes, file: p.file }
  })
}

async function readabilityOn(
  dom: 'jsdom' | 'linkedom'
): Promise<(html: string, url: string) => { title: string; text: string }> {
  const { Readability } = await import('@mozilla/readability')
  const text = (doc: Document): { title: string; text: string } => {
    const r = new Readability(doc).parse()
    return { title: r?.title ?? '', text: r?.textContent ?? '' }
  }
  if (dom === 'linkedom') {
    const { parseHTML } = await import('linkedom')
    return (html) => text(parseHTML(html).document as unknown as Document)
  }
  // jsdom ships no types here; only its JSDOM constructor and VirtualConsole are used.
  const { JSDOM, VirtualConsole } = (await import('jsdom' as string)) as {
    JSDOM: new (
      html: string,
      o: { url: string; virtualConsole: unknown }
    ) => { window: { document: Document; close(): void } }
    VirtualConsole: new () => unknown
  }
  // A console with no listener: jsdom's complaints about each page's CSS are not results.
  const virtualConsole = new VirtualConsole()
  return (html, url) => {
    const w = new JSDOM(html, { url, virtualConsole }).window
    try {
      return text(w.document)
    } finally {
      w.close()
    }
  }
}

async function runChild(name: string, set: SetName, slice: number, slices: number): Promise<void> {
  const gleaner = name === 'gleaner'
  const jobs = loadJobs(set, !gleaner).filter((_, k) => k % slices === slice)
  // Gleaner on the Trafilatura set runs the real import parser on the file's bytes (decoding
  // included), as an import does; failures are kept with their reason.
  const failures: Record<string, string> = {}
  let extract: (job: Job) => string
  if (gleaner && set === 'sh') {
    const { rules } = loadSiteRules({})
    // What an import keeps of the page: the extractor's body through the post cleaner
    // (ingest/page.ts), with the page's address known as a saved archive gives it.
    extract = (j) =>
      parseHtmlPageAt(j.html, 'page.html', 'utf-8', { url: j.url, siteRules: rules }).cleanText
  } else if (gleaner) {
    extract = (j) => {
      const o = parseArticleFile(j.bytes, /\.html?$/i.test(j.file) ? j.file : `${j.file}.html`)
      if (!o.ok) {
        failures[j.key] = `${o.code}: ${o.reason}`
        return ''
      }
      const text = o.articles.map((a) => `${a.title}\n${a.cleanText}`).join('\n\n')
      if (!o.articles.some((a) => a.cleanText.trim())) failures[j.key] = 'no text'
      return text
    }
  } else {
    const r = await readabilityOn(name === 'readability-linkedom' ? 'linkedom' : 'jsdom')
    extract = (j) => {
      const out = r(j.html, j.url)
      if (set === 'sh') return out.text
      // The Trafilatura set's segments include the title: Readability's title goes with its text.
      if (!out.text.trim()) failures[j.key] = 'no text'
      return out.title ? `${out.title}\n${out.text}` : out.text
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
  for (const j of jobs) {
    try {
      texts[j.key] = extract(j)
    } catch (e) {
      texts[j.key] = ''
      errors.push(`${(j.file || j.key).slice(0, 40)}: ${(e as Error).message}`)
    }
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)
  }
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const mb = (b: number): number => Math.round((b / 1048576) * 10) / 10
  const result: ChildResult = {
    name,
    set,
    texts,
    failures,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    pages: jobs.length,
    rssBeforeMb: mb(rssBefore),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
    heapDeltaMb: mb(heapPeak - heapBefore),
    errors
  }
  process.send?.(result)
}

function inChildSlice(
  name: string,
  set: SetName,
  slice: number,
  slices: number
): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(
      fileURLToPath(import.meta.url),
      ['--child', name, set, `${slice}/${slices}`],
      {
        execArgv: [...process.execArgv, '--expose-gc']
      }
    )
    child.once('message', (m) => resolvePromise(m as ChildResult))
    child.once(
      'exit',
      (code) => code !== 0 && reject(new Error(`${name} (${set}) child exited with ${code}`))
    )
  })
}

/**
 * One extractor over one set, in `slices` child processes run one after another, merged: jsdom's
 * heap grows with every page it builds (over 4 GB on the 990 Trafilatura pages), so it gets a
 * fresh process every few hundred pages. Times add up; memory figures are the largest slice's.
 */
async function inChild(name: string, set: SetName = 'sh', slices = 1): Promise<ChildResult> {
  const parts: ChildResult[] = []
  for (let i = 0; i < slices; i++) parts.push(await inChildSlice(name, set, i, slices))
  const max = (f: (c: ChildResult) => number): number => Math.max(...parts.map(f))
  const sum = (f: (c: ChildResult) => number): number => parts.reduce((n, c) => n + f(c), 0)
  return {
    name,
    set,
    texts: Object.assign({}, ...parts.map((c) => c.texts)) as Record<string, string>,
    failures: Object.assign({}, ...parts.map((c) => c.failures)) as Record<string, string>,
    ms: sum((c) => c.ms),
    cpuMs: sum((c) => c.cpuMs),
    pages: sum((c) => c.pages),
    rssBeforeMb: max((c) => c.rssBeforeMb),
    peakRssMb: max((c) => c.peakRssMb),
    heapDeltaMb: max((c) => c.heapDeltaMb),
    errors: parts.flatMap((c) => c.errors)
  }
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
  const quick = process.argv.includes('--quick')
  const readabilityJsdom = quick ? null : await inChild('readability-jsdom')
  const trafPages = loadTrafSet()
  const gleanerTraf = await inChild('gleaner', 'traf')
  const readabilityTraf = quick
    ? await inChild('readability-linkedom', 'traf')
    : await inChild('readability-jsdom', 'traf', 5)
  for (const c of [gleaner, readabilityLinkedom, readabilityJsdom, gleanerTraf, readabilityTraf]) {
    if (c?.errors.length)
      console.log(`${c.name} (${c.set}): threw on ${c.errors.length} pages, e.g. ${c.errors[0]}`)
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
    '\nSpeed and memory: each extractor alone in a child process, pages pre-decoded in memory (Gleaner on the\n' +
      'Trafilatura set decodes the file bytes itself, as an import does); pages/s per CPU second\n' +
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
  const speeds = [
    gleaner,
    readabilityLinkedom,
    readabilityJsdom,
    gleanerTraf,
    readabilityTraf
  ].filter((c): c is ChildResult => !!c)
  for (const c of speeds) {
    const pps = c.pages / (c.cpuMs / 1000)
    console.log(
      `${c.name} (${c.set})`.padEnd(24) +
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
  console.log(
    `Trafilatura set: import parser vs ${readabilityTraf.name}: ${(readabilityTraf.cpuMs / gleanerTraf.cpuMs).toFixed(1)}x (CPU time)`
  )

  const traf = trafReport(trafPages, gleanerTraf, readabilityTraf)
  const corpus = await corpusReport()
  const find = (n: string): number => rows.find((r) => r.name === n)?.f1 ?? NaN
  console.log(
    `BENCH extraction f1=${g.scores.f1.toFixed(3)} precision=${g.scores.precision.toFixed(3)} recall=${g.scores.recall.toFixed(3)} ` +
      `readability_f1=${find('peer:readability_js').toFixed(3)} trafilatura_f1=${find('peer:trafilatura').toFixed(3)} ` +
      `traf_set_f1=${traf.gleaner.f1.toFixed(3)} traf_set_precision=${traf.gleaner.precision.toFixed(3)} traf_set_recall=${traf.gleaner.recall.toFixed(3)} ` +
      `readability_traf_set_f1=${traf.readability.f1.toFixed(3)} readability_traf_set_dom=${readabilityTraf.name.replace('readability-', '')} traf_set_failed=${traf.failed.length} ` +
      `pages_per_s=${pps.toFixed(1)} speedup_vs_readability=${speedup.toFixed(1)} leaks=${corpus.leaks} ` +
      `footer_leaks=${corpus.footerLeaks} lost_paragraphs=${corpus.lostParagraphs}`
  )
}

/** Trafilatura-set table, Gleaner's import failures, and (with --traf-worst) its worst pages. */
function trafReport(
  pages: TrafPage[],
  gleaner: ChildResult,
  readability: ChildResult
): { gleaner: TrafScore; readability: TrafScore; failed: string[] } {
  const gs = scoreTrafSet(pages, gleaner.texts)
  const rs = scoreTrafSet(pages, readability.texts)
  const fileOf = new Map(pages.map((p) => [p.url, p.file]))
  console.log(
    `\nQuality on Trafilatura's ${pages.length}-page evaluation set (with/without segments; Trafilatura publishes F1 0.924 on it)`
  )
  console.log(
    'extractor'.padEnd(38) +
      'F1'.padStart(7) +
      'prec'.padStart(7) +
      'recall'.padStart(8) +
      'acc'.padStart(7)
  )
  for (const [name, sc] of [
    ['gleaner (parseArticleFile)', gs],
    [`${readability.name} (title + text)`, rs]
  ] as const)
    console.log(
      name.padEnd(38) +
        sc.f1.toFixed(3).padStart(7) +
        sc.precision.toFixed(3).padStart(7) +
        sc.recall.toFixed(3).padStart(8) +
        sc.accuracy.toFixed(3).padStart(7)
    )
  const notImported = Object.keys(gleaner.failures)
  // A page counts against Gleaner only when the peer gets text out of it: an empty page is no one's text.
  const failed = notImported.filter((url) => !(url in readability.failures)).sort()
  console.log(
    `Gleaner did not import ${notImported.length} pages; traf_set_failed = ${failed.length} of them, where ${readability.name} extracts text:`
  )
  for (const url of failed) console.log(`  ${fileOf.get(url)}  ${gleaner.failures[url]}`)
  if (process.argv.includes('--traf-worst')) {
    const worst = pages
      .map((p) => ({ p, c: pageConfusion(p, gleaner.texts[p.url] ?? '') }))
      .sort((a, b) => b.c.fn + b.c.fp - (a.c.fn + a.c.fp))
    console.log('Worst pages for Gleaner (with segments missing, without segments present):')
    for (const w of worst.slice(0, 30))
      console.log(
        `  ${w.p.file}  missing=${w.c.fn}/${w.c.fn + w.c.tp} unwanted=${w.c.fp}/${w.c.fp + w.c.tn}`
      )
  }
  return { gleaner: gs, readability: rs, failed }
}

const childAt = process.argv.indexOf('--child')
if (childAt >= 0) {
  const [slice, slices] = (process.argv[childAt + 3] ?? '0/1').split('/').map(Number)
  await runChild(
    process.argv[childAt + 1] ?? 'gleaner',
    process.argv[childAt + 2] === 'traf' ? 'traf' : 'sh',
    slice ?? 0,
    slices || 1
  )
} else await main()
