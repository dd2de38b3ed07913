// Everything the CLI prints passes through here. Titles, file names, snippets and error messages
// come from the user's files, and a terminal acts on some characters instead of showing them:
// ESC and the C1 controls start sequences that set the window title, clear the screen, rewrite
// the clipboard or draw a link whose target differs from its text (OSC 8); a lone CR moves the
// cursor back over what was printed; bidi overrides reorder what follows. They are printed as
// `\uXXXX` instead — visible, and inside a JSON string the same character again, so `--json`
// output stays valid JSON with the same values.

/**
 * C0 controls except tab and line feed, a CR not ending a line, DEL, C1, and the bidi embedding,
 * override and isolate controls (the "Trojan Source" set). Bidi marks (LRM, RLM, ALM) stay: they
 * only nudge neutral characters and are common in copied Arabic and Hebrew text.
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/gu

const escaped = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`

/** The text with every character a terminal would act on shown as `\uXXXX`. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escaped)
}

/** A stretch of a line: plain text, or text to highlight (search matches). */
export type Segment = string | { mark: string }

/** A line made of segments; highlights are reverse video on a terminal and «…» elsewhere. */
export function styledLine(segments: readonly Segment[], tty: boolean): string {
  return segments
    .map((s) =>
      typeof s === 'string'
        ? terminalSafe(s)
        : tty
          ? `\x1b[7m${terminalSafe(s.mark)}\x1b[27m`
          : `«${terminalSafe(s.mark)}»`
    )
    .join('')
}

/** What the CLI writes: a plain line is made safe; a segmented one is styled, then made safe. */
export function printable(line: string | readonly Segment[], tty: boolean): string {
  return typeof line === 'string' ? terminalSafe(line) : styledLine(line, tty)
}
