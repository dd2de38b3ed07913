import { readdirSync, realpathSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

export type WalkEntry =
  { kind: 'file'; path: string; size: number } | { kind: 'error'; path: string; reason: string }

/** Folders that are never article sources (version control, OS litter). */
const SKIP_DIRS = new Set(['.git', '.svn', '.hg', 'node_modules', '__MACOSX', '.Trash'])
const SKIP_FILES = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini'])

/**
 * Yields every file below the given paths, depth first, in name order so runs are repeatable.
 * Symlinked folders are followed once: a link back into a folder already seen is skipped,
 * so link loops end. Problems are yielded as entries, never thrown.
 *
 * Synchronous on purpose: the walk is pulled one file at a time by the importer, and an async
 * stat costs a thread-pool round trip per file, which measured ~0.25 ms of the writer thread
 * per file at 10,000 files (a sync stat is a few microseconds).
 */
export function* walkPaths(roots: readonly string[]): Generator<WalkEntry> {
  const seenDirs = new Set<string>()
  for (const root of roots) yield* walkOne(resolve(root), seenDirs)
}

function* walkOne(path: string, seenDirs: Set<string>): Generator<WalkEntry> {
  let info
  try {
    info = statSync(path)
  } catch (e) {
    yield { kind: 'error', path, reason: describeFsError(e, 'cannot read') }
    return
  }
  if (info.isFile()) {
    yield { kind: 'file', path, size: info.size }
    return
  }
  if (!info.isDirectory()) {
    yield { kind: 'error', path, reason: 'not a regular file or folder' }
    return
  }
  let real: string
  try {
    real = realpathSync(path)
  } catch (e) {
    yield { kind: 'error', path, reason: describeFsError(e, 'cannot resolve') }
    return
  }
  if (seenDirs.has(real)) return
  seenDirs.add(real)
  let names: string[]
  try {
    names = readdirSync(path)
  } catch (e) {
    yield { kind: 'error', path, reason: describeFsError(e, 'cannot list folder') }
    return
  }
  names.sort()
  for (const name of names) {
    if (SKIP_FILES.has(name) || SKIP_DIRS.has(name)) continue
    yield* walkOne(join(path, name), seenDirs)
  }
}

export function describeFsError(e: unknown, what: string): string {
  const err = e as NodeJS.ErrnoException
  switch (err?.code) {
    case 'EACCES':
    case 'EPERM':
      return `${what}: permission denied`
    case 'ENOENT':
      return `${what}: no such file or folder`
    case 'ELOOP':
      return `${what}: too many levels of symbolic links`
    case 'EISDIR':
      return `${what}: is a folder`
    default:
      return `${what}: ${err?.message ?? String(e)}`
  }
}
