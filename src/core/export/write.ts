// Puts an export on disk without ever destroying what was there: the target is checked before
// anything is rendered, each file is written to a temporary file in the same folder, flushed to
// disk and only then renamed over its name, so a full disk, a kill or a crash leaves either the
// previous file or the new one, whole. Without `overwrite`, the rename cannot replace anything
// either (a hard link refuses an existing name), so a file that appeared meanwhile is kept.
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats
} from 'node:fs'
import { dirname, join } from 'node:path'
import { ExportError } from './export-errors'

export type TargetKind = 'file' | 'folder'

function statOf(path: string, follow: boolean): Stats | null {
  try {
    return follow ? statSync(path) : lstatSync(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    // A file where a folder should be, on the way to the path.
    if (code === 'ENOTDIR') return null
    throw writeFailed(path, e)
  }
}

export function fileExists(path: string): ExportError {
  return new ExportError('file-exists', `${path} already exists; say to replace it.`, { path })
}

function writeFailed(path: string, e: unknown): ExportError {
  const err = e as NodeJS.ErrnoException
  switch (err.code) {
    case 'EEXIST':
      return fileExists(path)
    case 'EISDIR':
      return new ExportError('is-a-folder', `${path} is a folder, not a file.`, { path })
    case 'ENOTDIR':
      return new ExportError('not-a-folder', `A part of ${path} is a file, not a folder.`, {
        path
      })
    default:
      return new ExportError('write-failed', `Could not write ${path}: ${err.message}`, {
        path,
        reason: err.code ?? err.message
      })
  }
}

/**
 * Refuses a target that would destroy something or cannot be written: an existing file (or a
 * non-empty folder, for a folder export) unless `overwrite`, a folder where a file is to go, a
 * file where a folder is needed (the target itself, or any folder above it).
 */
export function checkTarget(path: string, kind: TargetKind, overwrite: boolean): void {
  const own = statOf(path, false)
  if (own) {
    // A link is judged by what it points to, but only a link to a folder is written through:
    // a file written "over" a link replaces the link, never the file it points to.
    const seen = own.isSymbolicLink() ? (statOf(path, true) ?? own) : own
    if (kind === 'file') {
      if (seen.isDirectory())
        throw new ExportError('is-a-folder', `${path} is a folder; give a file name.`, { path })
      if (!overwrite) throw fileExists(path)
    } else {
      if (!seen.isDirectory())
        throw new ExportError('not-a-folder', `${path} is a file; give a folder.`, { path })
      if (!overwrite && readdirSync(path).length > 0) throw fileExists(path)
    }
  }
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const st = statOf(dir, true)
    if (st) {
      if (!st.isDirectory())
        throw new ExportError('not-a-folder', `${dir} is a file, not a folder.`, { path: dir })
      return
    }
    if (dirname(dir) === dir) return
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off)
}

/** Makes the rename itself durable (where the system allows opening a folder). */
function syncFolder(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Windows cannot open a folder for this; its renames are flushed by the file system.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** Places the finished temporary file at `target` only if nothing has that name. */
function placeNew(tmp: string, target: string): void {
  try {
    linkSync(tmp, target)
    unlinkSync(tmp)
    return
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'EEXIST') throw fileExists(target)
    // File systems without hard links (FAT, some shares) answer these; check, then rename.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP')
      throw e
  }
  if (statOf(target, false)) throw fileExists(target)
  renameSync(tmp, target)
}

export interface WriteOptions {
  overwrite: boolean
}

/** Ours alone: `.gleaner-PID-12hex.tmp`. Short and hidden: a target's name may be near 255 bytes. */
const TEMPORARY = /^\.gleaner-(\d+)-[0-9a-f]{12}\.tmp$/

function temporaryName(): string {
  return `.gleaner-${process.pid}-${randomBytes(6).toString('hex')}.tmp`
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Removes the temporary files an export killed mid-write left in `dir` (a crash, a kill, power
 * loss), so they do not stay hidden in the user's folder forever; one whose process still runs
 * is an export in progress and is left alone. Returns the names removed.
 */
export function sweepTemporaries(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    const pid = TEMPORARY.exec(name)?.[1]
    if (pid === undefined || isRunning(Number(pid))) continue
    try {
      unlinkSync(join(dir, name))
      removed.push(name)
    } catch {
      // Gone already, or not ours to remove: the export itself does not depend on it.
    }
  }
  return removed
}

/** Writes `bytes` to `target` as a whole or not at all (see the top of this file). */
export function writeFileAtomic(target: string, bytes: Uint8Array, options: WriteOptions): void {
  const dir = dirname(target)
  const tmp = join(dir, temporaryName())
  let fd: number | undefined
  try {
    fd = openSync(tmp, 'wx', 0o666)
    writeAll(fd, bytes)
    fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    const previous = options.overwrite ? statOf(target, false) : null
    // A replaced file keeps its permissions: a private briefing stays private.
    if (previous?.isFile()) chmodSync(tmp, previous.mode & 0o7777)
    if (options.overwrite) renameSync(tmp, target)
    else placeNew(tmp, target)
    syncFolder(dir)
  } catch (e) {
    if (fd !== undefined) closeSync(fd)
    rmSync(tmp, { force: true })
    throw e instanceof ExportError ? e : writeFailed(target, e)
  }
}
