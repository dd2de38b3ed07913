// Which files the window may name. The API's importPaths and exportArticles take paths; the
// CLI and the tests are trusted and call the core with any path, but the window is not: an
// article that got script into it would otherwise read ~/.ssh/id_rsa (import it, then read
// it back as an article) or write ~/.bashrc (export over it). So every path the window sends
// passes one of these first (withPathAccess wraps the API the IPC and HTTP binders expose):
//
// - The Electron shell (PathGrants): only paths main itself handed the window, from a native
//   open or save dialog, or from a drop (preload reads the dropped File's path, which the page
//   cannot forge, and main records it). A grant is the path itself, kept in main: the window
//   shows it and sends it back, and main accepts exactly that (or, for a granted folder, what
//   really lies inside it). Read grants (import) and write grants (export) are kept apart.
// - The web preview (RootedAccess): a browser has no native dialogs and no dropped paths, so
//   paths are typed; they must lie, symlinks resolved, inside the folders the preview was
//   started with (--allow, by default the user's home), with no hidden file or folder on the
//   way (~/.ssh, ~/.bashrc, ~/.config and the library in it), and never the library file.
import { realpath } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { API_METHODS, type GleanerApi } from '../shared/api'
import { GleanerError } from '../shared/errors'

export interface PathAccess {
  /** The path to read (import) for what the window named; throws a GleanerError otherwise. */
  readable(path: string): Promise<string>
  /** The path to write (export) for what the window named; throws a GleanerError otherwise. */
  writable(path: string): Promise<string>
}

/** The API as the window may call it: importPaths and exportArticles see only allowed paths. */
export function withPathAccess(api: GleanerApi, access: PathAccess): GleanerApi {
  const guarded = Object.fromEntries(
    API_METHODS.map((m) => [
      m,
      (...args: unknown[]) => (api[m] as (...a: unknown[]) => unknown)(...args)
    ])
  ) as unknown as GleanerApi
  guarded.importPaths = async (paths, opts) =>
    api.importPaths(await Promise.all(paths.map((p) => access.readable(p))), opts)
  guarded.exportArticles = async (request) =>
    api.exportArticles({ ...request, outPath: await access.writable(request.outPath) })
  return guarded
}

const isInside = (child: string, parent: string): boolean => {
  const rel = relative(parent, child)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** Grants kept at most: the oldest go first (a window never needs this many at once). */
const MAX_GRANTS = 1000

/** Electron: the paths main handed the window (dialogs, drops), and nothing else. */
export class PathGrants implements PathAccess {
  readonly #read = new Set<string>()
  readonly #write = new Set<string>()

  #add(set: Set<string>, path: string): string {
    const key = resolve(path)
    set.delete(key)
    set.add(key)
    if (set.size > MAX_GRANTS) set.delete(set.values().next().value!)
    return path
  }

  /** A path the user dropped or picked to import; returns it, for the window to send back. */
  grantRead(path: string): string {
    return this.#add(this.#read, path)
  }

  /** A path the user picked in a save dialog (or a folder, for Markdown); returns it. */
  grantWrite(path: string): string {
    return this.#add(this.#write, path)
  }

  async readable(path: string): Promise<string> {
    if (isAbsolute(path)) {
      const key = resolve(path)
      if (this.#read.has(key)) return key
      // Inside a granted folder, judged on real paths: a symlink in it must not lead out.
      const real = await realpath(key).catch(() => null)
      if (real)
        for (const granted of this.#read) {
          const root = await realpath(granted).catch(() => null)
          if (root && real !== root && isInside(real, root)) return real
        }
    }
    throw new GleanerError(
      'path-not-granted',
      `The window may import only files and folders dropped on it or picked in a dialog, not ${path}.`,
      { path }
    )
  }

  async writable(path: string): Promise<string> {
    if (isAbsolute(path) && this.#write.has(resolve(path))) return resolve(path)
    throw new GleanerError(
      'path-not-granted',
      `The window may export only to a place picked with Choose…, not ${path}.`,
      { path }
    )
  }
}

/**
 * The real path `path` names, resolving symlinks of the part that exists (what does not exist
 * yet, a file to export, is appended to its nearest existing folder's real path).
 */
async function realTarget(path: string): Promise<string> {
  const rest: string[] = []
  let at = resolve(path)
  for (;;) {
    const real = await realpath(at).catch(() => null)
    if (real) return join(real, ...rest.reverse())
    const up = dirname(at)
    if (up === at) return resolve(path)
    rest.push(basename(at))
    at = up
  }
}

/** The web preview: typed paths, inside the folders it was started with. */
export class RootedAccess implements PathAccess {
  readonly roots: readonly string[]
  readonly #library: string

  /** `roots` as given (resolved once); `libraryPath` (and its -wal, -shm…) is never named. */
  constructor(roots: readonly string[], libraryPath: string) {
    this.roots = roots.map((r) => resolve(r))
    this.#library = resolve(libraryPath)
  }

  async #check(path: string): Promise<string> {
    const refuse = (): never => {
      throw new GleanerError(
        'path-outside-preview',
        `The web preview reads and writes only inside ${this.roots.join(', ')}, not in hidden ` +
          `files or folders and never the library itself, so ${path} is refused. Start it with ` +
          `--allow FOLDER to add a folder.`,
        { path, roots: this.roots.join(', ') }
      )
    }
    if (!isAbsolute(path)) return refuse()
    const target = await realTarget(path)
    const library = await realTarget(this.#library)
    if (target === library || target.startsWith(`${library}-`)) return refuse()
    for (const root of this.roots) {
      const realRoot = await realpath(root).catch(() => null)
      if (!realRoot || !isInside(target, realRoot)) continue
      const hidden = relative(realRoot, target)
        .split(sep)
        .some((part) => part.startsWith('.'))
      if (!hidden) return target
    }
    return refuse()
  }

  readable(path: string): Promise<string> {
    return this.#check(path)
  }

  writable(path: string): Promise<string> {
    return this.#check(path)
  }
}
