// Backup, check and restore on real library files, through the core and the CLI commands.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  backupLibrary,
  checkLibraryFile,
  listBackups,
  restoreLibrary,
  scheduleBackups
} from '../../src/main/core/backup/backup'
import { createGleanerService, type GleanerService } from '../../src/main/core/service'
import { backupCommand } from '../../src/cli/commands/backup'
import { checkCommand } from '../../src/cli/commands/check'
import { restoreCommand } from '../../src/cli/commands/restore'
import type { CliContext } from '../../src/cli/command'
import { printable } from '../../src/cli/terminal'
import { SEED_FILE, RSSHUB, tempDir } from '../helpers/corpus'

let svc: GleanerService | undefined
let cleanup: (() => void) | undefined
const cliServices: (GleanerService | undefined)[] = []
afterEach(() => {
  for (const s of cliServices.splice(0)) s?.close()
  svc?.close()
  svc = undefined
  cleanup?.()
})

async function library(): Promise<{ dir: string; path: string; svc: GleanerService }> {
  const t = tempDir('gleaner-backup-')
  cleanup = t.cleanup
  const path = join(t.dir, 'library.db')
  svc = createGleanerService({ libraryPath: path })
  await svc.importPaths([SEED_FILE, join(RSSHUB, '博客')])
  return { dir: t.dir, path, svc }
}

function ctxFor(libraryPath: string): { ctx: CliContext; out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  let s: GleanerService | undefined
  const ctx: CliContext = {
    libraryPath,
    service: () => {
      if (!s) cliServices.push((s = createGleanerService({ libraryPath })))
      return s
    },
    db: () => ctx.service().db,
    out: (l) => out.push(printable(l, false)),
    err: (l) => err.push(l),
    isTTY: false
  }
  return { ctx, out, err }
}

describe('backup', () => {
  it('copies an open library consistently, including changes still in the WAL', async () => {
    const { dir, svc } = await library()
    const n = (await svc.libraryInfo()).articleCount
    expect(n).toBeGreaterThan(1)
    await svc.setStarred([1], true)
    const r = backupLibrary(svc.db, join(dir, 'b', 'copy.db'))
    expect(statSync(r.path).size).toBe(r.bytes)
    const check = checkLibraryFile(r.path)
    expect(check).toMatchObject({ ok: true, articles: n, problems: [] })
    expect(() => backupLibrary(svc.db, r.path)).toThrow(/already exists/u)
    // No partial files left behind.
    expect(listBackups(join(dir, 'b'))).toEqual([])
  })

  it('scheduleBackups keeps the newest `keep` backups and never keeps the process alive', async () => {
    const { dir, svc } = await library()
    let tick = Date.UTC(2026, 0, 1)
    const made: string[] = []
    const schedule = scheduleBackups(svc.db, join(dir, 'auto'), 60_000, 2, {
      now: () => new Date((tick += 1000)),
      onBackup: (r) => made.push(r.path)
    })
    for (let i = 0; i < 4; i++) schedule.runNow()
    schedule.stop()
    expect(made).toHaveLength(4)
    expect(listBackups(join(dir, 'auto'))).toEqual(made.slice(2))
    for (const p of made.slice(2)) expect(checkLibraryFile(p).ok).toBe(true)
  })

  it('the timer itself backs up on schedule', async () => {
    const { dir, svc } = await library()
    const schedule = scheduleBackups(svc.db, join(dir, 'timed'), 50, 3)
    // Wait for the timer to fire at least once (no assertion on how fast).
    for (let i = 0; i < 200 && listBackups(join(dir, 'timed')).length === 0; i++)
      await new Promise((r) => setTimeout(r, 25))
    schedule.stop()
    expect(listBackups(join(dir, 'timed')).length).toBeGreaterThan(0)
  })
})

describe('check and restore', () => {
  it('check finds damage; restore refuses a damaged backup and swaps in a good one, keeping the old library aside', async () => {
    const { dir, path, svc: s } = await library()
    const good = backupLibrary(s.db, join(dir, 'good.db')).path
    const count = (await s.libraryInfo()).articleCount
    // Change the library after the backup, so we can tell which one we have.
    await s.setRead([1], true)
    s.close()
    svc = undefined

    // A damaged copy: overwrite a stretch of pages in the middle.
    const damaged = join(dir, 'damaged.db')
    const bytes = readFileSync(good)
    bytes.fill(0x41, 4096 * 3, 4096 * 6)
    writeFileSync(damaged, bytes)
    expect(checkLibraryFile(damaged).ok).toBe(false)
    expect(() => restoreLibrary(path, damaged)).toThrow(/failed its check/u)
    expect(() => restoreLibrary(path, join(dir, 'missing.db'))).toThrow(/no library/u)

    const r = restoreLibrary(path, good, new Date(Date.UTC(2026, 0, 2)))
    expect(r.keptAside).toMatch(/library\.db\.replaced-20260102-000000-000$/u)
    expect(existsSync(r.keptAside as string)).toBe(true)
    expect(checkLibraryFile(r.keptAside as string).ok).toBe(true)
    svc = createGleanerService({ libraryPath: path })
    expect((await svc.libraryInfo()).articleCount).toBe(count)
    expect((await svc.getArticle(1))?.read).toBe(false)
  })

  it('works through the CLI commands: backup --out, check, restore FILE', async () => {
    const { dir, path, svc: s } = await library()
    s.close()
    svc = undefined
    const a = ctxFor(path)
    const out = join(dir, 'cli-backup.db')
    expect(await backupCommand.run(['--out', out], a.ctx)).toBe(0)
    expect(a.out.join('\n')).toMatch(/Backed up/u)
    expect(existsSync(out)).toBe(true)
    cliServices.splice(0).forEach((x) => x?.close())

    const c = ctxFor(path)
    expect(await checkCommand.run([], c.ctx)).toBe(0)
    expect(c.out.join('\n')).toMatch(/^ok: /u)

    const bad = join(dir, 'bad.db')
    writeFileSync(bad, 'this is not a database')
    const b = ctxFor(bad)
    expect(await checkCommand.run([], b.ctx)).toBe(1)

    const r = ctxFor(path)
    expect(await restoreCommand.run([out], r.ctx)).toBe(0)
    expect(r.out.join('\n')).toMatch(/kept at .*replaced-/u)
    expect(await restoreCommand.run([], r.ctx)).toBe(2)
    // A bad backup is refused (the command throws; main.ts turns that into exit code 1).
    await expect(restoreCommand.run([bad], r.ctx)).rejects.toThrow(/failed its check/u)
    expect(checkLibraryFile(path).ok).toBe(true)
  })
})
