// The one implementation of GleanerApi. Electron's ipc.ts, the CLI, the web preview and the
// tests all drive this object; nothing else implements the API.
import { EventEmitter } from 'node:events'
import type { EventName, GleanerApi, GleanerEvents, Unsubscribe } from '../../shared/api'
import { importPaths, type ImportOptions } from './importer/run'
import { getRun, listRuns } from './importer/runs'
import { articleCount, getArticle, listArticles, setFlag } from './library/articles'
import { categoryTree } from './library/categories'
import { openLibraryDb, type Db } from './library/open'

export interface GleanerService extends GleanerApi {
  on<E extends EventName>(event: E, listener: (payload: GleanerEvents[E]) => void): Unsubscribe
  close(): void
  /** The database handle, for core modules and commands that work below the API. */
  readonly db: Db
}

export interface ServiceOptions {
  libraryPath: string
  /** Hooks and limits for imports (worker pools, search indexing, tests). */
  importOptions?: Omit<ImportOptions, 'signal' | 'onProgress' | 'onStart'>
}

export function createGleanerService(opts: ServiceOptions): GleanerService {
  const db = openLibraryDb(opts.libraryPath)
  const events = new EventEmitter()
  const running = new Map<number, AbortController>()
  // Imports run one after another: the library has one writer.
  let queue: Promise<unknown> = Promise.resolve()

  const emit = <E extends EventName>(event: E, payload: GleanerEvents[E]): void => {
    events.emit(event, payload)
  }

  const service: GleanerService = {
    db,
    async libraryInfo() {
      return {
        path: opts.libraryPath,
        articleCount: articleCount(db),
        schemaVersion: db.pragma('user_version', { simple: true }) as number
      }
    },
    async importPaths(paths) {
      const controller = new AbortController()
      const run = queue.then(() =>
        importPaths(db, paths, {
          ...opts.importOptions,
          signal: controller.signal,
          onStart: (id) => running.set(id, controller),
          onProgress: (p) => emit('importProgress', p)
        })
      )
      queue = run.catch(() => undefined)
      const result = await run
      running.delete(result.id)
      emit('libraryChanged', { reason: 'import' })
      return result
    },
    async cancelImport(runId) {
      running.get(runId)?.abort()
    },
    async listImportRuns(limit) {
      return listRuns(db, limit)
    },
    async getImportRun(runId) {
      return getRun(db, runId)
    },
    async categories() {
      return categoryTree(db)
    },
    async listArticles(query) {
      return listArticles(db, query)
    },
    async getArticle(id) {
      return getArticle(db, id)
    },
    async setRead(ids, read) {
      setFlag(db, ids, 'read', read)
      emit('libraryChanged', { reason: 'update' })
    },
    async setStarred(ids, starred) {
      setFlag(db, ids, 'starred', starred)
      emit('libraryChanged', { reason: 'update' })
    },
    on(event, listener) {
      events.on(event, listener)
      return () => events.off(event, listener)
    },
    close() {
      for (const c of running.values()) c.abort()
      events.removeAllListeners()
      db.close()
    }
  }
  return service
}
