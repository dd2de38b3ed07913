// One resource budget per import run. Every limit is checked where the data is read: file
// sizes on the open handle, bytes as they are read or inflated, archive entries as they are
// listed, HTML nodes and depth as the parser builds the tree, data depth as front matter is
// copied, and the parse workers' heap by the threads' own resource limits. The README's
// "Import limits" table lists the same figures.
import type { ImportFailureCode } from '../../shared/types'
import { DEFAULT_PARSE_LIMITS } from '../model/parse-limits'

export interface ImportBudget {
  /** One file: on disk (checked on the open handle) or an archive entry once inflated. */
  fileBytes: number
  /** One zip archive on disk; archives are streamed entry by entry, never held whole. */
  archiveBytes: number
  /** Everything the run reads: files plus archive entries as inflated. */
  runBytes: number
  /** Bytes held by files read (or inflated) ahead of the writer, not yet written. */
  aheadBytes: number
  /** Archive entries in the run, nested archives included. */
  archiveEntries: number
  /** Bytes inflated from archives in the run. */
  inflatedBytes: number
  /**
   * Inflated : compressed, over all of an archive's entries (the archives inside it included)
   * once past RATIO_FLOOR_BYTES, so many small entries cannot add up to a bomb; and for any one
   * entry bigger than that.
   */
  inflateRatio: number
  /** Archives inside archives: 1 opens a zip in a zip, not a zip in a zip in a zip. */
  archiveNesting: number
  /** Nodes (elements, text, comments) one HTML document may build. */
  htmlNodes: number
  /** Nesting depth of HTML elements and of front-matter / feed values. */
  depth: number
  /** Heap (V8 old generation) of each parse worker, in MB. */
  workerHeapMb: number
}

const MiB = 1024 * 1024
const GiB = 1024 * MiB

export const DEFAULT_IMPORT_BUDGET: Readonly<ImportBudget> = Object.freeze({
  fileBytes: 50 * MiB,
  archiveBytes: 2 * GiB,
  runBytes: 16 * GiB,
  aheadBytes: 64 * MiB,
  archiveEntries: 100_000,
  inflatedBytes: 1 * GiB,
  inflateRatio: 200,
  archiveNesting: 1,
  htmlNodes: DEFAULT_PARSE_LIMITS.nodes,
  depth: DEFAULT_PARSE_LIMITS.depth,
  workerHeapMb: 1536
})

/** Inflated bytes below which an archive's ratio is not judged (a few odd small files). */
export const RATIO_FLOOR_BYTES = 1 * MiB

/** The budget with the caller's overrides; a limit that is not a positive number is refused. */
export function importBudget(overrides: Partial<ImportBudget> = {}): ImportBudget {
  const budget = { ...DEFAULT_IMPORT_BUDGET, ...overrides }
  for (const [key, value] of Object.entries(budget))
    if (typeof value !== 'number' || !(value > 0))
      throw new RangeError(`import budget: ${key} must be a positive number`)
  return budget
}

/** A file or entry refused by a limit of the budget, with its result code. */
export class BudgetRefusal extends Error {
  constructor(
    readonly code: ImportFailureCode,
    message: string,
    /** The rest of the archive is skipped too (its entries would meet the same limit). */
    readonly stopsArchive = false
  ) {
    super(message)
  }
}

/** What a run has spent so far; checked (and added to) where the data is read. */
export class RunSpend {
  /** Bytes read: files, and archive entries as they inflate. */
  bytes = 0
  /** Archive entries met. */
  entries = 0
  /** Bytes inflated from archives. */
  inflated = 0
  constructor(readonly budget: ImportBudget) {}

  /** Whether `n` more bytes may be read in this run; adds them when they may. */
  takeBytes(n: number): boolean {
    if (this.bytes + n > this.budget.runBytes) return false
    this.bytes += n
    return true
  }

  bytesSpent(): BudgetRefusal {
    return new BudgetRefusal(
      'over-budget',
      `this import's budget of ${formatBytes(this.budget.runBytes)} read is spent; not read`
    )
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(1)} GB`
  return `${(bytes / MiB).toFixed(1)} MB`
}
