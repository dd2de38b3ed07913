// Child process for crash-backup.test.ts: a second process on the same library, as the app,
// the web preview or another gleaner command would be. Roles:
//   hold LIBRARY                    open the library through the service and write on request
//                                   (stdin lines "collection NAME", "note ARTICLE TEXT", "exit")
//   restore LIBRARY BACKUP STEP     restore, and stop dead at STEP (the parent SIGKILLs it there)
//   partial-backup LIBRARY          leave a backup half-written, as a killed backup does
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { defaultBackupPath, partialPathOf } from '../../src/core/backup/backup'
import { restoreLibrary, type RestoreStep } from '../../src/core/backup/restore'
import { createGleanerService } from '../../src/core/service'

const [role, library, ...rest] = process.argv.slice(2)
if (!role || !library) throw new Error('usage: library-child.ts ROLE LIBRARY …')

/** Blocks this process for good, without a timer that a test could mistake for progress. */
function stopHere(): never {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
  throw new Error('unreachable')
}

const say = (line: string): void => void process.stdout.write(`${line}\n`)

if (role === 'hold') {
  const service = createGleanerService({ libraryPath: library })
  await service.health.checked
  say('ready')
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, arg, ...words] = line.split(' ')
    if (command === 'collection')
      say(`collection ${(await service.createCollection(arg ?? '', null)).id}`)
    else if (command === 'note') {
      const note = { articleId: Number(arg), note: words.join(' ') }
      say(`note ${(await service.createAnnotation(note)).id}`)
    } else if (command === 'exit') break
  }
  service.close()
  say('closed')
  // stdin stays open (the parent's end of the pipe): leave without waiting for it.
  process.exit(0)
} else if (role === 'restore') {
  const [backup, stopAt] = rest as [string, RestoreStep]
  restoreLibrary(library, backup, {
    onStep: (step) => {
      if (step !== stopAt) return
      say(`at ${step}`)
      stopHere()
    }
  })
  say('restored')
} else if (role === 'partial-backup') {
  const partial = partialPathOf(defaultBackupPath(library))
  mkdirSync(dirname(partial), { recursive: true })
  writeFileSync(partial, 'SQLite format 3\u0000 half a backup')
  writeFileSync(`${partial}-journal`, 'its journal')
  say(`partial ${partial}`)
  stopHere()
} else {
  throw new Error(`unknown role ${role}`)
}
