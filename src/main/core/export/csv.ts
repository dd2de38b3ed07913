// CSV export: one row per annotation. RFC 4180 (CRLF, quotes doubled, fields quoted when they
// hold a comma, quote or line break) and a UTF-8 BOM, without which Excel reads Chinese as
// mojibake. Cells starting with = + - @ are prefixed with ' so spreadsheets do not run them.
import type { ExportBundle } from '../../../shared/export-types'
import { colorName } from './colors'

export const CSV_HEADER = [
  'article_id',
  'article_title',
  'quote',
  'note',
  'color',
  'tags',
  'created',
  'updated'
] as const

function cell(value: string | number): string {
  let s = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function renderCsv(bundle: ExportBundle): Uint8Array {
  const rows: (string | number)[][] = [[...CSV_HEADER]]
  for (const e of bundle.articles) {
    for (const a of e.annotations) {
      rows.push([
        e.article.id,
        e.article.title,
        a.exact,
        a.note,
        colorName(a.color),
        a.tags.join('; '),
        a.createdAt,
        a.updatedAt
      ])
    }
  }
  const text = '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
  return new TextEncoder().encode(text)
}
