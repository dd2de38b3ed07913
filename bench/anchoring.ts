// Re-anchoring under realistic text changes, with ground truth: every character of a mutated
// text remembers which character of the original it came from (or -1 if new), so for each
// highlight we know exactly where the intended passage went and can tell a right anchor from a
// wrong one. `npm run bench:anchoring` runs it over the whole corpus;
// test/core/anchoring-corpus.test.ts runs a smaller deterministic slice.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArticleFile } from '../src/core/ingest/parse'
import { anchorSelectors, describeRange } from '../src/core/annotations/anchoring'
import { editDistance } from '../src/core/annotations/text-distance'
import type { AnchorResult, Selectors } from '../src/shared/annotation-types'
import { SHARED } from './lib/shared'
import { seededRng, type Rng } from '../test/helpers/random'

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1))

/** A text whose every UTF-16 unit knows its offset in the original text (-1: inserted). */
export interface Tracked {
  text: string
  origin: number[]
}

function trackedOf(text: string): Tracked {
  const origin = new Array<number>(text.length)
  for (let i = 0; i < text.length; i++) origin[i] = i
  return { text, origin }
}

/** Builds a tracked text piece by piece. */
class TrackedBuilder {
  private parts: string[] = []
  private origin: number[] = []
  keep(src: Tracked, from: number, to: number): this {
    this.parts.push(src.text.slice(from, to))
    for (let i = from; i < to; i++) this.origin.push(src.origin[i] ?? -1)
    return this
  }
  insert(s: string): this {
    this.parts.push(s)
    for (let i = 0; i < s.length; i++) this.origin.push(-1)
    return this
  }
  /** A changed character keeps its origin: it is the same place, written differently. */
  replace(src: Tracked, at: number, s: string): this {
    this.parts.push(s)
    for (let i = 0; i < s.length; i++) this.origin.push(src.origin[at] ?? -1)
    return this
  }
  build(): Tracked {
    return { text: this.parts.join(''), origin: this.origin }
  }
}

interface Span {
  start: number
  end: number
}

/** Paragraphs (text between '\n\n' runs) with the separator that follows each. */
function paragraphs(text: string): { body: Span; sepEnd: number }[] {
  const out: { body: Span; sepEnd: number }[] = []
  const re = /\n{2,}/g
  let start = 0
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ body: { start, end: m.index }, sepEnd: m.index + m[0].length })
    start = m.index + m[0].length
  }
  out.push({ body: { start, end: text.length }, sepEnd: text.length })
  return out.filter((p) => p.body.end > p.body.start)
}

const FOREIGN_PARAGRAPHS = [
  '　　（本文来自澎湃新闻，更多原创资讯请下载“澎湃新闻”APP）',
  'Editor’s note: this story has been updated with comment from the company.',
  '海量资讯、精准解读，尽在新浪财经APP',
  '点击查看原文，了解更多详情。'
]

// ---- Mutations: each returns the new tracked text. ----

export type MutationName =
  | 'insert-paragraph'
  | 'delete-paragraph'
  | 'reorder-paragraphs'
  | 'whitespace'
  | 'punctuation'
  | 'in-quote-edit'
  | 'reclean-drop-short'
  | 'combined'

export function insertParagraph(t: Tracked, rng: Rng): Tracked {
  const ps = paragraphs(t.text)
  const at = int(rng, 0, ps.length)
  const cut = at === 0 ? 0 : (ps[at - 1]?.sepEnd ?? t.text.length)
  const b = new TrackedBuilder().keep(t, 0, cut)
  if (cut === t.text.length && cut > 0) b.insert('\n\n')
  b.insert(pick(rng, FOREIGN_PARAGRAPHS))
  if (cut < t.text.length || cut === 0) b.insert('\n\n')
  return b.keep(t, cut, t.text.length).build()
}

export function deleteParagraph(t: Tracked, rng: Rng): Tracked {
  const ps = paragraphs(t.text)
  if (ps.length < 2) return t
  const p = pick(rng, ps)
  return new TrackedBuilder().keep(t, 0, p.body.start).keep(t, p.sepEnd, t.text.length).build()
}

export function reorderParagraphs(t: Tracked, rng: Rng): Tracked {
  const ps = paragraphs(t.text)
  if (ps.length < 3) return t
  const i = int(rng, 0, ps.length - 2)
  const a = ps[i]
  const c = ps[i + 1]
  if (!a || !c) return t
  // Swap the two bodies, keeping separators where they were.
  return new TrackedBuilder()
    .keep(t, 0, a.body.start)
    .keep(t, c.body.start, c.body.end)
    .keep(t, a.body.end, c.body.start)
    .keep(t, a.body.start, a.body.end)
    .keep(t, c.body.end, t.text.length)
    .build()
}

const isCjk = (ch: string): boolean => /[\u3400-\u9fff\uf900-\ufaff]/u.test(ch)
const isLatin = (ch: string): boolean => /[A-Za-z0-9]/.test(ch)

/** Cleaner whitespace rules changing: indentation dropped, CJK–Latin spacing, doubled spaces. */
export function whitespaceChanges(t: Tracked, rng: Rng): Tracked {
  const b = new TrackedBuilder()
  const s = t.text
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string
    const prev = s[i - 1] ?? '\n'
    if (ch === '\u3000' && (prev === '\n' || prev === '\u3000')) continue
    if (ch === ' ' && rng() < 0.3) {
      b.replace(t, i, '  ')
      continue
    }
    b.keep(t, i, i + 1)
    const next = s[i + 1] ?? ''
    if ((isCjk(ch) && isLatin(next)) || (isLatin(ch) && isCjk(next))) b.insert(' ')
  }
  return b.build()
}

const PUNCT_SWAP: Record<string, string> = {
  ',': '，',
  '，': ',',
  ';': '；',
  '；': ';',
  ':': '：',
  '：': ':',
  '(': '（',
  '（': '(',
  ')': '）',
  '）': ')',
  '“': '"',
  '”': '"',
  '!': '！',
  '！': '!',
  '?': '？',
  '？': '?'
}

export function punctuationChanges(t: Tracked, rng: Rng): Tracked {
  const b = new TrackedBuilder()
  for (let i = 0; i < t.text.length; i++) {
    const swap = PUNCT_SWAP[t.text[i] as string]
    if (swap !== undefined && rng() < 0.5) b.replace(t, i, swap)
    else b.keep(t, i, i + 1)
  }
  return b.build()
}

/** One or two characters changed, dropped or added inside some highlighted passages. */
export function inQuoteEdits(t: Tracked, rng: Rng, highlights: readonly Span[]): Tracked {
  const edits = new Map<number, 'sub' | 'del' | 'ins'>()
  for (const h of highlights) {
    if (rng() < 0.5) continue
    const n = h.end - h.start >= 20 ? 2 : 1
    for (let k = 0; k < n; k++) {
      const at = int(rng, h.start, h.end - 1)
      const ch = t.text[at] ?? ''
      // Keep surrogate pairs whole: edit only single-unit characters.
      if (/[\ud800-\udfff]/.test(ch) || /\s/.test(ch)) continue
      edits.set(at, pick(rng, ['sub', 'del', 'ins'] as const))
    }
  }
  const b = new TrackedBuilder()
  for (let i = 0; i < t.text.length; i++) {
    const e = edits.get(i)
    const ch = t.text[i] as string
    if (e === 'sub') b.replace(t, i, isCjk(ch) ? '某' : ch === 'x' ? 'y' : 'x')
    else if (e === 'ins') b.keep(t, i, i + 1).insert(isCjk(ch) ? '了' : 'e')
    else if (e !== 'del') b.keep(t, i, i + 1)
  }
  return b.build()
}

/** A re-clean whose new rule drops short paragraphs (captions, editor lines, "原标题"). */
export function recleanDropShort(t: Tracked): Tracked {
  const ps = paragraphs(t.text)
  const b = new TrackedBuilder()
  let at = 0
  let dropped = 0
  for (const p of ps) {
    const len = p.body.end - p.body.start
    if (len < 24 && dropped < 3 && ps.length > 3) {
      b.keep(t, at, p.body.start)
      at = p.sepEnd
      dropped++
    }
  }
  return b.keep(t, at, t.text.length).build()
}

export function mutate(
  name: MutationName,
  t: Tracked,
  rng: Rng,
  highlights: readonly Span[]
): Tracked {
  switch (name) {
    case 'insert-paragraph':
      return insertParagraph(t, rng)
    case 'delete-paragraph':
      return deleteParagraph(t, rng)
    case 'reorder-paragraphs':
      return reorderParagraphs(t, rng)
    case 'whitespace':
      return whitespaceChanges(t, rng)
    case 'punctuation':
      return punctuationChanges(t, rng)
    case 'in-quote-edit':
      return inQuoteEdits(t, rng, highlights)
    case 'reclean-drop-short':
      return recleanDropShort(t)
    case 'combined': {
      // Edits to the quotes first, while highlight offsets still refer to this text.
      let out = inQuoteEdits(t, rng, highlights)
      out = insertParagraph(out, rng)
      out = punctuationChanges(out, rng)
      return whitespaceChanges(out, rng)
    }
  }
}

export const MUTATIONS: readonly MutationName[] = [
  'insert-paragraph',
  'delete-paragraph',
  'reorder-paragraphs',
  'whitespace',
  'punctuation',
  'in-quote-edit',
  'reclean-drop-short',
  'combined'
]

// ---- Highlights a reader might make. ----

export type HighlightKind = 'two-char' | 'phrase' | 'sentence' | 'cross-paragraph' | 'cjk-phrase'

function trimSpan(text: string, s: number, e: number): Span | null {
  while (s < e && /\s/u.test(text[s] ?? '')) s++
  while (e > s && /\s/u.test(text[e - 1] ?? '')) e--
  // Never split a surrogate pair.
  if (/[\udc00-\udfff]/.test(text[s] ?? '')) s++
  if (/[\ud800-\udbff]/.test(text[e - 1] ?? '')) e--
  return e > s ? { start: s, end: e } : null
}

export function makeHighlight(text: string, rng: Rng, kind: HighlightKind): Span | null {
  const ps = paragraphs(text)
  if (ps.length === 0) return null
  if (kind === 'cross-paragraph') {
    if (ps.length < 2) return null
    const i = int(rng, 0, ps.length - 2)
    const a = ps[i]
    const c = ps[i + 1]
    if (!a || !c) return null
    return trimSpan(
      text,
      int(rng, a.body.start, a.body.end - 1),
      int(rng, c.body.start + 1, c.body.end)
    )
  }
  const p = pick(rng, ps).body
  const plen = p.end - p.start
  if (kind === 'two-char' || kind === 'cjk-phrase') {
    const cjkAt: number[] = []
    for (let i = p.start; i < p.end - 1; i++)
      if (isCjk(text[i] ?? '') && isCjk(text[i + 1] ?? '')) cjkAt.push(i)
    if (cjkAt.length === 0)
      return kind === 'two-char' ? trimSpan(text, p.start, Math.min(p.end, p.start + 2)) : null
    const s = pick(rng, cjkAt)
    const len = kind === 'two-char' ? 2 : int(rng, 3, 12)
    return trimSpan(text, s, Math.min(p.end, s + len))
  }
  if (kind === 'phrase') {
    const len = Math.min(plen, int(rng, 5, 40))
    const s = int(rng, p.start, p.end - len)
    return trimSpan(text, s, s + len)
  }
  // sentence: from a sentence start to the next sentence end inside the paragraph.
  const body = text.slice(p.start, p.end)
  const bounds = [0]
  for (const m of body.matchAll(/[。！？!?.]["”’」]?\s*/gu))
    bounds.push((m.index ?? 0) + m[0].length)
  bounds.push(body.length)
  const k = int(rng, 0, bounds.length - 2)
  return trimSpan(text, p.start + (bounds[k] ?? 0), p.start + (bounds[k + 1] ?? body.length))
}

export const HIGHLIGHT_KINDS: readonly HighlightKind[] = [
  'two-char',
  'cjk-phrase',
  'phrase',
  'sentence',
  'cross-paragraph'
]

// ---- Judging a re-anchor against the ground truth. ----

export type Verdict = 'exact' | 'fuzzy' | 'flagged' | 'wrong'

export interface Judgement {
  verdict: Verdict
  /** The passage survived with small edits (in one piece, ≤ 20% changed): it should anchor. */
  shouldAnchor: boolean
  /** Nothing of the passage is left in the new text. */
  gone: boolean
  /** Landed on an indistinguishable copy (same quote and context), not the passage itself. */
  twin?: boolean
}

export function judge(
  after: Tracked,
  original: Span,
  selectors: Selectors,
  result: AnchorResult
): Judgement {
  const inPassage = (i: number): boolean => {
    const o = after.origin[i] ?? -1
    return o >= original.start && o < original.end
  }
  let first = -1
  let last = -1
  let surviving = 0
  for (let i = 0; i < after.origin.length; i++) {
    if (inPassage(i)) {
      surviving++
      if (first < 0) first = i
      last = i
    }
  }
  const gone = surviving === 0
  // In one piece: between its first and last surviving character there is only passage text or
  // newly inserted text (not other original text moved in).
  let contiguous = !gone
  for (let i = first; contiguous && i <= last; i++) {
    if (!inPassage(i) && (after.origin[i] ?? -1) !== -1) contiguous = false
  }
  // "Small edits": the passage is in one piece and at most a fifth of it changed.
  const shouldAnchor =
    contiguous &&
    editDistance(selectors.quote.exact, after.text.slice(first, last + 1)) <=
      0.2 * (original.end - original.start)

  if (result.method === 'failed') return { verdict: 'flagged', shouldAnchor, gone }
  if (gone || result.end <= result.start) return { verdict: 'wrong', shouldAnchor, gone }
  let good = 0
  let bad = 0
  for (let i = result.start; i < result.end; i++) {
    if (inPassage(i)) good++
    else if ((after.origin[i] ?? -1) === -1 && i > first && i < last) continue
    else bad++
  }
  const precision = good / Math.max(1, good + bad)
  const recall = good / surviving
  if (precision < 0.5 || recall < 0.5) {
    // Same text with the same context on each side (templated paragraphs swapped or one of two
    // twins dropped): nothing in the selectors can tell the two apart. Counted apart. "Same
    // context" is all the context the selectors carry: the extended context when present, so a
    // copy that shares only the W3C 32 characters is a wrong anchor, not a twin.
    const q = selectors.quote
    const prefix = selectors.context?.prefix ?? q.prefix
    const suffix = selectors.context?.suffix ?? q.suffix
    const landed = after.text.slice(result.start - prefix.length, result.end + suffix.length)
    const twin = result.start >= prefix.length && landed === prefix + q.exact + suffix
    return { verdict: twin ? 'exact' : 'wrong', shouldAnchor, gone, twin }
  }
  return { verdict: result.method === 'fuzzy' ? 'fuzzy' : 'exact', shouldAnchor, gone }
}

// ---- The whole run. ----

export interface Tally {
  total: number
  exact: number
  fuzzy: number
  flagged: number
  wrong: number
  shouldAnchor: number
  shouldAnchorAnchored: number
  gone: number
  twins: number
}

export const emptyTally = (): Tally => ({
  total: 0,
  exact: 0,
  fuzzy: 0,
  flagged: 0,
  wrong: 0,
  shouldAnchor: 0,
  shouldAnchorAnchored: 0,
  gone: 0,
  twins: 0
})

export interface WrongCase {
  mutation: MutationName
  kind: HighlightKind
  exact: string
  result: AnchorResult
  landedOn: string
  /** Where the passage went: the new text around its surviving characters. */
  intended: string
}

export interface RunOptions {
  seed: number
  highlightsPerKind: number
  mutations?: readonly MutationName[]
  onWrong?: (w: WrongCase) => void
}

export interface RunReport {
  all: Tally
  byMutation: Map<MutationName, Tally>
  byKind: Map<HighlightKind, Tally>
  anchorCalls: number
  anchorMs: number
  /** Why highlights that should have anchored were flagged. */
  flaggedReasons: Map<string, number>
}

function add(t: Tally, j: Judgement): void {
  t.total++
  t[j.verdict]++
  if (j.gone) t.gone++
  if (j.twin) t.twins++
  if (j.shouldAnchor) {
    t.shouldAnchor++
    if (j.verdict === 'exact' || j.verdict === 'fuzzy') t.shouldAnchorAnchored++
  }
}

export function runAnchoringTrial(texts: readonly string[], opts: RunOptions): RunReport {
  const rng = seededRng(opts.seed)
  const report: RunReport = {
    all: emptyTally(),
    byMutation: new Map(),
    byKind: new Map(),
    anchorCalls: 0,
    anchorMs: 0,
    flaggedReasons: new Map()
  }
  const mutations = opts.mutations ?? MUTATIONS
  for (const text of texts) {
    if (text.length < 4) continue
    const highlights: { span: Span; kind: HighlightKind; selectors: Selectors }[] = []
    for (const kind of HIGHLIGHT_KINDS) {
      for (let k = 0; k < opts.highlightsPerKind; k++) {
        const span = makeHighlight(text, rng, kind)
        if (span)
          highlights.push({ span, kind, selectors: describeRange(text, span.start, span.end) })
      }
    }
    const spans = highlights.map((h) => h.span)
    for (const mutation of mutations) {
      const after = mutate(mutation, trackedOf(text), rng, spans)
      for (const h of highlights) {
        const t0 = performance.now()
        const result = anchorSelectors(after.text, h.selectors)
        report.anchorMs += performance.now() - t0
        report.anchorCalls++
        const j = judge(after, h.span, h.selectors, result)
        add(report.all, j)
        if (j.shouldAnchor && result.method === 'failed') {
          const key = `${mutation}/${result.reason}`
          report.flaggedReasons.set(key, (report.flaggedReasons.get(key) ?? 0) + 1)
        }
        if (!report.byMutation.has(mutation)) report.byMutation.set(mutation, emptyTally())
        if (!report.byKind.has(h.kind)) report.byKind.set(h.kind, emptyTally())
        add(report.byMutation.get(mutation) as Tally, j)
        add(report.byKind.get(h.kind) as Tally, j)
        if (j.verdict === 'wrong' && opts.onWrong) {
          opts.onWrong({
            mutation,
            kind: h.kind,
            exact: h.selectors.quote.exact,
            result,
            landedOn:
              result.method === 'failed' ? '' : around(after.text, result.start, result.end),
            intended: intendedAround(after, h.span)
          })
        }
      }
    }
  }
  return report
}

function around(text: string, s: number, e: number): string {
  return `${text.slice(Math.max(0, s - 12), s)}[${text.slice(s, e)}]${text.slice(e, e + 12)}`
}

function intendedAround(after: Tracked, span: Span): string {
  const idx = after.origin.flatMap((o, i) => (o >= span.start && o < span.end ? [i] : []))
  if (idx.length === 0) return '(gone)'
  return around(after.text, idx[0] ?? 0, (idx[idx.length - 1] ?? 0) + 1)
}

export const anchoredRatio = (t: Tally): number =>
  t.shouldAnchor === 0 ? 1 : t.shouldAnchorAnchored / t.shouldAnchor

// ---- Corpus: every article's clean text. ----

export const CORPUS_DIR = `${SHARED}/corpus`

function corpusFiles(dir: string): string[] {
  const out: string[] = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...corpusFiles(p))
    else if (!/MANIFEST\.tsv$|README\.md$/.test(p)) out.push(p)
  }
  return out.sort()
}

/** Clean text of every corpus article, in a stable order. */
export function loadCorpusCleanTexts(dir = CORPUS_DIR): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = []
  for (const path of corpusFiles(dir)) {
    const parsed = parseArticleFile(readFileSync(path), path)
    if (!parsed.ok) continue
    parsed.articles.forEach((a, i) => {
      if (a.cleanText.length > 0)
        out.push({ path: i === 0 ? path : `${path}#${i}`, text: a.cleanText })
    })
  }
  return out
}

// ---- Entry point. ----

function fmt(t: Tally): string {
  const pct = (n: number): string => ((100 * n) / Math.max(1, t.total)).toFixed(1).padStart(5)
  return `total=${String(t.total).padStart(5)} exact=${pct(t.exact)}% fuzzy=${pct(t.fuzzy)}% flagged=${pct(t.flagged)}% wrong=${t.wrong} anchored-when-expected=${(100 * anchoredRatio(t)).toFixed(1)}% (${t.shouldAnchorAnchored}/${t.shouldAnchor}) gone=${t.gone} twins=${t.twins}`
}

function main(): void {
  const articles = loadCorpusCleanTexts()
  const t0 = performance.now()
  const wrongs: WrongCase[] = []
  const report = runAnchoringTrial(
    articles.map((a) => a.text),
    { seed: 20211126, highlightsPerKind: 6, onWrong: (w) => wrongs.push(w) }
  )
  const ms = performance.now() - t0
  console.log(
    `articles=${articles.length} highlights re-anchored=${report.all.total} in ${(ms / 1000).toFixed(1)} s`
  )
  console.log('by mutation:')
  for (const [m, t] of report.byMutation) console.log(`  ${m.padEnd(20)} ${fmt(t)}`)
  console.log('by highlight kind:')
  for (const [k, t] of report.byKind) console.log(`  ${k.padEnd(20)} ${fmt(t)}`)
  console.log(`all: ${fmt(report.all)}`)
  console.log('flagged although the passage survived, by mutation/reason:')
  for (const [k, n] of [...report.flaggedReasons].sort((x, y) => y[1] - x[1]))
    console.log(`  ${k}: ${n}`)
  console.log(`anchorSelectors: ${(report.anchorMs / report.anchorCalls).toFixed(3)} ms/call mean`)
  for (const w of wrongs.slice(0, 20)) {
    console.log(
      `WRONG ${w.mutation}/${w.kind}: ${JSON.stringify(w.exact)} landed ${JSON.stringify(w.landedOn)} intended ${JSON.stringify(w.intended)} ${JSON.stringify(w.result)}`
    )
  }
  const a = report.all
  console.log(
    `BENCH anchoring total=${a.total} exact=${a.exact} fuzzy=${a.fuzzy} flagged=${a.flagged} wrong=${a.wrong} twins=${a.twins} anchored_ratio=${anchoredRatio(a).toFixed(4)} ms_per_anchor=${(report.anchorMs / report.anchorCalls).toFixed(3)}`
  )
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main()
