// Publication dates → ISO 8601 UTC: the one parser for front matter, feeds and web pages.
//
// It reads what scrapers, generators and portals write: ISO 8601 (with or without a zone, `T`
// or a space), RFC 1123/2822 (`Mon, 26 Jul 2021 04:03:03 GMT`), `2021年07月26日 12:03`,
// `2021/07/26 12:03`, `2021.07.26`, `July 26, 2021 12:03 PM EST`, `26 July 2021`, JavaScript's
// and Java's Date strings, and Unix time (seconds or milliseconds). A date may sit inside
// other words (`发布于2021-08-12 20:00`, `2021-08-01 11:40 来源：澎湃新闻`); the first one wins.
//
// A time written with a zone is read in that zone. A time written without one is read in the
// zone its source kind implies (sourceZone), never in the importing machine's: the same file
// must give the same date on every machine.

export type DateResult = { iso: string } | { iso: null; warning: string }

/** Where a date was written: decides the zone of a time written without one. */
export type DateSource = 'front-matter' | 'feed' | 'page'

/** The zone of each language whose readers live in one zone; other languages: UTC. */
const LANGUAGE_ZONES: Record<string, string> = {
  zh: 'Asia/Shanghai',
  'zh-tw': 'Asia/Taipei',
  'zh-hk': 'Asia/Hong_Kong',
  'zh-mo': 'Asia/Macau',
  ja: 'Asia/Tokyo',
  ko: 'Asia/Seoul'
}

/**
 * The language a source is in: its declared tag when that is one LANGUAGE_ZONES knows, else
 * the script of a sample of its text (kana: Japanese, hangul: Korean, Han: Chinese), else the
 * declared tag. Chinese sites often keep a template's `lang="en"`; their titles say otherwise.
 */
export function sourceLanguage(declared: string | null | undefined, sample: string): string | null {
  const tag = declared?.trim().replace(/_/g, '-').toLowerCase() || null
  if (tag && tag.split('-')[0]! in LANGUAGE_ZONES) return tag
  if (/[\u3040-\u30ff]/u.test(sample)) return 'ja'
  if (/[\uac00-\ud7af]/u.test(sample)) return 'ko'
  if (/\p{Script=Han}/u.test(sample)) return 'zh'
  return tag
}

/**
 * The zone a time written without one is read in:
 * - front matter: UTC. YAML itself reads a zone-less timestamp as UTC (js-yaml turns
 *   `2021-04-11 00:30:33` into that instant before Gleaner sees it, and `12:03` without
 *   seconds must not land eight hours away from `12:03:00`); the scrapers and static-site
 *   generators that write these files run on UTC machines (the corpus's RSSHub scraper writes
 *   its clock on GitHub's runners, Hexo's `timezone: ''` means the machine's).
 * - web pages and feeds: the zone of the source's language (LANGUAGE_ZONES): Chinese portals
 *   and CMS feeds print Beijing time without saying so, Japanese and Korean ones their own;
 *   any other language, UTC.
 */
export function sourceZone(source: DateSource, language: string | null): string {
  if (source === 'front-matter' || !language) return 'UTC'
  const tag = language.toLowerCase()
  const [primary, ...rest] = tag.split('-')
  const region = rest.find((part) => part.length === 2)
  if (primary === 'zh' && rest.includes('hant') && !region) return LANGUAGE_ZONES['zh-tw']!
  return LANGUAGE_ZONES[`${primary}-${region}`] ?? LANGUAGE_ZONES[primary!] ?? 'UTC'
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12
}
const MONTH =
  '(?<!\\p{L})(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?'
const WEEKDAY = '(?:(?<!\\p{L})(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s+)?'

/** Hours off UTC of the zone names RFC 2822 and news sites write; CST depends on the source. */
const ZONE_NAMES: Record<string, number> = {
  Z: 0,
  UT: 0,
  UTC: 0,
  GMT: 0,
  EST: -5,
  EDT: -4,
  CDT: -5,
  MST: -7,
  MDT: -6,
  PST: -8,
  PDT: -7,
  ET: -5,
  BST: 1,
  CET: 1,
  CEST: 2,
  HKT: 8,
  SGT: 8,
  JST: 9,
  KST: 9
}
const CHINA_ZONES = new Set(['Asia/Shanghai', 'Asia/Taipei', 'Asia/Hong_Kong', 'Asia/Macau'])

// `2021-07-26`, `2021/7/26`, `2021.07.26`, `2021年07月26日`, `2021 07 / 30`: year first.
const NUMERIC_DATE =
  /(?<!\d)(\d{4})\s*(?:年|[-/.]|\s)\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})(?!\d)\s*日?/gu
// `26 Jul 2021`, `Mon, 26 July 2021`.
const DAY_MONTH_YEAR = new RegExp(
  `${WEEKDAY}(?<!\\d)(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH},?\\s+(\\d{4})(?!\\d)`,
  'giu'
)
// `July 26, 2021`, `Jul 26 2021` (JavaScript's Date string too).
const MONTH_DAY_YEAR = new RegExp(
  `${WEEKDAY}${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?!\\d)`,
  'giu'
)
// Java's Date string: `Mon Jul 26 12:03:00 CST 2021`.
const JAVA_DATE = new RegExp(
  `${WEEKDAY}${MONTH}\\s+(\\d{1,2})\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s+([A-Za-z]{1,5})\\s+(\\d{4})(?!\\d)`,
  'iu'
)
// What may follow a date: a time, in 24 or 12 hours (`下午3:05`, `3:05 PM`).
const TIME =
  /^\s*,?\s*(?:T|at\s+)?\s*(上午|下午)?\s*(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})(?:[.,](\d+))?秒?)?(?:\s*(am|pm|a\.m\.|p\.m\.))?/iu
// What may follow a time: its zone.
const ZONE =
  /^\s*(?:\(?\s*(?:(?:UTC|GMT)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?\b|\(?\s*([A-Z]{1,4})\b|北京时间)/u

interface Fields {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  ms: number
  /** Minutes east of UTC when the text gave a zone, else null. */
  offset: number | null
}

function zoneNameOffset(name: string, defaultZone: string): number | null {
  if (name === 'CST') return CHINA_ZONES.has(defaultZone) ? 8 * 60 : -6 * 60
  const hours = ZONE_NAMES[name]
  return hours === undefined ? null : hours * 60
}

/** A time and zone at the start of `rest` (the text after a date), into `f`. */
function readTimeAndZone(rest: string, f: Fields, defaultZone: string): void {
  const t = TIME.exec(rest)
  let after = rest
  if (t) {
    const [whole, half, h, mi, s, frac, ampm] = t
    let hour = Number(h)
    const marker = (ampm ?? '').toLowerCase().replace(/\./g, '')
    if (marker === 'pm' || half === '下午') {
      if (hour < 12) hour += 12
    } else if ((marker === 'am' || half === '上午') && hour === 12) hour = 0
    f.hour = hour
    f.minute = Number(mi)
    f.second = s === undefined ? 0 : Number(s)
    f.ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'))
    after = rest.slice(whole.length)
  }
  if (/^\s*北京时间/u.test(after)) {
    f.offset = 8 * 60
    return
  }
  const z = ZONE.exec(after)
  if (!z) return
  if (z[1]) {
    const minutes = Number(z[2]) * 60 + Number(z[3] ?? 0)
    if (Number(z[2]) <= 14) f.offset = z[1] === '-' ? -minutes : minutes
  } else if (z[4]) {
    f.offset = zoneNameOffset(z[4], defaultZone)
    // `GMT+0800` after a JavaScript Date string: the name, then the offset.
    if (z[4] === 'GMT' || z[4] === 'UTC') {
      const more = /^\s*([+-])(\d{2}):?(\d{2})/u.exec(after.slice(z[0].length))
      if (more) {
        const minutes = Number(more[2]) * 60 + Number(more[3])
        f.offset = more[1] === '-' ? -minutes : minutes
      }
    }
  }
}

function emptyFields(year: number, month: number, day: number): Fields {
  return { year, month, day, hour: 0, minute: 0, second: 0, ms: 0, offset: null }
}

interface Found {
  index: number
  fields: Fields
  /** Where the date's text ends: a time and zone may follow. */
  end: number
}

/** Every date written in `text` (year first; with month names too unless yearFirst), in reading order. */
function datesIn(text: string, yearFirst: boolean): Found[] {
  const found: Found[] = []
  for (const m of text.matchAll(NUMERIC_DATE))
    found.push({
      index: m.index,
      fields: emptyFields(Number(m[1]), Number(m[2]), Number(m[3])),
      end: m.index + m[0].length
    })
  if (yearFirst) return found
  for (const m of text.matchAll(DAY_MONTH_YEAR))
    found.push({
      index: m.index,
      fields: emptyFields(Number(m[3]), MONTHS[m[2]!.slice(0, 3).toLowerCase()]!, Number(m[1])),
      end: m.index + m[0].length
    })
  for (const m of text.matchAll(MONTH_DAY_YEAR))
    found.push({
      index: m.index,
      fields: emptyFields(Number(m[3]), MONTHS[m[1]!.slice(0, 3).toLowerCase()]!, Number(m[2])),
      end: m.index + m[0].length
    })
  return found.sort((a, b) => a.index - b.index)
}

/** Years a date found in running text may have (not a field's value): 1900 to next year. */
function plausibleInText(ms: number): boolean {
  const year = new Date(ms).getUTCFullYear()
  return year >= 1900 && year <= new Date().getUTCFullYear() + 1
}

/** The instant of the first real date in `text`, read in `zone` when it gives none. */
function firstInstant(
  text: string,
  zone: string,
  accept: (ms: number) => boolean,
  yearFirst = false
): number | null {
  const java = yearFirst ? null : JAVA_DATE.exec(text)
  if (java) {
    const [, mon, d, h, mi, s, name, y] = java
    const f = emptyFields(Number(y), MONTHS[mon!.slice(0, 3).toLowerCase()]!, Number(d))
    f.hour = Number(h)
    f.minute = Number(mi)
    f.second = s === undefined ? 0 : Number(s)
    f.offset = zoneNameOffset(name!.toUpperCase(), zone)
    const ms = instantOf(f, zone)
    if (ms !== null && accept(ms)) return ms
  }
  for (const { fields, end } of datesIn(text, yearFirst)) {
    readTimeAndZone(text.slice(end, end + 80), fields, zone)
    const ms = instantOf(fields, zone)
    if (ms !== null && accept(ms)) return ms
  }
  return null
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** Minutes `zone` is ahead of UTC at the instant `utcMs`. */
function zoneOffsetAt(zone: string, utcMs: number): number {
  let format = formatters.get(zone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric'
    })
    formatters.set(zone, format)
  }
  const parts: Record<string, number> = {}
  for (const p of format.formatToParts(new Date(utcMs))) parts[p.type] = Number(p.value)
  const wall = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!
  )
  return Math.round((wall - (utcMs - (((utcMs % 1000) + 1000) % 1000))) / 60_000)
}

/** The instant of a wall-clock time in `zone` (the later reading across a DST change). */
function wallTimeInZone(wall: number, zone: string): number {
  if (zone === 'UTC') return wall
  const guess = wall - zoneOffsetAt(zone, wall) * 60_000
  return wall - zoneOffsetAt(zone, guess) * 60_000
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** The instant the fields name, or null when they name no real time. */
function instantOf(f: Fields, zone: string): number | null {
  if (f.year < 1000 || f.year > 9999 || f.month < 1 || f.month > 12) return null
  if (f.day < 1 || f.day > daysIn(f.year, f.month)) return null
  if (f.hour > 23 || f.minute > 59 || f.second > 60) return null
  const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, Math.min(f.second, 59), f.ms)
  return f.offset === null ? wallTimeInZone(wall, zone) : wall - f.offset * 60_000
}

function valid(ms: number): boolean {
  // Years outside 1000–9999 are scraper junk, not dates worth sorting by.
  if (!Number.isFinite(ms)) return false
  const year = new Date(ms).getUTCFullYear()
  return year >= 1000 && year <= 9999
}

function fail(raw: string): DateResult {
  const shown = raw.length > 60 ? `${raw.slice(0, 57)}…` : raw
  return { iso: null, warning: `date '${shown}' not understood; no date set` }
}

function unixTime(n: number): DateResult {
  // Seconds when small enough, else milliseconds.
  const ms = Math.abs(n) < 1e11 ? n * 1000 : n
  return valid(ms) ? { iso: new Date(ms).toISOString() } : fail(String(n))
}

/**
 * One publication date, from front matter, a feed or a page, to ISO 8601 UTC. `zone` (an IANA
 * name, from sourceZone) is where a time written without a zone is read. Never throws.
 */
export function parsePublishedDate(value: unknown, zone: string): DateResult {
  if (value instanceof Date) {
    // TOML's dates are Dates whose toISOString prints their own offset: go by the instant.
    const ms = value.getTime()
    return valid(ms) ? { iso: new Date(ms).toISOString() } : fail(String(value))
  }
  if (typeof value === 'number') return unixTime(value)
  if (typeof value !== 'string') return fail(JSON.stringify(value) ?? String(value))
  const raw = value.trim()
  if (!raw) return fail(raw)
  if (/^\d{10}(?:\d{3})?$/u.test(raw)) return unixTime(Number(raw))
  const ms = firstInstant(raw, zone, valid)
  return ms === null ? fail(raw) : { iso: new Date(ms).toISOString() }
}

/**
 * The first date in running text (the dateline Chinese portals print near the headline), read
 * as parsePublishedDate reads a value, but only written year first (2021-07-26, 2021年7月26日)
 * and with a year from 1900 to next year: in prose, a date with a month name is as often some
 * other day the article mentions, and a number is not a date otherwise.
 */
export function findPublishedDate(text: string, zone: string): string | null {
  const ms = firstInstant(text, zone, (t) => valid(t) && plausibleInText(t), true)
  return ms === null ? null : new Date(ms).toISOString()
}
