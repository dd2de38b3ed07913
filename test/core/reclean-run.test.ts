// Re-cleaning a whole library as a long run beside the windows: it gives the thread back between
// batches (a timer set before it keeps firing while it runs; once it held the thread from start
// to end), reports progress that the starting window knows by its clientId, and stops on
// cancelTask with what was done kept whole and the rest untouched — logged as one change.
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { LibraryChange } from '../../src/shared/change-types'
import type { TaskProgress } from '../../src/shared/types'
import { CLEANER_VERSION } from '../../src/core/clean/version'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { dispatchCall } from '../../src/shared/validate'
import { syncSearchIndex } from '../../src/core/search'
import { tempDir } from '../helpers/corpus'
import { generateCorpus } from './import-corpus-gen'

const ARTICLES = 400

let template: { dir: string; cleanup: () => void }
let templateFile: string

beforeAll(async () => {
  template = tempDir('gleaner-reclean-run-template-')
  templateFile = join(template.dir, 'library.db')
  const files = join(template.dir, 'files')
  generateCorpus(files, ARTICLES)
  const svc = createGleanerService({ libraryPath: templateFile, watchExternal: false })
  const run = await svc.importPaths([files])
  expect(run.counts.imported).toBe(ARTICLES)
  svc.db.pragma('wal_checkpoint(TRUNCATE)')
  svc.close()
}, 180_000)
afterAll(() => template.cleanup())

let dir: { dir: string; cleanup: () => void }
let svc: GleanerService
let progress: TaskProgress[]
let changes: LibraryChange[]

beforeEach(() => {
  dir = tempDir('gleaner-reclean-run-')
  copyFileSync(templateFile, join(dir.dir, 'library.db'))
  svc = createGleanerService({ libraryPath: join(dir.dir, 'library.db'), watchExternal: false })
  // Every article made by an older cleaner; one in ten with a line today's cleaner drops.
  svc.db.prepare('UPDATE articles SET cleaning_version = ?').run(CLEANER_VERSION - 1)
  svc.db
    .prepare(
      `UPDATE articles SET clean_html = '<p>旧版残留</p>' || clean_html,
         clean_text = '旧版残留' || char(10) || clean_text WHERE id % 10 = 0`
    )
    .run()
  // …and in the search index, as that cleaner left it.
  syncSearchIndex(
    svc.db,
    svc.db.prepare('SELECT id FROM articles WHERE id % 10 = 0').pluck().all() as number[]
  )
  progress = []
  changes = []
  svc.on('taskProgress', (p) => progress.push(p))
  svc.on('libraryChanged', (c) => changes.push(c))
})
afterEach(() => {
  svc.close()
  dir.cleanup()
})

const outdated = (): number =>
  svc.db
    .prepare('SELECT COUNT(*) FROM articles WHERE cleaning_version < ?')
    .pluck()
    .get(CLEANER_VERSION) as number

describe('a re-clean of the whole library', () => {
  it('runs in batches between other work, with progress for the window that started it', async () => {
    const stale = svc.db.prepare('SELECT id FROM articles WHERE id % 10 = 0').pluck().all()
    expect((await svc.search('旧版残留', {})).total).toBe(stale.length)
    // A timer the window's thread should keep running; progress events count as "during".
    let ticks = 0
    let ticksBeforeLastBatch = 0
    const timer = setInterval(() => ticks++, 1)
    svc.on('taskProgress', (p) => {
      if (!p.finished && p.done < p.total) ticksBeforeLastBatch = ticks
    })
    const result = await svc.reclean(null, false, { clientId: 'window-1' })
    clearInterval(timer)

    expect(result).toMatchObject({
      total: ARTICLES,
      changed: stale.length,
      unchanged: ARTICLES - stale.length,
      failed: [],
      cancelled: false
    })
    expect(outdated()).toBe(0)
    // The timer ran while articles were still waiting: the run let go of the thread.
    expect(ticksBeforeLastBatch).toBeGreaterThan(0)
    // Progress climbs to the total, carries the window's id, and ends with one last event.
    expect(progress.length).toBeGreaterThanOrEqual(3)
    // The first says how big the run is before anything is done, so it can be cancelled at once.
    expect(progress[0]).toMatchObject({ done: 0, total: ARTICLES, finished: false })
    expect(new Set(progress.map((p) => p.taskId)).size).toBe(1)
    expect(progress.every((p) => p.kind === 'reclean' && p.clientId === 'window-1')).toBe(true)
    const dones = progress.map((p) => p.done)
    expect([...dones].sort((a, b) => a - b)).toEqual(dones)
    expect(progress.at(-1)).toMatchObject({
      done: ARTICLES,
      total: ARTICLES,
      finished: true,
      cancelled: false
    })
    expect(progress.filter((p) => p.finished)).toHaveLength(1)
    // The stale line is gone from the text and from search.
    const sample = stale[0] as number
    expect((await svc.getArticle(sample))!.cleanText).not.toContain('旧版残留')
    expect((await svc.search('旧版残留', {})).total).toBe(0)
    // One change for the whole run.
    expect(changes.map((c) => c.op)).toEqual(['reclean'])
    expect(changes[0]!.summary.count).toBe(stale.length)
  })

  it('stops on cancelTask: what was written stays whole, the rest keeps its old text', async () => {
    let cancelled = false
    svc.on('taskProgress', (p) => {
      if (!cancelled && !p.finished && p.done > 0) {
        cancelled = true
        void svc.cancelTask(p.taskId)
      }
    })
    const result = await svc.reclean(null, false)
    const done = result.changed + result.unchanged + result.failed.length
    expect(result.cancelled).toBe(true)
    expect(done).toBeGreaterThan(0)
    expect(done).toBeLessThan(ARTICLES)
    expect(outdated()).toBe(ARTICLES - done)
    expect(progress.at(-1)).toMatchObject({ finished: true, cancelled: true, done })
    // Articles not reached are as they were: old version, old text.
    const waiting = svc.db
      .prepare('SELECT id, clean_text FROM articles WHERE cleaning_version < ? AND id % 10 = 0')
      .all(CLEANER_VERSION) as { id: number; clean_text: string }[]
    expect(waiting.length).toBeGreaterThan(0)
    for (const w of waiting) expect(w.clean_text.startsWith('旧版残留')).toBe(true)
    expect((await svc.search('旧版残留', {})).total).toBe(waiting.length)
    // What was done is logged as a change (when it changed anything) and announced.
    if (result.changed > 0) expect(changes.map((c) => c.op)).toEqual(['reclean'])
    expect(svc.db.pragma('integrity_check', { simple: true })).toBe('ok')

    // A second run finishes the job.
    const rest = await svc.reclean(null, false)
    expect(rest).toMatchObject({ total: ARTICLES - done, cancelled: false, failed: [] })
    expect(outdated()).toBe(0)
    expect((await svc.search('旧版残留', {})).total).toBe(0)
  })

  it('checks the options and the task id it is given', async () => {
    await expect(
      dispatchCall(svc, 'reclean', [null, false, { clientId: 5 }])
    ).rejects.toMatchObject({ code: 'invalid-arguments' })
    await expect(dispatchCall(svc, 'reclean', [null, false, { who: 'x' }])).rejects.toMatchObject({
      code: 'invalid-arguments'
    })
    await expect(dispatchCall(svc, 'cancelTask', [0])).rejects.toMatchObject({
      code: 'invalid-arguments'
    })
    // An id that names no running task is nothing to stop.
    await expect(dispatchCall(svc, 'cancelTask', [99])).resolves.toBeUndefined()
  })
})
