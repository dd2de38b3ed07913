// Markdown export: one file per article (YAML front matter that Gleaner imports back, the body
// converted from clean HTML, highlights as Obsidian callouts) plus an index of wikilinks.
import yaml from 'js-yaml'
import TurndownService from 'turndown'
import type { ExportArticle, ExportBundle, ExportOptions } from '../../../shared/export-types'
import { colorName } from './colors'
import { safeFileStem, uniqueName } from './filenames'
import { escapeMarkdown, loadTemplate, renderTemplate, TEMPLATE_NAMES } from './templates'
import type { ExportFile } from './files'

function turndown(): TurndownService {
  const td = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '*',
    hr: '---'
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
  if (a.url) fm.url = a.url
  if (a.categoryPath.length > 0) fm.categories = [...a.categoryPath]
  if (a.tags.length > 0) fm.tags = [...a.tags]
  if (a.editor) fm.editor = a.editor
  if (a.originalTitle) fm.original_title = a.originalTitle
  fm.gleaner = { id: a.id, collection: bundleTitle, highlights: entry.annotations.length }
  return fm
}

function quoteLines(text: string): string {
  return text
    .split('\n')
    .map((l) => (l.trim() === '' ? '>' : `> ${escapeMarkdown(l)}`))
    .join('\n')
}

/** Obsidian tags cannot hold spaces or most punctuation. */
function inlineTag(tag: string): string {
  return '#' + tag.trim().replace(/[\s#,.;:!?()[\]{}"'`]+/g, '-')
}

function dateOnly(iso: string | null): string {
  return iso ? iso.slice(0, 10) : ''
}

function wikiAlias(title: string): string {
  return title.replace(/[[\]|#^\n]/g, ' ').trim()
}

export function renderMarkdown(bundle: ExportBundle, options: ExportOptions = {}): ExportFile[] {
  const articleTemplate = loadTemplate(TEMPLATE_NAMES.markdownArticle, options.templateDir)
  const indexTemplate = loadTemplate(TEMPLATE_NAMES.markdownIndex, options.templateDir)
  const td = turndown()
  const taken = new Set<string>()
  const indexName = uniqueName(safeFileStem(bundle.title, 'Index') + ' - index', '.md', taken)
  const files: ExportFile[] = []
  const links: object[] = []

  for (const entry of bundle.articles) {
    const a = entry.article
    const name = uniqueName(safeFileStem(a.title, `article-${a.id}`), '.md', taken)
    const highlights = entry.annotations.map((ann, i) => ({
      number: i + 1,
      color: colorName(ann.color),
      isNote: ann.exact === '',
      quote: quoteLines(ann.exact),
      note: ann.note === '' ? null : quoteLines(ann.note),
      tags: ann.tags.map(inlineTag).join(' '),
      created: ann.createdAt,
      updated: ann.updatedAt
    }))
    const view = {
      frontMatter: '---\n' + yaml.dump(frontMatter(entry, bundle.title), { lineWidth: -1 }) + '---',
      title: a.title,
      body: td.turndown(a.cleanHtml).trim(),
      itemNote: entry.itemNote ? quoteLines(entry.itemNote) : null,
      hasHighlights: highlights.length > 0,
      highlights,
      url: a.url,
      source: a.source ?? a.author ?? '',
      date: dateOnly(a.publishedAt)
    }
    const text = renderTemplate(articleTemplate, view, escapeMarkdown)
    files.push({ path: name, bytes: new TextEncoder().encode(text) })
    links.push({
      target: name.replace(/\.md$/, ''),
      alias: wikiAlias(a.title) || name.replace(/\.md$/, ''),
      source: view.source,
      date: view.date,
      highlightLabel: highlights.length === 1 ? '1 highlight' : `${highlights.length} highlights`,
      itemNote: entry.itemNote ?? null
    })
  }

  const annotationCount = bundle.articles.reduce((n, e) => n + e.annotations.length, 0)
  const index = renderTemplate(
    indexTemplate,
    {
      frontMatter:
        '---\n' +
        yaml.dump(
          {
            title: bundle.title,
            generated: bundle.generatedAt,
            tags: ['gleaner-index'],
            gleaner: { index: true }
          },
          { lineWidth: -1 }
        ) +
        '---',
      title: bundle.title,
      generatedDate: dateOnly(bundle.generatedAt),
      articleCount: bundle.articles.length,
      annotationCount,
      articles: links
    },
    escapeMarkdown
  )
  files.unshift({ path: indexName, bytes: new TextEncoder().encode(index) })
  return files
}
