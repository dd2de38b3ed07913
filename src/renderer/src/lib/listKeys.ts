// The keys a middle-pane list (articles, notes) moves its cursor with, the same in both lists.

/**
 * The row an unmodified arrow, Home, End, PageUp or PageDown moves the cursor to (-1 in an
 * empty list); null for any other key. Modified arrows are the lists' commands (Shift picks a
 * range, Alt moves an article in a collection). `page` is how many rows a Page key moves.
 */
function listCursorTarget(
  event: KeyboardEvent,
  cursor: number,
  total: number,
  page: number
): number | null {
  if (event.altKey || event.shiftKey || event.ctrlKey || event.metaKey) return null
  const last = total - 1
  switch (event.key) {
    case 'ArrowDown':
      return Math.min(last, cursor + 1)
    case 'ArrowUp':
      return Math.max(0, cursor - 1)
    case 'Home':
      return 0
    case 'End':
      return last
    case 'PageDown':
      return Math.min(last, cursor + page)
    case 'PageUp':
      return Math.max(0, cursor - page)
    default:
      return null
  }
}

/**
 * Moves a list's cursor for a key of listCursorTarget, which then goes no further (the app's
 * own j/k and arrow commands must not move it again); other keys are left alone.
 */
export function moveListCursor(
  event: KeyboardEvent,
  at: { cursor: number; total: number; page: number },
  select: (index: number) => void
): void {
  const next = listCursorTarget(event, at.cursor, at.total, at.page)
  if (next === null) return
  event.preventDefault()
  event.stopPropagation()
  if (next >= 0) select(next)
}
