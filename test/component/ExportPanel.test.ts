// The export panel over a real library and the real exporter writing real files: it proposes the
// collection's name and the day in the folder last exported into, never replaces a file without
// asking (the core refuses, the panel asks in the UI language, by keyboard too), and says every
// refusal in the UI language. The Electron shell's Choose… button asks the native save dialog,
// which is OS UI, so a fake stands in for the dialog (only).
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ExportRequest, GleanerApi, SavePathRequest } from '../../src/shared/api'
import type { CollectionSummary, ExportResult } from '../../src/shared/export-types'
import { addToCollection, createCollection } from '../../src/core/collections'
import { exportBundle, loadCollectionBundle } from '../../src/core/export'
import ExportPanel from '../../src/renderer/src/components/ExportPanel.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { safeName, savePathRequest } from '../../src/renderer/src/lib/exportName'
import { IMPORT_TIMEOUT_MS, openRealLibrary, type RealLibrary } from './realLibrary'

let lib: RealLibrary
let collection: CollectionSummary
let out: string
/** "Exported N articles to": what the panel says after writing the collection. */
let exported: (path: string, zh?: boolean) => string

beforeAll(() => {
  lib = openRealLibrary()
  const c = createCollection(lib.db, '进博会简报')
  const ids = lib.db
    .prepare('SELECT id FROM articles ORDER BY id LIMIT 2')
    .pluck()
    .all() as number[]
  addToCollection(lib.db, c.id, ids)
  collection = { ...c, itemCount: ids.length }
  exported = (path, zh = false) =>
    zh ? `已导出 ${ids.length} 篇文章到 ${path}` : `Exported ${ids.length} articles to ${path}`
  out = mkdtempSync(join(tmpdir(), 'gleaner-export-panel-'))
}, IMPORT_TIMEOUT_MS)
afterAll(() => {
  lib?.dispose()
  rmSync(out, { recursive: true, force: true })
})

// The day the panel proposes in names; only Date is faked (timers stay real for waitFor).
const TODAY = new Date(2026, 11, 7, 10, 30)
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(TODAY)
  localStorage.clear()
  i18n.set('en')
})
afterEach(() => vi.useRealTimers())

let n = 0
const fresh = (): string => {
  const dir = join(out, `case-${++n}`)
  mkdirSync(dir)
  return dir
}

/** exportArticles as the service does it for a collection, on the real library. */
function mount(chooseSavePath?: (request: SavePathRequest) => Promise<string | null>) {
  const exportArticles = vi.fn(async (request: ExportRequest): Promise<ExportResult> => {
    const bundle = loadCollectionBundle(lib.db, collection.id)
    return exportBundle(bundle, request.format, request.outPath, {
      ...(request.overwrite ? { overwrite: true } : {}),
      ...(request.locale ? { locale: request.locale } : {})
    })
  })
  render(ExportPanel, {
    api: { exportArticles } as unknown as GleanerApi,
    collection,
    ...(chooseSavePath ? { chooseSavePath } : {})
  })
  return { exportArticles }
}

const field = (): HTMLInputElement =>
  screen.getByRole('textbox', { name: /Save to|保存到/ }) as HTMLInputElement

async function openPanel(): Promise<void> {
  await fireEvent.click(screen.getByRole('button', { name: /Export…|导出…/ }))
}

async function typePath(path: string): Promise<void> {
  await fireEvent.input(field(), { target: { value: path } })
}

async function submit(): Promise<void> {
  await fireEvent.click(screen.getByRole('button', { name: /^(Export|导出)$/ }))
}

describe('the proposed path', () => {
  it('is the collection’s name and the day in the folder last exported into', async () => {
    const dir = fresh()
    mount()
    await openPanel()
    // Nothing exported yet: no folder to propose, the name shows as an example.
    expect(field().value).toBe('')
    expect(field().placeholder).toBe('e.g. /path/to/folder/进博会简报 2026-12-07.html')

    await typePath(`${dir}/`)
    await submit()
    // A folder alone gets the proposed name.
    await screen.findByText(exported(`${dir}/进博会简报 2026-12-07.html`))
    expect(readdirSync(dir)).toEqual(['进博会简报 2026-12-07.html'])
  })

  it('is filled in from the last folder, and follows the format until the user types', async () => {
    localStorage.setItem('gleaner.exportFolder', '/home/analyst/Briefs')
    mount()
    await openPanel()
    expect(field().value).toBe('/home/analyst/Briefs/进博会简报 2026-12-07.html')
    const select = screen.getByRole('combobox', { name: 'Format' })
    await fireEvent.change(select, { target: { value: 'docx' } })
    expect(field().value).toBe('/home/analyst/Briefs/进博会简报 2026-12-07.docx')
    await fireEvent.change(select, { target: { value: 'markdown' } })
    expect(field().value).toBe('/home/analyst/Briefs/进博会简报 2026-12-07')
    await typePath('/tmp/mine.csv')
    await fireEvent.change(select, { target: { value: 'csv' } })
    expect(field().value).toBe('/tmp/mine.csv')
  })

  it('cuts a long name at a word, keeping the date', () => {
    const long =
      'Weekly briefing on semiconductors export controls and the supply chain in East Asia'
    const name = savePathRequest(long, 'pdf', TODAY).defaultName
    expect(name).toBe('Weekly briefing on semiconductors export controls and the 2026-12-07.pdf')
  })
})

describe('an existing file', () => {
  it('is replaced only after the user says so; Cancel (or Escape) keeps it', async () => {
    const dir = fresh()
    const path = join(dir, 'brief.html')
    writeFileSync(path, 'my own file')
    const { exportArticles } = mount()
    await openPanel()
    await typePath(path)
    await submit()

    const question = await screen.findByRole('alertdialog')
    expect(question.textContent).toContain(`“${path}” already exists. Replace it?`)
    // The safe answer has the focus; Escape gives it.
    const cancel = screen.getByRole('button', { name: 'Cancel' })
    await waitFor(() => expect(document.activeElement).toBe(cancel))
    await fireEvent.keyDown(cancel, { key: 'Escape' })
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(document.activeElement).toBe(field())
    expect(readFileSync(path, 'utf8')).toBe('my own file')
    expect(exportArticles).toHaveBeenCalledTimes(1)
    expect(exportArticles.mock.calls[0]?.[0]).not.toHaveProperty('overwrite')

    await submit()
    await screen.findByRole('alertdialog')
    await fireEvent.click(screen.getByRole('button', { name: 'Replace' }))
    await screen.findByText(exported(path))
    expect(exportArticles).toHaveBeenCalledTimes(3)
    expect(exportArticles.mock.calls[2]?.[0]).toEqual({
      source: { collectionId: collection.id },
      format: 'html',
      outPath: path,
      locale: 'en',
      overwrite: true
    })
    expect(readFileSync(path, 'utf8')).toMatch(/^<!doctype html>/)
  })

  it('is asked about in Chinese in the Chinese UI, and the export is written in Chinese', async () => {
    i18n.set('zh')
    const dir = fresh()
    writeFileSync(join(dir, 'mine.md'), 'mine')
    mount()
    await openPanel()
    await fireEvent.change(screen.getByRole('combobox', { name: '格式' }), {
      target: { value: 'markdown' }
    })
    await typePath(dir)
    await submit()
    const question = await screen.findByRole('alertdialog')
    expect(question.textContent).toContain(
      `文件夹“${dir}”中已有文件。仍导出到此处并替换同名文件吗？`
    )
    await fireEvent.click(screen.getByRole('button', { name: '替换' }))
    await screen.findByText(exported(dir, true))
    expect(readFileSync(join(dir, 'mine.md'), 'utf8')).toBe('mine')
    const index = readdirSync(dir).find((f) => f.endsWith(' - 索引.md'))
    expect(index).toBeDefined()
  })
})

describe('refusals', () => {
  it('are said in the UI language, from their codes', async () => {
    i18n.set('zh')
    const dir = fresh()
    mount()
    await openPanel()
    await typePath(join(dir, 'brief.csv'))
    await submit()
    expect((await screen.findByRole('alert')).textContent).toContain(
      'HTML 导出的文件名须以 .html 结尾。'
    )
    mkdirSync(join(dir, 'folder.html'))
    await typePath(join(dir, 'folder.html'))
    await submit()
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toContain(
        `“${join(dir, 'folder.html')}”是文件夹：请加上文件名。`
      )
    )
    expect(existsSync(join(dir, 'brief.csv'))).toBe(false)
  })
})

describe('ExportPanel Choose…', () => {
  it('is hidden when the bridge has no native dialog (web preview, tests)', async () => {
    mount()
    await openPanel()
    expect(field()).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Choose…' })).toBeNull()
  })

  it('asks for the proposed name with the format’s extension and fills the field', async () => {
    const dir = fresh()
    const choose = vi.fn(async (request: SavePathRequest) =>
      request.folder ? join(dir, '简报') : join(dir, '简报.html')
    )
    const { exportArticles } = mount(choose)
    await openPanel()
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    expect(choose).toHaveBeenLastCalledWith({
      defaultName: '进博会简报 2026-12-07.html',
      folder: false,
      filters: [{ name: 'HTML', extensions: ['html', 'htm'] }]
    })
    await waitFor(() => expect(field().value).toBe(join(dir, '简报.html')))
    await waitFor(() => expect(document.activeElement).toBe(field()))

    // Markdown writes a folder: the dialog is a folder picker with a bare name.
    await fireEvent.change(screen.getByRole('combobox', { name: 'Format' }), {
      target: { value: 'markdown' }
    })
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    expect(choose).toHaveBeenLastCalledWith({
      defaultName: '进博会简报 2026-12-07',
      folder: true,
      filters: []
    })
    await waitFor(() => expect(field().value).toBe(join(dir, '简报')))

    // The chosen path is what gets exported.
    await submit()
    await waitFor(() => expect(exportArticles).toHaveBeenCalledTimes(1))
    expect(exportArticles).toHaveBeenCalledWith({
      source: { collectionId: collection.id },
      format: 'markdown',
      outPath: join(dir, '简报'),
      locale: 'en'
    })
  })

  it('does not ask again about a file the save dialog already asked about', async () => {
    const dir = fresh()
    const path = join(dir, 'chosen.html')
    writeFileSync(path, 'replace me: the OS dialog asked')
    const { exportArticles } = mount(async () => path)
    await openPanel()
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    await waitFor(() => expect(field().value).toBe(path))
    await submit()
    await screen.findByText(exported(path))
    expect(exportArticles.mock.calls[0]?.[0]).toMatchObject({ overwrite: true })
    expect(screen.queryByRole('alertdialog')).toBeNull()

    // A path typed afterwards is the user's own again: asked about.
    await typePath(join(dir, 'other.html'))
    writeFileSync(join(dir, 'other.html'), 'keep')
    await submit()
    await screen.findByRole('alertdialog')
    expect(readFileSync(join(dir, 'other.html'), 'utf8')).toBe('keep')
  })

  it('keeps the typed path when the dialog is cancelled', async () => {
    const choose = vi.fn(async () => null)
    mount(choose)
    await openPanel()
    await typePath('/tmp/typed.html')
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    await waitFor(() => expect(choose).toHaveBeenCalledTimes(1))
    expect(field().value).toBe('/tmp/typed.html')
  })

  it('makes a file name of any collection name', () => {
    expect(safeName('a/b\\c: "d"?')).toBe('a b c d')
    expect(safeName('..')).toBe('Gleaner export')
    expect(safeName('CON')).toBe('Gleaner export')
    expect(savePathRequest('../etc/passwd', 'csv', TODAY).defaultName).toBe(
      'etc passwd 2026-12-07.csv'
    )
  })
})
