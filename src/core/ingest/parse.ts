// One file's bytes → articles. Pure (no database, no file-system writes), so the importer can
// run it in worker_threads. The format is recognised by content; the extension only breaks ties.
import { assembleArticle } from './assemble'
import { looksLikeHtml, looksLikeMarkdown, markdownBody, textToTree } from './body'
import type { Document } from '../html/html-tree'
import { decodeBytes } from '../encoding/decode-bytes'
import { parseFeed } from './feed'
import { readMetaFields } from './fields'
import { readFrontMatter } from './front-matter'
import { looksLikeMhtml, parseMhtml } from './mhtml'
import { parseHtmlPage } from './page'
import type { SiteRuleSet } from '../extract/extract-types'
import {
  DEFAULT_PARSE_LIMITS,
  ParseLimitError,
  withParseLimits,
  type ParseLimits
} from '../model/parse-limits'
import type { ArticleFormat, ParseOutcome, ParsedArticle } from '../model/parsed-article'

const WHOLE_PAGE = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!doctype\s+html|<html[\s>])/i
// Feeds often start with an <?xml-stylesheet?> or a DOCTYPE before the root.
const FEED =
  /^\s*(?:<\?[^>]*>\s*|<!--[\s\S]*?-->\s*|<!doctype[^>[]*(?:\[[\s\S]*?\])?\s*>\s*)*<(?:rss|feed|rdf:RDF)[\s>]/i
const JSON_FEED = /^\s*\{[\s\S]{0,200}"version"\s*:\s*"https:\/\/jsonfeed\.org/
const MHTML =
  /^(?:[\w-]+:[^\n]*\r?\n)*?(?:MIME-Version:[^\n]*\r?\n[\s\S]{0,2000}?)?Content-Type:\s*multipart\/related/i

function extension(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? ''
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : ''
}

function outcome(encoding: string, article: ParsedArticle): ParseOutcome {
  return { ok: true, encoding, articles: [article] }
}

function parseWithFrontMatter(text: string, path: string, encoding: string): ParseOutcome | null {
  const fm = readFrontMatter(text)
  if (!fm) return null
  const fields = readMetaFields(fm.data)
  const html = looksLikeHtml(fm.body)
  const format: ArticleFormat = html ? 'hexo' : 'markdown'
  const meta = { ...fm.data }
  if (fields.otherCategoryPaths.length > 0) meta.otherCategoryPaths = fields.otherCategoryPaths
  const md = html ? { body: fm.body, warnings: [] } : markdownBody(fm.body)
  const { article, hasBody } = assembleArticle({
    format,
    encoding,
    path,
    bodyHtml: md.body,
    title: fields.title,
    author: fields.author,
    source: fields.source,
    url: fields.url,
    publishedAt: fields.publishedAt,
    categoryPath: fields.categoryPath,
    tags: fields.tags,
    meta,
    warnings: [...fm.warnings, ...fields.warnings, ...md.warnings]
  })
  if (!fields.title && !hasBody)
    return {
      ok: false,
      code: 'no-content',
      reason: `${fm.kind === 'yaml' ? 'YAML' : 'TOML'} front matter has no title and the body has no text`
    }
  return outcome(encoding, article)
}

/**
 * Plain text whose lines all split into the same number of tab- or comma-separated cells is a
 * table (a manifest, a spreadsheet export), not an article; say so instead of importing rows.
 */
function tabularShape(text: string): string | null {
  const lines = text.split(/\r?\n/u).filter((l) => l.trim() !== '')
  if (lines.length < 3) return null
  for (const [sep, name] of [
    ['\t', 'tab'],
    [',', 'comma']
  ] as const) {
    const counts = lines.map((l) => l.split(sep).length)
    const first = counts[0] ?? 1
    if (first >= 3 && counts.every((c) => c === first))
      return `a table (${lines.length} rows of ${first} ${name}-separated columns), not an article`
  }
  return null
}

function parseBodyOnly(
  text: string,
  path: string,
  encoding: string,
  forced?: 'html-fragment'
): ParseOutcome {
  const ext = extension(path)
  let format: ArticleFormat
  let bodyHtml: string | Document
  let warnings: string[] = []
  if (forced) {
    format = forced
    bodyHtml = text
  } else if (
    ['md', 'markdown', 'mdown', 'mkd'].includes(ext) ||
    (ext !== 'html' && looksLikeMarkdown(text))
  ) {
    format = 'markdown'
    ;({ body: bodyHtml, warnings } = markdownBody(text))
  } else {
    const table = tabularShape(text)
    if (table) return { ok: false, code: 'unsupported', reason: table }
    format = 'text'
    ;({ body: bodyHtml, warnings } = textToTree(text))
  }
  const { article, hasBody } = assembleArticle({
    format,
    encoding,
    path,
    bodyHtml,
    title: null,
    author: null,
    source: null,
    url: null,
    publishedAt: null,
    categoryPath: [],
    tags: [],
    meta: {},
    warnings
  })
  if (!hasBody) return { ok: false, code: 'no-content', reason: `${format} file has no text` }
  return outcome(encoding, article)
}

function parseText(
  text: string,
  path: string,
  encoding: string,
  siteRules: SiteRuleSet | undefined
): ParseOutcome {
  const withFrontMatter = parseWithFrontMatter(text, path, encoding)
  if (withFrontMatter) return withFrontMatter

  const head = text.slice(0, 4096)
  // A feed holds many articles: one per item.
  if (FEED.test(head) || JSON_FEED.test(head)) return parseFeed(text, path, encoding)
  if (MHTML.test(head))
    return {
      ok: false,
      code: 'parse-error',
      reason: 'looks like an MHTML archive but its MIME headers could not be read'
    }

  // A page saved without a doctype still has its <head> or <body>.
  if (WHOLE_PAGE.test(head) || /<(?:head|body)[\s>]/i.test(head)) {
    const article = parseHtmlPage(text, path, encoding, siteRules)
    if (article.cleanText.trim() === '')
      return { ok: false, code: 'no-content', reason: 'web page has no article text' }
    return outcome(encoding, article)
  }
  // An HTML fragment without front matter (a saved article body) is the article already:
  // no page extraction, which could mistake its short paragraphs for page chrome.
  if (looksLikeHtml(text) && !looksLikeMarkdown(text))
    return parseBodyOnly(text, path, encoding, 'html-fragment')
  return parseBodyOnly(text, path, encoding)
}

export interface ParseOptions {
  /** What one file may build (HTML nodes, nesting depth); DEFAULT_PARSE_LIMITS by default. */
  limits?: ParseLimits
  /**
   * The library's site rules for web pages (shipped + the user's file), given by whoever parses
   * for that library: two libraries open in one process each keep their own. The shipped rules
   * by default.
   */
  siteRules?: SiteRuleSet
}

/**
 * Parses one file within the parse limits (HTML nodes, nesting depth). Never throws: every
 * failure is a code and a one-line reason.
 */
export function parseArticleFile(
  bytes: Uint8Array,
  path: string,
  opts: ParseOptions = {}
): ParseOutcome {
  try {
    return withParseLimits(opts.limits ?? DEFAULT_PARSE_LIMITS, () =>
      parseWithin(bytes, path, opts.siteRules)
    )
  } catch (err) {
    if (err instanceof ParseLimitError) return { ok: false, code: err.code, reason: err.message }
    throw err
  }
}

/** A reader's failure as this file's outcome; a breached limit is thrown on (the run reports it). */
function parseError(err: unknown, what: string): ParseOutcome {
  if (err instanceof ParseLimitError) throw err
  const message = err instanceof Error ? err.message : String(err)
  return { ok: false, code: 'parse-error', reason: `${what}: ${message.split('\n')[0]}` }
}

function parseWithin(
  bytes: Uint8Array,
  path: string,
  siteRules: SiteRuleSet | undefined
): ParseOutcome {
  // MHTML parts carry their own charsets and transfer encodings: route before decoding.
  try {
    if (looksLikeMhtml(bytes)) return parseMhtml(bytes, path, siteRules)
  } catch (err) {
    return parseError(err, 'could not read MHTML archive')
  }
  const decoded = decodeBytes(bytes)
  if (!decoded.ok) return decoded
  const text = decoded.text.replace(/^\uFEFF/, '')
  try {
    const parsed = parseText(text, path, decoded.encoding, siteRules)
    // What decoding had to repair is said on each article it gave.
    if (parsed.ok && decoded.warnings)
      for (const a of parsed.articles) a.warnings.unshift(...decoded.warnings)
    return parsed
  } catch (err) {
    return parseError(err, `could not parse ${decoded.encoding} text`)
  }
}
