// The one date parser: what it reads, and the zone a time without one is read in.
import { describe, expect, it } from 'vitest'
import {
  findPublishedDate,
  parsePublishedDate,
  sourceLanguage,
  sourceZone
} from '../../src/core/dates/published-date'
import { parseArticleFile } from '../../src/core/ingest/parse'

const iso = (value: unknown, zone: string): string | null => parsePublishedDate(value, zone).iso

describe('the zone of a time written without one', () => {
  it('is UTC in front matter, whatever the language', () => {
    expect(sourceZone('front-matter', 'zh-CN')).toBe('UTC')
    expect(sourceZone('front-matter', null)).toBe('UTC')
  })

  it("is the language's zone in pages and feeds", () => {
    expect(sourceZone('page', 'zh-CN')).toBe('Asia/Shanghai')
    expect(sourceZone('page', 'zh')).toBe('Asia/Shanghai')
    expect(sourceZone('feed', 'zh-TW')).toBe('Asia/Taipei')
    expect(sourceZone('page', 'zh-Hant')).toBe('Asia/Taipei')
    expect(sourceZone('page', 'zh-HK')).toBe('Asia/Hong_Kong')
    expect(sourceZone('page', 'ja')).toBe('Asia/Tokyo')
    expect(sourceZone('page', 'ko-KR')).toBe('Asia/Seoul')
    expect(sourceZone('page', 'en-US')).toBe('UTC')
    expect(sourceZone('feed', null)).toBe('UTC')
  })

  it('takes the language a page declares, or the script of its title', () => {
    expect(sourceLanguage('zh-TW', 'Title')).toBe('zh-tw')
    // A Chinese site keeping its template's lang="en".
    expect(sourceLanguage('en', '第四届进博会')).toBe('zh')
    // Kanji alone could be Chinese; kana is Japanese.
    expect(sourceLanguage(null, '劇場版スタァライト')).toBe('ja')
    expect(sourceLanguage(null, '엔터 미디어')).toBe('ko')
    expect(sourceLanguage('en-GB', 'Expo countdown')).toBe('en-gb')
    expect(sourceLanguage(null, 'Expo countdown')).toBeNull()
  })

  it('follows the zone through its history (Beijing kept summer time 1986–1991)', () => {
    expect(iso('1988-07-01 12:00', 'Asia/Shanghai')).toBe('1988-07-01T03:00:00.000Z')
    expect(iso('1988-01-01 12:00', 'Asia/Shanghai')).toBe('1988-01-01T04:00:00.000Z')
  })
})

describe('what it reads', () => {
  const cases: [unknown, string, string][] = [
    ['Mon, 26 Jul 2021 04:03:03 GMT', 'Asia/Shanghai', '2021-07-26T04:03:03.000Z'],
    ['2021-07-26T12:03:00.5+08:00', 'UTC', '2021-07-26T04:03:00.500Z'],
    ['2021-07-26T12:03:00+0800', 'UTC', '2021-07-26T04:03:00.000Z'],
    ['2021-07-26 12:03', 'Asia/Shanghai', '2021-07-26T04:03:00.000Z'],
    ['2021年7月26日 下午3:05', 'Asia/Shanghai', '2021-07-26T07:05:00.000Z'],
    ['2021年07月26日12时03分', 'Asia/Shanghai', '2021-07-26T04:03:00.000Z'],
    ['2021 07 / 26 12:03:00', 'Asia/Shanghai', '2021-07-26T04:03:00.000Z'],
    ['2021.07.26', 'UTC', '2021-07-26T00:00:00.000Z'],
    ['发布于2021-07-26 12:03 来源：澎湃新闻', 'Asia/Shanghai', '2021-07-26T04:03:00.000Z'],
    ['2021-07-26 12:03 北京时间', 'UTC', '2021-07-26T04:03:00.000Z'],
    ['July 26, 2021, 07:47 PM EST', 'UTC', '2021-07-27T00:47:00.000Z'],
    ['26 July 2021', 'UTC', '2021-07-26T00:00:00.000Z'],
    ['Mon Jul 26 2021 12:03:00 GMT+0800 (China Standard Time)', 'UTC', '2021-07-26T04:03:00.000Z'],
    // Java's Date string: CST is China's in a Chinese source, US Central elsewhere.
    ['Mon Jul 26 12:03:00 CST 2021', 'Asia/Shanghai', '2021-07-26T04:03:00.000Z'],
    ['Mon Jul 26 12:03:00 CST 2021', 'UTC', '2021-07-26T18:03:00.000Z'],
    ['1627272183', 'UTC', '2021-07-26T04:03:03.000Z'],
    ['1627272183000', 'UTC', '2021-07-26T04:03:03.000Z'],
    [1627272183, 'Asia/Shanghai', '2021-07-26T04:03:03.000Z']
  ]
  for (const [value, zone, expected] of cases)
    it(`reads ${String(value)} (${zone})`, () => expect(iso(value, zone)).toBe(expected))

  it('rejects what is not a date, with a warning', () => {
    for (const junk of ['Invalid Date', '2021-02-30', '0001-01-01T00:00:00Z', 'Omar 5, 2021', '']) {
      expect(parsePublishedDate(junk, 'UTC')).toEqual({
        iso: null,
        warning: `date '${junk}' not understood; no date set`
      })
    }
  })

  it("goes by a TOML date's instant, not its printed offset", () => {
    const toml = (date: string): string | null => {
      const text = `+++\ntitle = "T"\ndate = ${date}\n+++\n<p>正文第一段。</p><p>正文第二段。</p>`
      const outcome = parseArticleFile(Buffer.from(text), 'post.md')
      if (!outcome.ok) throw new Error(outcome.reason)
      return outcome.articles[0]!.publishedAt
    }
    expect(toml('2021-07-26T12:03:00+08:00')).toBe('2021-07-26T04:03:00.000Z')
    // A local date-time: front matter's rule, UTC.
    expect(toml('2021-07-26T12:03:00')).toBe('2021-07-26T12:03:00.000Z')
  })
})

describe('a date in running text', () => {
  it('is the first year-first date with a plausible year', () => {
    expect(
      findPublishedDate('电话 8888-12-3 转 2 发布于 2021-08-12 20:00 来源', 'Asia/Shanghai')
    ).toBe('2021-08-12T12:00:00.000Z')
  })

  it('is never a date written with a month name, which prose mentions as often as not', () => {
    expect(findPublishedDate('the claim was made on Sunday, October 13th, 2019', 'UTC')).toBeNull()
  })
})
