// Markdown export: one file per article (YAML front matter that Gleaner imports back, the body
// converted from clean HTML, highlights as Obsidian callouts) plus an index of wikilinks; or,
// for a path ending in .md, the whole briefing in one file. Article text is text: whatever
// Markdown or HTML syntax it holds is escaped, so no renderer turns it into markup.
import yaml from 'js-yaml'
import TurndownService from 'turndown'
import type { ExportArticle, ExportBundle, ExportOptions } from '../../shared/export-types'
import { safeFileStem } from '../../shared/file-names'
import { colorName } from './colors'
import { uniqueName } from './filenames'
import { counted, fill, labelsFor, type ExportLabels } from './labels'
import { escapeMarkdown, loadTemplate, renderTemplate, TEMPLATE_NAMES } from './templates'
import { termsLine } from './terms'
import { safeHttpUrl } from './urls'
import type { ExportFile } from './files'
import { imageFileName } from './images'

/** What the rules read of turndown's node: the core has no DOM types (turndown parses itself). */
interface Attributed {
  getAttribute(name: string): string | null
}

/** What CommonMark would read as raw HTML or an entity: `<`, `>` and `&`, backslash-escaped. */
function escapeHtmlSyntax(s: string): string {
  return s.replace(/[<>&]/g, '\\$&')
}

/** A URL as a Markdown link destination (it is already percent-encoded: no spaces or <>). */
function linkDestination(url: string): string {
  return url.replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'))
}

/** The relative link an export writes for a kept image of the current article, or null. */
interface ImageLinks {
  of: (src: string) => string | null
}

const NO_IMAGES: ImageLinks = { of: () => null }

function turndown(images: ImageLinks = NO_IMAGES): TurndownService {
  const td = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '*',
    hr: '---'
  })
  // Turndown escapes Markdown syntax in text but leaves `<`, `>` and `&`: article text that
  // reads "&lt;script&gt;" would come out as a live <script> element. Code keeps its text
  // as is; inside code spans and blocks Markdown shows it literally.
  const markdownEscape = td.escape.bind(td)
  td.escape = (s: string): string => escapeHtmlSyntax(markdownEscape(s))
  // Turndown's own image rule escapes alt text with its private escaper, past the one above.
  // Links and images keep only addresses that open a web page (a library cleaned by an older
  // cleaner may still hold a javascript: link): anything else keeps its text, loses the link.
  td.addRule('image', {
    filter: 'img',
    replacement: (_content, node) => {
      const el = node as unknown as Attributed
      const alt = td.escape((el.getAttribute('alt') ?? '').replace(/\s*\n+\s*/g, ' '))
      // A kept image is written beside the notes (images/…) and linked relatively.
      const kept = images.of(el.getAttribute('src') ?? '')
      if (kept) return `![${alt}](${linkDestination(kept)})`
      const src = safeHttpUrl(el.getAttribute('src'))
      // An image of the file that was not beside it when imported has no address to link.
      if (!src || new URL(src).hostname.endsWith('.invalid')) return alt
      return `![${alt}](${linkDestination(src)})`
    }
  })
  td.addRule('link', {
    filter: (node) => node.nodeName === 'A' && node.getAttribute('href') !== null,
    replacement: (content, node) => {
      const href = safeHttpUrl((node as unknown as Attributed).getAttribute('href'))
      return href ? `[${content}](${linkDestination(href)})` : content
    }
  })
  td.remove([
    'script',
    'style',
    'iframe',
    'noscript',
    'form',
    'button',
    'input',
    'select',
    'textarea'
  ])
  return td
}

/** The front matter as YAML: the keys Gleaner's importer reads, nothing empty. */
export function frontMatter(entry: ExportArticle, bundleTitle: string): Record<string, unknown> {
  const a = entry.article
  const fm: Record<string, unknown> = { title: a.title }
  if (a.author) fm.author = a.author
  if (a.source) fm.source = a.source
  if (a.publishedAt) fm.date = a.publishedAt
  const url = safeHttpUrl(a.url)
  if (url) fm.url = url
  if (a.categoryPath.length > 0) fm.categories = [...a.categoryPath]
  if (a.tags.length > 0) fm.tags = [...a.tags]
  if (a.editor) fm.editor = a.editor
  if (a.originalTitle) fm.original_title = a.originalTitle
  fm.gleaner = { id: a.id, collection: bundleTitle, highlights: entry.annotations.length }
  return fm
}

function yamlBlock(data: Record<string, unknown>): string {
  return '---\n' + yaml.dump(data, { lineWidth: -1 }) + '---'
}

function quoteLines(text: string): string {
  return text
    .split('\n')
    .map((l) => (l.trim() === '' ? '>' : `> ${escapeMarkdown(l)}`))
    .join('\n')
}

/** Obsidian tags hold letters, digits, _ - and /: anything else (markup included) becomes -. */
function inlineTag(tag: string): string {
  return '#' + tag.trim().replace(/[\s#,.;:!?()[\]{}"'`<>&]+/g, '-')
}

function dateOnly(iso: string | null): string {
  return iso ? iso.slice(0, 10) : ''
}

/** A wikilink's shown text: what would end the link goes, markup is escaped. */
function wikiAlias(title: string): string {
  return escapeHtmlSyntax(title.replace(/[[\]|#^\n]/g, ' ').trim())
}

function articleView(
  entry: ExportArticle,
  bundle: ExportBundle,
  td: TurndownService,
  labels: ExportLabels
) {
  const a = entry.article
  const highlights = entry.annotations.map((ann, i) => {
    const color = colorName(ann.color)
    return {
      number: i + 1,
      color: labels.colors[color] ?? color,
      isNote: ann.exact === '',
      label: ann.exact === '' ? labels.note : fill(labels.highlightN, { n: i + 1 }),
      quote: quoteLines(ann.exact),
      note: ann.note === '' ? null : quoteLines(ann.note),
      tags: ann.tags.map(inlineTag).join(' '),
      created: ann.createdAt,
      updated: ann.updatedAt
    }
  })
  return {
    frontMatter: yamlBlock(frontMatter(entry, bundle.title)),
    title: a.title || labels.untitled,
    // A notes-only export leaves the article's text out: its highlights quote what matters.
    body: bundle.notesOnly ? '' : td.turndown(a.cleanHtml).trim(),
    itemNote: entry.itemNote ? quoteLines(entry.itemNote) : null,
    terms: termsLine(entry, labels),
    hasHighlights: highlights.length > 0,
    highlights,
    url: safeHttpUrl(a.url),
    source: a.source ?? a.author ?? '',
    date: dateOnly(a.publishedAt)
  }
}

function bundleView(bundle: ExportBundle, labels: ExportLabels, kind: string) {
  const annotationCount = bundle.articles.reduce((n, e) => n + e.annotations.length, 0)
  return {
    frontMatter: yamlBlock({
      title: bundle.title,
      generated: bundle.generatedAt,
      tags: [`gleaner-${kind}`],
      gleaner: { [kind]: true }
    }),
    title: bundle.title,
    generatedDate: dateOnly(bundle.generatedAt),
    articleCount: bundle.articles.length,
    annotationCount,
    summary: [
      fill(labels.exported, { date: dateOnly(bundle.generatedAt) }),
      counted(labels.articles, bundle.articles.length),
      counted(labels.highlightsAndNotes, annotationCount)
    ].join(' · ')
  }
}

function templateLabels(labels: ExportLabels): Record<string, string> {
  return {
    collectionNote: labels.collectionNote,
    highlights: labels.highlightsHeading,
    note: labels.note
  }
}

/**
 * One file per article, then the index (always last: it is written last, so on disk it never
 * lists a note that is not there whole).
 */
export function renderMarkdown(bundle: ExportBundle, options: ExportOptions = {}): ExportFile[] {
  const labels = labelsFor(options.locale)
  const articleTemplate = loadTemplate(TEMPLATE_NAMES.markdownArticle, options.templateDir)
  const indexTemplate = loadTemplate(TEMPLATE_NAMES.markdownIndex, options.templateDir)
  const images: ImageLinks = { of: () => null }
  const td = turndown(images)
  const taken = new Set<string>()
  const indexName = uniqueName(
    `${safeFileStem(bundle.title, 'Index')} - ${labels.indexSuffix}`,
    '.md',
    taken
  )
  const files: ExportFile[] = []
  const links: object[] = []
  const enc = new TextEncoder()

  const imageFiles = new Map<string, ExportFile>()
  for (const entry of bundle.articles) {
    const a = entry.article
    const name = uniqueName(safeFileStem(a.title, `article-${a.id}`), '.md', taken)
    images.of = keptImageLinks(entry, imageFiles)
    const view = { ...articleView(entry, bundle, td, labels), labels: templateLabels(labels) }
    files.push({
      path: name,
      bytes: enc.encode(renderTemplate(articleTemplate, view, escapeMarkdown))
    })
    const target = name.replace(/\.md$/, '')
    links.push({
      target,
      alias: wikiAlias(a.title) || target,
      source: view.source,
      date: view.date,
      highlightLabel: counted(labels.highlights, entry.annotations.length),
      itemNote: entry.itemNote ?? null
    })
  }

  // Images first, the notes' index last: on disk no note links an image that is not there.
  files.unshift(...imageFiles.values())
  const index = renderTemplate(
    indexTemplate,
    { ...bundleView(bundle, labels, 'index'), articles: links },
    escapeMarkdown
  )
  files.push({ path: indexName, bytes: enc.encode(index) })
  return files
}

/** The folder, beside the Markdown files, that an export writes kept images into. */
export const MARKDOWN_IMAGES_FOLDER = 'images'

/**
 * The whole briefing as one Markdown file (path ''): a heading per article, then its text and
 * highlights; with the kept images it links, beside it in images/.
 */
export function renderMarkdownFile(
  bundle: ExportBundle,
  options: ExportOptions = {}
): ExportFile[] {
  const labels = labelsFor(options.locale)
  const template = loadTemplate(TEMPLATE_NAMES.markdownBriefing, options.templateDir)
  const images: ImageLinks = { of: () => null }
  const td = turndown(images)
  const imageFiles = new Map<string, ExportFile>()
  const articles = bundle.articles.map((entry, i) => {
    images.of = keptImageLinks(entry, imageFiles)
    return { ...articleView(entry, bundle, td, labels), number: i + 1 }
  })
  const text = renderTemplate(
    template,
    { ...bundleView(bundle, labels, 'briefing'), labels: templateLabels(labels), articles },
    escapeMarkdown
  )
  // The one file last, after the images it links (paths relative to its folder).
  return [...imageFiles.values(), { path: '', bytes: new TextEncoder().encode(text) }]
}

/**
 * Links for an article's kept images, each image file added once to `files` (images/<hash>):
 * the same picture in two articles is one file.
 */
function keptImageLinks(
  entry: ExportArticle,
  files: Map<string, ExportFile>
): (src: string) => string | null {
  const byUrl = new Map((entry.images ?? []).map((image) => [image.url, image]))
  return (src) => {
    let url: string
    try {
      url = new URL(src).href
    } catch {
      return null
    }
    const image = byUrl.get(url)
    if (!image) return null
    const path = `${MARKDOWN_IMAGES_FOLDER}/${imageFileName(image)}`
    if (!files.has(path)) files.set(path, { path, bytes: image.bytes })
    return path
  }
}
