// The shapes of API arguments, as schemas: what a call from another process or the network must
// look like before it reaches the core, with every limit. api.ts builds the contract from these
// (the method types are inferred from them); validate.ts turns their refusals into errors.
// zod/mini, because the window and preload load this too (they need the method list).
import { z } from 'zod/mini'
import type { ArticleQuery, BackupSettings, TrashQuery } from './types'
import { EXPORT_FORMATS, EXPORT_LOCALES, type DeletedCollection } from './export-types'
import type { SearchIdsOptions, SearchOptions, SearchScope } from './search-types'
import {
  ANCHOR_STATUSES,
  ANNOTATION_COLORS,
  ANNOTATION_SORTS,
  MAX_ANNOTATION_PAGE,
  type Annotation,
  type AnnotationPatch,
  type AnnotationQuery,
  type NewAnnotation
} from './annotation-types'
import type { DeletedCategory } from './taxonomy-types'
import type { HistoryQuery } from './change-types'
import type { StoryQuery } from './story-types'
import type { FeedOptions, FeedPatch, RemovedFeed } from './capture-types'

const MAX_IDS = 100_000
const MAX_PATHS = 10_000
const MAX_STRING = 4096
const MAX_NOTE = 100_000
const MAX_CATEGORY_NODES = 100_000
const MAX_LINKS = 1_000_000
const MAX_CATEGORY_DEPTH = 64

/**
 * Compile-time: the schema accepts and yields exactly the shared type (the data model in
 * types.ts and its siblings), so neither can drift from the other.
 */
function exactly<T>() {
  return <S extends z.ZodMiniType>(
    schema: S &
      ([z.output<S>] extends [T]
        ? [T] extends [z.output<S>]
          ? [z.input<S>] extends [T]
            ? unknown
            : never
          : never
        : never)
  ): S => schema
}

// A database id: one message for every way it can be wrong (type, fraction, ≤ 0, unsafe).
const POSITIVE = 'must be a positive integer'
export const id = z.int({ error: POSITIVE }).check(z.positive({ error: POSITIVE }))

/** An offset or a count. */
const WHOLE = 'must be a whole number ≥ 0'
export const whole = z.int({ error: WHOLE }).check(z.nonnegative({ error: WHOLE }))

export const ids = z.array(id).check(z.maxLength(MAX_IDS))

export const text = (max = MAX_STRING) => z.string().check(z.maxLength(max))
export const name = text(200)
export const bool = z.boolean()
/** Where a learned boilerplate line sits, and its id (core/boilerplate/edge-lines.ts). */
export const lineEdge = z.enum(['head', 'tail'])
export const lineHash = z
  .string()
  .check(z.regex(/^[0-9a-f]{16}$/u, { error: 'must be 16 hex digits' }))

/**
 * A path that means the same wherever the receiving process runs: POSIX `/…`, Windows `C:\…`
 * or `\\server\…`. A relative or empty path would resolve against the process's working
 * folder (`importPaths([""])` imported it).
 */
const absolutePath = text().check(
  z.regex(/^(?:\/|[A-Za-z]:[\\/]|\\\\)/u, { error: 'must be an absolute path' })
)

export const importPathList = z.array(absolutePath).check(z.minLength(1), z.maxLength(MAX_PATHS))

/** Set by a window on the long runs it starts: their progress events carry it back. */
export const clientOptions = z.strictObject({
  /**
   * Set by a window on the runs it starts: their progress events carry it, so each window
   * follows (and cancels) its own runs, never another window's.
   */
  clientId: z.optional(text(100))
})

export const readOptions = z.strictObject({ auto: z.optional(bool) })

const categoryName = text(512)
const scopeShape = {
  view: z.optional(z.enum(['all', 'unread', 'starred', 'annotated', 'recent', 'following'])),
  collectionId: z.optional(id),
  source: z.optional(text(500)),
  tag: z.optional(text(200)),
  categoryPath: z.optional(z.array(categoryName).check(z.maxLength(MAX_CATEGORY_DEPTH))),
  storyId: z.optional(id),
  entity: z.optional(text(200)),
  keyword: z.optional(text(200)),
  feedId: z.optional(id)
}

export const articleQuery = exactly<ArticleQuery>()(
  z.strictObject({
    ...scopeShape,
    collapseCopies: z.optional(bool),
    sort: z.optional(
      z.enum(['date-desc', 'date-asc', 'title', 'source', 'imported-desc', 'position'])
    ),
    offset: z.optional(whole),
    limit: z.optional(whole)
  })
)

export const trashQuery = exactly<TrashQuery>()(
  z.strictObject({ offset: z.optional(whole), limit: z.optional(whole) })
)

const searchSort = z.optional(z.enum(['relevance', 'date-desc', 'date-asc']))
/** A search's scope: the selection fields of an article query, checked the same way. */
const searchScope = exactly<SearchScope>()(z.strictObject(scopeShape))

export const searchQuery = text(1000)

export const searchOptions = exactly<SearchOptions>()(
  z.strictObject({
    limit: z.optional(whole),
    offset: z.optional(whole),
    sort: searchSort,
    scope: z.optional(searchScope)
  })
)

export const searchIdsOptions = exactly<SearchIdsOptions>()(
  z.strictObject(
    { sort: searchSort, scope: z.optional(searchScope) },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' &&
        issue.keys.some((k) => k === 'limit' || k === 'offset')
          ? 'takes no limit or offset: it lists every hit'
          : undefined
    }
  )
)

// The core checks the ranges again (backup/schedule.ts), for the CLI too, with its own message.
export const backupSettings = exactly<BackupSettings>()(
  z.strictObject({ enabled: bool, everyHours: z.number(), keep: z.int() })
)

export const historyQuery = exactly<HistoryQuery>()(
  z.strictObject({ limit: z.optional(id), beforeSeq: z.optional(id) })
)

export const deletedCollection = exactly<DeletedCollection>()(
  z.object({
    id,
    name,
    query: z.nullable(text()),
    createdAt: text(64),
    items: z.array(
      z.object({
        articleId: id,
        position: z.number(),
        note: z.nullable(text())
      })
    )
  })
)

const categoryPath = z.array(categoryName).check(z.minLength(1), z.maxLength(MAX_CATEGORY_DEPTH))

export const deletedCategory = exactly<DeletedCategory>()(
  z
    .object({
      categories: z
        .array(z.object({ id, parentId: z.nullable(id), name: categoryName, path: categoryPath }))
        .check(z.minLength(1), z.maxLength(MAX_CATEGORY_NODES)),
      links: z
        .array(z.object({ categoryId: id, articleIds: z.array(id) }))
        .check(z.maxLength(MAX_CATEGORY_NODES)),
      userFiled: z.optional(z.array(id).check(z.maxLength(MAX_LINKS)))
    })
    .check(
      z.refine((s) => s.links.reduce((n, l) => n + l.articleIds.length, 0) <= MAX_LINKS, {
        error: `has more than ${MAX_LINKS} links`,
        path: ['links']
      })
    )
)

const color = z.enum(ANNOTATION_COLORS)
const tagList = z.array(text(200)).check(z.maxLength(100))
const anchorStatus = z.enum(ANCHOR_STATUSES)

export const newAnnotation = exactly<NewAnnotation>()(
  z.union([
    z
      .object({
        articleId: id,
        start: whole,
        end: whole,
        color: z.optional(color),
        note: z.optional(text(MAX_NOTE)),
        tags: z.optional(tagList)
      })
      .check(z.refine((a) => a.end > a.start, { error: 'must be after start', path: ['end'] })),
    z.object({ articleId: id, note: text(MAX_NOTE), tags: z.optional(tagList) })
  ])
)

export const annotationPatch = exactly<AnnotationPatch>()(
  z.strictObject({
    note: z.optional(text(MAX_NOTE)),
    color: z.optional(color),
    tags: z.optional(tagList)
  })
)

const instant = text(64).check(
  z.refine((s) => !Number.isNaN(Date.parse(s)), {
    error: 'must be a date and time (ISO 8601)'
  })
)

export const annotationQuery = exactly<AnnotationQuery>()(
  z.strictObject({
    colors: z.optional(z.array(color).check(z.maxLength(ANNOTATION_COLORS.length))),
    tag: z.optional(text(200)),
    collectionId: z.optional(id),
    from: z.optional(instant),
    to: z.optional(instant),
    text: z.optional(text(500)),
    status: z.optional(anchorStatus),
    sort: z.optional(z.enum(ANNOTATION_SORTS)),
    offset: z.optional(whole),
    limit: z.optional(
      whole.check(
        z.maximum(MAX_ANNOTATION_PAGE, { error: `must be at most ${MAX_ANNOTATION_PAGE}` })
      )
    )
  })
)

const selectors = z.object({
  quote: z.object({
    type: z.literal('TextQuoteSelector'),
    exact: text(MAX_NOTE),
    prefix: text(1000),
    suffix: text(1000)
  }),
  position: z.object({ type: z.literal('TextPositionSelector'), start: whole, end: whole }),
  context: z.optional(
    z.object({ type: z.literal('GleanerContextSelector'), prefix: text(1000), suffix: text(1000) })
  )
})

/** A deleted annotation coming back for undo: every field checked, nothing else kept. */
export const annotationSnapshot = exactly<Annotation>()(
  z.object({
    id,
    articleId: id,
    selectors: z.nullable(selectors),
    exact: z.nullable(text()),
    color: z.nullable(color),
    note: text(MAX_NOTE),
    tags: tagList,
    cleaningVersion: z.nullable(whole),
    anchorStatus,
    createdAt: text(64),
    updatedAt: text(64)
  })
)

const exportPath = text().check(z.regex(/^(\/|[A-Za-z]:[\\/])/u, 'must be an absolute path'))

export const exportRequest = z.object({
  /**
   * annotationIds: those annotations alone, under their articles' titles, without the articles'
   * text; annotationQuery: likewise every annotation listAllAnnotations finds (the notes view's
   * filtered list; offset and limit do not apply).
   */
  source: z.union(
    [
      z.strictObject({ collectionId: id }),
      z.strictObject({ articleIds: ids }),
      z.strictObject({ query: text(1000) }),
      z.strictObject({ annotationIds: ids }),
      z.strictObject({
        // An export takes every annotation the query finds: paging means nothing here.
        annotationQuery: z.pipe(
          annotationQuery,
          z.transform(({ offset: _o, limit: _l, ...q }): AnnotationQuery => q)
        )
      })
    ],
    { error: 'must name one of collectionId, articleIds, query, annotationIds, annotationQuery' }
  ),
  format: z.enum(EXPORT_FORMATS),
  /** A file whose extension fits the format; for Markdown a folder, or a .md file. */
  outPath: exportPath,
  title: z.optional(text(500)),
  /**
   * Replace an existing file (or write into a folder that is not empty). Without it the export
   * is refused with code `file-exists` (params.path), so the window can ask first.
   */
  overwrite: z.optional(bool),
  /** The language of the export's headings and labels; en by default. */
  locale: z.optional(z.enum(EXPORT_LOCALES))
})

export const termKind = z.enum(['person', 'org', 'place', 'keyword'])

export const storyQuery = exactly<StoryQuery>()(
  z.strictObject({
    followed: z.optional(bool),
    minArticles: z.optional(whole),
    offset: z.optional(whole),
    limit: z.optional(whole)
  })
)

/** A feed's address: http or https only (checked again, with redirects, where it is fetched). */
export const feedUrl = text(2000).check(
  z.regex(/^https?:\/\/[^\s]+$/iu, { error: 'must be an http:// or https:// address' })
)

const feedOptionShape = {
  categoryPath: z.optional(z.array(categoryName).check(z.maxLength(MAX_CATEGORY_DEPTH))),
  tags: z.optional(z.array(text(200)).check(z.maxLength(50))),
  fullText: z.optional(bool),
  /** Between 5 minutes and a week. */
  intervalMinutes: z.optional(z.int().check(z.gte(5), z.lte(7 * 24 * 60)))
}

export const feedOptions = exactly<FeedOptions>()(z.strictObject(feedOptionShape))

export const feedPatch = exactly<FeedPatch>()(
  z.strictObject({
    ...feedOptionShape,
    paused: z.optional(bool),
    title: z.optional(z.nullable(text(500)))
  })
)

/** What restoreFeed takes back: checked for shape; the core re-checks what it writes. */
export const removedFeed = z.custom<RemovedFeed>(
  (v) => typeof v === 'object' && v !== null && 'feed' in v && 'items' in v
)

/** OPML text as read by the window from a file the user chose (at most 5 MB). */
export const opmlText = text(5 * 1024 * 1024)

export const remoteImageScope = z.enum(['article', 'source', 'library'])
