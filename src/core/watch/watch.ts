// Watch folders: files that appear (or change) below a folder are imported once they have
// settled (size and mtime unchanged across a check), so half-copied files are not read.
// Re-imports are cheap and safe: importPaths skips files whose bytes are already in.
import { watch, type FSWatcher } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join, resolve, sep } from 'node:path'
import type { ImportRun } from '../../shared/types'
import { importPaths, type ImportOptions } from '../importer/run'
import type { Db } from '../library/open'

/** Anything with the service's importWithin (GleanerService), or a bare database. */
export type WatchTarget = Db | { importWithin(folder: string, paths: string[]): Promise<ImportRun> }

export interface WatchOptions {
  /** Quiet time after the last event before files are looked at (default 300 ms). */
  debounceMs?: number
  /** Time between two size checks; a file is imported when both agree (default 500 ms). */
  settleMs?: number
  /** Import what is already in the folder when watching starts (default true). */
  initialImport?: boolean
  /** Used when the target is a bare database. */
  importOptions?: Omit<ImportOptions, 'signal'>
  onRun?: (run: ImportRun) => void
  onError?: (e: Error) => void
}

export interface FolderWatch {
  readonly dir: string
  /** Resolves when nothing is waiting to settle or import. */
  idle(): Promise<void>
  close(): Promise<void>
}

/** Names that are still being written by someone else, or are not articles. */
export function isTransientName(name: string): boolean {
  return (
    name.startsWith('.') ||
    name.endsWith('~') ||
    /\.(tmp|temp|part|partial|crdownload|download|swp)$/iu.test(name)
  )
}

/**
 * The changed path, relative to the folder. A name that is not UTF-8 (GBK names unpacked from a
 * Windows zip) reaches here with U+FFFD in place of its bytes, and that string names no file:
 * the nearest folder above it is imported instead, where the walk reads the name by its bytes.
 */
function watchedName(name: string): string {
  const parts: string[] = []
  for (const part of name.split(sep)) {
    if (part.includes('\ufffd')) break
    parts.push(part)
  }
  return parts.join(sep)
}

function isDb(t: WatchTarget): t is Db {
  return typeof (t as Db).prepare === 'function'
}

export function watchFolder(
  target: WatchTarget,
  dir: string,
  opts: WatchOptions = {}
): FolderWatch {
  const root = resolve(dir)
  const debounceMs = opts.debounceMs ?? 300
  const settleMs = opts.settleMs ?? 500
  const seen = new Map<string, string>() // path → "size:mtime" at the last check
  const waiting = new Set<string>()
  let debounce: NodeJS.Timeout | null = null
  let settleTimer: NodeJS.Timeout | null = null
  let chain: Promise<void> = Promise.resolve()
  let closed = false
  const controller = new AbortController()
  const idleWaiters: (() => void)[] = []

  const runImport = (paths: string[]): Promise<void> => {
    chain = chain.then(async () => {
      if (closed || paths.length === 0) return
      try {
        // The paths come from file events, not from the user: the folder is the choice, and
        // nothing (a link dropped in it) may lead the import out of it.
        const run = isDb(target)
          ? await importPaths(target, paths, {
              ...opts.importOptions,
              within: root,
              signal: controller.signal
            })
          : await target.importWithin(root, paths)
        opts.onRun?.(run)
      } catch (e) {
        opts.onError?.(e as Error)
      }
    })
    return chain
  }

  const isIdle = (): boolean => !debounce && !settleTimer && waiting.size === 0
  const notifyIdle = (): void => {
    void chain.then(() => {
      if (!isIdle()) return
      for (const w of idleWaiters.splice(0)) w()
    })
  }

  /** Checks every waiting path; imports those whose size and mtime held still since last time. */
  const settle = async (): Promise<void> => {
    settleTimer = null
    const ready: string[] = []
    for (const p of [...waiting]) {
      let sig: string
      try {
        const s = await stat(p)
        sig = `${s.size}:${s.mtimeMs}:${s.isDirectory() ? 'd' : 'f'}`
      } catch {
        // Gone again (moved away, a temp file renamed): nothing to import.
        waiting.delete(p)
        seen.delete(p)
        continue
      }
      if (seen.get(p) === sig) {
        ready.push(p)
        waiting.delete(p)
        seen.delete(p)
      } else seen.set(p, sig)
    }
    if (waiting.size && !closed) settleTimer = setTimeout(() => void settle(), settleMs)
    if (ready.length) await runImport(ready.sort())
    notifyIdle()
  }

  const onEvent = (changed: string | null): void => {
    if (closed || !changed) return
    const filename = watchedName(changed)
    if (filename.split(/[\\/]/u).some((part) => isTransientName(part))) return
    waiting.add(join(root, filename))
    if (debounce) clearTimeout(debounce)
    debounce = setTimeout(() => {
      debounce = null
      if (!settleTimer) void settle()
    }, debounceMs)
  }

  let watcher: FSWatcher
  try {
    watcher = watch(root, { recursive: true }, (_event, filename) => onEvent(filename))
  } catch (e) {
    throw new Error(`cannot watch ${root}: ${(e as Error).message}`, { cause: e })
  }
  watcher.on('error', (e) => opts.onError?.(e))
  if (opts.initialImport ?? true) void runImport([root]).then(notifyIdle)

  return {
    dir: root,
    idle() {
      if (isIdle()) return chain
      return new Promise<void>((r) => idleWaiters.push(r))
    },
    async close() {
      closed = true
      watcher.close()
      if (debounce) clearTimeout(debounce)
      if (settleTimer) clearTimeout(settleTimer)
      debounce = settleTimer = null
      waiting.clear()
      controller.abort()
      await chain
      for (const w of idleWaiters.splice(0)) w()
    }
  }
}
