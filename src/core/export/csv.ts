// CSV export: one file, one row per article (row_type "article") followed by one row per
// annotation of that article (row_type "annotation"), so a spreadsheet filters either kind and
// every annotation row still names its article. RFC 4180 (CRLF, quotes doubled, fields quoted
// when they hold a comma, quote or line break) and a UTF-8 BOM, without which Excel reads
// Chinese as mojibake. Cells starting with = + - @ are prefixed with ' so spreadsheets do not
// run them. Values are data, not labels: the same in every UI language.
import type { ExportBundle } from '../../shared/export-types'
import { colorName } from './colors'
import { safeHttpUrl } from './urls'

export const CSV_HEADER = [
  'row_type',
  'article_id',
  'title',
  'source',
  'author',
  'date',
  'url',
  'categories',
  'tags',
  'keywords',
  'entities',
  'item_note',
  'annotation_id',
  'quote',
  'note',
  'color',
  'created',
  'updated'
] as const

type Row = Partial<Record<(typeof CSV_HEADER)[number], string | number | null>>

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  let s = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function renderCsv(bundle: ExportBundle): Uint8Array {
  const rows: Row[] = []
  for (const e of bundle.articles) {
    const a = e.article
    rows.push({
      row_type: 'article',
      article_id: a.id,
      title: a.title,
      source: a.source,
      author: a.author,
      date: a.publishedAt,
      url: safeHttpUrl(a.url),
      categories: a.categoryPath.join('/'),
      tags: a.tags.join('; '),
      keywords: (e.keywords ?? []).join('; '),
      // kind:term, the kind an identifier without a colon, so the first colon splits them.
      entities: (e.entities ?? []).map((t) => `${t.kind}:${t.term}`).join('; '),
      item_note: e.itemNote ?? null
    })
    for (const ann of e.annotations) {
      rows.push({
        row_type: 'annotation',
        article_id: a.id,
        title: a.title,
        tags: ann.tags.join('; '),
        annotation_id: ann.id,
        quote: ann.exact,
        note: ann.note,
        color: colorName(ann.color),
        created: ann.createdAt,
        updated: ann.updatedAt
      })
    }
  }
  const lines = [
    CSV_HEADER.join(','),
    ...rows.map((r) => CSV_HEADER.map((k) => cell(r[k])).join(','))
  ]
  return new TextEncoder().encode('\uFEFF' + lines.join('\r\n') + '\r\n')
}
