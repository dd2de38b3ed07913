// File names in an export folder. How a title becomes a name is shared with the window
// (src/shared/file-names.ts), so the names it proposes are the ones the core writes.
export { safeFileStem } from '../../shared/file-names'

/** Returns a name not yet in `taken` (compared case-insensitively), and records it. */
export function uniqueName(stem: string, ext: string, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? `${stem}${ext}` : `${stem} (${n})${ext}`
    if (!taken.has(name.toLowerCase())) {
      taken.add(name.toLowerCase())
      return name
    }
  }
}
