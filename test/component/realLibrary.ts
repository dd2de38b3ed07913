// Component tests take their data from a real import: a temp SQLite library fed corpus files
// by the real service in a plain Node child process (seedLibrary.ts). Under jsdom the service
// itself cannot be created (its importer and site-rule loader need Node's own globals and
// file: module URLs), so the tests read the finished library through the same core functions
// the service delegates to.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { GleanerApi, GleanerBridge } from '../../src/shared/api'
import { getRun, listRuns } from '../../src/core/library/import-runs'
import { getArticle, listArticles } from '../../src/core/library/articles'
import { categoryTree } from '../../src/core/library/categories'
import { openLibraryDb, type Db } from '../../src/core/library/open'
import { SHARED } from '../helpers/corpus'
import { remoteImagePath } from '../../src/shared/remote-image-route'

export const SEED = `${SHARED}/corpus/seed`
/** beforeAll hooks import a real library in a child process; on a busy machine that is slow. */
export const IMPORT_TIMEOUT_MS = 180_000

type ReadApi = Pick<
  GleanerApi,
  'categories' | 'listArticles' | 'getArticle' | 'listImportRuns' | 'getImportRun' | 'cancelImport'
>

export interface RealLibrary {
  service: ReadApi
  /** The library as the renderer sees it (what preload or the test bridge would expose). */
  bridge: GleanerBridge
  /** The library's database, for tests that change it with core functions. */
  db: Db
  /** The library file (for a child service: test/helpers/childBridge.ts). */
  path: string
  dispose(): void
}

export const ROOT = resolve(import.meta.dirname, '../..')

/** A temp library with `paths` imported by the real service (in a Node child process). */
export function openRealLibrary(paths: string[] = [SEED]): RealLibrary {
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-component-'))
  const libraryPath = join(dir, 'library.db')
  execFileSync(
    join(ROOT, 'node_modules/.bin/tsx'),
    [join(ROOT, 'test/component/seedLibrary.ts'), libraryPath, ...paths],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }
  )
  const db = openLibraryDb(libraryPath)
  const service: ReadApi = {
    categories: async () => categoryTree(db),
    listArticles: async (query) => listArticles(db, query),
    getArticle: async (id) => getArticle(db, id),
    listImportRuns: async (limit) => listRuns(db, limit),
    getImportRun: async (runId) => getRun(db, runId),
    // Nothing runs in this process; tests only check the call is made with the right run.
    cancelImport: async () => {}
  }
  return {
    service,
    bridge: {
      // The components under test call only the methods above.
      api: service as GleanerApi,
      on: () => () => {},
      pathForFile: () => Promise.resolve(null),
      remoteImageUrl: (articleId: number, url: string) => remoteImagePath(articleId, url)
    },
    db,
    path: libraryPath,
    dispose() {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
