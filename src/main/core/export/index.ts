// Export entry points: render a bundle in one format to files, or write them to disk.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type {
  ExportBundle,
  ExportFormat,
  ExportOptions,
  ExportResult
} from '../../../shared/export-types'
import { EXPORT_FORMATS } from '../../../shared/export-types'
import { renderCsv } from './csv'
import { renderDocx } from './docx'
import type { ExportFile } from './files'
import { renderHtmlBriefing } from './html'
import { renderJson } from './json'
import { renderMarkdown } from './markdown'
import { chromiumPdfRenderer, type PdfRenderer } from './pdf'

export type { ExportFile } from './files'
export type { PdfRenderer } from './pdf'
export { chromiumPdfRenderer } from './pdf'
export { renderCsv, CSV_HEADER } from './csv'
export { renderDocx } from './docx'
export { renderHtmlBriefing, BRIEFING_CSP } from './html'
export { renderJson, ANNO_CONTEXT } from './json'
export { renderMarkdown, frontMatter } from './markdown'
export {
  loadExportBundle,
  loadCollectionBundle,
  loadArticleDetail,
  loadArticleAnnotations
} from './load'
export { setShippedTemplatesDir, shippedTemplatesDir, TEMPLATE_NAMES } from './templates'
export { safeFileStem } from './filenames'

export interface RenderExportOptions extends ExportOptions {
  /** How to print the briefing to PDF; defaults to Chromium through playwright-core. */
  pdf?: PdfRenderer
}

export function isExportFormat(v: string): v is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(v)
}

export const FORMAT_EXTENSIONS: Record<Exclude<ExportFormat, 'markdown'>, string> = {
  html: '.html',
  pdf: '.pdf',
  docx: '.docx',
  json: '.json',
  csv: '.csv'
}

/** The export as files. Markdown yields several (paths relative to a folder); the rest yield one, named "". */
export async function renderExport(
  bundle: ExportBundle,
  format: ExportFormat,
  options: RenderExportOptions = {}
): Promise<ExportFile[]> {
  const enc = new TextEncoder()
  switch (format) {
    case 'markdown':
      return renderMarkdown(bundle, options)
    case 'html':
      return [{ path: '', bytes: enc.encode(renderHtmlBriefing(bundle, options)) }]
    case 'pdf': {
      const render = options.pdf ?? chromiumPdfRenderer()
      return [{ path: '', bytes: await render(renderHtmlBriefing(bundle, options)) }]
    }
    case 'docx':
      return [{ path: '', bytes: await renderDocx(bundle) }]
    case 'json':
      return [{ path: '', bytes: enc.encode(JSON.stringify(renderJson(bundle), null, 2) + '\n') }]
    case 'csv':
      return [{ path: '', bytes: renderCsv(bundle) }]
  }
}

/**
 * Writes the export: for Markdown, `outPath` is a folder (created if needed) that receives one
 * file per article and an index; for the other formats it is the file to write.
 */
export async function exportBundle(
  bundle: ExportBundle,
  format: ExportFormat,
  outPath: string,
  options: RenderExportOptions = {}
): Promise<ExportResult> {
  const out = resolve(outPath)
  const files = await renderExport(bundle, format, options)
  const written: string[] = []
  if (format === 'markdown') mkdirSync(out, { recursive: true })
  else mkdirSync(dirname(out), { recursive: true })
  for (const f of files) {
    const target = format === 'markdown' ? join(out, f.path) : out
    writeFileSync(target, f.bytes)
    written.push(target)
  }
  return {
    format,
    files: written,
    articleCount: bundle.articles.length,
    annotationCount: bundle.articles.reduce((n, e) => n + e.annotations.length, 0)
  }
}
