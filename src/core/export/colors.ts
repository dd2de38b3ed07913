// Highlight colours. Stored values are user data: only palette names and #rrggbb reach CSS or
// Word, anything else falls back to yellow, so a colour can never inject markup or styles.
const PALETTE: Record<string, string> = {
  yellow: '#fff3a3',
  green: '#c8f0c0',
  blue: '#c6e2ff',
  pink: '#ffd0e0',
  purple: '#e2d4ff',
  orange: '#ffdcb0',
  red: '#ffc4c0',
  gray: '#e4e4e4'
}

export function colorHex(color: string): string {
  const c = color.trim().toLowerCase()
  if (/^#[0-9a-f]{6}$/.test(c)) return c
  if (/^#[0-9a-f]{3}$/.test(c)) return `#${c[1]}${c[1]}${c[2]}${c[2]}${c[3]}${c[3]}`
  return PALETTE[c] ?? (PALETTE.yellow as string)
}

/** A human name for the colour: the palette name, or the hex value. */
export function colorName(color: string): string {
  const c = color.trim().toLowerCase()
  return c in PALETTE ? c : colorHex(c)
}
