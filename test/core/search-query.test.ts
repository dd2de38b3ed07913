// The query language, without a database: structure of what is parsed and the wording of
// every rejection.
import { describe, expect, it } from 'vitest'
import { SearchQueryError, parseQuery } from '../../src/core/search'
import { termToFts } from '../../src/core/search/fts-expression'

function rejects(query: string): string {
  try {
    parseQuery(query)
  } catch (e) {
    expect(e).toBeInstanceOf(SearchQueryError)
    return (e as Error).message
  }
  throw new Error(`'${query}' was accepted`)
}

describe('parseQuery', () => {
  it('words are AND-ed groups; OR joins neighbours; - excludes', () => {
    expect(parseQuery('上海 北京 OR 深圳 -进博会').groups).toEqual([
      [{ kind: 'text', field: null, value: '上海', quoted: false, negated: false }],
      [
        { kind: 'text', field: null, value: '北京', quoted: false, negated: false },
        { kind: 'text', field: null, value: '深圳', quoted: false, negated: false }
      ],
      [{ kind: 'text', field: null, value: '进博会', quoted: false, negated: true }]
    ])
  })

  it('quoted phrases keep their spaces; fields take quoted values', () => {
    expect(parseQuery('"smart speaker" title:"城市 软实力"').groups).toEqual([
      [{ kind: 'text', field: null, value: 'smart speaker', quoted: true, negated: false }],
      [{ kind: 'text', field: 'title', value: '城市 软实力', quoted: true, negated: false }]
    ])
  })

  it('filters become structured items; dates are normalised to the first day', () => {
    expect(
      parseQuery(
        'category:金融 tag:AI collection:周报 after:2021-7 before:2022 has:annotation is:unread is:starred'
      ).groups.map((g) => g[0])
    ).toEqual([
      { kind: 'structured', field: 'category', value: '金融', negated: false },
      { kind: 'structured', field: 'tag', value: 'AI', negated: false },
      { kind: 'structured', field: 'collection', value: '周报', negated: false },
      { kind: 'date', field: 'after', value: '2021-07-01', negated: false },
      { kind: 'date', field: 'before', value: '2022-01-01', negated: false },
      { kind: 'flag', flag: 'has:annotation', negated: false },
      { kind: 'flag', flag: 'is:unread', negated: false },
      { kind: 'flag', flag: 'is:starred', negated: false }
    ])
  })

  it('a colon after an unknown word is just text (times, URLs)', () => {
    expect(parseQuery('10:30 https://x.cn').groups.map((g) => g[0])).toEqual([
      { kind: 'text', field: null, value: '10:30', quoted: false, negated: false },
      { kind: 'text', field: null, value: 'https://x.cn', quoted: false, negated: false }
    ])
  })

  it('rejects bad queries with a specific message', () => {
    expect(rejects('after:yesterday')).toBe(
      "after: wants a date like 2021-07-01, 2021-07 or 2021; 'yesterday' is not one."
    )
    expect(rejects('before:2021-02-30')).toBe('before:2021-02-30 is not a real date.')
    expect(rejects('is:important')).toBe(
      'is:important is not known; use is:unread, is:read, is:starred.'
    )
    expect(rejects('has:pictures')).toBe('has:pictures is not known; use has:annotation.')
    expect(rejects('title: 上海')).toBe('title: needs a value, e.g. title:上海.')
    expect(rejects('"城市软实力')).toBe(
      'The quote opened at character 1 is never closed: add " after the phrase.'
    )
    expect(rejects('OR 上海')).toBe('OR needs a search term on each side, e.g. 上海 OR 北京.')
    expect(rejects('上海 OR')).toBe('OR needs a search term after it, e.g. 上海 OR 北京.')
    expect(rejects('上海 OR -北京')).toBe(
      "An excluded term cannot be part of OR (near '-北京'); exclude it separately."
    )
  })
})

describe('each rejection has a stable code and the values its sentence names', () => {
  const coded = (query: string): { code: string; params: unknown } => {
    try {
      parseQuery(query)
    } catch (e) {
      expect(e).toBeInstanceOf(SearchQueryError)
      const { code, params } = e as SearchQueryError
      return { code, params }
    }
    throw new Error(`'${query}' was accepted`)
  }
  it.each([
    ['after:yesterday', 'query-bad-date', { field: 'after', value: 'yesterday' }],
    ['before:2021-02-30', 'query-impossible-date', { field: 'before', value: '2021-02-30' }],
    [
      'is:important',
      'query-unknown-value',
      { field: 'is', value: 'important', allowed: 'is:unread, is:read, is:starred' }
    ],
    ['title: 上海', 'query-missing-value', { field: 'title', example: 'title:上海' }],
    ['上海 “城市', 'query-unclosed-quote', { position: 4, quote: '”' }],
    ['OR 上海', 'query-or-missing-term', { side: 'both' }],
    ['上海 OR', 'query-or-missing-term', { side: 'right' }],
    ['上海 OR -北京', 'query-excluded-in-or', { near: '-北京' }]
  ])('%s → %s', (query, code, params) => {
    expect(coded(query)).toEqual({ code, params })
  })
})

describe('termToFts (how a term is matched in the bigram index)', () => {
  it('CJK: one character is a prefix, longer terms are adjacent bigrams', () => {
    expect(termToFts('上', true)).toBe('"上" *')
    expect(termToFts('上海', true)).toBe('"上海"')
    expect(termToFts('软实力', true)).toBe('"软实" + "实力"')
  })
  it('mixed scripts: a CJK run followed by more text ends there', () => {
    expect(termToFts('上海abc', true)).toBe('"上海" + "海" + "abc" *')
    expect(termToFts('5G网络', false)).toBe('"5G" + "网络"')
  })
  it('quotes inside a term are escaped; punctuation alone has nothing to match', () => {
    expect(termToFts('a"b', false)).toBe('"a""b"')
    expect(termToFts('。！', true)).toBeNull()
  })
})
