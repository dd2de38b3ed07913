// Plain-text tables for the CLI's human output. Columns are padded to the widest cell as a
// terminal draws it: a Chinese character takes two columns, so padding by string length would
// push every row with a Chinese title out of line.
import stringWidth from 'string-width'
import { terminalSafe } from './terminal'

export interface Column {
  header: string
  /** Numbers read best right-aligned. */
  align?: 'left' | 'right'
}

/** One cell's text on one line: line breaks and tabs in titles would break the grid. */
function cellText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—'
  return terminalSafe(String(value).replace(/\s+/gu, ' ').trim())
}

/** The table as lines: a header, then a row per entry; the last column is not padded. */
export function table(
  columns: readonly Column[],
  rows: readonly (readonly (string | number | null | undefined)[])[]
): string[] {
  const cells = [
    columns.map((c) => c.header),
    ...rows.map((r) => columns.map((_, i) => cellText(r[i])))
  ]
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => stringWidth(r[i] ?? ''))))
  return cells.map((r) =>
    r
      .map((text, i) => {
        if (i === columns.length - 1 && columns[i]?.align !== 'right') return text
        const pad = ' '.repeat((widths[i] ?? 0) - stringWidth(text))
        return columns[i]?.align === 'right' ? pad + text : text + pad
      })
      .join('  ')
  )
}
