/** One output file: a path relative to the export folder (Markdown) or the single file's name. */
export interface ExportFile {
  path: string
  bytes: Uint8Array
}
