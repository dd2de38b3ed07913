// Zip archives: every entry becomes an import item named `archive.zip!/inner/file.md`.
// Entries are streamed into memory under limits and never written to disk, so a hostile
// archive (bomb, `../` names, lying headers) can cost at most the limits below.
import type { Readable } from 'node:stream'
import yauzl from 'yauzl'
import type { Entry, ZipFile } from 'yauzl'
import type { ImportFailureCode } from '../../../shared/types'

export interface ZipLimits {
  /** Entries per archive, nested archives included. */
  maxEntries: number
  /** Inflated bytes per archive, nested archives included (counted as they stream). */
  maxTotalBytes: number
  /** One entry's inflated size (the importer's per-file limit). */
  maxEntryBytes: number
  /** Inflated : compressed; above this an entry of more than 1 MiB is treated as a bomb. */
  maxRatio: number
  /** Archives inside archives: 1 allows a zip in a zip, not a zip in a zip in a zip. */
  maxNesting: number
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 20_000,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxEntryBytes: 50 * 1024 * 1024,
  maxRatio: 200,
  maxNesting: 1
}

const RATIO_FLOOR_BYTES = 1024 * 1024

export type ZipItem =
  | { kind: 'bytes'; path: string; bytes: Uint8Array }
  | { kind: 'failed'; path: string; code: ImportFailureCode; reason: string }

interface Budget {
  entries: number
  bytes: number
}

const SKIP_NAMES = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini'])

export function isZipPath(path: string): boolean {
  return /\.zip$/iu.test(path)
}

/** A local-file-header or empty-archive signature: the bytes really are a zip. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06))
  )
}

/** Why an entry name is unsafe to use as a path, or null. */
export function unsafeEntryName(name: string): string | null {
  if (name.includes('\u0000')) return 'NUL byte in entry name'
  if (/^[a-zA-Z]:/u.test(name) || name.startsWith('/') || name.startsWith('\\'))
    return 'absolute path in entry name'
  if (name.split(/[\\/]/u).includes('..')) return "'..' in entry name (would escape the archive)"
  return null
}

/** Every entry of the archive at `path` (a file) or held in `bytes` (a nested archive). */
export async function* zipEntries(
  source: { file: string } | { bytes: Uint8Array },
  archivePath: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  depth = 0,
  budget: Budget = { entries: 0, bytes: 0 }
): AsyncGenerator<ZipItem> {
  const options = { lazyEntries: true, decodeStrings: false, autoClose: true } as const
  let zip: ZipFile
  try {
    zip =
      'file' in source
        ? await yauzl.openPromise(source.file, options)
        : await yauzl.fromBufferPromise(Buffer.from(source.bytes), options)
  } catch (e) {
    yield failed(archivePath, 'parse-error', `not a readable zip archive: ${message(e)}`)
    return
  }
  try {
    for (;;) {
      let entry: Entry | null
      try {
        entry = await nextEntry(zip)
      } catch (e) {
        yield failed(archivePath, 'parse-error', `damaged zip archive: ${message(e)}`)
        return
      }
      if (!entry) return
      const name = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        false
      )
      if (name.endsWith('/')) continue // a folder entry
      const itemPath = `${archivePath}!/${name}`
      const base = name.split('/').pop() ?? ''
      if (SKIP_NAMES.has(base) || name.startsWith('__MACOSX/')) continue
      if (++budget.entries > limits.maxEntries) {
        yield failed(
          archivePath,
          'too-large',
          `archive has more than ${limits.maxEntries} entries; the rest were skipped`
        )
        return
      }
      const unsafe = unsafeEntryName(name)
      if (unsafe) {
        yield failed(itemPath, 'unsupported', `unsafe archive entry: ${unsafe}; skipped`)
        continue
      }
      const refused = refuseEntry(entry, limits, budget)
      if (refused) {
        yield failed(itemPath, refused.code, refused.reason)
        continue
      }
      if (entry.uncompressedSize === 0) {
        yield failed(itemPath, 'empty', 'empty file (0 bytes)')
        continue
      }
      let bytes: Buffer
      try {
        bytes = await readEntry(zip, entry, limits, budget)
      } catch (e) {
        yield failed(itemPath, 'unreadable', `cannot extract: ${message(e)}`)
        if (budget.bytes > limits.maxTotalBytes) return
        continue
      }
      if (isZipPath(name) || looksLikeZip(bytes)) {
        if (depth >= limits.maxNesting) {
          yield failed(
            itemPath,
            'unsupported',
            `archive nested ${depth + 1} deep; only ${limits.maxNesting} level(s) of archives inside archives are opened`
          )
          continue
        }
        yield* zipEntries({ bytes }, itemPath, limits, depth + 1, budget)
        continue
      }
      yield { kind: 'bytes', path: itemPath, bytes }
    }
  } finally {
    zip.close()
  }
}

function refuseEntry(
  entry: Entry,
  limits: ZipLimits,
  budget: Budget
): { code: ImportFailureCode; reason: string } | null {
  if (entry.isEncrypted()) return { code: 'unsupported', reason: 'encrypted archive entry' }
  if (!entry.canDecodeFileData())
    return {
      code: 'unsupported',
      reason: `archive entry uses compression method ${entry.compressionMethod}, which cannot be read`
    }
  const size = entry.uncompressedSize
  if (size > limits.maxEntryBytes)
    return {
      code: 'too-large',
      reason: `archive entry is ${mb(size)} uncompressed, over the ${mb(limits.maxEntryBytes)} limit`
    }
  const ratio = size / Math.max(1, entry.compressedSize)
  if (size > RATIO_FLOOR_BYTES && ratio > limits.maxRatio)
    return {
      code: 'too-large',
      reason: `archive entry expands ${Math.round(ratio)}:1, over the ${limits.maxRatio}:1 limit (zip bomb?)`
    }
  if (budget.bytes + size > limits.maxTotalBytes)
    return {
      code: 'too-large',
      reason: `archive expands to more than ${mb(limits.maxTotalBytes)} in all; entry skipped`
    }
  return null
}

function nextEntry(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      zip.off('entry', onEntry)
      zip.off('end', onEnd)
      zip.off('error', onError)
    }
    const onEntry = (e: Entry): void => {
      cleanup()
      resolve(e)
    }
    const onEnd = (): void => {
      cleanup()
      resolve(null)
    }
    const onError = (e: Error): void => {
      cleanup()
      reject(e)
    }
    zip.on('entry', onEntry)
    zip.on('end', onEnd)
    zip.on('error', onError)
    zip.readEntry()
  })
}

/** Streams one entry into memory, stopping as soon as a limit is passed (headers can lie). */
async function readEntry(
  zip: ZipFile,
  entry: Entry,
  limits: ZipLimits,
  budget: Budget
): Promise<Buffer> {
  const stream = await new Promise<Readable>((resolve, reject) =>
    zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s)))
  )
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length
      budget.bytes += chunk.length
      if (size > limits.maxEntryBytes)
        throw new Error(`entry inflates past ${mb(limits.maxEntryBytes)}`)
      if (budget.bytes > limits.maxTotalBytes)
        throw new Error(`archive inflates past ${mb(limits.maxTotalBytes)} in all`)
      chunks.push(chunk)
    }
  } finally {
    stream.destroy()
  }
  return Buffer.concat(chunks, size)
}

function failed(path: string, code: ImportFailureCode, reason: string): ZipItem {
  return { kind: 'failed', path, code, reason }
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? ''
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}
