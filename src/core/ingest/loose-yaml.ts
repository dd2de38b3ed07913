// A forgiving reader for front matter that strict YAML rejects. It understands what scrapers
// write: `key: value` lines, `- item` lists under a key, `[a, b]` flow lists, values quoted
// with unescaped quotes inside ('他说'不'行'), values continued on indented or unindented
// lines (multi-line titles), tabs, and duplicate keys (the last non-empty value wins).

type Value = string | boolean | null | Value[]

function unquote(raw: string): string {
  const v = raw.trim()
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'"))
    return v.slice(1, -1).replace(/''/g, "'")
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"'))
    return v
      .slice(1, -1)
      .replace(/\\n/g, '\n')
      .replace(/\\t/g, '\t')
      .replace(/\\(["\\/])/g, '$1')
  return v
}

function scalar(raw: string): Value {
  const v = raw.trim()
  if (v === '' || v === '~' || v === 'null') return v === '' ? '' : null
  if (v === 'true' || v === 'false') return v === 'true'
  if (v.startsWith('[') && v.endsWith(']')) {
    return v
      .slice(1, -1)
      .split(',')
      .map((item) => unquote(item))
      .filter((item) => item !== '')
  }
  // A value cut by an unescaped quote may keep only its opening quote; drop it.
  const text = unquote(v)
  return text
}

function isEmpty(value: Value | undefined): boolean {
  return (
    value === undefined ||
    value === '' ||
    value === null ||
    (Array.isArray(value) && value.length === 0)
  )
}

export function parseLooseYaml(raw: string, separator: ':' | '=' = ':'): Record<string, unknown> {
  const out: Record<string, Value> = {}
  const keyLine =
    separator === ':'
      ? /^([A-Za-z_\u00C0-\uFFFF][\w.\-\u00C0-\uFFFF ]*?)[ \t]*:(?:[ \t]+|$)(.*)$/
      : /^([A-Za-z_][\w.-]*)[ \t]*=[ \t]*(.*)$/
  let key: string | null = null
  let rawValue: string[] = []
  let items: string[] | null = null

  const flush = (): void => {
    if (key === null) return
    const value: Value =
      items && items.length > 0 ? items.map((item) => unquote(item)) : scalar(rawValue.join('\n'))
    // Multi-line quoted values: inner line breaks fold to spaces, as YAML does.
    const folded = typeof value === 'string' ? value.replace(/[ \t]*\n[ \t]*/g, ' ').trim() : value
    if (!(key in out) || !isEmpty(folded)) out[key] = folded
    key = null
    rawValue = []
    items = null
  }

  for (const line of raw.split(/\r?\n/)) {
    const trimmed = line.trim()
    const openQuote =
      rawValue.length > 0 && /^['"]/.test(rawValue[0]!.trim()) && !closesQuote(rawValue)
    if (!openQuote) {
      if (trimmed === '' || trimmed.startsWith('#')) continue
      // Space-indented lines continue the current value; tab-indented keys are scraper noise.
      const m: RegExpExecArray | null =
        /^ /.test(line) && key !== null ? null : keyLine.exec(line.replace(/^\t+/, ''))
      if (m) {
        flush()
        key = m[1]!.trim()
        rawValue = m[2]!.trim() === '' ? [] : [m[2]!]
        continue
      }
      const item = /^\s*-\s+(.*)$/.exec(line) ?? /^\s*-$/.exec(line)
      if (item && key !== null && rawValue.length === 0) {
        items ??= []
        items.push(item[1] ?? '')
        continue
      }
    }
    if (key !== null) rawValue.push(line)
  }
  flush()
  return out
}

/** Whether a value that opened with a quote has reached its closing quote on its last line. */
function closesQuote(lines: string[]): boolean {
  const first = lines[0]!.trim()
  const quote = first[0]!
  const joined = lines.join('\n').trim()
  return joined.length >= 2 && joined.endsWith(quote) && !(lines.length === 1 && first === quote)
}
