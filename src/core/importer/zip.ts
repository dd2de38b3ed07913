// Zip archives: every entry becomes an import item named `archive.zip!/inner/file.md`.
// Entries are streamed into memory under the run's budget and never written to disk, so a
// hostile archive (bomb, `../` names, lying headers, overlapping entries) can cost at most the
// budget: entries and inflated bytes are counted for the whole run, not per archive, and the
// inflate ratio over a whole archive (a thousand 1 MB entries of zeros are one bomb, not a
// thousand small files).
import { closeSync } from 'node:fs'
import type { Readable } from 'node:stream'
import yauzl from 'yauzl'
import type { Entry, ZipFile } from 'yauzl'
import type { ImportFailureCode } from '../../shared/types'
import { BudgetRefusal, formatBytes, RATIO_FLOOR_BYTES, type RunSpend } from './budget'
import { decodeFileName } from './names'

export type ZipItem =
  | { kind: 'bytes'; path: string; bytes: Uint8Array }
  | { kind: 'failed'; path: string; code: ImportFailureCode; reason: string }

/** A zip archive: a file opened and checked by the caller (the fd is closed here), or bytes. */
export type ZipSource = { fd: number; size: number } | { bytes: Uint8Array }

/** Bytes inflated from one archive (the archives inside it included) and compressed behind them. */
interface Expansion {
  inflated: number
  compressed: number
}

const SKIP_NAMES = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini'])

/** The general-purpose flag bit that says names are UTF-8, and the Info-ZIP Unicode Path field. */
const UTF8_FLAG = 0x800
const UNICODE_PATH_FIELD = 0x7075

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

/**
 * An entry's name. Windows archivers write names in the system code page without saying so
 * (GBK on Chinese Windows), and many others write UTF-8 without setting the flag: names that
 * claim nothing are read as UTF-8 when they are, then GBK, then the format's CP437.
 */
function entryName(entry: Entry): string {
  const declared =
    (entry.generalPurposeBitFlag & UTF8_FLAG) !== 0 ||
    entry.extraFields.some((f) => f.id === UNICODE_PATH_FIELD)
  const name = declared
    ? yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        false
      )
    : decodeFileName(entry.fileNameRaw)
  return name.replace(/\\/g, '/')
}

/** Every entry of the archive (a file opened by the caller, or a nested archive's bytes). */
export async function* zipEntries(
  source: ZipSource,
  archivePath: string,
  spend: RunSpend,
  depth = 0,
  expansion: Expansion = { inflated: 0, compressed: 0 }
): AsyncGenerator<ZipItem> {
  const limits = spend.budget
  const options = { lazyEntries: true, decodeStrings: false, autoClose: true } as const
  let zip: ZipFile
  try {
    zip =
      'fd' in source
        ? await yauzl.fromFdPromise(source.fd, options)
        : await yauzl.fromBufferPromise(Buffer.from(source.bytes), options)
  } catch (e) {
    if ('fd' in source) closeSync(source.fd)
    yield failed(archivePath, 'parse-error', `not a readable zip archive: ${message(e)}`)
    return
  }
  // Entries may overlap (many entries pointing at the same compressed bytes), so the bytes
  // behind an archive's entries count at most its own size.
  const archiveBytes = 'fd' in source ? source.size : source.bytes.byteLength
  let counted = 0
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
      const name = entryName(entry)
      if (name.endsWith('/')) continue // a folder entry
      const itemPath = `${archivePath}!/${name}`
      const base = name.split('/').pop() ?? ''
      if (SKIP_NAMES.has(base) || name.startsWith('__MACOSX/')) continue
      if (++spend.entries > limits.archiveEntries) {
        yield failed(
          archivePath,
          'over-budget',
          `this import's budget of ${limits.archiveEntries} archive entries is spent; the rest of the archive was skipped`
        )
        return
      }
      const unsafe = unsafeEntryName(name)
      if (unsafe) {
        yield failed(itemPath, 'unsupported', `unsafe archive entry: ${unsafe}; skipped`)
        continue
      }
      const refused = refuseEntry(entry, spend)
      if (refused) {
        yield failed(itemPath, refused.code, refused.reason)
        if (refused.code === 'over-budget') return
        continue
      }
      if (entry.uncompressedSize === 0) {
        yield failed(itemPath, 'empty', 'empty file (0 bytes)')
        continue
      }
      const basis = Math.min(entry.compressedSize, archiveBytes - counted)
      counted += basis
      expansion.compressed += basis
      let bytes: Buffer
      try {
        bytes = await readEntry(zip, entry, spend, expansion)
      } catch (e) {
        if (e instanceof BudgetRefusal) {
          yield failed(itemPath, e.code, e.message)
          if (e.code === 'over-budget' || e.stopsArchive) return
          continue
        }
        yield failed(itemPath, 'unreadable', `cannot extract: ${message(e)}`)
        continue
      }
      if (isZipPath(name) || looksLikeZip(bytes)) {
        if (depth >= limits.archiveNesting) {
          yield failed(
            itemPath,
            'unsupported',
            `archive nested ${depth + 1} deep; only ${limits.archiveNesting} level(s) of archives inside archives are opened`
          )
          continue
        }
        yield* zipEntries({ bytes }, itemPath, spend, depth + 1, expansion)
        // The archive inside stopped at the ratio: so does this one, which holds it.
        if (overRatio(expansion, limits.inflateRatio)) return
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
  spend: RunSpend
): { code: ImportFailureCode; reason: string } | null {
  const limits = spend.budget
  if (entry.isEncrypted()) return { code: 'unsupported', reason: 'encrypted archive entry' }
  if (!entry.canDecodeFileData())
    return {
      code: 'unsupported',
      reason: `archive entry uses compression method ${entry.compressionMethod}, which cannot be read`
    }
  const size = entry.uncompressedSize
  if (size > limits.fileBytes)
    return {
      code: 'too-large',
      reason: `archive entry is ${formatBytes(size)} uncompressed, over the ${formatBytes(limits.fileBytes)} limit`
    }
  const ratio = size / Math.max(1, entry.compressedSize)
  if (size > RATIO_FLOOR_BYTES && ratio > limits.inflateRatio)
    return {
      code: 'too-large',
      reason: `archive entry expands ${Math.round(ratio)}:1, over the ${limits.inflateRatio}:1 limit (zip bomb?)`
    }
  if (spend.inflated + size > limits.inflatedBytes)
    return {
      code: 'over-budget',
      reason: `this import's budget of ${formatBytes(limits.inflatedBytes)} inflated from archives is spent; the rest of the archive was skipped`
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

/**
 * Streams one entry into memory, stopping as soon as a limit is passed (headers can lie):
 * the entry's own size, the run's inflated and read budgets, and the run's cumulative ratio.
 */
async function readEntry(
  zip: ZipFile,
  entry: Entry,
  spend: RunSpend,
  expansion: Expansion
): Promise<Buffer> {
  const limits = spend.budget
  const stream = await new Promise<Readable>((resolve, reject) =>
    zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s)))
  )
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length
      spend.inflated += chunk.length
      expansion.inflated += chunk.length
      if (size > limits.fileBytes)
        throw new Error(`entry inflates past ${formatBytes(limits.fileBytes)}`)
      if (spend.inflated > limits.inflatedBytes)
        throw new BudgetRefusal(
          'over-budget',
          `this import's budget of ${formatBytes(limits.inflatedBytes)} inflated from archives is spent`
        )
      if (!spend.takeBytes(chunk.length)) throw spend.bytesSpent()
      if (overRatio(expansion, limits.inflateRatio))
        throw new BudgetRefusal(
          'too-large',
          `the archive expands more than ${limits.inflateRatio}:1 overall (zip bomb?); the rest of it was skipped`,
          true
        )
      chunks.push(chunk)
    }
  } finally {
    stream.destroy()
  }
  return Buffer.concat(chunks, size)
}

function overRatio(e: Expansion, ratio: number): boolean {
  return e.inflated > RATIO_FLOOR_BYTES && e.inflated > ratio * Math.max(1, e.compressed)
}

function failed(path: string, code: ImportFailureCode, reason: string): ZipItem {
  return { kind: 'failed', path, code, reason }
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? ''
}
