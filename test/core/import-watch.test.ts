// Watch folders on the real file system: new files are imported once settled, half-written
// files are not read early, temp names are ignored, and nothing is imported twice.
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import { afterEach, describe, expect, it } from 'vitest'
import type { ImportRun } from '../../src/shared/types'
import { watchFolder, type FolderWatch } from '../../src/core/watch/watch'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { openLibraryDb, type Db } from '../../src/core/library/open'
import { SEED_FILE, tempDir } from '../helpers/corpus'

let w: FolderWatch | undefined
let svc: GleanerService | undefined
let db: Db | undefined
let cleanup: (() => void) | undefined
afterEach(async () => {
  await w?.close()
  svc?.close()
  db?.close()
  w = svc = db = undefined
  cleanup?.()
})

const article = (n: number, extra = ''): string =>
  `---\ntitle: 'Watched ${n}'\ndate: 2021-04-11 00:30:33\n---\n\n<p>Body of watched article ${n}.${extra}</p>\n`

/** Waits (without a time assertion) until `cond` holds, polling; fails after a generous bound. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (cond()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`gave up waiting for ${what}`)
}

describe('watchFolder', () => {
  it('imports what is there, then new files once they settle, never the same bytes twice', async () => {
    const t = tempDir('gleaner-watch-')
    cleanup = t.cleanup
    const inbox = join(t.dir, 'inbox')
    mkdirSync(inbox)
    copyFileSync(SEED_FILE, join(inbox, 'seed.txt'))
    svc = createGleanerService({ libraryPath: join(t.dir, 'library.db') })
    const runs: ImportRun[] = []
    w = watchFolder(svc, inbox, { debounceMs: 50, settleMs: 150, onRun: (r) => runs.push(r) })
    await until(() => runs.length >= 1, 'the initial import')
    expect(runs[0]?.results[0]).toMatchObject({ status: 'imported' })

    // A file written in two parts: only the whole file may be imported.
    const slow = join(inbox, 'sub', 'slow.md')
    mkdirSync(join(inbox, 'sub'))
    writeFileSync(slow, article(1).slice(0, 40))
    await new Promise((r) => setTimeout(r, 60))
    appendFileSync(slow, article(1).slice(40))
    // Temp names are ignored until renamed.
    writeFileSync(join(inbox, 'incoming.md.part'), article(2))
    writeFileSync(join(inbox, 'fast.md'), article(3))
    await until(
      () => runs.flatMap((r) => r.results).filter((x) => x.status === 'imported').length >= 3,
      'the new files'
    )
    await w.idle()
    const all = runs.flatMap((r) => r.results)
    expect(all.some((r) => r.path.endsWith('.part'))).toBe(false)
    // Read once, whole: a read of the first half would show as 'imported' then 'updated'.
    expect(all.filter((r) => r.path === slow && r.status !== 'duplicate')).toHaveLength(1)
    const slowResult = all.find((r) => r.path === slow && r.status === 'imported')
    const a = await svc.getArticle(slowResult?.articleId as number)
    expect(a?.cleanText).toContain('Body of watched article 1.')
    expect(a?.title).toBe('Watched 1')

    // The same bytes under another name: recognised, not imported again.
    const before = (await svc.libraryInfo()).articleCount
    copyFileSync(join(inbox, 'fast.md'), join(inbox, 'fast-copy.md'))
    await until(
      () => runs.flatMap((r) => r.results).some((r) => r.path.endsWith('fast-copy.md')),
      'the copy'
    )
    expect(
      runs.flatMap((r) => r.results).find((r) => r.path.endsWith('fast-copy.md'))?.status
    ).toBe('duplicate')
    expect((await svc.libraryInfo()).articleCount).toBe(before)
    expect(readFileSync(slow, 'utf8')).toBe(article(1))
  })

  it('a restart of the watch (its first import of the folder) leaves a deleted article deleted', async () => {
    const t = tempDir('gleaner-watch-trash-')
    cleanup = t.cleanup
    const inbox = join(t.dir, 'inbox')
    mkdirSync(inbox)
    writeFileSync(join(inbox, 'kept.md'), article(20))
    writeFileSync(join(inbox, 'deleted.md'), article(21))
    svc = createGleanerService({ libraryPath: join(t.dir, 'library.db') })
    const runs: ImportRun[] = []
    const start = (): FolderWatch =>
      watchFolder(svc!, inbox, { debounceMs: 30, settleMs: 100, onRun: (r) => runs.push(r) })
    w = start()
    await until(() => runs.length >= 1, 'the first import')
    const id = runs[0]?.results.find((r) => r.path.endsWith('deleted.md'))?.articleId as number
    await svc.deleteArticles([id])
    await w.close()
    w = start()
    await until(() => runs.length >= 2, 'the import at restart')
    expect(runs[1]?.results.find((r) => r.path.endsWith('deleted.md'))).toMatchObject({
      status: 'in-trash',
      articleId: id
    })
    expect(await svc.getArticle(id)).toBeNull()
    expect((await svc.libraryInfo()).articleCount).toBe(1)
  })

  it('a link dropped into the watched folder that leads out of it is not followed', async () => {
    const t = tempDir('gleaner-watch-link-')
    cleanup = t.cleanup
    const inbox = join(t.dir, 'inbox')
    mkdirSync(inbox)
    writeFileSync(join(t.dir, 'secret.md'), article(30, ' SECRET'))
    svc = createGleanerService({ libraryPath: join(t.dir, 'library.db') })
    const runs: ImportRun[] = []
    w = watchFolder(svc, inbox, {
      debounceMs: 30,
      settleMs: 100,
      initialImport: false,
      onRun: (r) => runs.push(r)
    })
    symlinkSync(join(t.dir, 'secret.md'), join(inbox, 'innocent.md'))
    writeFileSync(join(inbox, 'real.md'), article(31))
    await until(
      () => runs.flatMap((r) => r.results).some((r) => r.path.endsWith('innocent.md')),
      'the link'
    )
    await w.idle()
    const all = runs.flatMap((r) => r.results)
    expect(all.find((r) => r.path.endsWith('innocent.md'))).toMatchObject({
      status: 'failed',
      code: 'outside-folder'
    })
    expect(all.find((r) => r.path.endsWith('real.md'))?.status).toBe('imported')
    const texts = svc.db.prepare<[], { t: string }>('SELECT clean_text AS t FROM articles').all()
    expect(texts.map((x) => x.t).join(' ')).not.toContain('SECRET')
  })

  it('a file whose name is GBK bytes (unpacked from a Windows zip) is imported under its name', async () => {
    const t = tempDir('gleaner-watch-gbk-')
    cleanup = t.cleanup
    const inbox = join(t.dir, 'inbox')
    mkdirSync(join(inbox, 'sub'), { recursive: true })
    db = openLibraryDb(join(t.dir, 'library.db'))
    const runs: ImportRun[] = []
    w = watchFolder(db, inbox, {
      debounceMs: 30,
      settleMs: 100,
      initialImport: false,
      onRun: (r) => runs.push(r)
    })
    // The watcher hears of it as a name with U+FFFD, which names no file.
    const name = Buffer.concat([
      Buffer.from(join(inbox, 'sub') + '/'),
      iconv.encode('进博会.md', 'gbk')
    ])
    writeFileSync(name, article(40))
    const shown = join(inbox, 'sub', '进博会.md')
    await until(() => runs.flatMap((r) => r.results).some((r) => r.path === shown), 'the file')
    expect(runs.flatMap((r) => r.results).find((r) => r.path === shown)?.status).toBe('imported')
  })

  it('works on a bare database too, and stops importing after close', async () => {
    const t = tempDir('gleaner-watch-db-')
    cleanup = t.cleanup
    const inbox = join(t.dir, 'inbox')
    mkdirSync(inbox)
    db = openLibraryDb(join(t.dir, 'library.db'))
    const runs: ImportRun[] = []
    w = watchFolder(db, inbox, {
      debounceMs: 30,
      settleMs: 100,
      initialImport: false,
      onRun: (r) => runs.push(r)
    })
    writeFileSync(join(inbox, 'one.md'), article(10))
    await until(() => runs.length > 0, 'one.md')
    expect(runs[0]?.results[0]).toMatchObject({ status: 'imported' })
    await w.close()
    // A second watch on the same folder, settling more slowly than the closed one did: when it
    // has imported two.md, the closed watch would have (it got the same events sooner).
    const later: ImportRun[] = []
    w = watchFolder(db, inbox, {
      debounceMs: 30,
      settleMs: 300,
      initialImport: false,
      onRun: (r) => later.push(r)
    })
    writeFileSync(join(inbox, 'two.md'), article(11))
    await until(() => later.some((r) => r.results.some((x) => x.path.endsWith('two.md'))), 'two.md')
    expect(runs.flatMap((r) => r.results).some((r) => r.path.endsWith('two.md'))).toBe(false)
    expect(runs).toHaveLength(1)
  })
})
