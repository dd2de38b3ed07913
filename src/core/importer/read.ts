// Reading one file for an import: opened once, judged on the open handle, read to at most the
// size the handle reported. The walk's stat is only a guess (the file may be swapped, grown or
// replaced by a link or a pipe before it is read): what is read is what the handle says.
import {
  close,
  closeSync,
  constants,
  fstatSync,
  openSync,
  read,
  readSync,
  type Stats
} from 'node:fs'
import type { ImportFailureCode } from '../../shared/types'
import { formatBytes } from './budget'
import { describeFsError } from './walk'
import type { FsPath } from './names'

/** An opened file, ready to read: `size` is what its handle said. */
export interface OpenedFile {
  fd: number
  size: number
  stats: Stats
}

export type Refusal = { code: ImportFailureCode; reason: string }

/**
 * Not following a link in the last path component (the walk resolved links already, so a link
 * here was put there since) and not blocking on a pipe put in place of a file.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

/** Opens a file and checks it on the handle; never reads it. */
export function openForImport(path: FsPath, limit: number): OpenedFile | Refusal {
  let fd: number
  try {
    fd = openSync(path, OPEN_FLAGS)
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    // O_NOFOLLOW on a link: ELOOP (Linux), EMLINK (FreeBSD).
    if (err.code === 'ELOOP' || err.code === 'EMLINK')
      return {
        code: 'unreadable',
        reason: 'the file was replaced by a symbolic link; not followed'
      }
    return { code: 'unreadable', reason: describeFsError(e, 'cannot read') }
  }
  let stats: Stats
  try {
    stats = fstatSync(fd)
  } catch (e) {
    closeSync(fd)
    return { code: 'unreadable', reason: describeFsError(e, 'cannot read') }
  }
  const refusal = judge(stats, limit)
  if (refusal) {
    closeSync(fd)
    return refusal
  }
  return { fd, size: stats.size, stats }
}

function judge(stats: Stats, limit: number): Refusal | null {
  if (!stats.isFile()) return { code: 'unreadable', reason: 'not a regular file or folder' }
  if (stats.size === 0) return { code: 'empty', reason: 'empty file (0 bytes)' }
  if (stats.size > limit)
    return {
      code: 'too-large',
      reason: `file is ${formatBytes(stats.size)}, over the ${formatBytes(limit)} limit`
    }
  return null
}

/** A file that grew while it was read: its size on the handle is what was budgeted for. */
export class GrewWhileReading extends Error {
  readonly code: ImportFailureCode = 'unreadable'
  constructor(size: number) {
    super(
      `the file grew past the ${formatBytes(size)} it had when opened while it was read; import it again once it is complete`
    )
  }
}

/**
 * Small files are read synchronously: an article is a few KB, and an async read costs
 * thread-pool round trips that cost more than the read (measured: ~9% of an import's CPU).
 * Big files are read asynchronously so the main thread never stalls on one.
 */
const SYNC_READ_MAX = 256 * 1024

/**
 * Reads an opened file (and closes it): at most its size on the handle plus one byte, which
 * tells a file that grew meanwhile (refused: the bytes were budgeted by that size).
 */
export function readOpened(file: OpenedFile): Promise<Uint8Array> {
  if (file.size > SYNC_READ_MAX) return readBig(file)
  try {
    const buf = Buffer.allocUnsafeSlow(file.size + 1)
    let got = 0
    while (got < buf.length) {
      const n = readSync(file.fd, buf, got, buf.length - got, null)
      if (n === 0) break
      got += n
    }
    if (got > file.size) throw new GrewWhileReading(file.size)
    return Promise.resolve(buf.subarray(0, got))
  } catch (e) {
    return Promise.reject(e as Error)
  } finally {
    closeSync(file.fd)
  }
}

function readChunk(fd: number, buf: Buffer, offset: number): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, buf, offset, buf.length - offset, null, (err, n) => (err ? reject(err) : resolve(n)))
  )
}

async function readBig(file: OpenedFile): Promise<Uint8Array> {
  try {
    const buf = Buffer.allocUnsafeSlow(file.size + 1)
    let got = 0
    while (got < buf.length) {
      const n = await readChunk(file.fd, buf, got)
      if (n === 0) break
      got += n
    }
    if (got > file.size) throw new GrewWhileReading(file.size)
    return buf.subarray(0, got)
  } finally {
    close(file.fd, () => undefined)
  }
}
