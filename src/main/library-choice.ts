// Which library file the app opens, and the ones opened before (File › Open Recent Library), in
// a small JSON file in the app's settings folder. Pure file logic (no electron import) so it is
// tested on Node; the shell restarts on the chosen file (one library per app process).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute } from 'node:path'

export const LIBRARY_CHOICE_FILE = 'library-choice.json'
/** Library files remembered in the Open Recent menu. */
export const MAX_RECENT_LIBRARIES = 8
/** The file is read whole: a handful of paths. */
const MAX_CHOICE_BYTES = 64 * 1024

export interface LibraryChoice {
  /** The library to open; null: the app's default library. */
  current: string | null
  /** Library files opened, the newest first (the current one included). */
  recent: string[]
}

const isPath = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length < 4096 && isAbsolute(v) && !v.includes('\0')

/** Reads the choice; anything unreadable is no choice (the default library opens). */
export function loadLibraryChoice(file: string): LibraryChoice {
  try {
    const text = readFileSync(file)
    if (text.length > MAX_CHOICE_BYTES) return { current: null, recent: [] }
    const raw = JSON.parse(text.toString('utf8')) as Partial<Record<keyof LibraryChoice, unknown>>
    const recent = Array.isArray(raw.recent)
      ? [...new Set(raw.recent.filter(isPath))].slice(0, MAX_RECENT_LIBRARIES)
      : []
    return { current: isPath(raw.current) ? raw.current : null, recent }
  } catch {
    return { current: null, recent: [] }
  }
}

/** Makes `path` the library to open and the newest of the recent ones; returns the new choice. */
export function chooseLibrary(file: string, path: string): LibraryChoice {
  if (!isPath(path)) throw new Error(`not an absolute library path: ${path}`)
  const before = loadLibraryChoice(file)
  const choice: LibraryChoice = {
    current: path,
    recent: [path, ...before.recent.filter((p) => p !== path)].slice(0, MAX_RECENT_LIBRARIES)
  }
  mkdirSync(dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(choice))
  renameSync(tmp, file)
  return choice
}
