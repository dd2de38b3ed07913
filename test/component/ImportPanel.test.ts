import { fireEvent, render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ImportRun } from '../../src/shared/types'
import DropOverlay from '../../src/renderer/src/components/DropOverlay.svelte'
import ImportPanel from '../../src/renderer/src/components/ImportPanel.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { ImportController } from '../../src/renderer/src/lib/importer.svelte'
import { IMPORT_TIMEOUT_MS, openRealLibrary, ROOT, type RealLibrary } from './realLibrary'

const SEED_SCRIPT = join(ROOT, 'test/component/seedLibrary.ts')
import { SEED_FILE, SHARED } from '../helpers/corpus'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { deleteArticles } from '../../src/core/library/articles'

let library: RealLibrary
let run: ImportRun

beforeAll(async () => {
  i18n.set('en')
  library = openRealLibrary([`${SHARED}/corpus/rsshub`])
  const [latest] = await library.service.listImportRuns(1)
  run = (await library.service.getImportRun(latest!.id))!
}, IMPORT_TIMEOUT_MS)
afterAll(() => library.dispose())

describe('ImportPanel', () => {
  it('reports the real rsshub run: counts by outcome and each failure with its reason', async () => {
    const importer = new ImportController(library.bridge)
    importer.report = run
    render(ImportPanel, { importer })
    const count = (name: string): string =>
      document.querySelector(`[data-count="${name}"]`)?.textContent ?? ''
    expect(count('imported')).toBe(String(run.counts.imported))
    expect(count('failed')).toBe(String(run.counts.failed))
    expect(count('duplicates')).toBe(String(run.counts.duplicates))
    const failed = run.results.filter((r) => r.status === 'failed')
    expect(failed.length).toBeGreaterThan(0) // the corpus has an empty file
    const items = [...document.querySelectorAll('.problems li')]
    for (const result of failed) {
      const item = items.find((li) => li.querySelector('.path')?.textContent === result.path)
      expect(item?.querySelector('.reason')?.textContent).toBe(result.reason ?? result.code)
    }
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(document.querySelector('[data-count]')).toBeNull()
  })

  it('shows progress from importProgress events and cancels that run', async () => {
    const cancelImport = vi.spyOn(library.service, 'cancelImport')
    const importer = new ImportController(library.bridge)
    importer.running = true
    importer.progress = {
      runId: run.id,
      done: 3,
      total: 10,
      currentPath: '/corpus/a.md',
      counts: run.counts,
      filesPerSecond: 12.5,
      finished: false
    }
    render(ImportPanel, { importer })
    expect(screen.getByText('3 of 10 files · 12.5 files/s')).toBeTruthy()
    expect(screen.getByText('/corpus/a.md')).toBeTruthy()
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(cancelImport).toHaveBeenCalledWith(run.id)
  })
})

describe('ImportPanel: an article in the trash', () => {
  let trashed: RealLibrary
  let again: ImportRun
  beforeAll(async () => {
    trashed = openRealLibrary([SEED_FILE])
    const [first] = await trashed.service.listImportRuns(1)
    const id = (await trashed.service.getImportRun(first!.id))!.results[0]!.articleId!
    deleteArticles(trashed.db, [id], new Date().toISOString())
    // The same file imported again by the real service (in its own process, as seeded).
    execFileSync(join(ROOT, 'node_modules/.bin/tsx'), [SEED_SCRIPT, trashed.db.name, SEED_FILE], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit']
    })
    const [latest] = await trashed.service.listImportRuns(1)
    again = (await trashed.service.getImportRun(latest!.id))!
  }, IMPORT_TIMEOUT_MS)
  afterAll(() => {
    trashed.dispose()
    i18n.set('en')
  })

  for (const [locale, label, reason] of [
    ['en', 'In trash', /^Article #\d+ is in the trash: not imported again/u],
    ['zh', '在回收站中', /^文章 #\d+ 在回收站中，未重新导入/u]
  ] as const) {
    it(`says the file was skipped because its article is in the trash (${locale})`, () => {
      i18n.set(locale)
      const importer = new ImportController(trashed.bridge)
      importer.report = again
      render(ImportPanel, { importer })
      expect(again.results[0]?.status).toBe('in-trash')
      const count = document.querySelector('[data-count="in-trash"]')
      expect(count?.textContent).toBe('1')
      expect(count?.previousElementSibling?.textContent).toBe(label)
      const item = document.querySelector('.problems li[data-status="in-trash"]')
      expect(item?.querySelector('.reason')?.textContent).toMatch(reason)
    })
  }
})

describe('DropOverlay', () => {
  function drop(files: File[]): void {
    const event = new Event('drop', { bubbles: true, cancelable: true }) as DragEvent
    Object.defineProperty(event, 'dataTransfer', { value: { files, types: ['Files'] } })
    window.dispatchEvent(event)
    flushSync()
  }

  it('turns dropped files into paths through the bridge', async () => {
    const onpaths = vi.fn()
    const paths = new Map<File, string>()
    const file = new File(['x'], 'a.md')
    paths.set(file, '/articles/a.md')
    render(DropOverlay, {
      pathForFile: (f: File) => Promise.resolve(paths.get(f) ?? null),
      onpaths,
      onnopaths: () => {}
    })
    drop([file, new File(['y'], 'unknown.md')])
    await vi.waitFor(() => expect(onpaths).toHaveBeenCalledWith(['/articles/a.md']))
  })

  it('says so when the window cannot see paths (browser preview)', async () => {
    const onnopaths = vi.fn()
    render(DropOverlay, {
      pathForFile: () => Promise.resolve(null),
      onpaths: () => {},
      onnopaths
    })
    drop([new File(['x'], 'a.md')])
    await vi.waitFor(() => expect(onnopaths).toHaveBeenCalledOnce())
  })
})
