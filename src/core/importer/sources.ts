// What an import reads: the files below the given paths, with zip archives opened into their
// entries. Each file is opened here once and judged on its handle (size, kind, the file the
// walk saw); problems become failed items so the run records them in walk order.
import { closeSync } from 'node:fs'
import type { ImportFailureCode } from '../../shared/types'
import type { RunSpend } from './budget'
import { isInside, realPath, type FsPath } from './names'
import { openForImport, type OpenedFile, type Refusal } from './read'
import { describeFsError, walkPaths, type WalkEntry, type WalkOptions } from './walk'
import { isZipPath, zipEntries } from './zip'

/** What a captured item's source knows of it beyond its bytes (importItems in run.ts). */
export interface ItemHints {
  /** The address it was fetched or clipped from (used when the bytes name none). */
  url?: string
  title?: string
  source?: string
  publishedAt?: string
  /** Files it here instead of where its own metadata says. */
  categoryPath?: string[]
  /** Added to its own tags. */
  tags?: string[]
}

export type SourceItem =
  /** A file on disk, opened and checked, read later (so several reads can be in flight). */
  | { kind: 'file'; path: string; file: OpenedFile }
  /**
   * An archive entry, already in memory (counted as it inflated); or a captured item (a feed
   * item, a clipped or fetched page: it has hints, and its size counts against the run here).
   */
  | { kind: 'bytes'; path: string; bytes: Uint8Array; hints?: ItemHints }
  | { kind: 'failed'; path: string; code: ImportFailureCode; reason: string }

export interface SourceOptions extends WalkOptions {
  spend: RunSpend
}

export async function* importSources(
  roots: readonly string[],
  opts: SourceOptions
): AsyncGenerator<SourceItem> {
  const budget = opts.spend.budget
  for (const entry of walkPaths(roots, opts)) {
    if (entry.kind === 'error') {
      yield { kind: 'failed', path: entry.path, code: entry.code, reason: entry.reason }
      continue
    }
    const zip = isZipPath(entry.path)
    // Archives are streamed, never held whole: they may be much bigger than one article.
    const opened = openForImport(entry.open, zip ? budget.archiveBytes : budget.fileBytes)
    const checked = 'fd' in opened ? sameFile(entry, opened) : opened
    if ('code' in checked) {
      yield { kind: 'failed', path: entry.path, ...checked }
      continue
    }
    if (zip) yield* zipEntries({ fd: checked.fd, size: checked.size }, entry.path, opts.spend)
    else yield { kind: 'file', path: entry.path, file: checked }
  }
}

/**
 * The opened file is the one the walk saw; if another took its place since (a file saved by
 * rename, or a folder above it swapped for a link), it must still lie inside the folder.
 */
function sameFile(
  entry: Extract<WalkEntry, { kind: 'file' }>,
  file: OpenedFile
): OpenedFile | Refusal {
  if (file.stats.ino === entry.ino && file.stats.dev === entry.dev) return file
  if (entry.scope === null) return file
  let real: FsPath
  try {
    real = realPath(entry.open)
  } catch (e) {
    closeSync(file.fd)
    return { code: 'unreadable', reason: describeFsError(e, 'cannot read') }
  }
  if (isInside(real, entry.scope)) return file
  closeSync(file.fd)
  return {
    code: 'outside-folder',
    reason: 'the file was replaced by one outside the folder being imported; not read'
  }
}
