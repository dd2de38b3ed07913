// The export panel's Choose… button: shown only when the bridge has a native save dialog (the
// Electron shell), it asks for the collection's name with the format's extension (a folder for
// Markdown) and puts the chosen path in the field. The dialog is OS UI, so a fake stands in.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { GleanerApi, SavePathRequest } from '../../src/shared/api'
import type { CollectionSummary } from '../../src/shared/export-types'
import ExportPanel from '../../src/renderer/src/components/ExportPanel.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { safeName, savePathRequest } from '../../src/renderer/src/lib/exportName'

const collection: CollectionSummary = {
  id: 7,
  name: '进博会简报',
  query: null,
  createdAt: '2026-11-29T00:00:00Z',
  itemCount: 2
}

function mount(chooseSavePath?: (request: SavePathRequest) => Promise<string | null>) {
  const exportArticles = vi.fn(async () => ({
    format: 'html' as const,
    files: ['/x'],
    articleCount: 2,
    annotationCount: 0
  }))
  render(ExportPanel, {
    api: { exportArticles } as unknown as GleanerApi,
    collection,
    ...(chooseSavePath ? { chooseSavePath } : {})
  })
  return { exportArticles }
}

const field = (): HTMLInputElement =>
  screen.getByRole('textbox', { name: 'Save to (absolute path)' }) as HTMLInputElement

beforeEach(() => i18n.set('en'))

describe('ExportPanel Choose…', () => {
  it('is hidden when the bridge has no native dialog (web preview, tests)', async () => {
    mount()
    await fireEvent.click(screen.getByRole('button', { name: 'Export…' }))
    expect(field()).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Choose…' })).toBeNull()
  })

  it('asks for the collection name with the format’s extension and fills the field', async () => {
    const choose = vi.fn(async (request: SavePathRequest) =>
      request.folder ? '/home/a/Documents/简报' : '/home/a/Documents/简报.html'
    )
    const { exportArticles } = mount(choose)
    await fireEvent.click(screen.getByRole('button', { name: 'Export…' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    expect(choose).toHaveBeenLastCalledWith({
      defaultName: '进博会简报.html',
      folder: false,
      filters: [{ name: 'HTML', extensions: ['html'] }]
    })
    await waitFor(() => expect(field().value).toBe('/home/a/Documents/简报.html'))
    await waitFor(() => expect(document.activeElement).toBe(field()))

    // Markdown writes a folder: the dialog is a folder picker with a bare name.
    await fireEvent.change(screen.getByRole('combobox', { name: 'Format' }), {
      target: { value: 'markdown' }
    })
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    expect(choose).toHaveBeenLastCalledWith({
      defaultName: '进博会简报',
      folder: true,
      filters: []
    })
    await waitFor(() => expect(field().value).toBe('/home/a/Documents/简报'))

    // The chosen path is what gets exported.
    await fireEvent.click(screen.getByRole('button', { name: 'Export' }))
    await waitFor(() => expect(exportArticles).toHaveBeenCalledTimes(1))
    expect(exportArticles).toHaveBeenCalledWith({
      source: { collectionId: 7 },
      format: 'markdown',
      outPath: '/home/a/Documents/简报'
    })
  })

  it('keeps the typed path when the dialog is cancelled', async () => {
    const choose = vi.fn(async () => null)
    mount(choose)
    await fireEvent.click(screen.getByRole('button', { name: 'Export…' }))
    await fireEvent.input(field(), { target: { value: '/tmp/typed.html' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Choose…' }))
    await waitFor(() => expect(choose).toHaveBeenCalledTimes(1))
    expect(field().value).toBe('/tmp/typed.html')
  })

  it('makes a file name of any collection name', () => {
    expect(safeName('a/b\\c: "d"?')).toBe('a b c d')
    expect(safeName('..')).toBe('Gleaner export')
    expect(safeName('CON')).toBe('Gleaner export')
    expect(savePathRequest('../etc/passwd', 'csv').defaultName).toBe('etc passwd.csv')
  })
})
