// The word lists keywords and entities are read with: data shipped in resources/analysis/ (its
// README says where each list comes from), read once per thread. The news dictionary also
// goes into the segmenter (words.ts), so that 进博会 or 国家发改委 is one word everywhere.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { findResourceDir } from '../resources'
import { foldScriptAndWidth } from '../search/fold'

/** A news-dictionary kind: jieba's tags for organisation, place, person, other compound. */
export type NewsTag = 'nt' | 'ns' | 'nr' | 'nz'

export interface ChineseLists {
  /** Words that are never keywords (folded: Simplified, lower case). */
  stopWords: Set<string>
  /** The news dictionary's words and their kinds (these override jieba's own tags). */
  newsTags: Map<string, NewsTag>
  /** Another name of an entity → the name it is counted under. */
  aliases: Map<string, string>
  /** Words jieba tags as names that are ordinary words in news. */
  notEntities: Set<string>
  surnames: Set<string>
  compoundSurnames: Set<string>
  /** A title or role just before a name; a verb of saying or meeting just after one. */
  cuesBefore: Set<string>
  cuesAfter: Set<string>
}

export interface LatinLists {
  /** All lower case. */
  places: Set<string>
  orgWords: Set<string>
  orgNames: Set<string>
  titles: Set<string>
  notNames: Set<string>
  /** Common English given names: the first word of a person's name the text gives no title. */
  givenNames: Set<string>
}

export interface TermLists {
  zh: ChineseLists
  en: LatinLists
  /** The news dictionary's lines for the segmenter: only the words jieba would split. */
  segmenterDict: Uint8Array
}

const MARKER = 'news-dict.txt'

function analysisDir(): string {
  const dir = findResourceDir('analysis', MARKER)
  if (dir) return dir
  throw new Error(
    'Gleaner cannot find its word lists for keywords and entities (resources/analysis).'
  )
}

/** A list file's lines without comments and blank lines. */
function linesOf(dir: string, file: string): string[] {
  return readFileSync(join(dir, file), 'utf8')
    .split(/\r?\n/u)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
}

function wordsOf(lines: string[]): string[] {
  return lines.flatMap((l) => l.split(/\s+/u)).filter((w) => w !== '')
}

/** A file of `[section]` headers, each followed by entries split by `sep`. */
function sectionsOf(lines: string[], sep: RegExp): Map<string, string[]> {
  const out = new Map<string, string[]>()
  let current: string[] | null = null
  for (const line of lines) {
    const head = /^\[([\w-]+)\]$/u.exec(line)
    if (head) out.set(head[1]!, (current = []))
    else if (current)
      current.push(
        ...line
          .split(sep)
          .map((s) => s.trim())
          .filter((s) => s !== '')
      )
  }
  return out
}

const fold = (w: string): string => foldScriptAndWidth(w).toLowerCase()
const TAGS = new Set<string>(['nt', 'ns', 'nr', 'nz'])

function load(): TermLists {
  const dir = analysisDir()
  const stopWords = new Set(
    ['stopwords-zh.txt', 'stopwords-en.txt', 'stopwords-news.txt'].flatMap((f) =>
      wordsOf(linesOf(dir, f)).map(fold)
    )
  )
  const newsTags = new Map<string, NewsTag>()
  const forSegmenter: string[] = []
  for (const line of linesOf(dir, MARKER)) {
    const parts = line.split(/\s+/u)
    const word = parts[0]!
    const tag = parts[parts.length - 1]!
    if (parts.length < 2 || parts.length > 3 || !TAGS.has(tag))
      throw new Error(`resources/analysis/${MARKER}: cannot read the line "${line}"`)
    newsTags.set(fold(word), tag as NewsTag)
    if (parts.length === 3) forSegmenter.push(line)
  }
  const aliases = new Map<string, string>()
  for (const line of linesOf(dir, 'aliases.txt')) {
    const [from, to] = line.split(/\s+/u)
    if (from && to) aliases.set(fold(from), fold(to))
  }
  const surnames = wordsOf(linesOf(dir, 'surnames-zh.txt'))
  const cues = sectionsOf(linesOf(dir, 'person-cues-zh.txt'), /\s+/u)
  const en = sectionsOf(linesOf(dir, 'gazetteer-en.txt'), /;/u)
  const lower = (section: string): Set<string> =>
    new Set((en.get(section) ?? []).map((s) => s.toLowerCase()))
  return {
    zh: {
      stopWords,
      newsTags,
      aliases,
      notEntities: new Set(wordsOf(linesOf(dir, 'not-entities.txt')).map(fold)),
      surnames: new Set(surnames.filter((s) => s.length === 1)),
      compoundSurnames: new Set(surnames.filter((s) => s.length === 2)),
      cuesBefore: new Set(cues.get('before') ?? []),
      cuesAfter: new Set(cues.get('after') ?? [])
    },
    en: {
      places: lower('places'),
      orgWords: lower('org-words'),
      orgNames: lower('org-names'),
      titles: lower('titles'),
      notNames: lower('not-names'),
      givenNames: new Set(linesOf(dir, 'given-names-en.txt').map((n) => n.toLowerCase()))
    },
    segmenterDict: new TextEncoder().encode(forSegmenter.join('\n') + '\n')
  }
}

let lists: TermLists | null = null

/** The shipped word lists, read on first use. */
export function termLists(): TermLists {
  return (lists ??= load())
}
