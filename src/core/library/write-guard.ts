// Every API call passes here on its way into the service (service.ts wraps itself once). Calls
// that write wait until the library has passed its background check and are refused with
// `library-corrupt` once it is known to be damaged; every call's errors are shown to the
// library's health watch, so the first SQLITE_CORRUPT from anywhere turns the library read-only.
import { API_METHODS, type ApiMethod, type GleanerApi } from '../../shared/api'
import type { LibraryHealth } from './health'

/** Which methods write to the library. A new API method must be classified here to compile. */
const WRITES: Record<ApiMethod, boolean> = {
  libraryInfo: false,
  importPaths: true,
  cancelImport: false,
  listImportRuns: false,
  getImportRun: false,
  categories: false,
  sources: false,
  tags: false,
  renameCategory: true,
  deleteCategory: true,
  restoreCategory: true,
  mergeCategory: true,
  addTag: true,
  removeTag: true,
  renameTag: true,
  deleteTag: true,
  listArticles: false,
  getArticle: false,
  setRead: true,
  setStarred: true,
  deleteArticles: true,
  restoreArticles: true,
  listTrash: false,
  emptyTrash: true,
  getArticleSource: false,
  listImportProblems: false,
  listAnnotations: false,
  listAllAnnotations: false,
  annotationTags: false,
  listAnnotationsNeedingReview: false,
  createAnnotation: true,
  updateAnnotation: true,
  deleteAnnotation: true,
  restoreAnnotation: true,
  reattachAnnotation: true,
  confirmAnnotation: true,
  recleanNeeded: false,
  reclean: true,
  cancelTask: false,
  search: false,
  searchIds: false,
  backupStatus: false,
  setBackupSettings: true,
  sourceBoilerplate: false,
  setSourceBoilerplate: true,
  listSynonyms: false,
  addSynonym: true,
  removeSynonym: true,
  listCollections: false,
  createCollection: true,
  renameCollection: true,
  deleteCollection: true,
  restoreCollection: true,
  collectionItems: false,
  addToCollection: true,
  removeFromCollection: true,
  moveInCollection: true,
  setCollectionItemNote: true,
  // Reads the library; writes only the export file.
  getCopies: false,
  articleInsight: false,
  termFacets: false,
  listStories: false,
  getStory: false,
  renameStory: true,
  followStory: true,
  splitStory: true,
  mergeStories: true,
  undo: true,
  redo: true,
  undoState: false,
  history: false,
  exportArticles: false,
  listFeeds: false,
  addFeed: true,
  updateFeed: true,
  removeFeed: true,
  restoreFeed: true,
  pollFeeds: true,
  importOpml: true,
  exportOpml: false,
  startClipperPairing: true,
  listClipperClients: false,
  revokeClipperClient: true,
  remoteImagePolicy: false,
  setRemoteImages: true,
  teamStatus: false,
  syncTeam: true,
  teamMembers: false,
  // The host's keychain, not the library.
  setTeamPassword: false
}

export const isWriteMethod = (method: ApiMethod): boolean => WRITES[method]

/** The service with every API method guarded; everything else (db, on, close) as it was. */
export function guardWrites<S extends GleanerApi>(service: S, health: LibraryHealth): S {
  const guarded: Record<string, unknown> = {}
  for (const method of API_METHODS) {
    const call = (service[method] as (...args: unknown[]) => Promise<unknown>).bind(service)
    guarded[method] = async (...args: unknown[]): Promise<unknown> => {
      if (WRITES[method]) {
        await health.checked
        if (health.damaged) throw health.error()
      }
      try {
        return await call(...args)
      } catch (e) {
        throw health.noteError(e)
      }
    }
  }
  return { ...service, ...guarded }
}
