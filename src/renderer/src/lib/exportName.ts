// What the export panel proposes: a file name made of the collection's name and the day (cut
// and cleaned by the same rule the core uses for file names), with the format's extension (a
// bare folder name for Markdown), in the folder the user last exported into.
import type { SavePathRequest } from '../../../shared/api'
import { EXPORT_EXTENSIONS, type ExportFormat } from '../../../shared/export-types'
import { exportStem, safeFileStem } from '../../../shared/file-names'

const FOLDER_KEY = 'gleaner.exportFolder'

/** A name that works as a file name everywhere (no separators, control or reserved characters). */
export function safeName(name: string, fallback = 'Gleaner export'): string {
  return safeFileStem(name, fallback)
}

/**
 * "周报 Weekly 12 2026-12-07.docx"; Markdown writes a folder, so no extension, unless it is to
 * be one file (`markdownFile`: an export of notes).
 */
export function defaultExportName(
  collectionName: string,
  format: ExportFormat,
  date: Date,
  markdownFile = false
): string {
  const stem = exportStem(collectionName, date)
  return format === 'markdown' && !markdownFile
    ? stem
    : `${stem}${EXPORT_EXTENSIONS[format][0] as string}`
}

export function savePathRequest(
  collectionName: string,
  format: ExportFormat,
  date: Date = new Date(),
  markdownFile = false
): SavePathRequest {
  const defaultName = defaultExportName(collectionName, format, date, markdownFile)
  if (format === 'markdown' && !markdownFile) return { defaultName, folder: true, filters: [] }
  return {
    defaultName,
    folder: false,
    filters: [
      { name: format.toUpperCase(), extensions: EXPORT_EXTENSIONS[format].map((e) => e.slice(1)) }
    ]
  }
}

/** The separator a typed path uses: Windows paths have backslashes and no slashes. */
function separatorOf(path: string): string {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/'
}

export function joinPath(folder: string, name: string): string {
  const sep = separatorOf(folder)
  return folder.endsWith('/') || folder.endsWith('\\') ? folder + name : folder + sep + name
}

/** The folder holding `path` (the folder above a Markdown export folder). */
export function folderOf(path: string): string {
  const trimmed = path.replace(/[\\/]+$/u, '')
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'))
  if (cut < 0) return ''
  // Keep the root's separator: "/" and "C:\".
  return cut === 0 || /^[A-Za-z]:$/u.test(trimmed.slice(0, cut))
    ? trimmed.slice(0, cut + 1)
    : trimmed.slice(0, cut)
}

/** The folder the last export went into, for the next one's proposed path; null if none. */
export function lastExportFolder(): string | null {
  try {
    return localStorage.getItem(FOLDER_KEY)
  } catch {
    return null
  }
}

export function rememberExportFolder(exportedPath: string): void {
  const folder = folderOf(exportedPath)
  if (folder === '') return
  try {
    localStorage.setItem(FOLDER_KEY, folder)
  } catch {
    // Not remembered (storage unavailable): the next export proposes a name without a folder.
  }
}
