// The category tree's expanded branches, kept in localStorage (beside the pane widths in
// layout.svelte.ts) so the tree reopens as it was left. Stored by category path, not id: ids
// change when a branch is deleted and restored, paths are what the user sees.
const PREFIX = 'gleaner.tree.'
/** Enough for any tree a person opens by hand; a bound on what one key can grow to. */
const MAX_SAVED = 2000

/** The saved expanded paths; null when nothing was saved (the tree then opens its default way). */
export function loadExpanded(key: string): string[][] | null {
  try {
    const raw = localStorage.getItem(PREFIX + key)
    if (raw === null) return null
    const value: unknown = JSON.parse(raw)
    if (!Array.isArray(value)) return null
    return value.filter(
      (path): path is string[] =>
        Array.isArray(path) && path.length > 0 && path.every((part) => typeof part === 'string')
    )
  } catch {
    return null
  }
}

export function saveExpanded(key: string, paths: string[][]): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(paths.slice(0, MAX_SAVED)))
  } catch {
    // Not persisted (storage full or off); the tree still works for this session.
  }
}
