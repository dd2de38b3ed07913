// The notes view's filters as the user sets them, and the query they make. Dates are the
// user's days (from the start of the first to the end of the last, in local time).
import type { AnnotationColor, AnnotationSort } from '../../../shared/annotation-types'
import type { NotesQuery } from './annotationPager.svelte'

export interface NotesFilter {
  colors: AnnotationColor[]
  /** '' for any. */
  tag: string
  collectionId: number | null
  /** YYYY-MM-DD as a date field gives it, '' for open. */
  from: string
  to: string
  text: string
  sort: AnnotationSort
}

export const NO_FILTER: NotesFilter = {
  colors: [],
  tag: '',
  collectionId: null,
  from: '',
  to: '',
  text: '',
  sort: 'newest'
}

/** Local midnight of a YYYY-MM-DD day, `days` later; null when it is not a day. */
function dayStart(day: string, days = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(day)
  if (!m) return null
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

export function notesQuery(f: NotesFilter): NotesQuery {
  const q: NotesQuery = { sort: f.sort }
  if (f.colors.length > 0) q.colors = [...f.colors]
  if (f.tag !== '') q.tag = f.tag
  if (f.collectionId !== null) q.collectionId = f.collectionId
  const from = dayStart(f.from)
  if (from) q.from = from
  const to = dayStart(f.to, 1)
  if (to) q.to = to
  if (f.text.trim() !== '') q.text = f.text.trim()
  return q
}

/** Whether any filter (not the order) is set. */
export function isFiltered(f: NotesFilter): boolean {
  return (
    f.colors.length > 0 ||
    f.tag !== '' ||
    f.collectionId !== null ||
    f.from !== '' ||
    f.to !== '' ||
    f.text.trim() !== ''
  )
}
