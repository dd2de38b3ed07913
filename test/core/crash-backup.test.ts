// Backup, check and restore on real library files, through the core, the CLI commands and real
// second processes: a restore refused while another process has the library open, kills at
// every step of a restore and of a backup, and what the next start finds and repairs.
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { join, resolve } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { backupLibrary, listBackups } from '../../src/core/backup/backup'
import { checkLibraryFile } from '../../src/core/backup/check'
import { restoreLibrary, type RestoreStep } from '../../src/core/backup/restore'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { backupCommand } from '../../src/cli/commands/backup'
import { checkCommand } from '../../src/cli/commands/check'
import { restoreCommand } from '../../src/cli/commands/restore'
import type { CliContext } from '../../src/cli/command'
import { printable } from '../../src/cli/terminal'
import { SEED_FILE, RSSHUB, tempDir } from '../helpers/corpus'
import { generateCorpus } from './import-corpus-gen'

let svc: GleanerService | undefined
let cleanup: (() => void) | undefined
const cliServices: (GleanerService | undefined)[] = []
const children: ChildProcessByStdio<Writable, Readable, Readable>[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
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

function closeService(): void {
  svc?.close()
  svc = undefined
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

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex')
const codeOf = (e: unknown): unknown => (e as { code?: unknown }).code

function thrown(f: () => unknown): unknown {
  try {
    f()
  } catch (e) {
    return e
  }
  throw new Error('expected a throw')
}

/** What is in a library, read without the service (read-only: nothing changes by looking). */
function contents(path: string): {
  articles: number
  read: number
  collections: string[]
  notes: string[]
} {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n
    return {
      articles: count('SELECT count(*) AS n FROM articles'),
      read: count('SELECT count(*) AS n FROM articles WHERE read = 1'),
      collections: db
        .prepare('SELECT name FROM collections ORDER BY name')
        .pluck()
        .all() as string[],
      notes: db.prepare('SELECT note FROM annotations ORDER BY id').pluck().all() as string[]
    }
  } finally {
    db.close()
  }
}

const restoreLeftovers = (dir: string): string[] =>
  readdirSync(dir).filter((n) => /restoring|intent/u.test(n))

// Node runs the child with tsx's loader directly (as crash.test.ts does): a SIGKILL then hits
// the process doing the work, not a launcher.
const TSX_LOADER = pathToFileURL(resolve(__dirname, '../../node_modules/tsx/dist/loader.mjs')).href
const CHILD = resolve(__dirname, 'library-child.ts')
const IMPORT_CHILD = resolve(__dirname, 'crash-child.ts')

interface Child {
  proc: ChildProcessByStdio<Writable, Readable, Readable>
  /** Resolves with the first output line matching `pattern` (rejects if the child exits first). */
  line(pattern: RegExp): Promise<string>
  send(line: string): void
  exited: Promise<number | null>
}

function child(...args: string[]): Child {
  return childOf(CHILD, ...args)
}

function childOf(script: string, ...args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', TSX_LOADER, script, ...args], {
    stdio: ['pipe', 'pipe', 'pipe']
  })
  children.push(proc)
  let out = ''
  let err = ''
  const waiting: { pattern: RegExp; resolve: (l: string) => void; reject: (e: Error) => void }[] =
    []
  let exitCode: number | null | undefined
  const gone = (pattern: RegExp): Error =>
    new Error(`child exited (${exitCode}) before ${pattern}: ${out}${err}`)
  const exited = new Promise<number | null>((done) =>
    proc.on('exit', (code) => {
      exitCode = code
      for (const w of waiting.splice(0)) w.reject(gone(w.pattern))
      done(code)
    })
  )
  proc.stderr.on('data', (b: Buffer) => (err += b.toString()))
  proc.stdout.on('data', (b: Buffer) => {
    out += b.toString()
    for (const w of [...waiting]) {
      const found = out.split('\n').find((l) => w.pattern.test(l))
      if (found !== undefined) {
        waiting.splice(waiting.indexOf(w), 1)
        w.resolve(found)
      }
    }
  })
  return {
    proc,
    exited,
    send: (line) => proc.stdin.write(`${line}\n`),
    line: (pattern) =>
      new Promise((res, rej) => {
        const found = out.split('\n').find((l) => pattern.test(l))
        if (found !== undefined) res(found)
        else if (exitCode !== undefined) rej(gone(pattern))
        else waiting.push({ pattern, resolve: res, reject: rej })
      })
  }
}

async function sigkill(c: Child): Promise<void> {
  c.proc.kill('SIGKILL')
  await c.exited
}

/** The pid of a process that has exited: what a killed writer's temporary files carry. */
async function deadPid(): Promise<number> {
  const p = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((done) => p.on('exit', done))
  return p.pid as number
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
    expect(codeOf(thrown(() => backupLibrary(svc.db, r.path)))).toBe('file-exists')
    // No partial files left behind.
    expect(readdirSync(join(dir, 'b'))).toEqual(['copy.db'])
  })
})

describe('check and restore', () => {
  it('check finds damage; restore refuses a damaged or missing backup and swaps in a good one, keeping the old library aside', async () => {
    const { dir, path, svc: s } = await library()
    const good = backupLibrary(s.db, join(dir, 'good.db')).path
    const count = (await s.libraryInfo()).articleCount
    // Change the library after the backup, so we can tell which one we have.
    await s.setRead([1], true)
    closeService()

    // A damaged copy: overwrite a stretch of pages in the middle.
    const damaged = join(dir, 'damaged.db')
    const bytes = readFileSync(good)
    bytes.fill(0x41, 4096 * 3, 4096 * 6)
    writeFileSync(damaged, bytes)
    expect(checkLibraryFile(damaged).ok).toBe(false)
    const before = sha(path)
    expect(codeOf(thrown(() => restoreLibrary(path, damaged)))).toBe('backup-invalid')
    expect(codeOf(thrown(() => restoreLibrary(path, join(dir, 'missing.db'))))).toBe('no-backup')
    expect(sha(path)).toBe(before)

    const r = restoreLibrary(path, good, { now: new Date(Date.UTC(2026, 0, 2)) })
    expect(r.keptAside).toMatch(/library\.db\.replaced-20260102-000000-000$/u)
    expect(checkLibraryFile(r.keptAside as string).ok).toBe(true)
    expect(contents(r.keptAside as string).read).toBe(1)
    svc = createGleanerService({ libraryPath: path })
    expect((await svc.libraryInfo()).articleCount).toBe(count)
    expect((await svc.getArticle(1))?.read).toBe(false)
    expect(restoreLeftovers(dir)).toEqual([])
  })

  it('refuses a backup that is not a whole Gleaner library: missing tables, a missing index, other columns', async () => {
    const { dir, path, svc: s } = await library()
    const good = backupLibrary(s.db, join(dir, 'good.db')).path
    const version = s.db.pragma('user_version', { simple: true }) as number
    closeService()
    const before = sha(path)
    const forged = (name: string, change: (db: Database.Database) => void): string => {
      const file = join(dir, `${name}.db`)
      if (name !== 'bare') copyFileSync(good, file)
      const db = new Database(file)
      change(db)
      db.close()
      return file
    }
    const candidates = {
      // What the old check accepted: the right user_version and a table named articles.
      bare: forged('bare', (db) => {
        db.exec('CREATE TABLE articles (id INTEGER PRIMARY KEY)')
        db.pragma(`user_version = ${version}`)
      }),
      noIndex: forged('no-index', (db) => db.exec('DROP INDEX articles_live')),
      noTable: forged('no-table', (db) => db.exec('DROP TABLE article_user_filing')),
      otherColumns: forged('other-columns', (db) =>
        db.exec('ALTER TABLE annotations DROP COLUMN anchor_status')
      )
    }
    for (const [name, file] of Object.entries(candidates)) {
      expect(codeOf(thrown(() => restoreLibrary(path, file))), name).toBe('backup-invalid')
      expect(checkLibraryFile(file).ok, name).toBe(false)
    }
    expect((thrown(() => restoreLibrary(path, candidates.noIndex)) as Error).message).toMatch(
      /index articles_live is missing/u
    )
    expect(sha(path)).toBe(before)
    expect(restoreLeftovers(dir)).toEqual([])
  })

  it('is refused while another process has the library open, which then loses nothing', async () => {
    const { dir, path, svc: s } = await library()
    const backup = backupLibrary(s.db, join(dir, 'backup.db')).path
    // This process has it open too: refused as well.
    expect(codeOf(thrown(() => restoreLibrary(path, backup)))).toBe('library-in-use')
    closeService()

    const holder = child('hold', path)
    await holder.line(/^ready$/u)
    expect(codeOf(thrown(() => restoreLibrary(path, backup)))).toBe('library-in-use')
    // The holder goes on writing after the refused restore, into the library itself.
    holder.send('collection after-refusal')
    await holder.line(/^collection \d+$/u)
    holder.send('note 1 written after the refused restore')
    await holder.line(/^note \d+$/u)
    holder.send('exit')
    await holder.line(/^closed$/u)
    await holder.exited
    expect(contents(path).collections).toContain('after-refusal')
    expect(contents(path).notes).toContain('written after the refused restore')
    expect(readdirSync(dir).filter((n) => /restoring|replaced|intent/u.test(n))).toEqual([])

    // Once nothing has it open, the restore goes through and keeps the holder's work aside.
    const r = restoreLibrary(path, backup)
    expect(contents(path).collections).not.toContain('after-refusal')
    expect(contents(r.keptAside as string).collections).toContain('after-refusal')
    expect(contents(r.keptAside as string).notes).toContain('written after the refused restore')
  })

  it('works through the CLI commands: backup --out, check, restore --list, restore FILE', async () => {
    const { dir, path } = await library()
    closeService()
    const a = ctxFor(path)
    const out = join(dir, 'cli-backup.db')
    expect(await backupCommand.run(['--out', out], a.ctx)).toBe(0)
    expect(a.out.join('\n')).toMatch(/Backed up/u)
    expect(existsSync(out)).toBe(true)
    cliServices.splice(0).forEach((x) => x?.close())
    const d = ctxFor(path)
    expect(await backupCommand.run([], d.ctx)).toBe(0)
    cliServices.splice(0).forEach((x) => x?.close())

    const c = ctxFor(path)
    expect(await checkCommand.run([], c.ctx)).toBe(0)
    expect(c.out.join('\n')).toMatch(/^ok: /u)

    const bad = join(dir, 'bad.db')
    writeFileSync(bad, 'this is not a database')
    const b = ctxFor(bad)
    expect(await checkCommand.run([], b.ctx)).toBe(1)

    const l = ctxFor(path)
    expect(await restoreCommand.run(['--list'], l.ctx)).toBe(0)
    expect(l.out).toHaveLength(1)
    expect(l.out[0]).toMatch(/backups\/gleaner-backup-\d{8}-\d{6}-\d{3}\.db$/u)

    const r = ctxFor(path)
    expect(await restoreCommand.run([out], r.ctx)).toBe(0)
    expect(r.out.join('\n')).toMatch(/kept at .*replaced-/u)
    expect(await restoreCommand.run([], r.ctx)).toBe(2)
    // A bad backup is refused (the command throws; main.ts turns that into exit code 1).
    await expect(restoreCommand.run([bad], r.ctx)).rejects.toMatchObject({ code: 'backup-invalid' })
    expect(checkLibraryFile(path).ok).toBe(true)
  })
})

describe('a restore killed at each step', () => {
  const steps: RestoreStep[] = ['copied', 'intent', 'kept-aside', 'swapped']
  for (const step of steps) {
    it(`killed after '${step}': the next start has a whole library, the old one or the backup, and nothing lost`, async () => {
      const { dir, path, svc: s } = await library()
      const backup = backupLibrary(s.db, join(dir, 'backup.db')).path
      await s.createCollection('only-in-the-old-library', null)
      closeService()
      const restorer = child('restore', path, backup, step)
      await restorer.line(new RegExp(`^at ${step}$`, 'u'))
      await sigkill(restorer)

      svc = createGleanerService({ libraryPath: path })
      const info = await svc.libraryInfo()
      expect(info.articleCount).toBeGreaterThan(1)
      const aside = readdirSync(dir).filter((n) => /^library\.db\.replaced-[\d-]+$/u.test(n))
      if (step === 'copied') {
        // Killed before it had decided anything: the library is as it was, its copy removed.
        expect(contents(path).collections).toContain('only-in-the-old-library')
        expect(aside).toEqual([])
      } else {
        // Decided (the checked copy was in place and recorded): finished at start.
        expect(contents(path).collections).not.toContain('only-in-the-old-library')
        expect(aside).toHaveLength(1)
        expect(contents(join(dir, aside[0] as string)).collections).toContain(
          'only-in-the-old-library'
        )
        if (step !== 'swapped') expect(info.problems.join('\n')).toMatch(/restore .* finished/u)
      }
      expect(restoreLeftovers(dir)).toEqual([])
      expect(checkLibraryFile(path).ok).toBe(true)
    })
  }

  it('finishes what the previous version left between its two renames: no library.db, the copy beside it', async () => {
    const { dir, path, svc: s } = await library()
    const count = (await s.libraryInfo()).articleCount
    closeService()
    // The state a kill between the old restore's renames left: the library renamed away, the
    // checked copy (named for its dead process) not yet renamed in.
    const copy = `${path}.restoring-${await deadPid()}`
    copyFileSync(path, copy)
    copyFileSync(path, `${path}.replaced-20260101-000000-000`)
    rmSync(path)
    svc = createGleanerService({ libraryPath: path })
    // Not a new, empty library: the copy is the library again.
    expect((await svc.libraryInfo()).articleCount).toBe(count)
    expect(restoreLeftovers(dir)).toEqual([])
  })
})

describe('leftovers of killed processes', () => {
  it('a killed backup’s partial file and journal are removed at the next start; a live one’s are kept', async () => {
    const { path } = await library()
    closeService()
    const dead = child('partial-backup', path)
    const deadPartial = (await dead.line(/^partial /u)).slice('partial '.length)
    await sigkill(dead)
    const alive = child('partial-backup', path)
    const livePartial = (await alive.line(/^partial /u)).slice('partial '.length)
    expect(existsSync(deadPartial) && existsSync(`${deadPartial}-journal`)).toBe(true)

    svc = createGleanerService({ libraryPath: path })
    expect(existsSync(deadPartial)).toBe(false)
    expect(existsSync(`${deadPartial}-journal`)).toBe(false)
    expect(existsSync(livePartial)).toBe(true)
    expect((await svc.libraryInfo()).problems.join('\n')).toMatch(/Removed 2 files/u)
    expect(listBackups(join(path, '..', 'backups'))).toEqual([])
  })

  it('a killed restore’s copy is removed at the next start', async () => {
    const { dir, path } = await library()
    closeService()
    const copy = `${path}.restoring-${await deadPid()}`
    copyFileSync(path, copy)
    svc = createGleanerService({ libraryPath: path })
    expect(existsSync(copy)).toBe(false)
    expect(restoreLeftovers(dir)).toEqual([])
  })

  it('an import whose process died is marked aborted at the next start; one whose process lives is not', async () => {
    const { dir, path } = await library()
    closeService()
    generateCorpus(join(dir, 'in'), 2000, 11)
    const importer = childOf(IMPORT_CHILD, path, join(dir, 'in'))
    await importer.line(/^progress \d+/u)
    // Frozen mid-run: alive, the library open, its run unfinished.
    importer.proc.kill('SIGSTOP')
    svc = createGleanerService({ libraryPath: path })
    const live = (await svc.listImportRuns(10))[0]
    expect(live).toMatchObject({ finishedAt: null, aborted: false })
    closeService()

    await sigkill(importer)
    svc = createGleanerService({ libraryPath: path })
    const [dead, earlier] = await svc.listImportRuns(10)
    expect(dead?.id).toBe(live?.id)
    expect(dead).toMatchObject({ aborted: true, cancelled: true })
    expect(dead?.finishedAt).not.toBeNull()
    // The run that went through is left as it was.
    expect(earlier).toMatchObject({ aborted: false, cancelled: false })
  })
})
