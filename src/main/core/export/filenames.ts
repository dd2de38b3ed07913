// File names that work on Windows, macOS, Linux and in Obsidian (whose links break on # ^ [ ] |).
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i

export function safeFileStem(title: string, fallback: string, maxLength = 80): string {
  let s = title
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/[/\\:*?"<>|#^[\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, '')
  if ([...s].length > maxLength) s = [...s].slice(0, maxLength).join('').trim()
  if (s === '' || RESERVED.test(s)) s = fallback
  return s
}

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
