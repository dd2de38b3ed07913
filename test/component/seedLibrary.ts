// Run with tsx in a plain Node process: imports paths into a new library with the real
// service. Component tests run under jsdom, whose globals the importer does not work under
// (see the report), so the import happens here and the tests open the finished library.
import { createGleanerService } from '../../src/core/service'

const [libraryPath, ...paths] = process.argv.slice(2)
if (!libraryPath || paths.length === 0) throw new Error('usage: seedLibrary.ts LIBRARY PATH…')
const service = createGleanerService({ libraryPath })
const run = await service.importPaths(paths)
// Stories are clustered on the writer's queue after the run: the library is whole only then.
await service.idle()
service.close()
process.stdout.write(JSON.stringify(run.counts))
