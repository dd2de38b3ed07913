// The export dialog opens where the user last exported (issue 13: "a default file name in the
// last folder used"), remembered across runs in a small file; a folder that is gone, or a file
// that is not ours, falls back to Documents.
import { afterAll, describe, expect, it } from 'vitest'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadLastExportDir, rememberExportDir, saveDialogCall } from '../../src/main/save-dialog'
import { tempDir } from '../helpers/corpus'

const t = tempDir('gleaner-save-dialog-')
afterAll(() => t.cleanup())

describe('the export dialog’s folder', () => {
  it('is the folder of the last chosen file, or above the last chosen Markdown folder', () => {
    const state = join(t.dir, 'userData', 'export-folder.json')
    expect(loadLastExportDir(state)).toBeNull()
    const briefs = join(t.dir, 'briefs')
    mkdirSync(join(briefs, 'weekly'), { recursive: true })

    rememberExportDir(state, join(briefs, '周报 2026-12-07.docx'))
    expect(loadLastExportDir(state)).toBe(briefs)
    const call = saveDialogCall(
      { defaultName: '周报 2026-12-08.html', folder: false, filters: [] },
      loadLastExportDir(state) as string
    )
    expect(call.options.defaultPath).toBe(join(briefs, '周报 2026-12-08.html'))

    rememberExportDir(state, join(briefs, 'weekly'))
    expect(loadLastExportDir(state)).toBe(briefs)
  })

  it('falls back when the folder is gone or the file is not one it wrote', () => {
    const state = join(t.dir, 'fallback.json')
    const gone = join(t.dir, 'gone')
    mkdirSync(gone)
    rememberExportDir(state, join(gone, 'x.html'))
    expect(loadLastExportDir(state)).toBe(gone)
    rmSync(gone, { recursive: true })
    expect(loadLastExportDir(state)).toBeNull()
    for (const text of ['not json', '{"dir": 7}', '{"dir": "relative/dir"}', '[]']) {
      writeFileSync(state, text)
      expect(loadLastExportDir(state), text).toBeNull()
    }
  })
})
