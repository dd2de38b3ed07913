// Replacing the library with a backup, so that no step, and no kill between steps, can lose the
// library or leave none:
//
// 1. the backup is checked (integrity, references, Gleaner's schema at its version: check.ts);
// 2. it is copied beside the library with VACUUM INTO (which also takes in a WAL the backup may
//    have beside it), flushed, and the copy checked again;
// 3. the library is taken for this process alone (lock.ts): if anything has it open the
//    restore is refused, since whatever has it open would go on writing into the file that is
//    moved aside, and those writes would be lost;
// 4. an intent file records the copy and where the old library will be kept;
// 5. the old library gets its kept-aside name as a hard link (a copy where links are not
//    possible), so library.db never stops existing;
// 6. the copy is renamed over library.db in one atomic step; the intent is removed.
//
// A kill after 4 is finished by the next start (recoverInterruptedRestore): the copy was checked
// and the user asked for it. A kill before 4 leaves only a temporary copy, which leftovers.ts
// removes. Restores by the previous version, which renamed the library away before renaming the
// copy in, are finished the same way when they were killed in between.
import {
  copyFileSync,
  existsSync,
  linkSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync
} from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { GleanerError } from '../../shared/errors'
import { checkPlan, runChecks } from '../library/integrity'
import { holdExclusively, libraryInUse, type ExclusiveHold } from '../library/lock'
import { schemaProblems } from '../library/schema-check'
import { timestamp } from './backup'
import { checkLibraryFile } from './check'
import { syncFile, syncFolder, writeFileDurably } from './durable'
import { deadRestoreCopies, isProcessAlive } from './leftovers'

export interface RestoreResult {
  restoredFrom: string
  /** Where the library that was replaced now is (null when there was none). */
  keptAside: string | null
}

/** Where a restore stands; the test of kills stops a child process at each. */
export type RestoreStep = 'copied' | 'intent' | 'kept-aside' | 'swapped'

export interface RestoreOptions {
  now?: Date
  /** Called after each step (tests). */
  onStep?: (step: RestoreStep) => void
}

interface Intent {
  pid: number
  at: string
  from: string
  incoming: string
  /** The old library's new name (and its WAL's, if SQLite could not fold it in). */
  keptAside: string
}

/** A live pid on an intent older than this is a reused pid: the swap itself takes milliseconds. */
const STALE_INTENT_MS = 10 * 60 * 1000

const intentPath = (libraryPath: string): string => `${libraryPath}.restore-intent.json`

function backupInvalid(path: string, problems: readonly string[]): GleanerError {
  return new GleanerError(
    'backup-invalid',
    `The backup ${path} cannot be restored: ${problems.slice(0, 3).join('; ')}`,
    { path, problem: problems[0] ?? '', count: problems.length }
  )
}

/** The copy's own check: b-trees page by page and the schema (the backup passed the full check). */
function checkCopy(path: string, from: string): void {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    const plan = checkPlan(db)
    const problems = [...schemaProblems(db), ...runChecks(db, [...plan.atOpen, ...plan.deferred])]
    if (problems.length) throw backupInvalid(from, problems)
  } finally {
    db.close()
  }
}

/** Gives the old library its kept-aside name without taking away its own. */
function keepAside(libraryPath: string, keptAside: string): void {
  try {
    linkSync(libraryPath, keptAside)
  } catch {
    // No hard links here (FAT, some network shares): a copy, flushed, does the same job.
    copyFileSync(libraryPath, keptAside)
    syncFile(keptAside)
  }
  syncFolder(dirname(keptAside))
}

function freeName(base: string): string {
  let name = base
  for (let i = 1; existsSync(name); i++) name = `${base}-${i}`
  return name
}

/**
 * Replaces the library at `libraryPath` with `backupFile` (see the steps above). Throws
 * `no-library` for a missing backup, `backup-invalid` for one that fails its checks and
 * `library-in-use` while any program has the library open; the library is untouched then.
 */
export function restoreLibrary(
  libraryPath: string,
  backupFile: string,
  opts: RestoreOptions = {}
): RestoreResult {
  const now = opts.now ?? new Date()
  if (!existsSync(backupFile))
    throw new GleanerError('no-backup', `There is no backup file at ${backupFile}.`, {
      path: backupFile
    })
  recoverInterruptedRestore(libraryPath)
  const check = checkLibraryFile(backupFile)
  if (!check.ok) throw backupInvalid(backupFile, check.problems)

  const incoming = `${libraryPath}.restoring-${process.pid}`
  let hold: ExclusiveHold | null = null
  let intentWritten = false
  try {
    rmSync(incoming, { force: true })
    const source = new Database(backupFile, { readonly: true, fileMustExist: true })
    try {
      source.prepare('VACUUM INTO ?').run(incoming)
    } finally {
      source.close()
    }
    syncFile(incoming)
    opts.onStep?.('copied')
    checkCopy(incoming, backupFile)

    const exists = existsSync(libraryPath)
    hold = exists ? holdExclusively(libraryPath) : null
    const keptAside = freeName(`${libraryPath}.replaced-${timestamp(now)}`)
    const intent: Intent = {
      pid: process.pid,
      at: now.toISOString(),
      from: backupFile,
      incoming,
      keptAside
    }
    writeFileDurably(intentPath(libraryPath), JSON.stringify(intent))
    intentWritten = true
    opts.onStep?.('intent')
    finishSwap(libraryPath, intent, opts.onStep)
    return { restoredFrom: backupFile, keptAside: exists ? keptAside : null }
  } catch (e) {
    // Nothing was swapped: the library is as it was. Leave no copy or intent behind.
    if (intentWritten && existsSync(incoming)) rmSync(intentPath(libraryPath), { force: true })
    rmSync(incoming, { force: true })
    throw e
  } finally {
    hold?.release()
  }
}

/** Steps 5 and 6, also what the next start runs for a restore killed after step 4. */
function finishSwap(libraryPath: string, intent: Intent, onStep?: RestoreOptions['onStep']): void {
  const aside = intent.keptAside
  if (existsSync(libraryPath) && !existsSync(aside)) keepAside(libraryPath, aside)
  // What SQLite keeps beside a file belongs to that file: a WAL or journal of the old library
  // (one too damaged to fold in) would otherwise be applied to the copy coming in.
  for (const suffix of ['-wal', '-journal']) {
    if (existsSync(libraryPath + suffix)) renameSync(libraryPath + suffix, aside + suffix)
  }
  rmSync(`${libraryPath}-shm`, { force: true })
  onStep?.('kept-aside')
  renameSync(intent.incoming, libraryPath)
  syncFolder(dirname(libraryPath))
  onStep?.('swapped')
  rmSync(intentPath(libraryPath), { force: true })
  syncFolder(dirname(libraryPath))
}

function readIntent(path: string): Intent | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<Intent>
    if (
      typeof v.pid === 'number' &&
      typeof v.at === 'string' &&
      typeof v.from === 'string' &&
      typeof v.incoming === 'string' &&
      typeof v.keptAside === 'string'
    )
      return v as Intent
  } catch {
    // Unreadable: treated as no intent (it is written whole or not at all, so this is not ours).
  }
  return null
}

/**
 * Finishes a restore that was killed part-way, before the library is opened; returns what it
 * did, in sentences for the user. Throws `library-in-use` while a restore is running right now.
 */
export function recoverInterruptedRestore(libraryPath: string): string[] {
  const notes: string[] = []
  const file = intentPath(libraryPath)
  if (existsSync(file)) {
    const intent = readIntent(file)
    if (intent && intent.pid !== process.pid && isProcessAlive(intent.pid)) {
      const age = Date.now() - Date.parse(intent.at)
      if (age < STALE_INTENT_MS) throw libraryInUse(libraryPath)
    }
    if (intent && existsSync(intent.incoming)) {
      try {
        finishSwap(libraryPath, intent)
        notes.push(
          `A restore from ${intent.from} was interrupted; it has been finished.` +
            (existsSync(intent.keptAside)
              ? ` The library it replaced is kept at ${intent.keptAside}.`
              : '')
        )
      } catch (e) {
        // Another process starting at the same moment finished it first.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
      }
    } else {
      // The copy is in place already (killed after the swap) or never was complete.
      rmSync(file, { force: true })
    }
  }
  // The previous version renamed library.db away before renaming its checked copy in: a kill
  // in between left no library. Its copy was complete (copied before the first rename).
  if (!existsSync(libraryPath)) {
    const copies = deadRestoreCopies(libraryPath).sort(
      (a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs
    )
    const newest = copies[0]
    if (newest) {
      renameSync(newest, libraryPath)
      syncFolder(dirname(libraryPath))
      notes.push(
        `A restore was interrupted before the library was in place; ${newest} is the library again.`
      )
    }
  }
  return notes
}
