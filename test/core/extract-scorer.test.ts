// The benchmark scorer on cases small enough to compute by hand.
import { describe, expect, it } from 'vitest'
import {
  aggregate,
  pageF1,
  precisionOf,
  recallOf,
  shingleConfusion,
  shingles,
  tokenize
} from '../../bench/lib/shingle-f1'

describe('shingle F1 scorer (evaluate.py metric)', () => {
  it('tokenizes like Python \\w+: letters, digits, underscore; CJK runs stay one token', () => {
    expect(tokenize('Hello, world! 你好世界。foo_bar 42 — x')).toEqual([
      'Hello',
      'world',
      '你好世界',
      'foo_bar',
      '42',
      'x'
    ])
    expect(tokenize('')).toEqual([])
  })

  it('makes 4-token windows, or one shingle for a shorter text, counted as a multiset', () => {
    expect([...shingles('a b c d e').entries()]).toEqual([
      ['a\u0001b\u0001c\u0001d', 1],
      ['b\u0001c\u0001d\u0001e', 1]
    ])
    expect([...shingles('a b').values()]).toEqual([1])
    expect(shingles('').size).toBe(0)
    expect([...shingles('a a a a a').values()]).toEqual([2])
  })

  it('normalises TP/FP/FN per page to sum to 1', () => {
    // truth {abcd, bcde}, predicted {abcd}: tp 1, fp 0, fn 1 → 1/2, 0, 1/2.
    const c = shingleConfusion('a b c d e', 'a b c d')
    expect(c).toEqual({ tp: 0.5, fp: 0, fn: 0.5 })
    expect(precisionOf(c)).toBe(1)
    expect(recallOf(c)).toBe(0.5)
    expect(pageF1('a b c d e', 'a b c d')).toBeCloseTo(2 / 3, 10)
    // Extra text: truth {abcd}, predicted {abcd, bcdx}: tp 1, fp 1 → precision 1/2, recall 1.
    expect(shingleConfusion('a b c d', 'a b c d x')).toEqual({ tp: 0.5, fp: 0.5, fn: 0 })
    // Repeated shingles count with multiplicity: truth has "a a a a" twice, prediction once.
    expect(shingleConfusion('a a a a a', 'a a a a')).toEqual({ tp: 0.5, fp: 0, fn: 0.5 })
  })

  it('follows evaluate.py on empty texts and averages P and R over pages before F1', () => {
    const empty = shingleConfusion('a b c d e', '')
    expect(empty).toEqual({ tp: 0, fp: 0, fn: 1 })
    expect(precisionOf(empty)).toBe(0)
    expect(precisionOf(shingleConfusion('', ''))).toBe(1)
    // Page 1: P 1, R 1/2. Page 2 (nothing predicted): left out of P, R 0. → P 1, R 1/4, F1 0.4.
    const s = aggregate([shingleConfusion('a b c d e', 'a b c d'), empty])
    expect(s.precision).toBe(1)
    expect(s.recall).toBe(0.25)
    expect(s.f1).toBeCloseTo(0.4, 10)
  })
})
