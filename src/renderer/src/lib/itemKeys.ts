// The keys a left-pane item (a collection, a tag) answers to, the same in every list: its
// context menu (the Menu key or Shift+F10), rename (F2) and delete (Delete).
export type ItemKeyAction = 'menu' | 'rename' | 'delete'

export function itemKeyAction(event: KeyboardEvent): ItemKeyAction | null {
  if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) return 'menu'
  if (event.key === 'F2') return 'rename'
  if (event.key === 'Delete') return 'delete'
  return null
}

/** Where a menu opened from the keyboard appears: just under the item, slightly indented. */
export function menuPointUnder(item: Element): { x: number; y: number } {
  const rect = item.getBoundingClientRect()
  return { x: rect.left + 24, y: rect.bottom }
}

/**
 * Runs what the item key pressed does here, when the list offers it. A key that did something
 * goes no further: the app's single-letter and Delete shortcuts must not also act on it.
 */
export function onItemKey(
  event: KeyboardEvent,
  actions: { [A in ItemKeyAction]?: (() => void) | undefined }
): void {
  const action = itemKeyAction(event)
  const run = action === null ? undefined : actions[action]
  if (!run) return
  run()
  event.preventDefault()
  event.stopPropagation()
}
