// Keywords and named entities read from real articles of the corpus (seed and RSSHub posts,
// parsed by the importer's own parser): what a reader sees named in them is found, jieba's
// tagging noise is not, Traditional text reads as its Simplified form, and the limits hold.
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as OpenCC from 'opencc-js'
import { idf as idfBytes } from '@node-rs/jieba/dict.js'
import {
  MAX_ENTITIES,
  MAX_KEYWORDS,
  MAX_TEXT_CHARS,
  TITLE_WEIGHT,
  termsOf,
  type ArticleTermsDraft
} from '../../src/core/analysis/terms'
import { termLists } from '../../src/core/analysis/term-lists'
import { tokensOf, wordsOf } from '../../src/core/analysis/words'
import { parseArticleFile } from '../../src/core/ingest/parse'
import type { EntityKind } from '../../src/shared/story-types'
import { CORPUS, RSSHUB, SEED_FILE, filesUnder } from '../helpers/corpus'

interface Article {
  title: string
  text: string
}

function article(path: string): Article {
  const parsed = parseArticleFile(readFileSync(path), path)
  if (!parsed.ok) throw new Error(`${path}: ${parsed.reason}`)
  const a = parsed.articles[0]!
  return { title: a.title, text: a.cleanText }
}

const NEWS = join(RSSHUB, '新媒体', 'Aljazeera 半岛网', '新闻')
const SEED = article(SEED_FILE)
const CUBA = article(join(NEWS, '_只是开始_：美国对古巴实施新制裁.md'))
const INDIA = article(join(NEWS, '_单方面改变现状是不可接受的_.md'))
const APPLE = article(
  join(
    RSSHUB,
    '新媒体',
    '9To5',
    '9To5 分站',
    'AAPL hits $3 trillion market cap, Apple now first company to reach milestone valuation.md'
  )
)
const DEEPMIND = article(
  join(RSSHUB, '新媒体', 'DeepMind', 'Blog', 'An update on our racial justice efforts.md')
)

const entity = (t: ArticleTermsDraft, kind: EntityKind, term: string): number =>
  t.entities.find((e) => e.kind === kind && e.term === term)?.count ?? 0
const named = (t: ArticleTermsDraft): string[] => t.entities.map((e) => e.term)
const keywordTerms = (t: ArticleTermsDraft): string[] => t.keywords.map((k) => k.term)

/** The prior idf of a word as jieba's shipped idf.txt lists it. */
function shippedIdf(word: string): number {
  const line = new TextDecoder()
    .decode(idfBytes)
    .split('\n')
    .find((l) => l.startsWith(`${word} `))
  if (!line) throw new Error(`${word} is not in idf.txt`)
  return Number(line.split(' ')[1])
}

describe('keywords', () => {
  const seed = termsOf(SEED.title, SEED.text)

  it('ranks what the seed article is about first, by tf × prior idf', () => {
    // 进博会 is one word only because the shipped news dictionary is in the segmenter.
    expect(wordsOf('第四届进博会开幕')).toContain('进博会')
    expect(seed.keywords[0]!.term).toBe('进博会')
    expect(keywordTerms(seed).slice(0, 5)).toContain('软实力')
    const scores = seed.keywords.map((k) => k.tf * k.idf)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    // The idf is jieba's shipped prior (float precision), the median for a word it lacks.
    const shanghai = seed.keywords.find((k) => k.term === '上海')!
    expect(shanghai.idf).toBeCloseTo(shippedIdf('上海'), 3)
  })

  it('counts title words TITLE_WEIGHT times', () => {
    const inText = wordsOf(SEED.text).filter((w) => w === '进博会').length
    const inTitle = wordsOf(SEED.title).filter((w) => w === '进博会').length
    expect(inTitle).toBe(2)
    expect(seed.keywords[0]!.tf).toBe(inText + TITLE_WEIGHT * inTitle)
    const untitled = termsOf('', SEED.text).keywords.find((k) => k.term === '进博会')!
    expect(untitled.tf).toBe(inText)
  })

  it('leaves out stop words, function words, numbers and one-character Chinese words', () => {
    const { stopWords } = termLists().zh
    for (const a of [SEED, CUBA, INDIA, APPLE, DEEPMIND]) {
      const terms = keywordTerms(termsOf(a.title, a.text))
      expect(terms.length).toBeGreaterThan(10)
      for (const term of terms) {
        expect(stopWords.has(term), term).toBe(false)
        expect(term, term).not.toMatch(/^[\p{N}.,%]+$/u)
        if (/\p{Script=Han}/u.test(term)) expect(Array.from(term).length).toBeGreaterThanOrEqual(2)
        expect(term).toBe(term.toLowerCase())
      }
    }
    // Words the seed article is full of that say nothing of its topic.
    for (const noise of ['的', '在', '进一步', '方面', '全力以赴', '第四届', '100'])
      expect(keywordTerms(seed)).not.toContain(noise)
  })

  it('reads English keywords in lower case', () => {
    const terms = keywordTerms(termsOf(APPLE.title, APPLE.text))
    expect(terms.slice(0, 5)).toContain('apple')
    expect(terms).toContain('valuation')
    for (const noise of ['the', 'and', 'of', 'now', 'first']) expect(terms).not.toContain(noise)
  })
})

describe('Chinese entities', () => {
  it('finds the people, organisations and places of the seed article, not jieba’s noise', () => {
    const t = termsOf(SEED.title, SEED.text)
    // 顾洪辉 is a name jieba does not know: found beside its title (办公室主任).
    expect(entity(t, 'person', '顾洪辉')).toBe(1)
    expect(entity(t, 'org', '国务院')).toBe(1)
    expect(entity(t, 'org', '上海市政府')).toBe(1)
    expect(entity(t, 'org', '党中央')).toBe(1)
    expect(entity(t, 'place', '国家会展中心')).toBe(1)
    // 上海市 is counted as 上海.
    expect(entity(t, 'place', '上海')).toBe((SEED.text.match(/上海(?!市政府|海关)/gu) ?? []).length)
    // jieba tags these as names (nr) or places (ns); 进博会 is an event, a keyword.
    for (const noise of [
      '城市',
      '安保',
      '嘉宾',
      '智能化',
      '智慧',
      '高水平',
      '文明',
      '叶子',
      '弘扬',
      '进博会'
    ])
      expect(named(t), noise).not.toContain(noise)
  })

  it('finds the people, organisations and places of a foreign-news post', () => {
    const t = termsOf(CUBA.title, CUBA.text)
    expect(entity(t, 'place', '古巴')).toBeGreaterThan(10)
    expect(entity(t, 'place', '美国')).toBeGreaterThan(5)
    expect(entity(t, 'person', '拜登')).toBeGreaterThanOrEqual(5)
    // 唐纳德·特朗普 is the 特朗普 mentioned elsewhere, not a second person 唐纳德.
    expect(entity(t, 'person', '特朗普')).toBe((CUBA.text.match(/特朗普/gu) ?? []).length)
    expect(named(t)).not.toContain('唐纳德')
    expect(entity(t, 'org', '白宫')).toBeGreaterThan(0)
    expect(entity(t, 'org', '美联社')).toBeGreaterThan(0)
    expect(entity(t, 'org', '路透社')).toBeGreaterThan(0)
    expect(entity(t, 'place', '哈瓦那')).toBeGreaterThan(0)
    // Latin names in Chinese text are read too.
    expect(entity(t, 'org', 'Facebook')).toBeGreaterThan(0)

    const india = termsOf(INDIA.title, INDIA.text)
    expect(entity(india, 'person', '王毅')).toBe(2)
    expect(entity(india, 'person', '苏杰生')).toBeGreaterThan(0)
    expect(entity(india, 'org', '外交部')).toBeGreaterThan(0)
    expect(entity(india, 'org', '上合组织')).toBeGreaterThan(0)
    expect(entity(india, 'place', '班公湖')).toBeGreaterThan(0)
    expect(entity(india, 'place', '印度')).toBeGreaterThan(5)
    // 中印 and 两国 are tagged as organisation and place by jieba; they are neither.
    for (const noise of ['中印', '两国', '双方']) expect(named(india)).not.toContain(noise)
  })

  it('merges an entity’s other names into one', () => {
    const t = termsOf(
      '国家发改委与人民银行',
      '发改委、国家发展和改革委员会和中国人民银行今天在北京市发布通知。'
    )
    expect(entity(t, 'org', '国家发改委')).toBe(3)
    expect(entity(t, 'org', '中国人民银行')).toBe(2)
    expect(entity(t, 'place', '北京')).toBe(1)
    expect(named(t)).not.toContain('发改委')
    expect(named(t)).not.toContain('北京市')
  })

  it('reads Traditional text as its Simplified form', () => {
    const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' })
    for (const a of [SEED, CUBA, INDIA]) {
      const title = toTraditional(a.title)
      const text = toTraditional(a.text)
      // The conversion really changed the text, so this compares two scripts.
      expect(text).not.toBe(a.text)
      const traditional = termsOf(title, text)
      const simplified = termsOf(a.title, a.text)
      expect(traditional).toEqual(simplified)
    }
    const t = termsOf(toTraditional(SEED.title), toTraditional(SEED.text))
    expect(keywordTerms(t)[0]).toBe('进博会')
    expect(entity(t, 'org', '国务院')).toBe(1)
  })
})

describe('English entities', () => {
  it('finds the capitalised names of an English post and skips sentence-initial words', () => {
    const t = termsOf(APPLE.title, APPLE.text)
    expect(entity(t, 'org', 'Apple')).toBeGreaterThan(5)
    expect(entity(t, 'person', 'Tim Cook')).toBe(1)
    expect(entity(t, 'person', 'Steve Jobs')).toBe(1)
    for (const org of ['Microsoft', 'Alphabet', 'Google', 'Amazon', 'Tesla'])
      expect(entity(t, 'org', org), org).toBe(1)
    // Capitalised because they start a sentence or a headline, or a product name.
    for (const noise of ['The', 'Apple Car', 'AAPL', 'Happy Hour Podcast', 'Happy Hour'])
      expect(named(t), noise).not.toContain(noise)

    const d = termsOf(DEEPMIND.title, DEEPMIND.text)
    expect(entity(d, 'person', 'George Floyd')).toBe(1)
    expect(entity(d, 'org', 'DeepMind')).toBeGreaterThan(1)
    expect(entity(d, 'place', 'UK')).toBe(1)
    expect(named(d)).not.toContain('Black Lives Matter')
  })

  it('strips a title from a name, counts a surname alone as the same person, knows org words', () => {
    const t = termsOf(
      'Talks in Geneva',
      'President Joe Biden met Xinhua reporters. Later, Biden said the Ministry of Foreign Affairs ' +
        'and Goldman Sachs would meet in New York. The talks ended. After Tim Cook spoke, they left.'
    )
    expect(entity(t, 'person', 'Joe Biden')).toBe(2)
    expect(entity(t, 'org', 'Xinhua')).toBe(1)
    expect(entity(t, 'org', 'Ministry of Foreign Affairs')).toBe(1)
    expect(entity(t, 'org', 'Goldman Sachs')).toBe(1)
    expect(entity(t, 'place', 'New York')).toBe(1)
    expect(entity(t, 'place', 'Geneva')).toBe(1)
    // "After" is capitalised only because a sentence starts there.
    expect(entity(t, 'person', 'Tim Cook')).toBe(1)
    for (const noise of ['President Joe Biden', 'Later', 'The', 'Talks', 'After Tim Cook'])
      expect(named(t)).not.toContain(noise)
  })
})

describe('limits', () => {
  // Every article of the corpus, end to end: far more words and names than an article may keep.
  const all: Article[] = filesUnder(CORPUS)
    .filter((p) => /\.(?:md|txt)$/u.test(p) && !p.endsWith('README.md'))
    .flatMap((p) => {
      const parsed = parseArticleFile(readFileSync(p), p)
      return parsed.ok ? parsed.articles.map((a) => ({ title: a.title, text: a.cleanText })) : []
    })
  const corpusText = all.map((a) => `${a.title}\n${a.text}`).join('\n')

  it('keeps at most MAX_KEYWORDS keywords and MAX_ENTITIES entities', () => {
    expect(corpusText.length).toBeGreaterThan(MAX_TEXT_CHARS / 2)
    const t = termsOf('', corpusText.slice(0, MAX_TEXT_CHARS))
    expect(t.keywords).toHaveLength(MAX_KEYWORDS)
    expect(t.entities).toHaveLength(MAX_ENTITIES)
    const counts = t.entities.map((e) => e.count)
    expect(counts).toEqual([...counts].sort((a, b) => b - a))
  })

  it('reads a huge text only to MAX_TEXT_CHARS', () => {
    // Said often enough to be among the names an article keeps, were it read.
    const marker = '外交部发言人赵立坚表示，欧洲央行不会降息。'.repeat(50)
    let huge = ''
    while (huge.length < MAX_TEXT_CHARS) huge += `${corpusText}\n`
    huge = huge.slice(0, MAX_TEXT_CHARS - marker.length - 1)
    const inside = termsOf('', `${huge}\n${marker}`)
    expect(entity(inside, 'person', '赵立坚')).toBe(50)
    expect(entity(inside, 'org', '欧洲央行')).toBeGreaterThanOrEqual(50)
    // The same sentences from the limit on are not read, however long the text goes on.
    const past = `${huge}${'。'.repeat(MAX_TEXT_CHARS - huge.length)}${marker}${huge.repeat(20)}`
    expect(past.length).toBeGreaterThan(20 * MAX_TEXT_CHARS)
    const outside = termsOf('', past)
    expect(entity(outside, 'person', '赵立坚')).toBe(0)
    expect(outside.keywords).toHaveLength(MAX_KEYWORDS)
    expect(outside.entities).toHaveLength(MAX_ENTITIES)
  })

  it('reads the same terms whether or not the fingerprint segmented the text just before', () => {
    tokensOf('')
    const fresh = termsOf(CUBA.title, CUBA.text)
    expect(wordsOf(CUBA.text).length).toBeGreaterThan(500)
    expect(termsOf(CUBA.title, CUBA.text)).toEqual(fresh)
    // Another text's kept tokens are not this one's.
    wordsOf(INDIA.text)
    expect(termsOf(CUBA.title, CUBA.text)).toEqual(fresh)
  })

  it('reads empty and punctuation-only input as no terms', () => {
    expect(termsOf('', '')).toEqual({ keywords: [], entities: [] })
    expect(termsOf('。。。', '，，！？ ... 123 456')).toEqual({ keywords: [], entities: [] })
  })
})
