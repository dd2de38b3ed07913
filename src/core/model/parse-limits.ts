// Limits on what parsing one file may build: HTML nodes, nesting depth of elements and of
// front-matter values. They are checked while the tree or the values are built (a file is
// refused the moment it passes one), so a 50 MB file cannot make gigabytes of DOM or nest deep
// enough to overflow the stack of the recursive walks below the parser (cleaning, sanitising,
// serialising) or of the structured clone that carries a worker's reply.
import type { ImportFailureCode } from '../../shared/types'

export interface ParseLimits {
  /** Nodes (elements, text, comments) one HTML document may build. */
  nodes: number
  /** Elements inside elements, and values inside values (front matter, JSON). */
  depth: number
}

export const DEFAULT_PARSE_LIMITS: Readonly<ParseLimits> = Object.freeze({
  // The largest page of the extraction benchmark builds ~4,000 nodes; a 49 MB Chinese text of
  // 275,000 lines ~825,000 (a text of more lines is read as fewer paragraphs: body.ts).
  nodes: 1_000_000,
  // Those pages nest 52 deep at most; the worker reply's structured clone overflowed at 3,000.
  depth: 512
})

/** A file passed a parse limit: it is refused with this reason (never a crash). */
export class ParseLimitError extends Error {
  readonly code: ImportFailureCode = 'too-large'
}

export function nodesExceeded(limits: ParseLimits): ParseLimitError {
  return new ParseLimitError(
    `HTML builds more than ${limits.nodes.toLocaleString('en')} nodes; file refused`
  )
}

export function depthExceeded(limits: ParseLimits, what = 'HTML elements'): ParseLimitError {
  return new ParseLimitError(`${what} nest deeper than ${limits.depth} levels; file refused`)
}

let active: ParseLimits = DEFAULT_PARSE_LIMITS

/** The limits of the parse running now. */
export function parseLimits(): ParseLimits {
  return active
}

/**
 * Runs a (synchronous) parse under these limits. Parsing never awaits, so a module-level
 * setting is exact for its whole duration, in a worker or on the main thread.
 */
export function withParseLimits<T>(limits: ParseLimits, parse: () => T): T {
  const before = active
  active = limits
  try {
    return parse()
  } finally {
    active = before
  }
}
