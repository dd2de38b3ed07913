// The line under the toolbar while the search index is rebuilt beside the one in use (a library
// opened by a Gleaner that indexes differently): it follows the real service's progress and
// its Cancel stops the rebuild, leaving the previous index in use for the next start to rebuild.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TaskProgress } from '../../src/shared/types'
import IndexStatus from '../../src/renderer/src/components/IndexStatus.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { childBridge } from '../helpers/childBridge'
import { tempDir } from '../helpers/corpus'
import { generateCorpus } from '../core/import-corpus-gen'
import { IMPORT_TIMEOUT_MS, openRealLibrary, type RealLibrary } from './realLibrary'

/** Enough articles that the rebuild runs in many slices, long after the first one is shown. */
const ARTICLES = 3000

let files: { dir: string; cleanup: () => void }
let library: RealLibrary

const identity = (): string =>
  library.db
    .prepare(`SELECT value FROM settings WHERE key = 'search.indexIdentity'`)
    .pluck()
    .get() as string

beforeAll(() => {
  i18n.set('en')
  files = tempDir('gleaner-index-status-')
  generateCorpus(join(files.dir, 'posts'), ARTICLES)
  library = openRealLibrary([join(files.dir, 'posts')])
  // As if another tokenization had built the index: the next open rebuilds it.
  library.db
    .prepare(`UPDATE settings SET value = 'another tokenizer' WHERE key = 'search.indexIdentity'`)
    .run()
  library.db.pragma('wal_checkpoint(TRUNCATE)')
}, IMPORT_TIMEOUT_MS)

afterAll(() => {
  library?.dispose()
  files?.cleanup()
})

describe('IndexStatus', () => {
  it('shows the rebuild’s progress as it runs, and its Cancel stops it', async () => {
    // Listening before the service opens the library, as the window does from its first frame.
    const child = childBridge(library.path)
    const events: TaskProgress[] = []
    child.bridge.on('taskProgress', (p) => void events.push(p))
    try {
      render(IndexStatus, { bridge: child.bridge })
      const line = await screen.findByRole('status', {}, { timeout: 60_000 })
      expect(line.textContent).toMatch(
        new RegExp(`Rebuilding the search index: \\d+ of ${ARTICLES} articles`, 'u')
      )
      expect(line.querySelector('progress')?.max).toBe(ARTICLES)
      await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
      await waitFor(() => expect(screen.queryByRole('status')).toBeNull(), { timeout: 30_000 })
      const last = events.at(-1)!
      expect(last).toMatchObject({ kind: 'reindex', finished: true, cancelled: true })
      expect(last.done).toBeLessThan(ARTICLES)
    } finally {
      await child.close()
    }
    // The previous index stays in use; the next start rebuilds it again.
    expect(identity()).toBe('another tokenizer')
  })
})
