// Child process for the importer's memory tests (hostile-input.test.ts): an import in a process
// of its own, so the parent can read that process's peak RSS. Prints one JSON line:
// { run, maxRssMb }.
//
//   import-child.ts service LIBRARY BUDGET_JSON PATH…   through the service, as the app does
//   import-child.ts swap LIBRARY FOLDER BIG FIFO         FOLDER/b.md is replaced by BIG after
//                                                        the walk saw it and before it is read
//   import-child.ts grow LIBRARY FOLDER BIG FIFO         FOLDER/b.md grows by BIG's size then
import { constants, openSync, renameSync, statSync, truncateSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { importPaths } from '../../src/core/importer/run'
import { parseArticleFile } from '../../src/core/ingest/parse'
import { openLibraryDb } from '../../src/core/library/open'
import { createGleanerService } from '../../src/core/service'

const [scenario, library, ...rest] = process.argv.slice(2)
if (!scenario || !library) throw new Error('usage: import-child.ts service|swap LIBRARY …')

const report = (run: unknown): void => {
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
  process.stdout.write(`${JSON.stringify({ run, maxRssMb })}\n`)
}

if (scenario === 'service') {
  const [budget, ...paths] = rest
  const service = createGleanerService({
    libraryPath: library,
    importOptions: { budget: JSON.parse(budget ?? '{}') as Record<string, number> }
  })
  const run = await service.importPaths(paths)
  service.close()
  report(run)
} else if (scenario === 'swap' || scenario === 'grow') {
  const [folder, big, fifo] = rest
  if (!folder || !big || !fifo)
    throw new Error(`usage: import-child.ts ${scenario} LIBRARY FOLDER BIG FIFO`)
  // The parent runs this with UV_THREADPOOL_SIZE=1: an open of a FIFO holds that one thread
  // until a writer comes, so every asynchronous file operation waits behind it, and the swap
  // below lands exactly between the walk (which saw the small b.md) and the read of b.md.
  const blocked = open(fifo, 'r')
  await new Promise((resolve) => setTimeout(resolve, 50))
  const db = openLibraryDb(library)
  let swapped = false
  const run = await importPaths(db, [folder], {
    parse: (bytes, path) => {
      if (!swapped && path.endsWith('a.md')) {
        swapped = true
        const b = join(folder, 'b.md')
        if (scenario === 'swap') renameSync(big, b)
        else truncateSync(b, statSync(b).size + statSync(big).size)
        openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)
      }
      return parseArticleFile(bytes, path)
    }
  })
  await (await blocked).close()
  db.close()
  report(run)
} else throw new Error(`unknown scenario ${scenario}`)
