// A labelled copy set made from the corpus, for bench/stories.ts: each corpus article with
// enough text gets syndicated variants written as real Hexo files, the way portals republish a
// story (another outlet's head and tail lines, the lead trimmed, a paragraph dropped or added,
// the headline rewritten, punctuation and full-width changes, Traditional script, an editor's
// line; a few edits per variant, seeded), plus one "same event told anew" article per source,
// a hard negative that shares the event's names and two of its sentences and nothing else.
//
// The corpus files themselves are the originals (imported as they are); the set lists every
// file with its label (which original it copies) and the edits made to it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Converter } from 'opencc-js'
import { parseArticleFile } from '../../src/core/ingest/parse'
import { segmenter } from '../../src/core/analysis/words'
import { CORPUS, filesUnder } from '../../test/helpers/corpus'
import { seededRng, type Rng } from '../../test/helpers/random'
import {
  EDITORS,
  EDITOR_LINES,
  ENGLISH_EDITORS,
  ENGLISH_EDITOR_LINES,
  ENGLISH_PORTALS,
  ENGLISH_TITLE_REWRITES,
  PORTALS,
  TITLE_REWRITES,
  fill,
  type Portal
} from './portal-lines'

export const EDIT_KINDS = [
  'frame',
  'lead-trim',
  'para-drop',
  'para-add',
  'title',
  'punct-width',
  'traditional',
  'traditional-phrases',
  'editor-line',
  'excerpt',
  'relay'
] as const
export type EditKind = (typeof EDIT_KINDS)[number]

export interface CopySetFile {
  path: string
  /** Files with the same label are copies of one story; every other pair is not. */
  label: string
  role: 'original' | 'variant' | 'anew'
  kinds: EditKind[]
  /** The feed or outlet it came from (hard negatives: same feed, different story). */
  feed: string
  /** For a story told anew: the label of the story it retells. */
  retells?: string
}

export interface CopySet {
  files: CopySetFile[]
  /** Originals with enough text to be copied. */
  sources: number
  /** Originals with too little text (imported too, each its own story). */
  shortOriginals: number
}

export interface CopySetOptions {
  seed?: number
  variantsPerSource?: number
  /** Clean text characters an original needs to be copied. */
  minChars?: number
  corpusDir?: string
}

interface Doc {
  title: string
  paras: string[]
}

interface Source {
  file: string
  label: string
  feed: string
  /** The outlet a reprint credits (来源：…). */
  outlet: string
  doc: Doc
  publishedAt: number
  english: boolean
}

interface PoolParagraph {
  text: string
  /** The file of its article. */
  article: string
  feed: string
  english: boolean
  /** Its share of its own article's text. */
  share: number
}

const toTw = Converter({ from: 'cn', to: 'tw' })
const toTwPhrases = Converter({ from: 'cn', to: 'twp' })

const lengthOf = (paras: readonly string[]): number => paras.reduce((n, p) => n + p.length, 0)
const isEnglish = (text: string): boolean =>
  (text.match(/\p{Script=Han}/gu)?.length ?? 0) < text.length * 0.1

/** Mostly Han characters: a sentence, not code or a table row. */
const isProse = (text: string): boolean =>
  (text.match(/\p{Script=Han}/gu)?.length ?? 0) >= text.length * 0.5

function sentencesOf(p: string): string[] {
  return p.split(/(?<=[。！？!?]|\.\s)/u).filter((s) => s.trim() !== '')
}

function pick<T>(r: Rng, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!
}

function shuffled<T>(r: Rng, xs: readonly T[]): T[] {
  const a = [...xs]
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1))
    ;[a[i], a[j]] = [a[j]!, a[i]!]
  }
  return a
}

function loadCorpus(dir: string): { articles: Source[]; pool: PoolParagraph[] } {
  const articles: Source[] = []
  const pool: PoolParagraph[] = []
  for (const file of filesUnder(dir)) {
    if (file.endsWith('.tsv') || file.endsWith('README.md')) continue
    const parsed = parseArticleFile(readFileSync(file), file)
    if (!parsed.ok) continue
    const a = parsed.articles[0]
    if (!a) continue
    const paras = a.cleanText
      .split(/\n{2,}/u)
      .map((p) => p.trim())
      .filter((p) => p !== '')
    const feed = a.categoryPath.join('/') || (a.source ?? file)
    const english = isEnglish(a.cleanText)
    const total = lengthOf(paras)
    for (const p of paras)
      pool.push({ text: p, article: file, feed, english, share: p.length / (total || 1) })
    const date = a.publishedAt ? Date.parse(a.publishedAt) : NaN
    articles.push({
      file,
      label: `original:${file.slice(dir.length + 1)}`,
      feed,
      outlet: a.source ?? a.author ?? feed,
      doc: { title: a.title, paras },
      publishedAt: Number.isFinite(date) ? date : Date.UTC(2022, 0, 1),
      english
    })
  }
  return { articles, pool }
}

function leadTrim(doc: Doc): boolean {
  const first = doc.paras[0]
  if (first === undefined) return false
  const sentences = sentencesOf(first)
  if (sentences.length > 1) {
    doc.paras[0] = sentences.slice(1).join('').trim()
    return true
  }
  if (doc.paras.length > 1 && first.length <= 0.2 * lengthOf(doc.paras)) {
    doc.paras.shift()
    return true
  }
  return false
}

/** Drops one paragraph (not the lead) that is at most a fifth of the text. */
function paraDrop(r: Rng, doc: Doc): boolean {
  const total = lengthOf(doc.paras)
  const candidates = doc.paras
    .map((p, i) => ({ p, i }))
    .filter(({ p, i }) => i > 0 && p.length >= 10 && p.length <= 0.2 * total)
  if (!candidates.length) return false
  doc.paras.splice(pick(r, candidates).i, 1)
  return true
}

/**
 * An excerpt (摘编): the first paragraphs, at least half the text and two paragraphs, then a
 * pointer to the rest, as portals reprint long pieces.
 */
function excerpt(doc: Doc, english: boolean): boolean {
  const total = lengthOf(doc.paras)
  let kept = 0
  let n = 0
  while (n < doc.paras.length && (n < 2 || kept < 0.5 * total)) kept += doc.paras[n++]!.length
  // Nothing left to cut, or too little kept to call it the same piece.
  if (n >= doc.paras.length || kept > 0.8 * total) return false
  doc.paras = [
    ...doc.paras.slice(0, n),
    english
      ? '(Excerpt. Read the full story at the source.)'
      : '（本文为节选，阅读全文请点击原文链接）'
  ]
  return true
}

/** Adds a paragraph of another feed's article (background, related reading), at most a fifth. */
function paraAdd(
  r: Rng,
  doc: Doc,
  pool: readonly PoolParagraph[],
  feed: string,
  english: boolean
): boolean {
  const total = lengthOf(doc.paras)
  const max = Math.min(300, 0.2 * total)
  // Only a small part of its own article: a variant must not contain another whole story.
  const candidates = pool.filter(
    (p) =>
      p.feed !== feed &&
      p.english === english &&
      p.share <= 0.2 &&
      p.text.length >= 20 &&
      p.text.length <= max
  )
  if (!candidates.length) return false
  const at = 1 + Math.floor(r() * doc.paras.length)
  doc.paras.splice(at, 0, pick(r, candidates).text)
  return true
}

const toFullWidth = (s: string): string =>
  s.replace(/[0-9A-Za-z]/gu, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))

/** Full-width letters and digits, corner quotes, half-width punctuation in some paragraphs. */
function punctWidth(r: Rng, doc: Doc, english: boolean): boolean {
  doc.paras = doc.paras.map((p) => {
    if (english)
      return p
        .replace(/"([^"]*)"/gu, '“$1”')
        .replace(/ - /gu, ' — ')
        .replace(/, /gu, ' , ')
    let q = toFullWidth(p)
      .replace(/“/gu, '「')
      .replace(/”/gu, '」')
      .replace(/‘/gu, '『')
      .replace(/’/gu, '』')
    if (r() < 0.5)
      q = q
        .replace(/，/gu, ', ')
        .replace(/；/gu, ';')
        .replace(/：/gu, ':')
        .replace(/（/gu, '(')
        .replace(/）/gu, ')')
    return q
  })
  doc.title = english ? doc.title : toFullWidth(doc.title)
  return true
}

function convertScript(doc: Doc, convert: (s: string) => string): boolean {
  const before = doc.paras.join('')
  const paras = doc.paras.map(convert)
  let changed = 0
  const after = paras.join('')
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) changed++
  // A text with almost nothing to convert (English, or Traditional already) is not this edit.
  if (changed < before.length * 0.02) return false
  doc.paras = paras
  doc.title = convert(doc.title)
  return true
}

/** The names in a text: people, places and organisations as the segmenter tags them. */
function entitiesOf(doc: Doc, english: boolean): string[] {
  const counts = new Map<string, number>()
  const text = doc.paras.join('\n')
  if (english) {
    for (const m of text.matchAll(/(?<![.!?]\s)\b[A-Z][a-zA-Z]{2,}(?:\s[A-Z][a-zA-Z]+)*/gu))
      counts.set(m[0], (counts.get(m[0]) ?? 0) + 1)
  } else {
    for (const { word, tag } of segmenter().tag(text, false))
      if (/^(nr|ns|nt)/u.test(tag) && word.length >= 2)
        counts.set(word, (counts.get(word) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w)
}

/**
 * The same event told anew: the source's lead sentence and one more of its sentences, its
 * names in a new sentence, then other outlets' paragraphs (one per article, each at most a
 * fifth of it, so the new text copies no other article either) until the shared sentences are at
 * most a quarter of it. The two sentences are at most 30% of the source too (else none is made). A retelling shares the event's names and a line or two, not its text.
 */
function toldAnew(r: Rng, src: Source, pool: readonly PoolParagraph[]): Doc | null {
  const sentences = src.doc.paras.flatMap(sentencesOf).map((s) => s.trim())
  if (sentences.length < 3) return null
  const lead = sentences[0]!
  const others = sentences.slice(1).filter((x) => x.length >= 10)
  if (lead.length < 10 || !others.length) return null
  const more = pick(r, others)
  const names = entitiesOf(src.doc, src.english).slice(0, 3)
  const named = names.length
    ? src.english
      ? `${names.join(', ')} remain at the centre of the story. `
      : `${names.join('、')}的最新进展持续引发关注。`
    : ''
  const shared = lead.length + more.length
  // A retelling of a short report that kept most of its sentences would be a copy of it.
  if (shared > 0.3 * lengthOf(src.doc.paras)) return null
  const body = shuffled(
    r,
    // Prose paragraphs of news length (no code listings, no walls of text).
    pool.filter(
      (p) =>
        p.feed !== src.feed &&
        p.english === src.english &&
        p.share <= 0.2 &&
        p.text.length >= 30 &&
        p.text.length <= 300 &&
        (src.english || isProse(p.text))
    )
  )
  const paras = [lead, `${named}${more}`]
  const used = new Set<string>()
  for (const p of body) {
    if (paras.length >= 6 && lengthOf(paras) >= Math.max(4 * shared, 400)) break
    // One paragraph per article: the retelling must not become a copy of another story.
    if (used.has(p.article)) continue
    used.add(p.article)
    paras.push(p.text)
  }
  if (paras.length < 6 || shared > 0.25 * lengthOf(paras)) return null
  const title = src.english
    ? `${names[0] ?? 'Story'}: what we know now`
    : `${names.slice(0, 2).join('、') || '事件'}追踪：多方回应`
  return { title, paras }
}

function escapeHtml(s: string): string {
  return s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;')
}

function hexoFile(o: {
  title: string
  category: readonly string[]
  author: string
  date: Date
  lines: readonly string[]
  english: boolean
}): string {
  const indent = o.english ? '' : '\u3000\u3000'
  return [
    '---',
    `title: '${o.title.replace(/'/gu, "''").replace(/\s+/gu, ' ')}'`,
    'categories: ',
    ...o.category.map((c) => ` - ${c}`),
    `author: ${o.author}`,
    'comments: false',
    `date: ${o.date.toUTCString()}`,
    '---',
    '',
    '<div>',
    ...o.lines.map((l) => `<p>${indent}${escapeHtml(l)}</p>`),
    '</div>',
    ''
  ].join('\n')
}

/** Edits a variant may combine besides its frame (relay is how it is derived, not an edit). */
const CONTENT_EDITS: readonly EditKind[] = [
  'lead-trim',
  'para-drop',
  'para-add',
  'title',
  'punct-width',
  'traditional',
  'traditional-phrases',
  'editor-line',
  'excerpt'
]

interface Made {
  doc: Doc
  kinds: EditKind[]
  script: Portal['script']
}

/** Writes the variants and retellings under `outDir`; the originals stay where they are. */
export function buildCopySet(outDir: string, opts: CopySetOptions = {}): CopySet {
  const corpusDir = opts.corpusDir ?? CORPUS
  const perSource = opts.variantsPerSource ?? 8
  const minChars = opts.minChars ?? 300
  const { articles, pool } = loadCorpus(corpusDir)
  const files: CopySetFile[] = articles.map((a) => ({
    path: a.file,
    label: a.label,
    role: 'original',
    kinds: [],
    feed: a.feed
  }))
  const sources = articles.filter((a) => lengthOf(a.doc.paras) >= minChars)
  sources.forEach((src, si) => {
    const r = seededRng((opts.seed ?? 17) * 100_003 + si)
    const portals = src.english ? ENGLISH_PORTALS : PORTALS
    const editors = src.english ? ENGLISH_EDITORS : EDITORS
    const made: Made[] = []
    for (let k = 0; k < perSource; k++) {
      // The last variant of each source copies an earlier copy (portals copy each other).
      const relayOf = k === perSource - 1 && made.length ? pick(r, made) : null
      const doc: Doc = relayOf
        ? { title: relayOf.doc.title, paras: [...relayOf.doc.paras] }
        : { title: src.doc.title, paras: [...src.doc.paras] }
      const kinds = new Set<EditKind>(
        relayOf ? [...relayOf.kinds.filter((x) => x !== 'frame'), 'relay'] : []
      )
      let script: Portal['script'] = relayOf?.script ?? 'simplified'
      const wanted = 1 + Math.floor(r() * 4)
      let applied = 0
      const editor = pick(r, editors)
      for (const kind of shuffled(r, CONTENT_EDITS)) {
        if (applied >= wanted) break
        if (kinds.has(kind)) continue
        let ok = false
        switch (kind) {
          case 'lead-trim':
            ok = leadTrim(doc)
            break
          case 'para-drop':
            ok = paraDrop(r, doc)
            break
          case 'para-add':
            ok = paraAdd(r, doc, pool, src.feed, src.english)
            break
          case 'title':
            doc.title = pick(r, src.english ? ENGLISH_TITLE_REWRITES : TITLE_REWRITES)(doc.title)
            ok = true
            break
          case 'punct-width':
            ok = punctWidth(r, doc, src.english)
            break
          case 'traditional':
          case 'traditional-phrases':
            if (script === 'traditional') break
            ok = convertScript(doc, kind === 'traditional' ? toTw : toTwPhrases)
            if (ok) script = 'traditional'
            break
          case 'excerpt':
            ok = excerpt(doc, src.english)
            break
          case 'editor-line': {
            const line = fill(pick(r, src.english ? ENGLISH_EDITOR_LINES : EDITOR_LINES), {
              origin: '',
              editor,
              title: ''
            })
            if (r() < 0.5) doc.paras.push(line)
            else doc.paras.unshift(line)
            ok = true
            break
          }
        }
        if (ok) {
          kinds.add(kind)
          applied++
        }
      }
      made.push({ doc: { title: doc.title, paras: [...doc.paras] }, kinds: [...kinds], script })
      const candidates = portals.filter((p) => p.script === script)
      const portal = pick(r, candidates.length ? candidates : portals)
      const framed = r() < 0.85
      if (framed) kinds.add('frame')
      const outlet = portal.script === 'traditional' ? toTw(src.outlet) : src.outlet
      const v = { origin: outlet, editor, title: src.doc.title }
      const lines = framed
        ? [
            ...portal.head.map((l) => fill(l, v)),
            ...doc.paras,
            ...portal.tail.map((l) => fill(l, v))
          ]
        : doc.paras
      const date = new Date(src.publishedAt + (k + 1) * (1 + Math.floor(r() * 12)) * 3_600_000)
      const folder = join(outDir, portal.name)
      mkdirSync(folder, { recursive: true })
      const path = join(folder, `${String(si).padStart(3, '0')}-v${k}.md`)
      writeFileSync(
        path,
        hexoFile({
          title: doc.title,
          category: portal.category,
          author: portal.category[1] ?? portal.name,
          date,
          lines,
          english: src.english
        })
      )
      files.push({
        path,
        label: src.label,
        role: 'variant',
        kinds: [...kinds].sort(),
        feed: portal.name
      })
    }
    const anew = toldAnew(r, src, pool)
    if (anew) {
      const portal = pick(
        r,
        portals.filter((p) => p.script === 'simplified')
      )
      const folder = join(outDir, portal.name)
      mkdirSync(folder, { recursive: true })
      const path = join(folder, `${String(si).padStart(3, '0')}-anew.md`)
      const date = new Date(src.publishedAt + (1 + Math.floor(r() * 3)) * 86_400_000)
      writeFileSync(
        path,
        hexoFile({
          title: anew.title,
          category: portal.category,
          author: portal.name,
          date,
          lines: anew.paras,
          english: src.english
        })
      )
      files.push({
        path,
        label: `anew:${si}`,
        role: 'anew',
        kinds: [],
        feed: portal.name,
        retells: src.label
      })
    }
  })
  return { files, sources: sources.length, shortOriginals: articles.length - sources.length }
}
