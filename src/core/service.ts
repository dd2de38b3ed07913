// The one implementation of GleanerApi. Electron's ipc.ts, the CLI, the web preview and the
// tests all drive this object; nothing else implements the API.
import { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type {
  EventName,
  GleanerApi,
  GleanerEvents,
  ImportRequestOptions,
  Unsubscribe
} from '../shared/api'
import type { ChangeOrigin } from '../shared/change-types'
import type { ImportRun, RecleanResult } from '../shared/types'
import { importItems, importPaths, type ImportOptions } from './importer/run'
import type { CaptureContext, CaptureOptions } from './capture/context'
import { createFeedsPart } from './feeds/service-part'
import { createClipperPart, type ClipperPart } from './clipper/service-part'
import { createImagesPart, type ImagesPart } from './images/service-part'
import { createTeamPart, type TeamOptions } from './team/service-part'
import { getRun, listImportProblems, listRuns } from './library/import-runs'
import {
  articleCount,
  getArticle,
  getArticleSource,
  listArticles,
  listSources,
  listTags
} from './library/articles'
import { categoryTree } from './library/categories'
import { listTrash } from './library/trash'
import { createReindexQueue } from './library/reindex-queue'
import { openLibrary, type Db } from './library/open'
import { watchLibraryHealth, type LibraryHealth } from './library/health'
import { guardWrites } from './library/write-guard'
import { backupStatusOf, writeBackupSettings } from './backup/schedule'
import { loadSiteRules } from './extract/site-rules'
import { createParsePool, type ParsePool } from './importer/pool'
import {
  annotationIdsMatching,
  annotationTags,
  listAnnotations,
  listNeedsReview,
  queryAnnotations
} from './annotations'
import { articlesNeedingReclean, recleanArticles } from './reclean'
import { searchQueryResolver, collectionItems, listCollections } from './collections'
import {
  exportBundle,
  fill,
  labelsFor,
  loadAnnotationBundle,
  loadCollectionBundle,
  loadExportBundle,
  type PdfRenderer
} from './export'
import {
  indexImportedArticles,
  rebuildSearchIndex,
  rebuildSearchIndexInSlices,
  searchIndexCurrent,
  listSynonyms,
  searchArticleIds,
  searchArticles,
  syncSearchIndex
} from './search'
import { createChangeRunner } from './changes/runner'
import { hasPendingLines, listSourceLines, takePendingArticles } from './boilerplate'
import { writeTx } from './library/write-tx'
import type { LibraryChange } from '../shared/change-types'
import { createTaskRegistry } from './tasks'
import { watchExternalChanges, type ExternalWatchOptions } from './changes/external'
import type { StorySummary } from '../shared/story-types'
import {
  analysisBacklog,
  backlogSlice,
  recordBacklog,
  clusterPending,
  copiesOf,
  getStory,
  insightOf,
  listStories,
  termFacets
} from './analysis'

export interface GleanerService extends GleanerApi {
  on<E extends EventName>(event: E, listener: (payload: GleanerEvents[E]) => void): Unsubscribe
  /**
   * importPaths for paths that are not the user's own choice but lie in a folder that is (a
   * watched folder's changes): none may be outside it, and no link may lead out of it. Not
   * part of the API: no window can ask for it.
   */
  importWithin(folder: string, paths: string[]): Promise<ImportRun>
  /**
   * Resolves when the library's writer has nothing left to do: imports, re-cleans, and the
   * re-cleans they set off (a line learned as a source's boilerplate). A one-shot command waits
   * for it before closing.
   */
  idle(): Promise<void>
  close(): void
  /** The database handle, for core modules and commands that work below the API. */
  readonly db: Db
  /** What the loopback clip endpoint (src/host/clip-endpoint.ts) asks of this library. */
  readonly clipper: ClipperPart
  /** Kept images, for the reader's image route and exports. */
  readonly images: ImagesPart
  /** Sound or damaged (then read-only): see library/health.ts. */
  readonly health: LibraryHealth
  /** What the capture and team parts get (the writer's queue, imports, changes), for core code below the API. */
  readonly capture: CaptureContext
}

/** importPaths as implemented here: the API's, plus the folder importWithin passes. */
type ImportInto = (
  paths: string[],
  opts: ImportRequestOptions | undefined,
  within?: string
) => Promise<ImportRun>

export interface ServiceOptions {
  libraryPath: string
  /** Hooks and limits for imports (worker pools, search indexing, tests). */
  importOptions?: Omit<ImportOptions, 'signal' | 'onProgress' | 'onStart'>
  /** Prints the HTML briefing to PDF: Electron's printToPDF in the app, Chromium elsewhere. */
  pdf?: PdfRenderer
  /** A folder of user templates overriding the shipped export templates. */
  templateDir?: string
  /** The front door driving this service, recorded with every change it makes (default 'app'). */
  origin?: ChangeOrigin
  /**
   * Hear changes that other processes make to the same library file and announce them
   * (default on; the CLI's one-shot commands turn it off).
   */
  watchExternal?: boolean | ExternalWatchOptions
  /**
   * 'background' (default): the integrity checks that take seconds on a big library run on a
   * worker thread after opening, and writes wait for them; 'full': all of them before the
   * service exists (command-line writes, which have no window to keep responsive); 'open-only':
   * only the quick ones at open (command-line reads).
   */
  check?: 'background' | 'full' | 'open-only'
  /**
   * A search index built by other code (another tokenization or SQLite) is rebuilt.
   * 'background' (default): beside the one in use, in slices with its index text made by the
   * worker pool, as a task with taskProgress events (kind 'reindex') and cancelTask, so the
   * windows keep answering; searches use the old index until the new one is whole. 'at-open':
   * before the service exists (the CLI's one-shot commands, which need the new index at once
   * and have no window to keep responsive), reporting to onIndexProgress.
   */
  indexRebuild?: 'background' | 'at-open'
  onIndexProgress?: (done: number, total: number) => void
  /** Feeds, the clipper and kept images in this process (capture/context.ts). */
  capture?: CaptureOptions
  /** Team library sync in this process (team/service-part.ts). */
  team?: TeamOptions
}

export const USER_RULES_FILE = 'site-rules.yaml'
/** Articles a search index is rebuilt for at open, in one go (tens of milliseconds). */
const SMALL_LIBRARY = 200

export function createGleanerService(opts: ServiceOptions): GleanerService {
  const opened = openLibrary(opts.libraryPath, { check: opts.check === 'full' ? 'full' : 'open' })
  const db = opened.db
  const events = new EventEmitter()
  // A library found damaged while open is read-only from then on; every window hears of it.
  const deferredChecks = opts.check === 'open-only' ? [] : opened.deferredChecks
  const health = watchLibraryHealth(
    db,
    opts.libraryPath,
    { ...opened, deferredChecks },
    {
      onDamage: () => events.emit('libraryChanged', { reason: 'update' })
    }
  )
  const indexStale =
    !health.damaged &&
    health.readOr(() => {
      if (searchIndexCurrent(db)) return false
      // A new or small library is indexed in the time a task would take to start.
      if (opts.indexRebuild !== 'at-open' && articleCount(db) > SMALL_LIBRARY) return true
      rebuildSearchIndex(db, opts.onIndexProgress)
      return false
    }, false)
  const resolveQuery = searchQueryResolver(db)
  // Users add site rules in a file beside the library; a broken one is reported, shipped rules stay.
  const userRulesFile = join(dirname(opts.libraryPath), USER_RULES_FILE)
  const rules = loadSiteRules(existsSync(userRulesFile) ? { userFile: userRulesFile } : {})
  // Parsing and cleaning run in worker threads, started at the first import.
  let pool: ParsePool | undefined
  const workers = (): ParsePool =>
    (pool ??= createParsePool(undefined, {
      budget: opts.importOptions?.budget ?? {},
      // This library's rules, handed to its own workers (another service has its own).
      siteRules: rules.rules
    }))
  const parse =
    opts.importOptions?.parse ?? ((bytes: Uint8Array, path: string) => workers().parse(bytes, path))
  const problems = rules.errors.map(
    (e) => `${e.file}${e.line === undefined ? '' : `:${e.line}`}: ${e.message}`
  )
  const running = new Map<number, AbortController>()
  const tasks = createTaskRegistry((p) => emit('taskProgress', p))
  // Imports run one after another: the library has one writer.
  let queue: Promise<unknown> = Promise.resolve()

  const emit = <E extends EventName>(event: E, payload: GleanerEvents[E]): void => {
    events.emit(event, payload)
  }

  // Category and tag words are in each article's search document: a change re-indexes what it
  // touched (a big edit in slices, so the app keeps answering; see reindex-queue.ts).
  const reindex = createReindexQueue(db, syncSearchIndex, {
    resume: !health.damaged,
    onError: (e) => health.noteError(e)
  })
  // Every change goes through the runner: applied and logged in one transaction, re-indexed,
  // announced to every window of this process; other processes hear it through the log.
  const changes = createChangeRunner(db, {
    origin: opts.origin ?? 'app',
    announce: (change) => {
      memos.clear()
      emit('libraryChanged', change)
      afterBoilerplateChange(change)
    },
    reindex: (ids) => reindex.add(ids)
  })
  if (indexStale) {
    const task = tasks.start('reindex')
    let last = { done: 0, total: 0 }
    rebuildSearchIndexInSlices(db, {
      indexText: (docs) => workers().indexText(docs),
      signal: task.signal,
      onProgress: (done, total) => {
        last = { done, total }
        task.progress(done, total)
      }
    }).then(
      (r) => task.finish(last.done, last.total, r.cancelled),
      (e: unknown) => {
        task.finish(last.done, last.total, false)
        // The library closed under it, or turned out damaged: the old index stays, and the
        // next start tries again.
        if (db.open) health.noteError(e)
      }
    )
  }
  const external =
    opts.watchExternal === false
      ? null
      : watchExternalChanges(
          db,
          changes.session,
          (change) => {
            memos.clear()
            emit('libraryChanged', change)
            afterBoilerplateChange(change)
          },
          typeof opts.watchExternal === 'object' ? opts.watchExternal : {}
        )

  /**
   * Lines newly learned as a source's boilerplate (by an import or re-clean), or switched on or
   * off by the user (here, by undo, or in another process), reach the source's older articles
   * by re-cleaning them: a 'reclean' task, with progress, that announces what it changed.
   */
  async function applyLearnedLines(): Promise<void> {
    // Writes wait for the background check, as the API's do (write-guard.ts).
    await health.checked
    if (health.damaged || !db.open) return
    let ids: number[] = []
    try {
      if (!hasPendingLines(db)) return
      ids = writeTx(db, () => takePendingArticles(db))
    } catch (e) {
      health.noteError(e)
    }
    if (ids.length)
      await service.reclean(ids, false).catch((e: unknown) => {
        if (db.open) health.noteError(e)
      })
  }
  function afterBoilerplateChange(change: LibraryChange): void {
    if (change.op === 'setSourceBoilerplate' || change.subjectOp === 'setSourceBoilerplate')
      setTimeout(() => void applyLearnedLines(), 0)
  }

  // A run cut short (the app quit mid-way) left lines pending: their re-clean resumes.
  if (opts.check !== 'open-only') setTimeout(() => void applyLearnedLines(), 0)

  // Stories and facets read every live article: kept until the library next changes (here or
  // in another process), so the left pane's sections cost one query per change, not per paint.
  const memos = new Map<string, unknown>()
  const memo = <T>(key: string, compute: () => T): T => {
    if (!memos.has(key)) memos.set(key, compute())
    return memos.get(key) as T
  }

  /** Articles written by an import or re-clean join stories (a damaged library is left be). */
  function placeInStories(): void {
    try {
      if (db.open && !health.damaged) clusterPending(db)
    } catch (e) {
      health.noteError(e)
    }
  }

  /** Articles analysed per transaction in the backlog: the writer is free between them. */
  const ANALYSE_SLICE = 200
  /** Articles one worker analyses at a time. */
  const ANALYSE_PART = 50
  /**
   * Brings the library's analysis up to date on the writer's queue, once at open: articles
   * analysed by an older version or never (a library from before it; shown as an 'analyse'
   * task with progress), then any not in a story yet (a run cut short). Announced as one
   * change when it did anything.
   */
  function updateStories(): Promise<void> {
    const run = queue.then(async () => {
      await health.checked
      if (health.damaged || !db.open) return
      let total = 0
      let done = 0
      let task: ReturnType<typeof tasks.start> | null = null
      try {
        total = analysisBacklog(db)
        if (total > 0) {
          task = tasks.start('analyse')
          while (done < total && db.open && !task.signal.aborted) {
            const slice = backlogSlice(db, ANALYSE_SLICE)
            if (slice.length === 0) break
            // The segmentation is the work: the pool's workers do it, a part each.
            const parts: (typeof slice)[] = []
            for (let i = 0; i < slice.length; i += ANALYSE_PART)
              parts.push(slice.slice(i, i + ANALYSE_PART))
            const drafts = (await Promise.all(parts.map((p) => workers().analyse(p)))).flat()
            if (!db.open) break
            recordBacklog(db, slice, drafts)
            done += slice.length
            task.progress(done, total)
            await new Promise((r) => setTimeout(r, 0))
          }
        }
        const placed = db.open ? clusterPending(db, task ? { signal: task.signal } : {}) : 0
        task?.finish(done, total, task.signal.aborted)
        if (placed + done > 0)
          changes.record('clusterStories', [], {
            inverse: null,
            touched: { stories: true, list: true },
            summary: { count: placed + done }
          })
      } catch (e) {
        task?.finish(done, total, false)
        if (db.open) health.noteError(e)
      }
    })
    queue = run.catch(() => undefined)
    return run
  }
  if (opts.check !== 'open-only') void updateStories()

  /** An import run as one change: undoing it takes the articles it brought in to the trash. */
  const recordImport = (paths: string[], run: ImportRun, undoable = true): void => {
    const { imported, updated } = run.counts
    if (imported + updated === 0) return
    const updatedIds = run.results.flatMap((r) =>
      r.status === 'updated' && r.articleId !== undefined ? [r.articleId] : []
    )
    changes.record('importPaths', [paths], {
      inverse: imported > 0 && undoable ? { op: 'deleteImported', args: [run.id] } : null,
      touched: {
        articleIds: updatedIds,
        annotationArticleIds: updatedIds,
        list: true,
        filing: true,
        stories: true
      },
      summary: { count: imported + updated, imported, updated }
    })
  }

  /**
   * One import run on the writer's queue (files, or captured items): indexed, placed in
   * stories, recorded as one change, with progress events for the window that asked.
   */
  async function runImport(
    roots: string[],
    start: (o: ImportOptions) => Promise<ImportRun>,
    clientId: string | undefined,
    signal?: AbortSignal,
    undoable = true
  ): Promise<ImportRun> {
    const controller = new AbortController()
    signal?.addEventListener('abort', () => controller.abort(), { once: true })
    const run = queue.then(() =>
      start({
        afterWrite: indexImportedArticles,
        ...opts.importOptions,
        parse,
        signal: controller.signal,
        onStart: (id) => running.set(id, controller),
        onProgress: (p) => emit('importProgress', clientId ? { ...p, clientId } : p)
      }).then((r) => {
        // The run's new articles join stories before it is reported (and announced) done.
        placeInStories()
        return r
      })
    )
    queue = run.catch(() => undefined)
    const result = await run
    running.delete(result.id)
    recordImport(roots, result, undoable)
    // What the run taught of its sources' boilerplate reaches their older articles before the
    // run is reported done (the re-clean shows its own progress meanwhile).
    if (result.counts.imported + result.counts.updated > 0) await applyLearnedLines()
    return result
  }

  const capture: CaptureContext = {
    db,
    health,
    changes,
    tasks,
    emit,
    importItems: (roots, items, o) =>
      runImport(
        roots,
        (io) => importItems(db, roots, items, io),
        o?.clientId,
        o?.signal,
        o?.undoable ?? true
      ),
    onWriterQueue<T>(work: () => Promise<T> | T): Promise<T> {
      const run = queue.then(work)
      queue = run.catch(() => undefined)
      return run
    },
    now: () => new Date(),
    options: opts.capture ?? {}
  }
  const feeds = createFeedsPart(capture)
  const clipper = createClipperPart(capture)
  const images = createImagesPart(capture)
  const team = createTeamPart(capture, opts.team ?? {})

  const service: GleanerService = {
    db,
    capture,
    clipper,
    images,
    health,
    async libraryInfo() {
      return {
        path: opts.libraryPath,
        // A damaged library may not answer even these: it still has its report to give.
        articleCount: health.readOr(() => articleCount(db), 0),
        schemaVersion: health.readOr(
          () => db.pragma('user_version', { simple: true }) as number,
          0
        ),
        userRulesFile,
        problems: [...problems, ...opened.notes],
        damage: health.report()
      }
    },
    async importPaths(paths, importOpts, within?: string) {
      return runImport(
        paths,
        (o) => importPaths(db, paths, { ...o, ...(within !== undefined ? { within } : {}) }),
        importOpts?.clientId
      )
    },
    async idle() {
      let seen: Promise<unknown>
      do {
        seen = queue
        await seen
        // A finished run may have queued another (a learned line's re-clean).
        await new Promise((r) => setTimeout(r, 0))
      } while (seen !== queue)
    },
    importWithin(folder, paths) {
      return (service.importPaths as ImportInto)(paths, undefined, folder)
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
      return changes.run('renameCategory', [id, name])
    },
    async deleteCategory(id) {
      return changes.run('deleteCategory', [id])
    },
    async restoreCategory(snapshot) {
      return changes.run('restoreCategory', [snapshot])
    },
    async mergeCategory(sourceId, targetId) {
      return changes.run('mergeCategory', [sourceId, targetId])
    },
    async addTag(articleIds, tag) {
      return changes.run('addTag', [articleIds, tag])
    },
    async removeTag(articleIds, tag) {
      return changes.run('removeTag', [articleIds, tag])
    },
    async renameTag(from, to) {
      changes.run('renameTag', [from, to])
    },
    async deleteTag(tag) {
      return changes.run('deleteTag', [tag])
    },
    async deleteArticles(ids) {
      return changes.run('deleteArticles', [ids])
    },
    async restoreArticles(ids) {
      return changes.run('restoreArticles', [ids])
    },
    async listTrash(query) {
      return listTrash(db, query)
    },
    async emptyTrash(ids) {
      return changes.run('emptyTrash', [ids])
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
    async setRead(ids, read, readOpts) {
      changes.run('setRead', [ids, read, readOpts ?? {}])
    },
    async setStarred(ids, starred) {
      changes.run('setStarred', [ids, starred])
    },
    async listAnnotations(articleId) {
      return listAnnotations(db, articleId)
    },
    async listAnnotationsNeedingReview() {
      return listNeedsReview(db)
    },
    async listAllAnnotations(query) {
      return queryAnnotations(db, query, resolveQuery)
    },
    async annotationTags() {
      return annotationTags(db)
    },
    async createAnnotation(a) {
      return changes.run('createAnnotation', [a])
    },
    async updateAnnotation(id, patch) {
      return changes.run('updateAnnotation', [id, patch])
    },
    async deleteAnnotation(id) {
      return changes.run('deleteAnnotation', [id])
    },
    async restoreAnnotation(a) {
      return changes.run('restoreAnnotation', [a])
    },
    async reattachAnnotation(id, start, end) {
      return changes.run('reattachAnnotation', [id, start, end])
    },
    async confirmAnnotation(id) {
      return changes.run('confirmAnnotation', [id])
    },
    async recleanNeeded() {
      return articlesNeedingReclean(db)
    },
    async reclean(ids, all, recleanOpts) {
      const task = tasks.start('reclean', recleanOpts?.clientId)
      // One writer: a re-clean waits for imports (and they for it).
      const run = queue.then(() =>
        recleanArticles(db, {
          ...(ids ? { ids } : {}),
          all,
          parse,
          siteRules: rules.rules,
          afterWrite: syncSearchIndex,
          signal: task.signal,
          onProgress: (done, total) => task.progress(done, total)
        }).then((r) => {
          placeInStories()
          return r
        })
      )
      queue = run.catch(() => undefined)
      let result: RecleanResult
      try {
        result = await run
      } catch (e) {
        task.finish(0, 0, false)
        throw e
      }
      task.finish(
        result.changed + result.unchanged + result.failed.length,
        result.total,
        result.cancelled
      )
      // Derived from the kept originals, so nothing to undo; logged so every window (and
      // process) re-reads the new text and the re-anchored highlights.
      if (result.changed > 0 || result.annotated.length > 0)
        changes.record('reclean', [ids, all], {
          inverse: null,
          touched: {
            list: true,
            stories: true,
            annotationArticleIds: result.annotated,
            ...(ids ? { articleIds: ids } : {})
          },
          summary: { count: result.changed }
        })
      // Re-cleaned articles are counted for their sources too (once each): lines may be learned.
      // Their re-clean follows as a task of its own: this run's window has its answer now.
      void applyLearnedLines()
      return result
    },
    async cancelTask(taskId) {
      tasks.cancel(taskId)
    },
    async search(query, searchOpts) {
      return searchArticles(db, query, searchOpts)
    },
    async searchIds(query, idsOpts) {
      return searchArticleIds(db, query, idsOpts)
    },
    async backupStatus() {
      return backupStatusOf(db, opts.libraryPath)
    },
    async setBackupSettings(settings) {
      writeBackupSettings(db, settings)
      return backupStatusOf(db, opts.libraryPath)
    },
    async sourceBoilerplate(source) {
      return listSourceLines(db, source).map((l) => ({
        source: l.sourceKey,
        edge: l.edge,
        hash: l.hash,
        text: l.text,
        articles: l.articles,
        on: l.state === 'learned'
      }))
    },
    async setSourceBoilerplate(source, edge, hash, on) {
      // The source's articles are re-cleaned after, as a task with its own progress (the change
      // is announced at once; see afterBoilerplateChange), so the window is not held meanwhile.
      changes.run('setSourceBoilerplate', [source, edge, hash, on])
    },
    async listSynonyms() {
      return listSynonyms(db)
    },
    async addSynonym(a, b) {
      changes.run('addSynonym', [a, b])
    },
    async removeSynonym(a, b) {
      return changes.run<boolean | undefined>('removeSynonym', [a, b]) ?? false
    },
    async listCollections() {
      return listCollections(db, resolveQuery)
    },
    async createCollection(name, query, articleIds) {
      return changes.run('createCollection', [name, query, ...(articleIds ? [articleIds] : [])])
    },
    async renameCollection(id, name) {
      return changes.run('renameCollection', [id, name])
    },
    async deleteCollection(id) {
      return changes.run('deleteCollection', [id])
    },
    async restoreCollection(snapshot) {
      return changes.run('restoreCollection', [snapshot])
    },
    async collectionItems(id) {
      return collectionItems(db, id)
    },
    async addToCollection(id, articleIds) {
      return changes.run('addToCollection', [id, articleIds])
    },
    async removeFromCollection(id, articleIds) {
      return changes.run('removeFromCollection', [id, articleIds])
    },
    async moveInCollection(id, articleId, beforeArticleId) {
      changes.run('moveInCollection', [id, articleId, beforeArticleId])
    },
    async setCollectionItemNote(id, articleId, note) {
      changes.run('setCollectionItemNote', [id, articleId, note])
    },
    async getCopies(articleId) {
      return copiesOf(db, articleId)
    },
    async articleInsight(articleId) {
      return insightOf(db, articleId)
    },
    async termFacets(kind, limit) {
      return memo(`facets:${kind}:${limit}`, () => termFacets(db, kind, limit))
    },
    async listStories(query) {
      return memo(`stories:${JSON.stringify(query)}`, () => listStories(db, query))
    },
    async getStory(id) {
      return getStory(db, id)
    },
    async renameStory(id, name) {
      return changes.run<StorySummary>('renameStory', [id, name])
    },
    async followStory(id, followed) {
      return changes.run<StorySummary>(followed ? 'followStory' : 'unfollowStory', [id])
    },
    async splitStory(id, articleIds) {
      return changes.run<StorySummary>('splitStory', [id, articleIds])
    },
    async mergeStories(targetId, sourceId) {
      return changes.run<StorySummary>('mergeStories', [targetId, sourceId])
    },
    async undo() {
      return changes.undo()
    },
    async redo() {
      return changes.redo()
    },
    async undoState() {
      return changes.undoState()
    },
    async history(q) {
      return changes.history(q)
    },
    async exportArticles(request) {
      const src = request.source
      const labels = labelsFor(request.locale)
      const bundle =
        'collectionId' in src
          ? loadCollectionBundle(db, src.collectionId, resolveQuery)
          : 'annotationIds' in src || 'annotationQuery' in src
            ? loadAnnotationBundle(
                db,
                'annotationIds' in src
                  ? src.annotationIds
                  : annotationIdsMatching(db, src.annotationQuery, resolveQuery),
                request.title ?? labels.notesTitle
              )
            : loadExportBundle(
                db,
                'articleIds' in src ? src.articleIds : resolveQuery(src.query),
                request.title ??
                  ('query' in src
                    ? fill(labels.searchTitle, { query: src.query })
                    : labels.selectionTitle)
              )
      if (request.title) bundle.title = request.title
      return exportBundle(bundle, request.format, request.outPath, {
        ...(opts.pdf ? { pdf: opts.pdf } : {}),
        ...(opts.templateDir ? { templateDir: opts.templateDir } : {}),
        ...(request.overwrite ? { overwrite: true } : {}),
        ...(request.locale ? { locale: request.locale } : {})
      })
    },
    ...feeds.methods,
    ...clipper.methods,
    ...images.methods,
    ...team.methods,
    on(event, listener) {
      events.on(event, listener)
      return () => events.off(event, listener)
    },
    close() {
      feeds.stop()
      clipper.stop()
      images.stop()
      void team.stop()
      external?.stop()
      for (const c of running.values()) c.abort()
      tasks.cancelAll()
      void pool?.close()
      health.close()
      if (!health.damaged) health.readOr(() => reindex.flush(), undefined)
      // Statistics for the query planner, as SQLite advises before closing: without them it
      // scanned every article to count a 5,000-item collection (0.16 s at a million, 0.02 s
      // with them). The limit keeps it to a few hundred rows per index (2.5 s of disk reads
      // on an 18 GB library when first made, little after).
      if (!health.damaged && !db.readonly)
        health.readOr(() => {
          db.pragma('analysis_limit = 400')
          db.pragma('optimize')
        }, undefined)
      events.removeAllListeners()
      db.close()
    }
  }
  return guardWrites(service, health)
}
