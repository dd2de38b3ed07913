import { opendir, realpath, stat } from 'node:fs/promises'
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
 */
export async function* walkPaths(roots: readonly string[]): AsyncGenerator<WalkEntry> {
  const seenDirs = new Set<string>()
  for (const root of roots) yield* walkOne(resolve(root), seenDirs)
}

async function* walkOne(path: string, seenDirs: Set<string>): AsyncGenerator<WalkEntry> {
  let info
  try {
    info = await stat(path)
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
    real = await realpath(path)
  } catch (e) {
    yield { kind: 'error', path, reason: describeFsError(e, 'cannot resolve') }
    return
  }
  if (seenDirs.has(real)) return
  seenDirs.add(real)
  let names: string[]
  try {
    const dir = await opendir(path)
    names = []
    for await (const d of dir) names.push(d.name)
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
