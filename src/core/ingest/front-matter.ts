// Front matter: YAML between `---` lines (Hexo, Jekyll, Hugo) or TOML between `+++` lines (Hugo).
// Scraper output is often not valid YAML (unescaped quotes, duplicate keys, tabs), so a
// strict parse that fails falls back to a line-based `key: value` reader that keeps every key.
import matter from 'gray-matter'
import { parse as parseToml } from 'smol-toml'
import { parseLimits } from '../model/parse-limits'
import { parseLooseYaml } from './loose-yaml'

export interface FrontMatter {
  kind: 'yaml' | 'toml'
  data: Record<string, unknown>
  body: string
  warnings: string[]
}

interface Split {
  kind: 'yaml' | 'toml'
  raw: string
  body: string
  /** The text from the opening delimiter on, which is what gray-matter expects. */
  fromOpening: string
}

/** Finds a front-matter block at the start of the text; leading blank lines and a BOM are allowed. */
export function splitFrontMatter(text: string): Split | null {
  const start = /^[\uFEFF\s]*/.exec(text)?.[0].length ?? 0
  const rest = text.slice(start)
  const open = /^(---|\+\+\+)[ \t]*\r?\n/.exec(rest)
  if (!open) return null
  const delimiter = open[1]!
  const kind = delimiter === '---' ? 'yaml' : 'toml'
  const closeRe = kind === 'yaml' ? /^(?:---|\.\.\.)[ \t]*$/m : /^\+\+\+[ \t]*$/m
  const after = rest.slice(open[0].length)
  const close = closeRe.exec(after)
  if (!close) return null
  const raw = after.slice(0, close.index)
  let body = after.slice(close.index + close[0].length)
  body = body.replace(/^\r?\n/, '')
  return { kind, raw, body, fromOpening: rest }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** More values than any real front matter has: YAML aliases can make a few bytes mean billions. */
export const MAX_FRONT_MATTER_VALUES = 20_000

/**
 * Dates → ISO strings, TOML dates → strings, everything else copied so no parser-owned object
 * leaks. Copying expands YAML aliases, so it counts values and gives up past the budget (an
 * "alias bomb" of 300 bytes otherwise takes seconds and hundreds of megabytes). It also gives
 * up past the parse limits' depth: 3,000 nested maps parsed fine but overflowed the stack of
 * the structured clone that carries a parse worker's reply, and of JSON.stringify.
 */
export function toJsonSafe(
  value: unknown,
  budget = { left: MAX_FRONT_MATTER_VALUES },
  depth = 0
): unknown {
  if (--budget.left < 0)
    throw new Error(`more than ${MAX_FRONT_MATTER_VALUES} values (YAML aliases expanding?)`)
  const deepest = parseLimits().depth
  if (depth > deepest) throw new Error(`values nest deeper than ${deepest} levels`)
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (Array.isArray(value)) return value.map((v) => toJsonSafe(v, budget, depth + 1))
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'number' && !Number.isFinite(value)) return null
  if (isRecord(value)) {
    // TOML date-times are objects with a custom toString; keep their text form.
    if (value.constructor !== Object && typeof value.toISOString === 'function')
      return String((value as { toISOString: () => string }).toISOString())
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = toJsonSafe(v, budget, depth + 1)
    return out
  }
  return value
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim()
}

// gray-matter's own YAML engine (js-yaml 3 safeLoad): the values must stay exactly what
// gray-matter gives, only without what it does per call besides parsing (a Buffer copy of the
// whole file, a cache lookup keyed by the whole text, options and engines rebuilt).
const yamlEngine = (matter as unknown as { engines: { yaml: { parse: (s: string) => unknown } } })
  .engines.yaml

/** What `matter(fromOpening, { language: 'yaml' }).data` is, for text opening with `---` + newline. */
function grayMatterYaml(fromOpening: string): unknown {
  // gray-matter's block: after the opening `---`, up to the first line starting with `---`.
  const str = fromOpening.slice(3)
  const close = str.indexOf('\n---')
  const block = close === -1 ? str : str.slice(0, close)
  if (block.replace(/^\s*#[^\n]+/gm, '').trim() === '') return {}
  // gray-matter turns a null or empty document into {}.
  return yamlEngine.parse(block) ?? {}
}

export function readFrontMatter(text: string): FrontMatter | null {
  const split = splitFrontMatter(text)
  if (!split) return null
  const warnings: string[] = []
  if (split.raw.trim() === '') return { kind: split.kind, data: {}, body: split.body, warnings }

  if (split.kind === 'toml') {
    try {
      // Options are always passed: gray-matter caches (and shares) results only when they are not.
      const parsed = matter(split.fromOpening, {
        language: 'toml',
        delimiters: '+++',
        engines: { toml: (s: string) => parseToml(s) as object }
      })
      const data = toJsonSafe(parsed.data)
      return { kind: 'toml', data: isRecord(data) ? data : {}, body: split.body, warnings }
    } catch (err) {
      warnings.push(
        `TOML front matter not valid (${firstLine(String((err as Error).message))}); read line by line`
      )
      return { kind: 'toml', data: parseLooseYaml(split.raw, '='), body: split.body, warnings }
    }
  }

  try {
    const data = toJsonSafe(grayMatterYaml(split.fromOpening))
    if (isRecord(data)) return { kind: 'yaml', data, body: split.body, warnings }
    warnings.push('YAML front matter is not a mapping; read line by line')
  } catch (err) {
    warnings.push(
      `YAML front matter not valid (${firstLine(String((err as Error).message))}); read line by line`
    )
  }
  return { kind: 'yaml', data: parseLooseYaml(split.raw, ':'), body: split.body, warnings }
}
