// What the export panel's Choose… button asks the native dialog for: the collection's name as a
// file name with the format's extension (a bare folder name for Markdown) and the format's type.
import type { SavePathRequest } from '../../../shared/api'
import type { ExportFormat } from '../../../shared/export-types'

const EXTENSIONS: Record<Exclude<ExportFormat, 'markdown'>, string> = {
  html: 'html',
  pdf: 'pdf',
  docx: 'docx',
  json: 'json',
  csv: 'csv'
}

/** A name that works as a file name everywhere (no separators, control or reserved characters). */
export function safeName(name: string, fallback = 'Gleaner export'): string {
  const cleaned = name
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/gu, '')
  const short = [...cleaned].slice(0, 120).join('').trim()
  return short === '' || /^(con|prn|aux|nul|com\d|lpt\d)$/iu.test(short) ? fallback : short
}

export function savePathRequest(collectionName: string, format: ExportFormat): SavePathRequest {
  const stem = safeName(collectionName)
  if (format === 'markdown') return { defaultName: stem, folder: true, filters: [] }
  const ext = EXTENSIONS[format]
  return {
    defaultName: `${stem}.${ext}`,
    folder: false,
    filters: [{ name: format.toUpperCase(), extensions: [ext] }]
  }
}
