// Making file-system steps survive a power cut: a renamed or written file is only safe once
// its bytes and the folder entry naming it have reached the disk.
import { closeSync, fsyncSync, openSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** Flushes a file's bytes to disk. */
export function syncFile(path: string): void {
  const fd = openSync(path, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Flushes a folder's entries (renames, new and removed names). Not possible on Windows: skipped. */
export function syncFolder(dir: string): void {
  let fd: number
  try {
    fd = openSync(dir, 'r')
  } catch {
    return
  }
  try {
    fsyncSync(fd)
  } catch {
    // Windows cannot fsync a folder; NTFS journals the rename itself.
  } finally {
    closeSync(fd)
  }
}

/** Writes a small file whole or not at all: a temporary name, flushed, then renamed over. */
export function writeFileDurably(path: string, text: string): void {
  const temp = `${path}.tmp-${process.pid}`
  writeFileSync(temp, text)
  syncFile(temp)
  renameSync(temp, path)
  syncFolder(dirname(path))
}
