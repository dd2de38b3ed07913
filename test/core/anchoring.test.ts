import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { anchorSelectors, describeRange } from '../../src/core/annotations/anchoring'
import { parseArticleFile } from '../../src/core/ingest/parse'
import type { Selectors } from '../../src/shared/annotation-types'
import { SEED_FILE } from '../helpers/corpus'

function seedText(): string {
  const parsed = parseArticleFile(readFileSync(SEED_FILE), SEED_FILE)
  if (!parsed.ok) throw new Error(parsed.reason)
  const a = parsed.articles[0]
  if (!a) throw new Error('seed has no article')
  return a.cleanText
}

const SEED = seedText()

function rangeOf(text: string, quote: string, nth = 0): [number, number] {
  let at = -1
  for (let k = 0; k <= nth; k++) at = text.indexOf(quote, at + 1)
  if (at < 0) throw new Error(`quote not in text: ${quote}`)
  return [at, at + quote.length]
}

describe('describeRange', () => {
  it('records the exact CJK text, 32 characters of context and UTF-16 offsets', () => {
    const [s, e] = rangeOf(SEED, '软实力', 1)
    const sel = describeRange(SEED, s, e)
    expect(sel.quote.exact).toBe('软实力')
    expect(sel.quote.prefix).toBe(SEED.slice(s - 32, s))
    expect(sel.quote.suffix).toBe(SEED.slice(e, e + 32))
    expect(sel.position).toEqual({ type: 'TextPositionSelector', start: s, end: e })
  })

  it('rejects empty and out-of-range ranges', () => {
    expect(() => describeRange('abc', 1, 1)).toThrow(RangeError)
    expect(() => describeRange('abc', 2, 9)).toThrow(RangeError)
    expect(() => describeRange('abc', -1, 2)).toThrow(RangeError)
  })

  it('widens a boundary inside a surrogate pair to the whole character', () => {
    const text = 'a😀b'
    expect(describeRange(text, 2, 4).quote.exact).toBe('😀b')
  })
})

describe('anchorSelectors', () => {
  const sentence = '上海将充分发挥软实力的“加速器”作用'
  const [s, e] = rangeOf(SEED, sentence)
  const sel = describeRange(SEED, s, e)

  it('finds unchanged text by position', () => {
    expect(anchorSelectors(SEED, sel)).toMatchObject({
      start: s,
      end: e,
      method: 'position',
      confidence: 1
    })
  })

  it('follows the quote when a paragraph is inserted before it', () => {
    const changed = '新增的一段导语。\n\n' + SEED
    const r = anchorSelectors(changed, sel)
    expect(r).toMatchObject({ method: 'quote', start: s + 10, end: e + 10 })
  })

  it('re-anchors a two-character CJK highlight exactly when text before it moves', () => {
    const [ts, te] = rangeOf(SEED, '上海', 3)
    const two = describeRange(SEED, ts, te)
    const changed = SEED.slice(0, 10) + '（插入）' + SEED.slice(10)
    const r = anchorSelectors(changed, two)
    expect(r.method).toBe('quote')
    if (r.method !== 'failed') expect([r.start, r.end]).toEqual([ts + 4, te + 4])
  })

  it('matches through a small edit inside the quote as fuzzy', () => {
    const changed = SEED.slice(0, s) + sentence.replace('充分', '充份') + SEED.slice(e)
    const r = anchorSelectors(changed, sel)
    expect(r).toMatchObject({ method: 'fuzzy', start: s, end: e })
  })

  it('matches through punctuation-width and spacing changes', () => {
    const changed = SEED.replaceAll('，', ',')
      .replaceAll('“', '"')
      .replaceAll('”', '"')
      .replaceAll('\u3000', '')
    const r = anchorSelectors(changed, sel)
    expect(r.method).not.toBe('failed')
    if (r.method !== 'failed')
      expect(changed.slice(r.start, r.end)).toBe('上海将充分发挥软实力的"加速器"作用')
  })

  it('flags a highlight whose paragraph was removed instead of moving it to another 软实力', () => {
    const [ks, ke] = rangeOf(SEED, '软实力', 2)
    const short = describeRange(SEED, ks, ke)
    const paraStart = SEED.lastIndexOf('\n\n', ks) + 2
    const paraEnd = SEED.indexOf('\n\n', ke)
    const changed = SEED.slice(0, paraStart) + SEED.slice(paraEnd + 2)
    expect(changed).toContain('软实力')
    expect(anchorSelectors(changed, short).method).toBe('failed')
  })

  it('flags a quote that is gone', () => {
    const changed = SEED.slice(0, s) + SEED.slice(e)
    const r = anchorSelectors(changed, sel)
    expect(r.method).toBe('failed')
  })

  it('is ambiguous, not a guess, between two identical passages with identical context', () => {
    const unit = '——同一段文字在这里出现了好几次，而且前后文一模一样，没有任何可以区分的线索。'
    const text = unit.repeat(4)
    // The second copy, whose 32 characters either side equal the third copy's; the stored
    // position points elsewhere (the text before both changed).
    const start = unit.length + 2
    const sel2 = describeRange(text, start, start + 8)
    sel2.position = { type: 'TextPositionSelector', start: 0, end: 8 }
    const r = anchorSelectors(text, sel2)
    expect(r.method).toBe('failed')
  })
})

describe('anchoring properties', () => {
  const textArb = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.string({
      unit: fc.constantFrom('上', '海', '软', '实', '力', '，', '。', '\n', ' ', 'a', 'b'),
      maxLength: 200
    })
  )

  it('never throws on arbitrary text and selectors', () => {
    const selArb = fc.record({
      quote: fc.record({
        type: fc.constant('TextQuoteSelector' as const),
        exact: fc.string({ maxLength: 40 }),
        prefix: fc.string({ maxLength: 40 }),
        suffix: fc.string({ maxLength: 40 })
      }),
      position: fc.record({
        type: fc.constant('TextPositionSelector' as const),
        start: fc.integer({ min: -5, max: 300 }),
        end: fc.integer({ min: -5, max: 300 })
      })
    })
    fc.assert(
      fc.property(textArb, selArb, (text, selectors: Selectors) => {
        const r = anchorSelectors(text, selectors)
        if (r.method !== 'failed') {
          expect(r.start).toBeGreaterThanOrEqual(0)
          expect(r.end).toBeLessThanOrEqual(text.length)
          expect(r.end).toBeGreaterThan(r.start)
        }
      }),
      { numRuns: 400 }
    )
    // Malformed selectors from a damaged row or a foreign import.
    expect(anchorSelectors('abc', null as unknown as Selectors).method).toBe('failed')
    expect(anchorSelectors('abc', { quote: {} } as unknown as Selectors).method).toBe('failed')
  })

  it('describe → anchor on unchanged text returns the same range', () => {
    const arb = textArb
      .filter((t) => t.length >= 1)
      .chain((t) =>
        fc
          .tuple(fc.integer({ min: 0, max: t.length - 1 }), fc.integer({ min: 1, max: t.length }))
          .map(([a, b]) => ({ t, a: Math.min(a, b - 1), b: Math.max(a + 1, b) }))
      )
    fc.assert(
      fc.property(arb, ({ t, a, b }) => {
        const sel = describeRange(t, a, b)
        const r = anchorSelectors(t, sel)
        expect(r.method).toBe('position')
        if (r.method !== 'failed')
          expect([r.start, r.end]).toEqual([sel.position.start, sel.position.end])
      }),
      { numRuns: 400 }
    )
  })
})
