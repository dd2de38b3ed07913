// Dates found in pages come as ISO 8601, RFC 1123, epoch numbers or Chinese 2021年07月26日 12:03.

const CN_DATE =
  /(\d{4})\s*(?:[年\-/.]|\s)\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}))?)?/

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/**
 * Parse a date string to ISO 8601 UTC. A time with no zone is read in `defaultOffset`
 * (Chinese portals print Beijing time, +08:00, without saying so). Returns null when not a date.
 */
export function toIsoDate(raw: string, defaultOffset = '+00:00'): string | null {
  const s = raw.trim()
  if (!s) return null
  if (/^\d{10}(\d{3})?$/.test(s)) {
    const ms = s.length === 13 ? Number(s) : Number(s) * 1000
    return new Date(ms).toISOString()
  }
  // ISO with an explicit zone, or RFC 1123: the platform parser is exact for these.
  if (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s) ||
    /[A-Za-z]{3},? \d/.test(s)
  ) {
    const t = Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
    if (!Number.isNaN(t)) return new Date(t).toISOString()
  }
  const m = CN_DATE.exec(s)
  if (m) {
    const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) =>
      x === undefined ? 0 : Number(x)
    )
    if (y! < 1900 || mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59) return null
    const local = `${y}-${pad(mo!)}-${pad(d!)}T${pad(h!)}:${pad(mi!)}:${pad(se!)}`
    const zone = /(Z|[+-]\d{2}:?\d{2})\s*$/.exec(s.slice(m.index + m[0].length))?.[1]
    const t = Date.parse(local + (zone ?? defaultOffset))
    return Number.isNaN(t) ? null : new Date(t).toISOString()
  }
  const t = Date.parse(s)
  if (!Number.isNaN(t) && /\d{4}/.test(s)) return new Date(t).toISOString()
  return null
}
