// Site rules are data (resources/site-rules/*.yaml|json, plus an optional user file in the library
// folder). They are validated when loaded; a broken file is reported with its name and line and
// skipped, while every other file still applies.
import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync
} from 'node:fs'
import { join } from 'node:path'
import { resourceCandidates } from '../resources'
import { load as loadHtml } from 'cheerio/slim'
import yaml from 'js-yaml'
import type {
  MetaSelectors,
  RuleLoadError,
  SiteMatch,
  SiteRule,
  SiteRuleSet
} from './extract-types'

export interface LoadSiteRulesOptions {
  /** A user's own rules file (YAML or JSON); its rules win over the shipped ones. */
  userFile?: string
  /** Folder of shipped rules; by default the first of resources/site-rules under cwd, next to the app, or Electron's resourcesPath. */
  dir?: string
}

const SITE_KEYS = new Set(['name', 'match', 'content', 'drop', 'dropText', 'meta', 'note'])
const MATCH_KEYS = new Set(['hosts', 'urlPatterns'])
/** Keys of the old format, when rules could also match by markup or generator: ignored, with a warning. */
const RETIRED_MATCH_KEYS = new Set(['generator', 'selectors'])
const META_KEYS = new Set(['title', 'author', 'date', 'source', 'editor'])
const TOP_KEYS = new Set(['version', 'sites', 'generic'])

/** A host name as URL parsing gives it: letters, digits, dots and hyphens (an IDN in its xn-- form). */
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/

class RuleError extends Error {
  constructor(
    message: string,
    readonly needle?: string
  ) {
    super(message)
  }
}

const selectorProbe = loadHtml('<p></p>')

function checkSelector(sel: string, where: string): string {
  try {
    selectorProbe(sel)
  } catch (e) {
    throw new RuleError(`${where}: invalid CSS selector "${sel}" (${(e as Error).message})`, sel)
  }
  return sel
}

function checkRegex(src: string, where: string): RegExp {
  try {
    return new RegExp(src, 'iu')
  } catch (e) {
    throw new RuleError(
      `${where}: invalid regular expression /${src}/ (${(e as Error).message})`,
      src
    )
  }
}

function stringList(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return []
  if (typeof v === 'string') return [v]
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === '')) {
    throw new RuleError(`${where}: expected a list of non-empty strings`)
  }
  return v as string[]
}

function checkKeys(o: Record<string, unknown>, allowed: Set<string>, where: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.has(k))
      throw new RuleError(`${where}: unknown key "${k}" (allowed: ${[...allowed].join(', ')})`, k)
  }
}

function asObject(v: unknown, where: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new RuleError(`${where}: expected a mapping`)
  return v as Record<string, unknown>
}

function hostList(v: unknown, where: string): string[] {
  return stringList(v, where).map((raw) => {
    const h = raw
      .trim()
      .toLowerCase()
      .replace(/^\*?\./, '')
    if (!HOST_NAME.test(h))
      throw new RuleError(
        `${where}: "${raw}" is not a host name (write it as example.com, without scheme or path; an international name in its xn-- form)`,
        raw
      )
    return h
  })
}

function compileRule(
  raw: unknown,
  origin: string,
  where: string,
  warnings: RuleError[],
  generic = false
): SiteRule {
  const o = asObject(raw, where)
  checkKeys(o, SITE_KEYS, where)
  const name = generic ? 'generic' : o['name']
  if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) {
    throw new RuleError(
      `${where}: "name" must be a short identifier (letters, digits, . _ -)`,
      'name'
    )
  }
  const at = `${where} (${name})`
  const matchRaw = o['match'] === undefined ? {} : asObject(o['match'], `${at} match`)
  if (generic && o['match'] !== undefined)
    throw new RuleError(
      `${at}: the generic rule applies to every page and takes no "match"`,
      'match'
    )
  const retired = Object.keys(matchRaw).filter((k) => RETIRED_MATCH_KEYS.has(k))
  for (const k of retired) delete matchRaw[k]
  checkKeys(matchRaw, MATCH_KEYS, `${at} match`)
  const match: SiteMatch = {
    hosts: hostList(matchRaw['hosts'], `${at} match.hosts`),
    urlPatterns: stringList(matchRaw['urlPatterns'], `${at} match.urlPatterns`).map((s) =>
      checkRegex(s, `${at} match.urlPatterns`)
    )
  }
  if (!generic && !match.hosts.length) {
    throw new RuleError(
      `${at}: "match.hosts" must name the site's hosts: a rule applies only to pages of its hosts` +
        (retired.length ? ` (match.${retired.join(' and match.')} no longer select a rule)` : ''),
      retired[0] ?? name
    )
  }
  if (retired.length)
    warnings.push(
      new RuleError(
        `${at}: match.${retired.join(' and match.')} ignored: a rule applies only on its hosts${match.urlPatterns.length ? ' and URL patterns' : ''} now; remove ${retired.length > 1 ? 'them' : 'it'}`,
        retired[0]
      )
    )
  const metaRaw = o['meta'] === undefined ? {} : asObject(o['meta'], `${at} meta`)
  checkKeys(metaRaw, META_KEYS, `${at} meta`)
  const meta: MetaSelectors = {}
  for (const k of META_KEYS) {
    const list = stringList(metaRaw[k], `${at} meta.${k}`).map((s) =>
      checkSelector(s, `${at} meta.${k}`)
    )
    if (list.length) meta[k as keyof MetaSelectors] = list
  }
  return {
    name,
    origin,
    match,
    content: stringList(o['content'], `${at} content`).map((s) =>
      checkSelector(s, `${at} content`)
    ),
    drop: stringList(o['drop'], `${at} drop`).map((s) => checkSelector(s, `${at} drop`)),
    dropText: stringList(o['dropText'], `${at} dropText`).map((s) =>
      checkRegex(s, `${at} dropText`)
    ),
    meta
  }
}

function lineOf(text: string, needle: string | undefined, from = 0): number | undefined {
  if (!needle) return undefined
  const i = text.indexOf(needle, from)
  return i < 0 ? undefined : text.slice(0, i).split('\n').length
}

function parseDocument(text: string, file: string): unknown {
  if (/\.json$/i.test(file)) {
    try {
      return JSON.parse(text)
    } catch (e) {
      const msg = (e as Error).message
      const pos = /position (\d+)/.exec(msg)
      const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined
      throw Object.assign(new RuleError(`JSON syntax error: ${msg}`), { line })
    }
  }
  try {
    return yaml.load(text, { filename: file })
  } catch (e) {
    const err = e as { reason?: string; message: string; mark?: { line: number } }
    throw Object.assign(new RuleError(`YAML syntax error: ${err.reason ?? err.message}`), {
      line: err.mark ? err.mark.line + 1 : undefined
    })
  }
}

export interface ParsedRules {
  sites: SiteRule[]
  generic: SiteRule[]
  errors: RuleLoadError[]
}

/** Parse and validate one rules file's text. Invalid rules are reported and skipped; valid ones are kept. */
export function parseRulesText(text: string, file: string): ParsedRules {
  const out: ParsedRules = { sites: [], generic: [], errors: [] }
  let doc: unknown
  try {
    doc = parseDocument(text, file)
  } catch (e) {
    out.errors.push({ file, line: (e as { line?: number }).line, message: (e as Error).message })
    return out
  }
  let top: Record<string, unknown>
  try {
    top = asObject(doc, 'top level')
    checkKeys(top, TOP_KEYS, 'top level')
  } catch (e) {
    out.errors.push({
      file,
      line: lineOf(text, (e as RuleError).needle),
      message: (e as Error).message
    })
    return out
  }
  const sites = top['sites'] ?? []
  if (!Array.isArray(sites)) {
    out.errors.push({
      file,
      line: lineOf(text, 'sites'),
      message: '"sites" must be a list of rules'
    })
    return out
  }
  sites.forEach((raw, i) => {
    const name =
      raw && typeof raw === 'object' && typeof (raw as { name?: unknown }).name === 'string'
        ? (raw as { name: string }).name
        : undefined
    const start = name ? text.indexOf(name) : 0
    const at = (e: RuleError): number | undefined =>
      lineOf(text, e.needle, Math.max(0, start)) ?? lineOf(text, name)
    const warnings: RuleError[] = []
    try {
      out.sites.push(compileRule(raw, file, `sites[${i}]`, warnings))
    } catch (e) {
      out.errors.push({ file, line: at(e as RuleError), message: (e as Error).message })
    }
    for (const w of warnings)
      out.errors.push({ file, line: at(w), message: w.message, warning: true })
  })
  if (top['generic'] !== undefined) {
    try {
      out.generic.push(compileRule(top['generic'], file, 'generic', [], true))
    } catch (e) {
      const start = text.indexOf('generic')
      out.errors.push({
        file,
        line: lineOf(text, (e as RuleError).needle, Math.max(0, start)),
        message: (e as Error).message
      })
    }
  }
  return out
}

function defaultDirs(): string[] {
  return resourceCandidates('site-rules')
}

function mergeGeneric(list: SiteRule[]): SiteRule {
  return {
    name: 'generic',
    origin: list.map((r) => r.origin).join(', '),
    match: { hosts: [], urlPatterns: [] },
    content: [],
    drop: list.flatMap((r) => r.drop),
    dropText: list.flatMap((r) => r.dropText),
    meta: {}
  }
}

/** Load the shipped rules and the user's file. Never throws for bad rules: they come back as errors. */
export function loadSiteRules(opts: LoadSiteRulesOptions = {}): {
  rules: SiteRuleSet
  errors: RuleLoadError[]
} {
  const errors: RuleLoadError[] = []
  const dir = opts.dir ?? defaultDirs().find((d) => existsSync(d))
  const shipped: ParsedRules[] = []
  if (!dir || !existsSync(dir)) {
    errors.push({
      file: dir ?? 'resources/site-rules',
      message: 'site rules folder not found; only generic extraction applies'
    })
  } else {
    for (const f of readdirSync(dir)
      .filter((n) => /\.(ya?ml|json)$/i.test(n))
      .sort()) {
      const file = join(dir, f)
      shipped.push(parseRulesText(readFileSync(file, 'utf8'), file))
    }
  }
  let user: ParsedRules | null = null
  if (opts.userFile) {
    if (!existsSync(opts.userFile))
      errors.push({ file: opts.userFile, message: 'user rules file not found' })
    else {
      const text = readUserRules(opts.userFile)
      if (typeof text === 'string') user = parseRulesText(text, opts.userFile)
      else errors.push(text)
    }
  }
  const all = user ? [user, ...shipped] : shipped
  for (const p of all) errors.push(...p.errors)
  return {
    rules: {
      sites: all.flatMap((p) => p.sites),
      generic: mergeGeneric(all.flatMap((p) => p.generic))
    },
    errors
  }
}

let shipped: SiteRuleSet | null = null

/**
 * The shipped rules alone, loaded once per process (they are the same for every library): what
 * parsing uses when it is given no rules of its own.
 */
export function shippedSiteRules(): SiteRuleSet {
  shipped ??= loadSiteRules().rules
  return shipped
}

/** A rules file is a page or two of selectors; a bigger one is not one, and is not read. */
const MAX_USER_RULES_BYTES = 1024 * 1024

/** The user's rules file, read to at most the size its handle reports (and that bounded). */
function readUserRules(file: string): string | RuleLoadError {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (e) {
    return { file, message: `cannot read: ${(e as Error).message}` }
  }
  try {
    const size = fstatSync(fd).size
    if (size > MAX_USER_RULES_BYTES)
      return {
        file,
        message: `${(size / (1024 * 1024)).toFixed(1)} MB is over the 1 MB a rules file may be; not read`
      }
    const buf = Buffer.alloc(size)
    let got = 0
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, null)
      if (n === 0) break
      got += n
    }
    return buf.subarray(0, got).toString('utf8')
  } catch (e) {
    return { file, message: `cannot read: ${(e as Error).message}` }
  } finally {
    closeSync(fd)
  }
}

function hostOf(url: string): string | null {
  try {
    const u = new URL(url)
    return /^https?:$/.test(u.protocol) ? u.hostname.toLowerCase() : null
  } catch {
    return null
  }
}

/**
 * The site rules that apply to this page: those whose hosts hold the host of one of the page's
 * addresses (given URL, canonical, og:url) and, when the rule has URL patterns, whose pattern
 * that same address matches. A page with no web address gets no site rule.
 */
export function matchingRules(set: SiteRuleSet, urls: (string | null | undefined)[]): SiteRule[] {
  const pages = urls
    .filter((u): u is string => !!u)
    .map((u) => ({ url: u, host: hostOf(u) }))
    .filter((p): p is { url: string; host: string } => p.host !== null)
  if (!pages.length) return []
  return set.sites.filter((r) =>
    pages.some(
      (p) =>
        r.match.hosts.some((h) => p.host === h || p.host.endsWith('.' + h)) &&
        (!r.match.urlPatterns.length || r.match.urlPatterns.some((re) => re.test(p.url)))
    )
  )
}
