// Which left-pane sections the user folded away, kept in localStorage (beside the tree's
// expanded branches, treeState.ts) so the pane reopens as it was left.
const PREFIX = 'gleaner.section.'

export function loadCollapsed(section: string): boolean {
  try {
    return localStorage.getItem(PREFIX + section) === 'collapsed'
  } catch {
    // No storage (an opaque origin, the prerenderer): sections start open.
    return false
  }
}

export function saveCollapsed(section: string, collapsed: boolean): void {
  try {
    if (collapsed) localStorage.setItem(PREFIX + section, 'collapsed')
    else localStorage.removeItem(PREFIX + section)
  } catch {
    // Not persisted; the section still folds for this session.
  }
}
