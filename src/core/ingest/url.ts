// An article's address, from whatever a file says it is (a feed's <link>, front matter's `url`,
// a page's canonical link). Only a web address is kept, resolved and normalised by the URL
// parser: it is shown as a link, written into exports and front matter, and opened on a
// click, so `javascript:`, `data:` or `file:` (or text that merely starts like http) must
// never get there.

/** The address, or null and why (warning is null when there was nothing to refuse). */
export interface WebAddress {
  url: string | null
  warning: string | null
}

/** What is shown of a refused value in a warning: enough to find it, one line. */
function shown(value: string): string {
  const line = value.replace(/\s+/gu, ' ')
  return JSON.stringify(line.length > 80 ? `${line.slice(0, 79)}…` : line)
}

/**
 * `raw` as an http(s) address, resolved against `base` when relative; otherwise no address and
 * a warning naming what was refused (null when there was nothing to refuse).
 */
export function webAddress(raw: unknown, base?: string | null): WebAddress {
  if (typeof raw !== 'string' || raw.trim() === '') return { url: null, warning: null }
  let parsed: URL
  try {
    parsed = base ? new URL(raw.trim(), base) : new URL(raw.trim())
  } catch {
    return { url: null, warning: `link ${shown(raw)} is not a web address; no URL stored` }
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return {
      url: null,
      warning: `link ${shown(raw)} is not an http(s) address; no URL stored`
    }
  return { url: parsed.href, warning: null }
}

/** The address alone, for callers that have nowhere to put a warning. */
export function webAddressOrNull(raw: unknown, base?: string | null): string | null {
  return webAddress(raw, base).url
}
