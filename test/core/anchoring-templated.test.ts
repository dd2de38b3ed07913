import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import {
  anchorSelectors,
  describeRange,
  introducesDigits
} from '../../src/core/annotations/anchoring'
import { parseArticleFile } from '../../src/core/ingest/parse'
import { RSSHUB, filesUnder } from '../helpers/corpus'

// Templated near-duplicate paragraphs, from a real article: a health bulletin listing cases as
// "确诊病例1：中国籍，7月8日从…", "确诊病例2：…", "确诊病例3：…". The items share their wording
// and, around any phrase in the middle, 32 characters of context on both sides. When the
// highlighted item goes, a look-alike must be flagged, never taken in its place.

const ITEM = /^确诊病例\d+：/u

function templatedArticle(): { text: string; items: string[] } {
  for (const path of filesUnder(RSSHUB)) {
    if (!readFileSync(path, 'utf8').includes('确诊病例2：')) continue
    const parsed = parseArticleFile(readFileSync(path), path)
    if (!parsed.ok) continue
    for (const a of parsed.articles) {
      const items = a.cleanText.split(/\n{2,}/u).filter((p) => ITEM.test(p))
      if (items.length >= 3) return { text: a.cleanText, items }
    }
  }
  throw new Error('no article with three templated case paragraphs in the corpus')
}

const { text: TEXT, items: ITEMS } = templatedArticle()
const [FIRST, TARGET] = ITEMS as [string, string, ...string[]]

/** The longest run of characters that every item shares, minus its first and last: a phrase in the middle. */
function sharedPhrase(): string {
  let best = ''
  for (let i = 0; i < TARGET.length; i++) {
    for (let j = i + best.length + 1; j <= TARGET.length; j++) {
      const s = TARGET.slice(i, j)
      if (!ITEMS.every((p) => p.includes(s))) break
      best = s
    }
  }
  return best.slice(1, -1)
}

/** [start, end) of `phrase` inside the second item, in the article's text. */
function inTarget(text: string, phrase: string): [number, number] {
  const p = text.indexOf(TARGET)
  const at = TARGET.indexOf(phrase)
  expect(p).toBeGreaterThanOrEqual(0)
  expect(at).toBeGreaterThanOrEqual(0)
  return [p + at, p + at + phrase.length]
}

function without(text: string, paragraph: string): string {
  const at = text.indexOf(paragraph)
  return text.slice(0, at) + text.slice(at + paragraph.length).replace(/^\n+/u, '')
}

describe('templated near-duplicate paragraphs', () => {
  const phrase = sharedPhrase()

  it('the case: items share a long phrase with identical 32-character context', () => {
    expect(phrase.length).toBeGreaterThanOrEqual(20)
    const [s, e] = inTarget(TEXT, phrase)
    const sel = describeRange(TEXT, s, e)
    // Another item has the same quote with the same W3C context: only the extended context
    // (which reaches into the items' differing openings) tells them apart.
    const twin = TEXT.indexOf(phrase) === s ? TEXT.indexOf(phrase, e) : TEXT.indexOf(phrase)
    expect(twin).not.toBe(s)
    const other = describeRange(TEXT, twin, twin + phrase.length)
    expect(other.quote.exact).toBe(sel.quote.exact)
    expect(other.context).not.toEqual(sel.context)
  })

  it('flags a highlight whose item was deleted instead of moving it to a look-alike item', () => {
    const [s, e] = inTarget(TEXT, phrase)
    const sel = describeRange(TEXT, s, e)
    const after = without(TEXT, TARGET)
    expect(after.includes(phrase)).toBe(true)
    expect(anchorSelectors(after, sel)).toMatchObject({ method: 'failed' })
    // The same for a short piece of it and for one that ends the item.
    for (const len of [2, 6]) {
      const short = describeRange(TEXT, s + 3, s + 3 + len)
      expect(anchorSelectors(after, short)).toMatchObject({ method: 'failed' })
    }
    const tail = TARGET.slice(-8)
    const [ts, te] = inTarget(TEXT, tail)
    expect(anchorSelectors(after, describeRange(TEXT, ts, te))).toMatchObject({ method: 'failed' })
  })

  it('flags a highlight that named the deleted item (its number and details) rather than another item', () => {
    const head = TARGET.slice(0, TARGET.indexOf('，', 8) + 1)
    expect(head).toMatch(ITEM)
    const [s, e] = inTarget(TEXT, head)
    const r = anchorSelectors(without(TEXT, TARGET), describeRange(TEXT, s, e))
    expect(r).toMatchObject({ method: 'failed' })
  })

  it('swapped items: the highlight follows its item or is flagged, never lands on the other', () => {
    const [s, e] = inTarget(TEXT, phrase)
    const sel = describeRange(TEXT, s, e)
    const a = TEXT.indexOf(FIRST)
    const b = TEXT.indexOf(TARGET)
    const swapped =
      TEXT.slice(0, a) +
      TARGET +
      TEXT.slice(a + FIRST.length, b) +
      FIRST +
      TEXT.slice(b + TARGET.length)
    const r = anchorSelectors(swapped, sel)
    if (r.method !== 'failed') {
      const targetAt = swapped.indexOf(TARGET)
      expect(r.start).toBe(targetAt + TARGET.indexOf(phrase))
      expect(r.end).toBe(r.start + phrase.length)
    }
  })

  it('still anchors the item when something else changed (a paragraph elsewhere dropped)', () => {
    const [s, e] = inTarget(TEXT, phrase)
    const sel = describeRange(TEXT, s, e)
    const firstParagraph = TEXT.split(/\n{2,}/u).find((p) => !ITEM.test(p) && p.trim().length > 0)
    expect(firstParagraph).toBeDefined()
    const after = without(TEXT, firstParagraph as string)
    const r = anchorSelectors(after, sel)
    expect(r.method).not.toBe('failed')
    if (r.method === 'failed') return
    expect(r.start).toBe(after.indexOf(TARGET) + TARGET.indexOf(phrase))
    expect(after.slice(r.start, r.end)).toBe(phrase)
  })
})

describe('introducesDigits', () => {
  it('tells a different number from an edit', () => {
    expect(introducesDigits('确诊病例2：中国籍', '确诊病例3：中国籍')).toBe(true)
    expect(introducesDigits('7月8日从', '7月9日从')).toBe(true)
    expect(introducesDigits('2021年10月', '2021年1月')).toBe(false)
    expect(introducesDigits('2021年10月', '2021年x0月')).toBe(false)
    expect(introducesDigits('增长12%', '增长 12 %')).toBe(false)
  })
})
