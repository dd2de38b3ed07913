// Publication dates as written by feed scrapers and static-site generators → ISO 8601 UTC.

export type DateResult = { iso: string } | { iso: null; warning: string }

// `2021-04-11 00:30:33` or `2021-04-11T00:30:33` (optional fraction), without a zone.
const ZONELESS =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/
// ISO 8601 with a zone (Z or ±hh:mm / ±hhmm / ±hh), with `T` or a space.
const ZONED =
  /^(\d{4}-\d{1,2}-\d{1,2})[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}(?::?\d{2})?)$/i
// RFC 1123 / RFC 2822: `Mon, 26 Jul 2021 04:03:03 GMT`, weekday optional.
const RFC2822 =
  /^(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:GMT|UTC|UT|Z|[+-]\d{4}|[A-Z]{3})?$/

function pad(n: string, width = 2): string {
  return n.padStart(width, '0')
}

function valid(ms: number): ms is number {
  // Years outside 1000–9999 are scraper junk, not dates worth sorting by.
  if (!Number.isFinite(ms)) return false
  const year = new Date(ms).getUTCFullYear()
  return year >= 1000 && year <= 9999
}

function fail(raw: string): DateResult {
  const shown = raw.length > 60 ? `${raw.slice(0, 57)}…` : raw
  return { iso: null, warning: `date '${shown}' not understood; no date set` }
}

/** Parse one date value from front matter or page metadata. Never throws. */
export function parsePublishedDate(value: unknown): DateResult {
  if (value instanceof Date) {
    return valid(value.getTime()) ? { iso: value.toISOString() } : fail(String(value))
  }
  if (typeof value === 'number') {
    // Unix time: seconds when small enough, else milliseconds.
    const ms = value < 1e11 ? value * 1000 : value
    return valid(ms) ? { iso: new Date(ms).toISOString() } : fail(String(value))
  }
  if (typeof value !== 'string') return fail(JSON.stringify(value) ?? String(value))
  const raw = value.trim()
  if (!raw) return fail(raw)

  const zoneless = ZONELESS.exec(raw)
  if (zoneless) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = zoneless
    // No zone given: treated as UTC. Scrapers (RSSHub, Hexo) write UTC, and assuming the
    // importing machine's zone would make the same file import differently on two machines.
    const iso = `${y}-${pad(mo!)}-${pad(d!)}T${pad(h)}:${pad(mi)}:${pad(s)}.${frac.padEnd(3, '0')}Z`
    const ms = Date.parse(iso)
    return valid(ms) ? { iso: new Date(ms).toISOString() } : fail(raw)
  }
  const zoned = ZONED.exec(raw)
  if (zoned) {
    const [, day, time, zone] = zoned
    const [y, mo, d] = day!.split('-')
    let z = zone!.toUpperCase()
    if (/^[+-]\d{2}$/.test(z)) z += ':00'
    else if (/^[+-]\d{4}$/.test(z)) z = `${z.slice(0, 3)}:${z.slice(3)}`
    const [h, rest] = [time!.split(':')[0]!, time!.split(':').slice(1).join(':')]
    const ms = Date.parse(`${y}-${pad(mo!)}-${pad(d!)}T${pad(h)}:${rest}${z}`)
    return valid(ms) ? { iso: new Date(ms).toISOString() } : fail(raw)
  }
  if (RFC2822.test(raw)) {
    const ms = Date.parse(raw)
    return valid(ms) ? { iso: new Date(ms).toISOString() } : fail(raw)
  }
  return fail(raw)
}
