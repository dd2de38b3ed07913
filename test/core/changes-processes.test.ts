// Changes between processes on one library file: what the CLI or `gleaner watch` changes
// reaches an open app (or web preview) through the change log; two processes writing at once
// wait for each other instead of failing with "database is locked"; `gleaner history` and
// `gleaner undo` work on the same log and undo stack as the app.
import { spawn, spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LibraryChange } from '../../src/shared/change-types'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { SEED_FILE, tempDir } from '../helpers/corpus'
import { generateCorpus } from './import-corpus-gen'

const ROOT = resolve(import.meta.dirname, '../..')
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
const MAIN = join(ROOT, 'src/cli/main.ts')

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [TSX, MAIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GLEANER_LIBRARY: '' },
    maxBuffer: 64 * 1024 * 1024
  })
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
}

function cliAsync(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [TSX, MAIN, ...args], {
      env: { ...process.env, GLEANER_LIBRARY: '' }
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('close', (code) => done({ code: code ?? -1, out, err }))
  })
}

/** Resolves with the first change the service announces that passes `test`. */
function heard(
  svc: GleanerService,
  test: (c: LibraryChange) => boolean,
  timeoutMs = 30_000
): Promise<LibraryChange> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      off()
      fail(new Error('no such change was announced'))
    }, timeoutMs)
    const off = svc.on('libraryChanged', (c) => {
      if (!test(c)) return
      clearTimeout(timer)
      off()
      done(c)
    })
  })
}

let t: { dir: string; cleanup: () => void }
let lib: string
let svc: GleanerService | undefined
beforeEach(() => {
  t = tempDir('gleaner-processes-')
  lib = join(t.dir, 'library.db')
})
afterEach(() => {
  svc?.close()
  svc = undefined
  t.cleanup()
})

describe('changes between processes', () => {
  it('a tag added by the CLI reaches an open app through the log', async () => {
    svc = createGleanerService({ libraryPath: lib, watchExternal: { intervalMs: 50 } })
    const run = await svc.importPaths([SEED_FILE])
    const id = run.results[0]!.articleId!
    const arrived = heard(svc, (c) => c.op === 'addTag')
    const r = cli('tag', 'add', '要闻', String(id), '--library', lib)
    expect(r.code, r.err).toBe(0)
    const change = await arrived
    expect(change).toMatchObject({ external: true, origin: 'cli', summary: { name: '要闻' } })
    expect(change.touched.articleIds).toEqual([id])
    expect(change.touched.filing).toBe(true)
    // The app reads the tag straight away.
    expect((await svc.getArticle(id))?.tags).toEqual(['要闻'])
  })

  it('an import by another process is announced with its counts', async () => {
    svc = createGleanerService({ libraryPath: lib, watchExternal: { intervalMs: 50 } })
    const folder = join(t.dir, 'files')
    generateCorpus(folder, 300, 7)
    const ended = heard(svc, (c) => c.op === 'importPaths')
    const r = await cliAsync('import', folder, '--library', lib)
    expect(r.code, r.err).toBe(0)
    const change = await ended
    expect(change).toMatchObject({ external: true, summary: { imported: 300 } })
    expect(change.touched.list).toBe(true)
  })

  it('two processes importing into one library at once both finish (no "database is locked")', async () => {
    const a = join(t.dir, 'a')
    const b = join(t.dir, 'b')
    generateCorpus(a, 1500, 11)
    generateCorpus(b, 1500, 12)
    // Create the library first, so neither run is also migrating it.
    expect(cli('list', '--library', lib).code).toBe(0)
    const [ra, rb] = await Promise.all([
      cliAsync('import', a, '--library', lib, '--json'),
      cliAsync('import', b, '--library', lib, '--json')
    ])
    expect(ra.code, ra.err).toBe(0)
    expect(rb.code, rb.err).toBe(0)
    const countsA = (JSON.parse(ra.out) as { counts: { imported: number; failed: number } }).counts
    const countsB = (JSON.parse(rb.out) as { counts: { imported: number; failed: number } }).counts
    expect(countsA.failed + countsB.failed).toBe(0)
    expect(countsA.imported + countsB.imported).toBe(3000)
    svc = createGleanerService({ libraryPath: lib, watchExternal: false })
    expect((await svc.libraryInfo()).articleCount).toBe(3000)
  })

  it('gleaner history lists changes with ids and what each changed; gleaner undo reverts the last', async () => {
    svc = createGleanerService({ libraryPath: lib, watchExternal: false })
    const run = await svc.importPaths([SEED_FILE])
    const id = run.results[0]!.articleId!
    await svc.addTag([id], '进博会')
    await svc.setStarred([id], true)
    svc.close()
    svc = undefined

    const history = JSON.parse(cli('history', '--json', '--library', lib).out) as LibraryChange[]
    expect(history.map((c) => c.op)).toEqual(['setStarred', 'addTag', 'importPaths'])
    const tagChange = history[1]!
    expect(tagChange.id).toMatch(/^[0-9a-f-]{36}$/u)
    expect(tagChange.summary).toMatchObject({ name: '进博会', count: 1 })
    expect(tagChange.touched.articleIds).toEqual([id])
    const human = cli('history', '--library', lib).out
    expect(human).toContain('Tagged 1 article “进博会”')

    const undo = cli('undo', '--library', lib)
    expect(undo.code, undo.err).toBe(0)
    expect(undo.out).toContain('Undid: Star')
    svc = createGleanerService({ libraryPath: lib, watchExternal: false })
    expect((await svc.getArticle(id))?.starred).toBe(false)
    expect((await svc.getArticle(id))?.tags).toEqual(['进博会'])
    svc.close()
    svc = undefined
    expect(cli('redo', '--library', lib).out).toContain('Redid: Star')
    svc = createGleanerService({ libraryPath: lib, watchExternal: false })
    expect((await svc.getArticle(id))?.starred).toBe(true)
  })
})
