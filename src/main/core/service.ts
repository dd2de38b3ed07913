// The one implementation of GleanerApi. Electron's ipc.ts, the CLI, the web preview and the
// tests all drive this object; nothing else implements the API.
import { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { EventName, GleanerApi, GleanerEvents, Unsubscribe } from '../../shared/api'
import type { ImportRun } from '../../shared/types'
import { importPaths, type ImportOptions } from './importer/run'
import { getRun, listImportProblems, listRuns } from './importer/runs'
import {
  articleCount,
  deleteArticles,
  getArticle,
  getArticleSource,
  restoreArticles,
  listArticles,
  listSources,
  listTags,
  setFlag
} from './library/articles'
import { categoryTree } from './library/categories'
import {
  deleteCategory,
  mergeCategory,
  renameCategory,
  restoreCategory,
  type CategoryEdit
} from './library/category-edit'
import { addTag, deleteTag, removeTag, renameTag } from './library/tag-edit'
import { createReindexQueue } from './library/reindex-queue'
import { openLibraryDb, type Db } from './library/open'
import { loadSiteRules } from './extract/rules'
import { setPageSiteRules, USER_RULES_ENV } from './ingest/page'
import { createParsePool, type ParsePool } from './importer/pool'
import {
  createAnnotation,
  deleteAnnotation,
  listAnnotations,
  listNeedsReview,
  reanchorArticle,
  reattachAnnotation,
  restoreAnnotation,
  updateAnnotation
} from './annotations'
import { articlesNeedingReclean, recleanArticles } from './reclean'
import {
  searchQueryResolver,
  addToCollection,
  collectionItems,
  createCollection,
  deleteCollection,
  listCollections,
  moveInCollection,
  removeFromCollection,
  renameCollection,
  restoreCollection,
  setItemNote
} from './collections'
import { exportBundle, loadCollectionBundle, loadExportBundle, type PdfRenderer } from './export'
import {
  addSynonym,
  ensureSearchIndexCurrent,
  indexImportedArticles,
  listSynonyms,
  searchArticles,
  syncSearchIndex
} from './search'

export interface GleanerService extends GleanerApi {
  on<E extends EventName>(event: E, listener: (payload: GleanerEvents[E]) => void): Unsubscribe
  /**
   * importPaths for paths that are not the user's own choice but lie in a folder that is (a
   * watched folder's changes): none may be outside it, and no link may lead out of it. Not
   * part of the API: no window can ask for it.
   */
  importWithin(folder: string, paths: string[]): Promise<ImportRun>
  close(): void
  /** The database handle, for core modules and commands that work below the API. */
  readonly db: Db
}

/** importPaths as implemented here: the API's, plus the folder importWithin passes. */
type ImportInto = (paths: string[], within?: string) => Promise<ImportRun>

export interface ServiceOptions {
  libraryPath: string
  /** Hooks and limits for imports (worker pools, search indexing, tests). */
  importOptions?: Omit<ImportOptions, 'signal' | 'onProgress' | 'onStart'>
  /** Prints the HTML briefing to PDF: Electron's printToPDF in the app, Chromium elsewhere. */
  pdf?: PdfRenderer
  /** A folder of user templates overriding the shipped export templates. */
  templateDir?: string
}

export const USER_RULES_FILE = 'site-rules.yaml'

export function createGleanerService(opts: ServiceOptions): GleanerService {
  const db = openLibraryDb(opts.libraryPath)
  ensureSearchIndexCurrent(db)
  const resolveQuery = searchQueryResolver(db)
  // Users add site rules in a file beside the library; a broken one is reported, shipped rules stay.
  const userRulesFile = join(dirname(opts.libraryPath), USER_RULES_FILE)
  const rules = loadSiteRules(existsSync(userRulesFile) ? { userFile: userRulesFile } : {})
  setPageSiteRules(rules.rules)
  // Parse workers start with a copy of the environment: this is how they find the same rules.
  if (existsSync(userRulesFile)) process.env[USER_RULES_ENV] = userRulesFile
  else delete process.env[USER_RULES_ENV]
  // Parsing and cleaning run in worker threads, started at the first import.
  let pool: ParsePool | undefined
  const parse =
    opts.importOptions?.parse ??
    ((bytes: Uint8Array, path: string) =>
      (pool ??= createParsePool(undefined, { budget: opts.importOptions?.budget ?? {} })).parse(
        bytes,
        path
      ))
  const problems = rules.errors.map(
    (e) => `${e.file}${e.line === undefined ? '' : `:${e.line}`}: ${e.message}`
  )
  const events = new EventEmitter()
  const running = new Map<number, AbortController>()
  // Imports run one after another: the library has one writer.
  let queue: Promise<unknown> = Promise.resolve()

  const emit = <E extends EventName>(event: E, payload: GleanerEvents[E]): void => {
    events.emit(event, payload)
  }

  // Annotations follow their text when an article's clean text is replaced (re-import, re-clean).
  const reanchor = (d: Db, articleId: number, text: string, version: number): void => {
    reanchorArticle(d, articleId, text, version)
  }
  // The annotations repository re-indexes search itself; the UI only needs to hear of it.
  const annotationsChanged = (): void => {
    emit('libraryChanged', { reason: 'update' })
  }

  // Category and tag words are in each article's search document: re-index what an edit
  // touched (a big edit in slices, so the app keeps answering; see reindex-queue.ts).
  const reindex = createReindexQueue(db, syncSearchIndex)
  const filingChanged = (articleIds: number[]): void => {
    reindex.add(articleIds)
    // Every window's tree and tag list change, not only the one that made the edit.
    emit('libraryChanged', { reason: 'filing' })
  }
  const categoryEdited = (edit: CategoryEdit): string[] => {
    filingChanged(edit.articleIds)
    return edit.path
  }

  const service: GleanerService = {
    db,
    async libraryInfo() {
      return {
        path: opts.libraryPath,
        articleCount: articleCount(db),
        schemaVersion: db.pragma('user_version', { simple: true }) as number,
        userRulesFile,
        problems
      }
    },
    async importPaths(paths, within?: string) {
      const controller = new AbortController()
      const run = queue.then(() =>
        importPaths(db, paths, {
          afterWrite: indexImportedArticles,
          beforeUpdate: reanchor,
          ...opts.importOptions,
          ...(within !== undefined ? { within } : {}),
          parse,
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
    importWithin(folder, paths) {
      return (service.importPaths as ImportInto)(paths, folder)
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
    async sources() {
      return listSources(db)
    },
    async tags() {
      return listTags(db)
    },
    async renameCategory(id, name) {
      return categoryEdited(renameCategory(db, id, name))
    },
    async deleteCategory(id) {
      const { snapshot, ...edit } = deleteCategory(db, id)
      categoryEdited(edit)
      return snapshot
    },
    async restoreCategory(snapshot) {
      return categoryEdited(restoreCategory(db, snapshot))
    },
    async mergeCategory(sourceId, targetId) {
      return categoryEdited(mergeCategory(db, sourceId, targetId))
    },
    async addTag(articleIds, tag) {
      const added = addTag(db, articleIds, tag)
      filingChanged(added)
      return added
    },
    async removeTag(articleIds, tag) {
      const removed = removeTag(db, articleIds, tag)
      filingChanged(removed)
      return removed
    },
    async renameTag(from, to) {
      filingChanged(renameTag(db, from, to))
    },
    async deleteTag(tag) {
      const had = deleteTag(db, tag)
      filingChanged(had)
      return had
    },
    async deleteArticles(ids) {
      const deleted = deleteArticles(db, ids, new Date().toISOString())
      syncSearchIndex(db, deleted)
      emit('libraryChanged', { reason: 'delete' })
      return deleted
    },
    async restoreArticles(ids) {
      const restored = restoreArticles(db, ids)
      syncSearchIndex(db, restored)
      emit('libraryChanged', { reason: 'update' })
      return restored
    },
    async getArticleSource(id) {
      return getArticleSource(db, id)
    },
    async listImportProblems(limit) {
      return listImportProblems(db, limit)
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
    async listAnnotations(articleId) {
      return listAnnotations(db, articleId)
    },
    async listAnnotationsNeedingReview() {
      return listNeedsReview(db)
    },
    async createAnnotation(a) {
      const created = createAnnotation(db, a)
      annotationsChanged()
      return created
    },
    async updateAnnotation(id, patch) {
      const updated = updateAnnotation(db, id, patch)
      annotationsChanged()
      return updated
    },
    async deleteAnnotation(id) {
      const deleted = deleteAnnotation(db, id)
      annotationsChanged()
      return deleted
    },
    async restoreAnnotation(a) {
      const restored = restoreAnnotation(db, a)
      annotationsChanged()
      return restored
    },
    async reattachAnnotation(id, start, end) {
      const moved = reattachAnnotation(db, id, start, end)
      annotationsChanged()
      return moved
    },
    async recleanNeeded() {
      return articlesNeedingReclean(db)
    },
    async reclean(ids, all) {
      const result = recleanArticles(db, {
        ...(ids ? { ids } : {}),
        all,
        afterWrite: syncSearchIndex,
        ...(opts.importOptions?.beforeUpdate
          ? { beforeUpdate: opts.importOptions.beforeUpdate }
          : {})
      })
      emit('libraryChanged', { reason: 'update' })
      return result
    },
    async search(query, searchOpts) {
      return searchArticles(db, query, searchOpts)
    },
    async listSynonyms() {
      return listSynonyms(db)
    },
    async addSynonym(a, b) {
      addSynonym(db, a, b)
    },
    async listCollections() {
      return listCollections(db, resolveQuery)
    },
    async createCollection(name, query) {
      return createCollection(db, name, query)
    },
    async renameCollection(id, name) {
      return renameCollection(db, id, name)
    },
    async deleteCollection(id) {
      return deleteCollection(db, id)
    },
    async restoreCollection(snapshot) {
      return restoreCollection(db, snapshot)
    },
    async collectionItems(id) {
      return collectionItems(db, id)
    },
    async addToCollection(id, articleIds) {
      return addToCollection(db, id, articleIds)
    },
    async removeFromCollection(id, articleIds) {
      return removeFromCollection(db, id, articleIds)
    },
    async moveInCollection(id, articleId, beforeArticleId) {
      moveInCollection(db, id, articleId, beforeArticleId)
    },
    async setCollectionItemNote(id, articleId, note) {
      setItemNote(db, id, articleId, note)
    },
    async exportArticles(request) {
      const src = request.source
      const bundle =
        'collectionId' in src
          ? loadCollectionBundle(db, src.collectionId, resolveQuery)
          : loadExportBundle(
              db,
              'articleIds' in src ? src.articleIds : resolveQuery(src.query),
              request.title ?? ('query' in src ? `Search: ${src.query}` : 'Selected articles')
            )
      if (request.title) bundle.title = request.title
      return exportBundle(bundle, request.format, request.outPath, {
        ...(opts.pdf ? { pdf: opts.pdf } : {}),
        ...(opts.templateDir ? { templateDir: opts.templateDir } : {})
      })
    },
    on(event, listener) {
      events.on(event, listener)
      return () => events.off(event, listener)
    },
    close() {
      for (const c of running.values()) c.abort()
      void pool?.close()
      reindex.flush()
      events.removeAllListeners()
      db.close()
    }
  }
  return service
}
