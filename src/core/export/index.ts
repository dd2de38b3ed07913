// Export entry points: render a bundle in one format to files, or write them to disk.
import { lstatSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, extname, join, resolve } from 'node:path'
import type {
  ExportBundle,
  ExportFormat,
  ExportOptions,
  ExportResult
} from '../../shared/export-types'
import { EXPORT_EXTENSIONS, EXPORT_FORMATS } from '../../shared/export-types'
import { renderCsv } from './csv'
import { renderDocx } from './docx'
import { ExportError } from './export-errors'
import type { ExportFile } from './files'
import { renderHtmlBriefing } from './html'
import { renderJson } from './json'
import { renderMarkdown, renderMarkdownFile } from './markdown'
import { chromiumPdfRenderer, type PdfRenderer } from './pdf'
import { checkTarget, sweepTemporaries, writeFileAtomic } from './write'

export type { ExportFile } from './files'
export type { PdfRenderer } from './pdf'
export { chromiumPdfRenderer } from './pdf'
export { renderCsv, CSV_HEADER } from './csv'
export { renderDocx, xmlSafeText } from './docx'
export { renderHtmlBriefing, BRIEFING_CSP } from './html'
export { renderJson, ANNO_CONTEXT } from './json'
export { renderMarkdown, renderMarkdownFile, frontMatter } from './markdown'
export {
  loadAnnotationBundle,
  loadExportBundle,
  loadCollectionBundle,
  loadArticleDetail,
  loadArticleAnnotations
} from './load'
export { setShippedTemplatesDir, shippedTemplatesDir, TEMPLATE_NAMES } from './templates'
export { safeFileStem } from './filenames'
export { ExportError, type ExportErrorCode } from './export-errors'
export { EXPORT_LABELS, fill, labelsFor } from './labels'

export interface RenderExportOptions extends ExportOptions {
  /** How to print the briefing to PDF; defaults to Chromium through playwright-core. */
  pdf?: PdfRenderer
}

export interface WriteExportOptions extends RenderExportOptions {
  /** Replace an existing file (or write into a folder that is not empty); refused otherwise. */
  overwrite?: boolean
}

export function isExportFormat(v: string): v is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(v)
}

/** Markdown goes to a folder unless the path names a .md file. */
function writesFolder(format: ExportFormat, path: string): boolean {
  return format === 'markdown' && !EXPORT_EXTENSIONS.markdown.includes(extname(path).toLowerCase())
}

/**
 * Refuses a path whose extension belongs to another format (or, for a file, is missing): a
 * briefing saved as .csv or a folder named report.docx is a slip that would hide the export.
 */
export function checkExtension(format: ExportFormat, path: string): void {
  const ext = extname(path).toLowerCase()
  const allowed = EXPORT_EXTENSIONS[format]
  if (allowed.includes(ext)) return
  if (format === 'markdown') {
    const other = EXPORT_FORMATS.some((f) => f !== 'markdown' && EXPORT_EXTENSIONS[f].includes(ext))
    if (!other) return
  }
  const expected = allowed[0] as string
  throw new ExportError(
    'wrong-extension',
    format === 'markdown'
      ? `A Markdown export goes to a folder or a ${expected} file, not ${path}.`
      : `The ${format.toUpperCase()} export must end in ${expected}: ${path}`,
    { path, expected, format }
  )
}

function sameBytesAt(path: string, bytes: Uint8Array): boolean {
  try {
    const st = lstatSync(path)
    return st.isFile() && st.size === bytes.length && Buffer.from(bytes).equals(readFileSync(path))
  } catch {
    return false
  }
}

/** The export as files. Markdown to a folder yields several (paths relative to it); the rest yield one, named "". */
export async function renderExport(
  bundle: ExportBundle,
  format: ExportFormat,
  options: RenderExportOptions = {},
  folder = format === 'markdown'
): Promise<ExportFile[]> {
  const enc = new TextEncoder()
  switch (format) {
    case 'markdown':
      return folder ? renderMarkdown(bundle, options) : renderMarkdownFile(bundle, options)
    case 'html':
      return [{ path: '', bytes: enc.encode(renderHtmlBriefing(bundle, options)) }]
    case 'pdf': {
      const render = options.pdf ?? chromiumPdfRenderer()
      return [{ path: '', bytes: await render(renderHtmlBriefing(bundle, options)) }]
    }
    case 'docx':
      return [{ path: '', bytes: await renderDocx(bundle, options) }]
    case 'json':
      return [{ path: '', bytes: enc.encode(JSON.stringify(renderJson(bundle), null, 2) + '\n') }]
    case 'csv':
      return [{ path: '', bytes: renderCsv(bundle) }]
  }
}

/**
 * Writes the export: for Markdown, `outPath` is a folder (created if needed) that receives one
 * file per article and an index, or a .md file; for the other formats it is the file to write.
 * Nothing existing is replaced unless `overwrite` (refused with file-exists); each file is
 * written whole or not at all, and the Markdown index last (write.ts).
 */
export async function exportBundle(
  bundle: ExportBundle,
  format: ExportFormat,
  outPath: string,
  options: WriteExportOptions = {}
): Promise<ExportResult> {
  const out = resolve(outPath)
  const overwrite = options.overwrite === true
  checkExtension(format, out)
  const folder = writesFolder(format, out)
  // Refused before the work of rendering (a PDF takes seconds), and again at each write.
  checkTarget(out, folder ? 'folder' : 'file', overwrite)
  if (bundle.articles.length === 0)
    throw new ExportError('nothing-to-export', 'Nothing to export: no articles matched.')
  const files = await renderExport(bundle, format, options, folder)
  const written: string[] = []
  try {
    mkdirSync(folder ? out : dirname(out), { recursive: true })
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw code === 'ENOTDIR' || code === 'EEXIST'
      ? new ExportError('not-a-folder', `A part of ${out} is a file, not a folder.`, { path: out })
      : new ExportError('write-failed', `Could not create ${out}: ${(e as Error).message}`, {
          path: out,
          reason: code ?? (e as Error).message
        })
  }
  sweepTemporaries(folder ? out : dirname(out))
  for (const f of files) {
    // Files other than the export itself (a Markdown export's images) go beside it.
    const target = f.path === '' ? out : join(folder ? out : dirname(out), f.path)
    const beside = dirname(target) !== (folder ? out : dirname(out))
    if (beside) {
      mkdirSync(dirname(target), { recursive: true })
      // The same image written by an earlier export is left as it is; another file of that
      // name is never replaced (file-exists), whatever `overwrite` says of the notes.
      if (sameBytesAt(target, f.bytes)) continue
    }
    writeFileAtomic(target, f.bytes, { overwrite: overwrite && !beside })
    written.push(target)
  }
  return {
    format,
    files: written,
    articleCount: bundle.articles.length,
    annotationCount: bundle.articles.reduce((n, e) => n + e.annotations.length, 0)
  }
}
