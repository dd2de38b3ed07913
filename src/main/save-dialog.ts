// The native save dialog the renderer may open (GleanerBridge.chooseSavePath). The renderer
// sends only a name and file types; where the dialog opens is decided here, and the path comes
// from the user's own choice in OS UI. Pure functions, so they are tested on Node.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import type { OpenDialogOptions, SaveDialogOptions } from 'electron'
import type { SavePathRequest } from '../shared/api'
import type { Locale } from '../shared/first-paint'
import { shellStrings } from './shell-strings'

const MAX_NAME = 255
const MAX_FILTERS = 10
const MAX_EXTENSIONS = 10

function refuse(what: string): never {
  throw new Error(`chooseSavePath: ${what}`)
}

function plainObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) refuse(`${what} must be an object`)
  return v as Record<string, unknown>
}

function onlyKeys(o: Record<string, unknown>, keys: string[], what: string): void {
  for (const key of Object.keys(o)) if (!keys.includes(key)) refuse(`${what}: unknown key ${key}`)
}

/** Checks what the renderer sent: a bare name (no folders, no traversal), a flag, file types. */
export function parseSavePathRequest(raw: unknown): SavePathRequest {
  const o = plainObject(raw, 'the request')
  onlyKeys(o, ['defaultName', 'folder', 'filters'], 'the request')
  const name = o.defaultName
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME)
    refuse(`defaultName must be a non-empty string of ≤ ${MAX_NAME} characters`)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[/\\\u0000-\u001f\u007f]/u.test(name) || name === '.' || name === '..')
    refuse('defaultName must be a bare file name')
  if (typeof o.folder !== 'boolean') refuse('folder must be true or false')
  if (!Array.isArray(o.filters) || o.filters.length > MAX_FILTERS)
    refuse(`filters must be an array of ≤ ${MAX_FILTERS}`)
  const filters = o.filters.map((f: unknown) => {
    const filter = plainObject(f, 'a filter')
    onlyKeys(filter, ['name', 'extensions'], 'a filter')
    if (typeof filter.name !== 'string' || filter.name.length === 0 || filter.name.length > 100)
      refuse('a filter name must be a string of 1–100 characters')
    const extensions = filter.extensions
    if (
      !Array.isArray(extensions) ||
      extensions.length === 0 ||
      extensions.length > MAX_EXTENSIONS ||
      !extensions.every((e) => typeof e === 'string' && /^(\*|[A-Za-z0-9]{1,10})$/u.test(e))
    )
      refuse('filter extensions must be 1–10 alphanumeric extensions (or *)')
    return { name: filter.name, extensions: extensions as string[] }
  })
  return { defaultName: name, folder: o.folder, filters }
}

export type SaveDialogCall =
  { kind: 'folder'; options: OpenDialogOptions } | { kind: 'file'; options: SaveDialogOptions }

/**
 * The dialog to show: a folder picker (Markdown) or a save dialog, opening in `baseDir`, with
 * its title in `locale`. The file types' names are the formats' own (HTML, PDF…) as sent.
 */
export function saveDialogCall(
  request: SavePathRequest,
  baseDir: string,
  locale: Locale = 'en'
): SaveDialogCall {
  const s = shellStrings(locale)
  const defaultPath = join(baseDir, request.defaultName)
  if (request.folder)
    return {
      kind: 'folder',
      options: {
        title: s.exportFolderTitle,
        buttonLabel: s.exportFolderButton,
        defaultPath,
        properties: ['openDirectory', 'createDirectory', 'promptToCreate']
      }
    }
  return {
    kind: 'file',
    options: {
      title: s.exportFileTitle,
      defaultPath,
      filters: request.filters,
      properties: ['createDirectory', 'showOverwriteConfirmation']
    }
  }
}

/** The chosen path from a dialog's answer; null when cancelled or empty. */
export function chosenPath(
  answer: { canceled: boolean; filePath?: string; filePaths?: string[] } | undefined
): string | null {
  if (!answer || answer.canceled) return null
  const path = answer.filePath || answer.filePaths?.[0] || ''
  return path === '' ? null : path
}

/**
 * Where the next export dialog opens: the folder the user last exported into, remembered in a
 * small JSON file in the app's data folder. Falls back (null) when none is remembered, the file
 * is unreadable, or the folder is gone.
 */
export function loadLastExportDir(file: string): string | null {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { dir?: unknown }
    if (typeof raw.dir !== 'string' || !isAbsolute(raw.dir)) return null
    return statSync(raw.dir).isDirectory() ? raw.dir : null
  } catch {
    return null
  }
}

/**
 * Remembers the folder of a path chosen in the dialog: a file's folder, or the folder above a
 * chosen Markdown folder (so the next export is proposed beside it, not inside it).
 */
export function rememberExportDir(file: string, chosen: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, JSON.stringify({ dir: dirname(chosen) }))
  } catch {
    // Not remembered: the next dialog opens in Documents, nothing else is lost.
  }
}
