// Argument checks for every API method. Whatever crosses a process or network boundary
// (IPC from the renderer, HTTP from the web preview) is untrusted until it passes these.
import { GleanerError, settle, type CallOutcome } from './errors'
import { API_METHODS, type ApiMethod, type GleanerApi } from './api'
import type { ArticleQuery, ArticleSort, ArticleView, TrashQuery } from './types'
import {
  EXPORT_FORMATS,
  EXPORT_LOCALES,
  type DeletedCollection,
  type ExportFormat,
  type ExportLocale
} from './export-types'
import type { SearchIdsOptions, SearchOptions, SearchScope, SearchSort } from './search-types'
import {
  ANCHOR_STATUSES,
  ANNOTATION_COLORS,
  ANNOTATION_SORTS,
  MAX_ANNOTATION_PAGE,
  type Annotation,
  type AnnotationQuery,
  type AnnotationSort,
  type AnnotationColor,
  type AnnotationPatch,
  type AnchorStatus,
  type NewAnnotation,
  type Selectors
} from './annotation-types'
import type { ExportRequest } from './api'
import type { DeletedCategory } from './taxonomy-types'
import type { HistoryQuery } from './change-types'

export class InvalidArgumentsError extends GleanerError {
  constructor(message: string) {
    super('invalid-arguments', message)
    this.name = 'InvalidArgumentsError'
  }
}

const VIEWS: readonly ArticleView[] = ['all', 'unread', 'starred', 'annotated', 'recent']
const SORTS: readonly ArticleSort[] = [
  'date-desc',
  'date-asc',
  'title',
  'source',
  'imported-desc',
  'position'
]
const MAX_IDS = 100_000
const MAX_PATHS = 10_000
const MAX_STRING = 4096

function fail(method: string, what: string): never {
  throw new InvalidArgumentsError(`${method}: ${what}`)
}

function id(method: string, v: unknown, what = 'id'): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0)
    fail(method, `${what} must be a positive integer`)
  return v
}

function ids(method: string, v: unknown): number[] {
  if (!Array.isArray(v) || v.length > MAX_IDS) fail(method, `ids must be an array of ≤ ${MAX_IDS}`)
  return v.map((x) => id(method, x))
}

function bool(method: string, v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') fail(method, `${what} must be true or false`)
  return v
}

function str(method: string, v: unknown, what: string, max = MAX_STRING): string {
  if (typeof v !== 'string' || v.length > max)
    fail(method, `${what} must be a string of ≤ ${max} characters`)
  return v
}

/**
 * A path that means the same wherever the receiving process runs: POSIX `/…`, Windows `C:\…`
 * or `\\server\…`. A relative or empty path would resolve against the process's working
 * folder (`importPaths([""])` imported it).
 */
function absolutePath(method: string, v: unknown, what: string): string {
  const path = str(method, v, what)
  if (!/^(?:\/|[A-Za-z]:[\\/]|\\\\)/u.test(path)) fail(method, `${what} must be an absolute path`)
  return path
}

function articleQuery(method: string, v: unknown): ArticleQuery {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    fail(method, 'query must be an object')
  const q = v as Record<string, unknown>
  const known = new Set([
    'view',
    'collectionId',
    'source',
    'tag',
    'categoryPath',
    'sort',
    'offset',
    'limit'
  ])
  for (const k of Object.keys(q)) if (!known.has(k)) fail(method, `unknown query field '${k}'`)
  const out: ArticleQuery = {}
  if (q.categoryPath !== undefined) {
    if (!Array.isArray(q.categoryPath) || q.categoryPath.length > 64)
      fail(method, 'categoryPath must be an array of names')
    out.categoryPath = q.categoryPath.map((s) => str(method, s, 'category name', 512))
  }
  if (q.view !== undefined) {
    if (!VIEWS.includes(q.view as ArticleView))
      fail(method, `view must be one of ${VIEWS.join(', ')}`)
    out.view = q.view as ArticleView
  }
  if (q.collectionId !== undefined) out.collectionId = id(method, q.collectionId, 'collectionId')
  if (q.source !== undefined) out.source = str(method, q.source, 'source', 500)
  if (q.tag !== undefined) out.tag = str(method, q.tag, 'tag', 200)
  if (q.sort !== undefined) {
    if (!SORTS.includes(q.sort as ArticleSort))
      fail(method, `sort must be one of ${SORTS.join(', ')}`)
    out.sort = q.sort as ArticleSort
  }
  for (const k of ['offset', 'limit'] as const) {
    const n = q[k]
    if (n === undefined) continue
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
      fail(method, `${k} must be a whole number ≥ 0`)
    out[k] = n
  }
  return out
}

function trashQuery(method: string, v: unknown): TrashQuery {
  const q = plainObject(method, v, 'query')
  const out: TrashQuery = {}
  for (const k of Object.keys(q)) {
    if (k !== 'offset' && k !== 'limit') fail(method, `unknown query field '${k}'`)
    const n = q[k]
    if (n === undefined) continue
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
      fail(method, `${k} must be a whole number ≥ 0`)
    out[k] = n
  }
  return out
}

function plainObject(method: string, v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    fail(method, `${what} must be an object`)
  return v as Record<string, unknown>
}

const SEARCH_SORTS: readonly SearchSort[] = ['relevance', 'date-desc', 'date-asc']
const SCOPE_FIELDS: ReadonlySet<string> = new Set([
  'view',
  'collectionId',
  'source',
  'tag',
  'categoryPath'
])

/** A search's scope: the selection fields of an article query, checked the same way. */
function searchScope(method: string, v: unknown): SearchScope {
  const o = plainObject(method, v, 'scope')
  for (const k of Object.keys(o))
    if (!SCOPE_FIELDS.has(k)) fail(method, `unknown scope field '${k}'`)
  return articleQuery(method, o)
}

function searchIdsOptions(method: string, v: unknown): SearchIdsOptions {
  const out = searchOptions(method, v)
  if (out.limit !== undefined || out.offset !== undefined)
    fail(method, 'takes no limit or offset: it lists every hit')
  return out
}

function searchOptions(method: string, v: unknown): SearchOptions {
  if (v === undefined) return {}
  const o = plainObject(method, v, 'options')
  const out: SearchOptions = {}
  for (const k of Object.keys(o)) {
    if (k === 'limit' || k === 'offset') {
      const n = o[k]
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
        fail(method, `${k} must be a whole number ≥ 0`)
      out[k] = n
    } else if (k === 'sort') {
      if (!SEARCH_SORTS.includes(o.sort as SearchSort))
        fail(method, `sort must be one of ${SEARCH_SORTS.join(', ')}`)
      out.sort = o.sort as SearchSort
    } else if (k === 'scope') out.scope = searchScope(method, o.scope)
    else fail(method, `unknown option '${k}'`)
  }
  return out
}

function readOptions(method: string, v: unknown): { auto?: boolean } {
  const o = plainObject(method, v, 'options')
  for (const k of Object.keys(o)) if (k !== 'auto') fail(method, `unknown option '${k}'`)
  return o.auto === undefined ? {} : { auto: bool(method, o.auto, 'auto') }
}

function historyQuery(method: string, v: unknown): HistoryQuery {
  if (v === undefined) return {}
  const o = plainObject(method, v, 'query')
  const out: HistoryQuery = {}
  for (const k of Object.keys(o)) {
    if (k === 'limit') out.limit = id(method, o.limit, 'limit')
    else if (k === 'beforeSeq') out.beforeSeq = id(method, o.beforeSeq, 'beforeSeq')
    else fail(method, `unknown query field '${k}'`)
  }
  return out
}

function nullableStr(method: string, v: unknown, what: string): string | null {
  return v === null || v === undefined ? null : str(method, v, what)
}

function deletedCollection(method: string, v: unknown): DeletedCollection {
  const o = plainObject(method, v, 'snapshot')
  if (!Array.isArray(o.items)) fail(method, 'snapshot.items must be an array')
  return {
    id: id(method, o.id, 'snapshot.id'),
    name: str(method, o.name, 'snapshot.name', 200),
    query: nullableStr(method, o.query, 'snapshot.query'),
    createdAt: str(method, o.createdAt, 'snapshot.createdAt', 64),
    items: o.items.map((it) => {
      const i = plainObject(method, it, 'snapshot item')
      if (typeof i.position !== 'number' || !Number.isFinite(i.position))
        fail(method, 'item position must be a number')
      return {
        articleId: id(method, i.articleId, 'item articleId'),
        position: i.position,
        note: nullableStr(method, i.note, 'item note')
      }
    })
  }
}

const MAX_CATEGORY_NODES = 100_000
const MAX_LINKS = 1_000_000

function categoryPath(method: string, v: unknown, what: string): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > 64)
    fail(method, `${what} must be a non-empty array of names`)
  return v.map((s) => str(method, s, 'category name', 512))
}

function deletedCategory(method: string, v: unknown): DeletedCategory {
  const o = plainObject(method, v, 'snapshot')
  if (
    !Array.isArray(o.categories) ||
    o.categories.length === 0 ||
    o.categories.length > MAX_CATEGORY_NODES
  )
    fail(method, 'snapshot.categories must be a non-empty array')
  if (!Array.isArray(o.links) || o.links.length > MAX_CATEGORY_NODES)
    fail(method, 'snapshot.links must be an array')
  let userFiled: number[] | undefined
  if (o.userFiled !== undefined) {
    if (!Array.isArray(o.userFiled) || o.userFiled.length > MAX_LINKS)
      fail(method, `snapshot.userFiled must be an array of at most ${MAX_LINKS} article ids`)
    userFiled = o.userFiled.map((x) => id(method, x, 'userFiled article id'))
  }
  let linkCount = 0
  return {
    categories: o.categories.map((c) => {
      const r = plainObject(method, c, 'snapshot category')
      return {
        id: id(method, r.id, 'category id'),
        parentId: r.parentId === null ? null : id(method, r.parentId, 'category parentId'),
        name: str(method, r.name, 'category name', 512),
        path: categoryPath(method, r.path, 'category path')
      }
    }),
    links: o.links.map((l) => {
      const r = plainObject(method, l, 'snapshot link')
      if (!Array.isArray(r.articleIds)) fail(method, 'link articleIds must be an array')
      linkCount += r.articleIds.length
      if (linkCount > MAX_LINKS) fail(method, `snapshot has more than ${MAX_LINKS} links`)
      return {
        categoryId: id(method, r.categoryId, 'link categoryId'),
        articleIds: r.articleIds.map((x) => id(method, x, 'link articleId'))
      }
    }),
    ...(userFiled ? { userFiled } : {})
  }
}

function exportRequest(method: string, v: unknown): ExportRequest {
  const o = plainObject(method, v, 'request')
  const src = plainObject(method, o.source, 'source')
  let source: ExportRequest['source']
  if ('collectionId' in src) source = { collectionId: id(method, src.collectionId, 'collectionId') }
  else if ('articleIds' in src) source = { articleIds: ids(method, src.articleIds) }
  else if ('query' in src) source = { query: str(method, src.query, 'query', 1000) }
  else if ('annotationIds' in src) source = { annotationIds: ids(method, src.annotationIds) }
  else if ('annotationQuery' in src) {
    // An export takes every annotation the query finds: paging means nothing here.
    const q = annotationQuery(method, src.annotationQuery)
    delete q.offset
    delete q.limit
    source = { annotationQuery: q }
  } else
    fail(
      method,
      'source must name collectionId, articleIds, query, annotationIds or annotationQuery'
    )
  if (!(EXPORT_FORMATS as readonly unknown[]).includes(o.format))
    fail(method, `format must be one of ${EXPORT_FORMATS.join(', ')}`)
  const outPath = str(method, o.outPath, 'outPath')
  if (!/^(\/|[A-Za-z]:[\\/])/u.test(outPath)) fail(method, 'outPath must be an absolute path')
  return {
    source,
    format: o.format as ExportFormat,
    outPath,
    ...(o.title === undefined ? {} : { title: str(method, o.title, 'title', 500) }),
    ...(o.overwrite === undefined ? {} : { overwrite: bool(method, o.overwrite, 'overwrite') }),
    ...(o.locale === undefined ? {} : { locale: exportLocale(method, o.locale) })
  }
}

function exportLocale(method: string, v: unknown): ExportLocale {
  if (!(EXPORT_LOCALES as readonly unknown[]).includes(v))
    fail(method, `locale must be one of ${EXPORT_LOCALES.join(', ')}`)
  return v as ExportLocale
}

const MAX_NOTE = 100_000

function color(method: string, v: unknown): AnnotationColor {
  if (!(ANNOTATION_COLORS as readonly unknown[]).includes(v))
    fail(method, `color must be one of ${ANNOTATION_COLORS.join(', ')}`)
  return v as AnnotationColor
}

function tagList(method: string, v: unknown): string[] {
  if (!Array.isArray(v) || v.length > 100) fail(method, 'tags must be an array of ≤ 100 names')
  return v.map((t) => str(method, t, 'tag', 200))
}

function offset(method: string, v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    fail(method, `${what} must be a whole number ≥ 0`)
  return v
}

function newAnnotation(method: string, v: unknown): NewAnnotation {
  const o = plainObject(method, v, 'annotation')
  const articleId = id(method, o.articleId, 'articleId')
  const extra = {
    ...(o.tags === undefined ? {} : { tags: tagList(method, o.tags) })
  }
  if (o.start === undefined && o.end === undefined) {
    return { articleId, note: str(method, o.note, 'note', MAX_NOTE), ...extra }
  }
  const start = offset(method, o.start, 'start')
  const end = offset(method, o.end, 'end')
  if (end <= start) fail(method, 'end must be after start')
  return {
    articleId,
    start,
    end,
    ...(o.color === undefined ? {} : { color: color(method, o.color) }),
    ...(o.note === undefined ? {} : { note: str(method, o.note, 'note', MAX_NOTE) }),
    ...extra
  }
}

function annotationPatch(method: string, v: unknown): AnnotationPatch {
  const o = plainObject(method, v, 'patch')
  const out: AnnotationPatch = {}
  for (const k of Object.keys(o)) {
    if (k === 'note') out.note = str(method, o.note, 'note', MAX_NOTE)
    else if (k === 'color') out.color = color(method, o.color)
    else if (k === 'tags') out.tags = tagList(method, o.tags)
    else fail(method, `unknown patch field '${k}'`)
  }
  return out
}

function selectors(method: string, v: unknown): Selectors | null {
  if (v === null) return null
  const o = plainObject(method, v, 'selectors')
  const q = plainObject(method, o.quote, 'quote selector')
  const p = plainObject(method, o.position, 'position selector')
  const ctx =
    o.context === undefined ? undefined : plainObject(method, o.context, 'context selector')
  return {
    ...(ctx
      ? {
          context: {
            type: 'GleanerContextSelector' as const,
            prefix: str(method, ctx.prefix, 'context prefix', 1000),
            suffix: str(method, ctx.suffix, 'context suffix', 1000)
          }
        }
      : {}),
    quote: {
      type: 'TextQuoteSelector',
      exact: str(method, q.exact, 'exact', MAX_NOTE),
      prefix: str(method, q.prefix, 'prefix', 1000),
      suffix: str(method, q.suffix, 'suffix', 1000)
    },
    position: {
      type: 'TextPositionSelector',
      start: offset(method, p.start, 'start'),
      end: offset(method, p.end, 'end')
    }
  }
}

function instant(method: string, v: unknown, what: string): string {
  const s = str(method, v, what, 64)
  if (Number.isNaN(Date.parse(s))) fail(method, `${what} must be a date and time (ISO 8601)`)
  return s
}

function annotationQuery(method: string, v: unknown): AnnotationQuery {
  const o = plainObject(method, v, 'query')
  const out: AnnotationQuery = {}
  for (const k of Object.keys(o)) {
    if (k === 'colors') {
      if (!Array.isArray(o.colors) || o.colors.length > ANNOTATION_COLORS.length)
        fail(method, 'colors must be an array of colours')
      out.colors = o.colors.map((c) => color(method, c))
    } else if (k === 'tag') out.tag = str(method, o.tag, 'tag', 200)
    else if (k === 'collectionId') out.collectionId = id(method, o.collectionId, 'collectionId')
    else if (k === 'from' || k === 'to') out[k] = instant(method, o[k], k)
    else if (k === 'text') out.text = str(method, o.text, 'text', 500)
    else if (k === 'status') {
      if (!(ANCHOR_STATUSES as readonly unknown[]).includes(o.status))
        fail(method, `status must be one of ${ANCHOR_STATUSES.join(', ')}`)
      out.status = o.status as AnchorStatus
    } else if (k === 'sort') {
      if (!(ANNOTATION_SORTS as readonly unknown[]).includes(o.sort))
        fail(method, `sort must be one of ${ANNOTATION_SORTS.join(', ')}`)
      out.sort = o.sort as AnnotationSort
    } else if (k === 'offset') out.offset = offset(method, o.offset, 'offset')
    else if (k === 'limit') {
      const n = offset(method, o.limit, 'limit')
      if (n > MAX_ANNOTATION_PAGE) fail(method, `limit must be at most ${MAX_ANNOTATION_PAGE}`)
      out.limit = n
    } else fail(method, `unknown query field '${k}'`)
  }
  return out
}

/** A deleted annotation coming back for undo: every field checked, nothing else kept. */
function annotationSnapshot(method: string, v: unknown): Annotation {
  const o = plainObject(method, v, 'annotation')
  if (!(ANCHOR_STATUSES as readonly unknown[]).includes(o.anchorStatus))
    fail(method, 'anchorStatus is not valid')
  return {
    id: id(method, o.id),
    articleId: id(method, o.articleId, 'articleId'),
    selectors: selectors(method, o.selectors),
    exact: nullableStr(method, o.exact, 'exact'),
    color: o.color === null ? null : color(method, o.color),
    note: str(method, o.note, 'note', MAX_NOTE),
    tags: tagList(method, o.tags),
    cleaningVersion:
      o.cleaningVersion === null ? null : offset(method, o.cleaningVersion, 'cleaningVersion'),
    anchorStatus: o.anchorStatus as AnchorStatus,
    createdAt: str(method, o.createdAt, 'createdAt', 64),
    updatedAt: str(method, o.updatedAt, 'updatedAt', 64)
  }
}

type Validators = { [M in ApiMethod]: (args: unknown[]) => Parameters<GleanerApi[M]> }

const VALIDATORS: Validators = {
  libraryInfo: () => [],
  importPaths: ([paths, opts]) => {
    if (!Array.isArray(paths) || paths.length === 0 || paths.length > MAX_PATHS)
      fail('importPaths', `paths must be a non-empty array of ≤ ${MAX_PATHS}`)
    const list = paths.map((p) => absolutePath('importPaths', p, 'path'))
    if (opts === undefined) return [list]
    const o = plainObject('importPaths', opts, 'options')
    for (const k of Object.keys(o))
      if (k !== 'clientId') fail('importPaths', `unknown option '${k}'`)
    return [
      list,
      o.clientId === undefined ? {} : { clientId: str('importPaths', o.clientId, 'clientId', 100) }
    ]
  },
  cancelImport: ([runId]) => [id('cancelImport', runId, 'runId')],
  listImportRuns: ([limit]) => [id('listImportRuns', limit, 'limit')],
  getImportRun: ([runId]) => [id('getImportRun', runId, 'runId')],
  categories: () => [],
  sources: () => [],
  tags: () => [],
  renameCategory: ([cid, name]) => [
    id('renameCategory', cid),
    str('renameCategory', name, 'name', 200)
  ],
  deleteCategory: ([cid]) => [id('deleteCategory', cid)],
  restoreCategory: ([snap]) => [deletedCategory('restoreCategory', snap)],
  mergeCategory: ([from, to]) => [
    id('mergeCategory', from, 'sourceId'),
    id('mergeCategory', to, 'targetId')
  ],
  addTag: ([list, tag]) => [ids('addTag', list), str('addTag', tag, 'tag', 200)],
  removeTag: ([list, tag]) => [ids('removeTag', list), str('removeTag', tag, 'tag', 200)],
  renameTag: ([from, to]) => [str('renameTag', from, 'from', 200), str('renameTag', to, 'to', 200)],
  deleteTag: ([tag]) => [str('deleteTag', tag, 'tag', 200)],
  listArticles: ([query]) => [articleQuery('listArticles', query)],
  getArticle: ([articleId]) => [id('getArticle', articleId)],
  setRead: ([list, on, opts]) =>
    opts === undefined
      ? [ids('setRead', list), bool('setRead', on, 'read')]
      : [ids('setRead', list), bool('setRead', on, 'read'), readOptions('setRead', opts)],
  setStarred: ([list, on]) => [ids('setStarred', list), bool('setStarred', on, 'starred')],
  listAnnotations: ([aid]) => [id('listAnnotations', aid, 'articleId')],
  listAnnotationsNeedingReview: () => [],
  listAllAnnotations: ([q]) => [annotationQuery('listAllAnnotations', q)],
  annotationTags: () => [],
  createAnnotation: ([a]) => [newAnnotation('createAnnotation', a)],
  updateAnnotation: ([aid, patch]) => [
    id('updateAnnotation', aid),
    annotationPatch('updateAnnotation', patch)
  ],
  deleteAnnotation: ([aid]) => [id('deleteAnnotation', aid)],
  restoreAnnotation: ([a]) => [annotationSnapshot('restoreAnnotation', a)],
  reattachAnnotation: ([aid, start, end]) => [
    id('reattachAnnotation', aid),
    offset('reattachAnnotation', start, 'start'),
    offset('reattachAnnotation', end, 'end')
  ],
  confirmAnnotation: ([aid]) => [id('confirmAnnotation', aid)],
  recleanNeeded: () => [],
  reclean: ([list, all, opts]) => {
    const base = [list === null ? null : ids('reclean', list), bool('reclean', all, 'all')] as const
    if (opts === undefined) return [...base]
    const o = plainObject('reclean', opts, 'options')
    for (const k of Object.keys(o)) if (k !== 'clientId') fail('reclean', `unknown option '${k}'`)
    return [
      ...base,
      o.clientId === undefined ? {} : { clientId: str('reclean', o.clientId, 'clientId', 100) }
    ]
  },
  cancelTask: ([taskId]) => [id('cancelTask', taskId, 'taskId')],
  deleteArticles: ([list]) => [ids('deleteArticles', list)],
  restoreArticles: ([list]) => [ids('restoreArticles', list)],
  listTrash: ([query]) => [trashQuery('listTrash', query)],
  emptyTrash: ([list]) => [list === null ? null : ids('emptyTrash', list)],
  getArticleSource: ([aid]) => [id('getArticleSource', aid)],
  listImportProblems: ([limit]) => [id('listImportProblems', limit, 'limit')],
  search: ([q, o]) => [str('search', q, 'query', 1000), searchOptions('search', o)],
  searchIds: ([q, o]) => [str('searchIds', q, 'query', 1000), searchIdsOptions('searchIds', o)],
  listSynonyms: () => [],
  addSynonym: ([a, b]) => [str('addSynonym', a, 'a', 200), str('addSynonym', b, 'b', 200)],
  removeSynonym: ([a, b]) => [str('removeSynonym', a, 'a', 200), str('removeSynonym', b, 'b', 200)],
  listCollections: () => [],
  createCollection: ([name, query, list]) =>
    list === undefined
      ? [
          str('createCollection', name, 'name', 200),
          nullableStr('createCollection', query, 'query')
        ]
      : [
          str('createCollection', name, 'name', 200),
          nullableStr('createCollection', query, 'query'),
          ids('createCollection', list)
        ],
  renameCollection: ([cid, name]) => [
    id('renameCollection', cid),
    str('renameCollection', name, 'name', 200)
  ],
  deleteCollection: ([cid]) => [id('deleteCollection', cid)],
  restoreCollection: ([snap]) => [deletedCollection('restoreCollection', snap)],
  collectionItems: ([cid]) => [id('collectionItems', cid)],
  addToCollection: ([cid, list]) => [id('addToCollection', cid), ids('addToCollection', list)],
  removeFromCollection: ([cid, list]) => [
    id('removeFromCollection', cid),
    ids('removeFromCollection', list)
  ],
  moveInCollection: ([cid, aid, before]) => [
    id('moveInCollection', cid),
    id('moveInCollection', aid, 'articleId'),
    before === null ? null : id('moveInCollection', before, 'beforeArticleId')
  ],
  setCollectionItemNote: ([cid, aid, note]) => [
    id('setCollectionItemNote', cid),
    id('setCollectionItemNote', aid, 'articleId'),
    nullableStr('setCollectionItemNote', note, 'note')
  ],
  undo: () => [],
  redo: () => [],
  undoState: () => [],
  history: ([q]) => [historyQuery('history', q)],
  exportArticles: ([req]) => [exportRequest('exportArticles', req)]
}

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (API_METHODS as readonly string[]).includes(name)
}

/** Checks a call's method and arguments; returns them typed, or throws InvalidArgumentsError. */
export function validateCall<M extends ApiMethod>(
  method: M,
  args: unknown
): Parameters<GleanerApi[M]>
export function validateCall(method: unknown, args: unknown): unknown[] {
  if (!isApiMethod(method)) throw new InvalidArgumentsError(`unknown method '${String(method)}'`)
  if (!Array.isArray(args)) throw new InvalidArgumentsError(`${method}: arguments must be an array`)
  return VALIDATORS[method](args)
}

/**
 * A validated call whose outcome, error included, is data (see errors.ts): what IPC, the web
 * preview's HTTP and the test bridge send back.
 */
export function dispatchSettled(
  api: GleanerApi,
  method: unknown,
  args: unknown
): Promise<CallOutcome> {
  return settle(() => dispatchCall(api, method, args))
}

/** Calls a validated method on an implementation: the one dispatch used by IPC and HTTP. */
export async function dispatchCall(
  api: GleanerApi,
  method: unknown,
  args: unknown
): Promise<unknown> {
  const valid = validateCall(method as ApiMethod, args)
  const fn = api[method as ApiMethod] as (...a: unknown[]) => Promise<unknown>
  return fn.apply(api, valid)
}
