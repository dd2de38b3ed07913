// What an import reads: the files below the given paths, with zip archives opened into their
// entries. Problems become failed items here so the run records them in walk order.
import type { ImportFailureCode } from '../../../shared/types'
import { walkPaths } from './walk'
import { isZipPath, zipEntries, type ZipLimits } from './zip'

export type SourceItem =
  /** A file on disk, read later (so several reads can be in flight). */
  | { kind: 'file'; path: string; size: number }
  /** An archive entry, already in memory. */
  | { kind: 'bytes'; path: string; bytes: Uint8Array }
  | { kind: 'failed'; path: string; code: ImportFailureCode; reason: string }

export interface SourceOptions {
  maxFileBytes: number
  zip: ZipLimits
  /** Archives may be bigger than one article file: they are streamed, never read whole. */
  maxArchiveBytes: number
}

export async function* importSources(
  roots: readonly string[],
  opts: SourceOptions
): AsyncGenerator<SourceItem> {
  for (const entry of walkPaths(roots)) {
    if (entry.kind === 'error') {
      yield { kind: 'failed', path: entry.path, code: 'unreadable', reason: entry.reason }
      continue
    }
    const zip = isZipPath(entry.path)
    const limit = zip ? opts.maxArchiveBytes : opts.maxFileBytes
    if (entry.size === 0) {
      yield { kind: 'failed', path: entry.path, code: 'empty', reason: 'empty file (0 bytes)' }
    } else if (entry.size > limit) {
      // Refused by its size alone: the file is never opened.
      yield {
        kind: 'failed',
        path: entry.path,
        code: 'too-large',
        reason: `file is ${formatMb(entry.size)}, over the ${formatMb(limit)} limit`
      }
    } else if (zip) {
      yield* zipEntries({ file: entry.path }, entry.path, {
        ...opts.zip,
        maxEntryBytes: Math.min(opts.zip.maxEntryBytes, opts.maxFileBytes)
      })
    } else {
      yield { kind: 'file', path: entry.path, size: entry.size }
    }
  }
}

export function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}
