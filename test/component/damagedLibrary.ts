// Run with tsx in a plain Node process (see seedLibrary.ts): imports the seed into a new
// library, backs it up (unless --no-backup), damages the library's schema page, and prints what
// the real service reports about it (LibraryInfo.damage) as JSON.
import { closeSync, openSync, writeSync } from 'node:fs'
import { backupLibrary, defaultBackupPath } from '../../src/core/backup/backup'
import { createGleanerService } from '../../src/core/service'

const [libraryPath, seed, flag] = process.argv.slice(2)
if (!libraryPath || !seed) throw new Error('usage: damagedLibrary.ts LIBRARY SEED [--no-backup]')
const sound = createGleanerService({ libraryPath })
await sound.importPaths([seed])
if (flag !== '--no-backup') backupLibrary(sound.db, defaultBackupPath(libraryPath))
sound.close()
const fd = openSync(libraryPath, 'r+')
writeSync(fd, Buffer.alloc(400, 0xa5), 0, 400, 100)
closeSync(fd)
const damaged = createGleanerService({ libraryPath })
await damaged.health.checked
process.stdout.write(JSON.stringify((await damaged.libraryInfo()).damage))
damaged.close()
