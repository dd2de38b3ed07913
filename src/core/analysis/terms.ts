// An article's keyword candidates and named entities (people, organisations, places), read
// from its title and clean text alone: pure, so the importer's parse workers can run it.
//
// Chinese goes through the shared segmenter (words.ts: the text once, for its fingerprint and
// its terms), each word tagged as jieba's dictionary tags it (lexicon.ts). jieba's tags are a
// start, not an answer: its dictionary calls 城市 a place and 拉开帷幕 a person, and
// names it does not know come out untagged. So a place needs the shipped gazetteer or a place
// suffix (…省, …市), an organisation the news dictionary or three characters, and a person a
// surname and a name's length, or a title or verb of saying beside it (外交部发言人赵立坚表示);
// the shipped lists (term-lists.ts) say which words are never entities. Latin text is read
// from capitalised word sequences with small gazetteers.
import type { EntityKind } from '../../shared/story-types'
import { foldScriptAndWidth } from '../search/fold'
import { defaultIdf, wordFacts } from './lexicon'
import { termLists, type ChineseLists, type LatinLists } from './term-lists'
import { MAX_ANALYSED_CHARS, foldForWords, segmenter, tokensOf } from './words'

export interface KeywordCandidate {
  /** Folded: Simplified, half-width, lower case. */
  term: string
  /** Occurrences in the text, each in the title counting TITLE_WEIGHT times. */
  tf: number
  /** The prior from jieba's idf list (its median for a word the list lacks). */
  idf: number
}

export interface EntityMention {
  kind: EntityKind
  /** As shown: Chinese folded to Simplified; Latin names as written (script and width folded). */
  term: string
  /** Mentions in the title and text. */
  count: number
}

export interface ArticleTermsDraft {
  /** Best first (tf × idf). */
  keywords: KeywordCandidate[]
  /** Most mentioned first. */
  entities: EntityMention[]
}

/** Bump when the same text would give other terms (stored terms are then recomputed). */
export const TERMS_VERSION = 1

export const MAX_KEYWORDS = 30
export const MAX_ENTITIES = 40
/** Only this much of an article's text is read (a book-length text is judged on its start). */
export const MAX_TEXT_CHARS = MAX_ANALYSED_CHARS
const MAX_TITLE_CHARS = 1_000
/** A title word weighs as much as this many in the text: titles say what an article is about. */
export const TITLE_WEIGHT = 3

/** The first `max` UTF-16 units, not ending in half a surrogate pair. */
function clip(s: string, max: number): string {
  if (s.length <= max) return s
  const code = s.charCodeAt(max - 1)
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max)
}

const HAN = /\p{Script=Han}/u
const ALL_HAN = /^\p{Script=Han}+$/u
const WORDLIKE = /[\p{L}\p{N}]/u
const NUMBERLIKE = /^[\p{N}.,:%+\-/]+$/u
// Tags of words that say nothing of a topic: conjunctions, prepositions, particles, adverbs,
// pronouns, numerals, measure words, interjections, onomatopoeia, directions, time words,
// status words, affixes, and idioms (全力以赴, 相得益彰: news prose, not news topics).
const KEYWORDLESS_TAG = /^(?:c|p|u[a-z]*|d|r[a-z]*|m[a-z]*|q|e|y|o|f|t[a-z]*|w|z[a-z]*|k|h|i)$/u
// A name jieba did not know (tag x) does not end in one of these: 徐坤会, 徐坤出 are a name
// and the next word run together.
const NOT_NAME_END = new Set(
  Array.from('的了是在和与及等也都就又还被把将对给让向从到中上下里们着过会出说为有之')
)
const PERSON_TAG = new Set(['nr', 'nrfg', 'nrt', 'x'])
const PLACE_SUFFIX = new Set(Array.from('省市县区镇乡村州岛湖山河江港湾峡国'))
const PLACE_TRIM = /^(.{2,})[省市]$/u

interface Tally {
  kind: EntityKind
  term: string
  count: number
  /** Some mention of it was good enough to call it an entity. */
  sure: boolean
  first: number
}

class EntityTally {
  readonly byKey = new Map<string, Tally>()
  add(kind: EntityKind, term: string, sure: boolean, at: number): void {
    const key = `${kind}\u0000${term}`
    const t = this.byKey.get(key)
    if (t) {
      t.count++
      t.sure ||= sure
    } else this.byKey.set(key, { kind, term, count: 1, sure, first: at })
  }
}

function hasSurname(word: string, zh: ChineseLists): boolean {
  return (
    zh.surnames.has(word[0]!) || (word.length >= 3 && zh.compoundSurnames.has(word.slice(0, 2)))
  )
}

/** Whether a word's mention settles that it is an entity: always, or only beside a cue. */
type Settles = true | 'beside-cue'

/** What kind of entity a Chinese word is, if any, and what settles it. */
function chineseEntity(
  word: string,
  tag: string,
  zh: ChineseLists
): { kind: EntityKind; settles: Settles } | null {
  if (zh.notEntities.has(word)) return null
  const news = zh.newsTags.get(word)
  if (news === 'nz') return null
  if (news === 'nt') return { kind: 'org', settles: true }
  if (news === 'ns') return { kind: 'place', settles: true }
  if (news === 'nr') return { kind: 'person', settles: true }
  const n = word.length
  if (tag === 'ns') {
    const last = word[n - 1]!
    return PLACE_SUFFIX.has(last) && (n >= 3 || last === '州')
      ? { kind: 'place', settles: true }
      : null
  }
  if (tag === 'nt') return n >= 3 ? { kind: 'org', settles: true } : null
  if (n > 4 || !PERSON_TAG.has(tag)) return null
  const surname = hasSurname(word, zh)
  switch (tag) {
    case 'nrt':
      // Transliterations: 拜登 as often as 德尔塔 or 令人.
      return { kind: 'person', settles: 'beside-cue' }
    case 'x':
      // A name jieba does not know (its HMM also glues 简言之 or 颜悦色 together): a surname or
      // three characters, and a title or verb of saying beside it.
      if (NOT_NAME_END.has(word[n - 1]!) || (!surname && n < 3)) return null
      return { kind: 'person', settles: 'beside-cue' }
    default: {
      // jieba's dictionary calls hundreds of ordinary words names (文明, 智慧, 明显增强): a
      // two-character one, or four characters without a compound surname, needs a title or a
      // verb of saying beside it.
      const full = n === 3 ? surname : n === 4 && zh.compoundSurnames.has(word.slice(0, 2))
      return { kind: 'person', settles: full ? true : 'beside-cue' }
    }
  }
}

/** The name an entity is counted under: aliases, and 上海市 as 上海 when 上海 is a known place. */
function canonical(kind: EntityKind, word: string, zh: ChineseLists): string {
  const alias = zh.aliases.get(word)
  if (alias) return alias
  if (kind === 'place') {
    const stem = PLACE_TRIM.exec(word)?.[1]
    if (stem && zh.newsTags.get(stem) === 'ns') return zh.aliases.get(stem) ?? stem
  }
  return word
}

interface KeywordTally {
  tf: number
  /** Not Chinese, or in jieba's dictionaries (else its HMM made it up: a name, or an accident). */
  known: boolean
  idf: number
  first: number
}

/** What an article's word is, worked out at its first mention (most words recur). */
interface WordReading {
  keyword: KeywordTally | null
  entity: { kind: EntityKind; term: string; settles: Settles } | null
}

const NOTHING_TO_READ: WordReading = { keyword: null, entity: null }

function readWord(word: string, at: number, zh: ChineseLists): WordReading {
  if (!WORDLIKE.test(word) || NUMBERLIKE.test(word)) return NOTHING_TO_READ
  const han = HAN.test(word)
  const facts = wordFacts(word)
  // As Jieba.tag would say: the dictionary's tag, else x for Chinese it does not know.
  const tag = facts.tag ?? (han ? 'x' : 'eng')
  const e = han && ALL_HAN.test(word) ? chineseEntity(word, tag, zh) : null
  const keyword =
    KEYWORDLESS_TAG.test(tag) || zh.stopWords.has(word)
      ? null
      : {
          tf: 0,
          known: !han || facts.tag !== null || zh.newsTags.has(word),
          idf: facts.idf ?? defaultIdf(),
          first: at
        }
  return {
    keyword,
    entity: e && { kind: e.kind, term: canonical(e.kind, word, zh), settles: e.settles }
  }
}

const NAME_DOTS = new Set(['·', '・', '•', '‧', '∙'])
const isNameDot = (w: string | undefined): boolean => w !== undefined && NAME_DOTS.has(w)

/** A word that can be part of a foreign name written in full: a name or a word jieba lacks. */
function isNamePart(w: string | undefined, zh: ChineseLists): boolean {
  if (w === undefined || w.length < 2 || w.length > 5 || !ALL_HAN.test(w)) return false
  if (zh.notEntities.has(w)) return false
  const tag = zh.newsTags.get(w) ?? wordFacts(w).tag
  return tag === undefined || tag === null || tag === 'nr' || tag === 'nrt' || tag === 'nrfg'
}

function readChinese(
  title: string,
  text: string,
  keywords: Map<string, KeywordTally>,
  entities: EntityTally
): void {
  const { zh } = termLists()
  const titleWords = segmenter().cut(foldForWords(title), true)
  // The text's tokens are the ones its fingerprint was made from (words.ts keeps the last).
  const seen = new Map<string, WordReading>()
  readTokens(titleWords, 0, true, { zh, seen, keywords, entities })
  readTokens(tokensOf(text), title.length + 1, false, { zh, seen, keywords, entities })
}

interface Reader {
  zh: ChineseLists
  /** Each distinct word's reading, worked out once per article. */
  seen: Map<string, WordReading>
  keywords: Map<string, KeywordTally>
  entities: EntityTally
}

function readTokens(
  words: readonly string[],
  start: number,
  inTitle: boolean,
  { zh, seen, keywords, entities }: Reader
): void {
  let offset = start
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!
    const at = offset
    offset += word.length
    // One character (most tokens: 的, 在, punctuation) is neither a keyword nor a name.
    if (word.length < 2) continue
    let reading = seen.get(word)
    if (!reading) {
      reading = readWord(word, at, zh)
      seen.set(word, reading)
      if (reading.keyword) keywords.set(word, reading.keyword)
    }
    if (reading.keyword) reading.keyword.tf += inTitle ? TITLE_WEIGHT : 1
    // A foreign name in full (唐纳德·特朗普) is a mention of the person the press calls by the
    // last part (特朗普); the parts before it are no one on their own.
    if (isNameDot(words[i + 1]) && isNamePart(words[i + 2], zh)) continue
    if (isNameDot(words[i - 1]) && isNamePart(words[i - 2], zh) && isNamePart(word, zh)) {
      entities.add('person', canonical('person', word, zh), true, at)
      continue
    }
    const e = reading.entity
    if (e) {
      const sure =
        e.settles === true ||
        (e.settles === 'beside-cue' &&
          (zh.cuesBefore.has(words[i - 1] ?? '') || zh.cuesAfter.has(words[i + 1] ?? '')))
      entities.add(e.kind, e.term, sure, at)
    }
  }
}

// A Latin word as capitalised-name reading sees it: letters (with marks, apostrophes, inner
// dots and hyphens), so "Xi'an", "U.S." and "Jean-Luc" stay whole.
const LATIN_WORD = /[\p{Script=Latin}][\p{Script=Latin}\p{M}\p{N}'’.&-]*/gu
// Inside one name (Bank of China, Ministry of the Interior); "and" more often joins two names.
const CONNECTORS = new Set(['of', 'for', 'de', 'the', '&'])
const SENTENCE_START = /(?:^|[.!?。！？:;"“”‘’«»()（）【】\n]\s*)$/u
const TITLE_CASE = /^\p{Lu}[\p{Ll}\p{M}'’-]+$/u
const CAPITALISED = /^\p{Lu}/u
const MAX_NAME_WORDS = 6
const ACRONYM = /^(?:\p{Lu}\.){2,}$/u

interface LatinWord {
  word: string
  at: number
  /** Only spaces (no line break, no punctuation) between it and the word before. */
  joined: boolean
  sentenceStart: boolean
}

function latinWords(text: string): LatinWord[] {
  const out: LatinWord[] = []
  let prevEnd = 0
  for (const m of text.matchAll(LATIN_WORD)) {
    // "Reuters'", "China's", "Inc." end as names; "U.S." is one.
    const word = ACRONYM.test(m[0]) ? m[0] : m[0].replace(/(?:['’]s)?[.'’&-]*$/u, '')
    const at = m.index
    const gap = text.slice(prevEnd, at)
    out.push({
      word,
      at,
      joined: out.length > 0 && /^[ \t\u00a0]{1,2}$/u.test(gap),
      sentenceStart: SENTENCE_START.test(text.slice(Math.max(0, at - 3), at)) || at === 0
    })
    prevEnd = at + m[0].length
  }
  return out
}

/** Runs of capitalised words (connectors allowed inside), each a candidate name. */
function capitalisedRuns(words: LatinWord[], en: LatinLists, stop: Set<string>): LatinWord[][] {
  const runs: LatinWord[][] = []
  let run: LatinWord[] = []
  const close = (): void => {
    while (run.length > 0 && CONNECTORS.has(run[run.length - 1]!.word.toLowerCase())) run.pop()
    if (run.length > 0) runs.push(run)
    run = []
  }
  for (const w of words) {
    const lower = w.word.toLowerCase()
    const capital = CAPITALISED.test(w.word)
    const known = en.places.has(lower) || en.orgNames.has(lower) || en.orgWords.has(lower)
    // An all-capitals word is an acronym the gazetteers know (UN, NATO), else not a name.
    const nameLike =
      capital && (w.word !== w.word.toUpperCase() || known) && !en.notNames.has(lower)
    if (run.length > 0 && !w.joined) close()
    if (nameLike) {
      // A sentence's first word is capitalised anyway: "The", "After" start no name.
      if (run.length === 0 && w.sentenceStart && stop.has(lower) && !known) continue
      if (run.length >= MAX_NAME_WORDS) close()
      run.push(w)
    } else if (run.length > 0 && CONNECTORS.has(lower) && lower === w.word) run.push(w)
    else close()
  }
  close()
  return runs
}

function phrase(run: LatinWord[]): string {
  return run.map((w) => w.word).join(' ')
}

/** A gazetteer name as written here: a short one only in capitals (US, not "Us"; WHO, not "Who"). */
function gazetteerKey(name: string): string | null {
  return name.length <= 3 && name !== name.toUpperCase() ? null : name.toLowerCase()
}

function latinEntity(
  run: LatinWord[],
  en: LatinLists,
  stop: Set<string>,
  guessPeople: boolean
): { kind: EntityKind; term: string } | null {
  const name = phrase(run)
  const key = gazetteerKey(name)
  if (key !== null && en.orgNames.has(key)) return { kind: 'org', term: name }
  if (key !== null && en.places.has(key)) return { kind: 'place', term: name }
  if (run.length >= 2 && run.some((w) => en.orgWords.has(w.word.toLowerCase())))
    return { kind: 'org', term: name }
  if (!guessPeople || run.some((w) => CONNECTORS.has(w.word.toLowerCase()))) return null
  // "President Joe Biden": the title is not part of the name.
  let from = 0
  for (let i = 0; i < run.length; i++) if (en.titles.has(run[i]!.word.toLowerCase())) from = i + 1
  const person = run.slice(from)
  const lowers = person.map((w) => w.word.toLowerCase())
  // Headings and product names are capitalised too ("Relative Attention", "Apple Car"): a name
  // starts with a known given name, or follows a title.
  if (
    person.length >= 2 &&
    person.length <= 3 &&
    (from > 0 || en.givenNames.has(lowers[0]!)) &&
    person.every((w) => TITLE_CASE.test(w.word)) &&
    lowers.every((l) => !stop.has(l) && !en.orgNames.has(l) && !en.places.has(l))
  )
    return { kind: 'person', term: phrase(person) }
  return null
}

/** Every gazetteer name inside a run (up to three words), for runs that are not one name. */
function knownNamesIn(
  run: LatinWord[],
  en: LatinLists
): { kind: EntityKind; term: string; at: number }[] {
  const out: { kind: EntityKind; term: string; at: number }[] = []
  for (let i = 0; i < run.length;) {
    let step = 1
    for (let n = Math.min(3, run.length - i); n >= 1; n--) {
      const name = phrase(run.slice(i, i + n))
      const key = gazetteerKey(name)
      const kind: EntityKind | null =
        key === null ? null : en.orgNames.has(key) ? 'org' : en.places.has(key) ? 'place' : null
      if (kind) {
        out.push({ kind, term: name, at: run[i]!.at })
        step = n
        break
      }
    }
    i += step
  }
  return out
}

function readLatin(title: string, text: string, entities: EntityTally): void {
  const { en, zh } = termLists()
  const stop = zh.stopWords
  // Headlines are in title case ("Apple Now First Company To…"): only gazetteer names count there.
  const titleWords = latinWords(foldScriptAndWidth(title))
  for (const run of capitalisedRuns(titleWords, en, stop))
    for (const k of knownNamesIn(run, en)) entities.add(k.kind, k.term, true, -1)
  const people = new Map<string, string>()
  const singles: LatinWord[][] = []
  const offset = title.length + 1
  for (const run of capitalisedRuns(latinWords(foldScriptAndWidth(text)), en, stop)) {
    const e = latinEntity(run, en, stop, true)
    if (e) {
      entities.add(e.kind, e.term, true, offset + run[0]!.at)
      if (e.kind === 'person') people.set(e.term.split(' ').pop()!, e.term)
    } else if (run.length === 1) singles.push(run)
    else for (const k of knownNamesIn(run, en)) entities.add(k.kind, k.term, true, offset + k.at)
  }
  // "Biden" after "Joe Biden" is the same person.
  for (const run of singles) {
    const full = people.get(run[0]!.word)
    if (full) entities.add('person', full, true, offset + run[0]!.at)
  }
}

/** Keyword candidates and named entities of an article. */
export function termsOf(title: string, text: string): ArticleTermsDraft {
  const t = clip(title, MAX_TITLE_CHARS)
  const body = clip(text, MAX_TEXT_CHARS)
  const keywords = new Map<string, KeywordTally>()
  const entities = new EntityTally()
  readChinese(t, body, keywords, entities)
  if (/[A-Z\uff21-\uff3a]/u.test(t) || /[A-Z\uff21-\uff3a]/u.test(body))
    readLatin(t, body, entities)

  const ranked: (KeywordCandidate & { score: number; first: number })[] = []
  for (const [term, k] of keywords) {
    // A word jieba's HMM made up that occurs once is more often an accident of segmentation.
    if (!k.known && k.tf < 2) continue
    ranked.push({ term, tf: k.tf, idf: k.idf, score: k.tf * k.idf, first: k.first })
  }
  ranked.sort((a, b) => b.score - a.score || a.first - b.first)

  const sure = [...entities.byKey.values()].filter((e) => e.sure)
  sure.sort((a, b) => b.count - a.count || a.first - b.first)
  return {
    keywords: ranked.slice(0, MAX_KEYWORDS).map(({ term, tf, idf }) => ({ term, tf, idf })),
    entities: sure.slice(0, MAX_ENTITIES).map(({ kind, term, count }) => ({ kind, term, count }))
  }
}
