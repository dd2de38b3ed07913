// Every operation that changes the library, as data: a name, its arguments, and what applying
// it did — its result, the operation that undoes it (its inverse), what it touched (for the
// windows) and the articles whose search document it changed. The runner (runner.ts) applies
// an operation in one transaction, logs it, re-indexes and announces it; undo and redo apply
// the logged inverses through the same path. The API's mutating methods are operations here;
// so are the few that exist only as inverses (unmergeCategory, restoreCollectionItems, …).
import type { Annotation, AnnotationPatch, NewAnnotation } from '../../shared/annotation-types'
import type { ChangeSummary, Touched } from '../../shared/change-types'
import type { StorySummary } from '../../shared/story-types'
import type { DeletedCollection } from '../../shared/export-types'
import type { DeletedCategory } from '../../shared/taxonomy-types'
import { GleanerError } from '../../shared/errors'
import {
  anchorStateOf,
  confirmAnchor,
  createAnnotation,
  deleteAnnotation,
  getAnnotation,
  reattachAnnotation,
  restoreAnnotation,
  setAnchor,
  updateAnnotation,
  type AnchorState
} from '../annotations'
import {
  addToCollection,
  createCollection,
  deleteCollection,
  getCollection,
  itemNote,
  itemsOf,
  moveInCollection,
  nextInCollection,
  removeFromCollection,
  renameCollection,
  restoreCollection,
  restoreItems,
  setItemNote
} from '../collections'
import { articlesImportedBy } from '../library/import-runs'
import { deleteArticles, restoreArticles, setFlag } from '../library/articles'
import { PATH_SEP, pathKey } from '../library/categories'
import {
  branchIds,
  deleteCategory,
  findCategoryId,
  mergeCategory,
  renameCategory,
  restoreCategory,
  snapshotBranch,
  unmergeCategory,
  type CategoryMergeUndo
} from '../library/category-edit'
import type { Db } from '../library/open'
import { missingArticles, purgeArticles } from '../library/trash'
import { addTag, deleteTag, findTagId, removeTag, renameTag } from '../library/tag-edit'
import { normaliseName } from '../library/taxonomy-errors'
import { addSynonym, listSynonyms, removeSynonym } from '../search'
import { setSourceLineState } from '../boilerplate'
import { forgetAnalysis, storySummary } from '../analysis'
import {
  followStory,
  mergeStories,
  renameStory,
  restoreStories,
  snapshotStories,
  splitStory,
  type StorySnapshot
} from '../analysis/story-edit'
import { allowRemoteImagesOp } from '../images/allow'
import type { OpCall } from './log'
import { FEED_OPS } from '../feeds/ops'
import { deleteClient } from '../clipper/clients'

export interface OpOutcome {
  result: unknown
  /** What undoes it; null when it cannot be undone. */
  inverse: OpCall | null
  touched: Partial<Touched>
  summary: ChangeSummary
  /** Articles whose search document changed (category and tag words, deletions). */
  reindex?: number[]
  /** Nothing changed: the runner logs and announces nothing (undo and redo still log). */
  noop?: boolean
}

export type Op = (db: Db, args: unknown[]) => OpOutcome

/** Rows listed by id in an event at most; a bigger change asks windows to refresh every row. */
const MAX_TOUCHED_IDS = 2000

export function fullTouched(t: Partial<Touched>): Touched {
  const ids = t.articleIds ?? []
  const tooMany = ids.length > MAX_TOUCHED_IDS
  const touched: Touched = {
    articleIds: tooMany ? [] : ids,
    list: (t.list ?? false) || tooMany,
    filing: t.filing ?? false,
    collections: t.collections ?? false,
    collectionIds: t.collectionIds ?? [],
    annotationArticleIds: (t.annotationArticleIds ?? []).slice(0, MAX_TOUCHED_IDS)
  }
  if (t.flags && !tooMany) touched.flags = t.flags
  if (t.stories) touched.stories = true
  if (t.feeds) touched.feeds = true
  return touched
}

const call = (op: string, ...args: unknown[]): OpCall => ({ op, args })

function follow(db: Db, id: number, followed: boolean): OpOutcome {
  const before = snapshotStories(db, [id])
  followStory(db, id, followed)
  const out = storyChange(db, id, before, {})
  return { ...out, summary: { name: (out.result as StorySummary | null)?.name ?? '' } }
}

/** A story edit's outcome: the story as it is now, undone by restoring the snapshot. */
function storyChange(db: Db, id: number, before: StorySnapshot, summary: ChangeSummary): OpOutcome {
  return {
    result: storySummary(db, id),
    inverse: call('restoreStories', before),
    touched: { list: true, stories: true },
    summary
  }
}

function liveWithFlag(
  db: Db,
  ids: readonly number[],
  column: 'read' | 'starred',
  on: boolean
): number[] {
  return (
    db
      .prepare(
        `SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))
           AND deleted_at IS NULL AND ${column} <> ? ORDER BY id`
      )
      .all(JSON.stringify([...new Set(ids)]), on ? 1 : 0) as { id: number }[]
  ).map((r) => r.id)
}

function setFlagOp(column: 'read' | 'starred'): Op {
  return (db, [ids, on, opts]: unknown[]) => {
    const list = ids as number[]
    const value = on as boolean
    const changed = liveWithFlag(db, list, column, value)
    if (changed.length === 0)
      return { result: undefined, inverse: null, touched: {}, summary: {}, noop: true }
    setFlag(db, changed, column, value)
    // Marking an article read by opening it is not an edit to undo (Ctrl+Z after reading would
    // otherwise mark it unread instead of undoing the tag just added); it is still announced.
    const auto = (opts as { auto?: boolean } | undefined)?.auto === true
    return {
      result: undefined,
      inverse: auto ? null : call(column === 'read' ? 'setRead' : 'setStarred', changed, !value),
      touched: { articleIds: changed, flags: { [column]: value } },
      summary: { count: changed.length, ...titleOf(db, changed) }
    }
  }
}

/** The title when a change concerns one article (history reads better). */
function titleOf(db: Db, ids: readonly number[]): { title?: string } {
  if (ids.length !== 1) return {}
  const row = db.prepare('SELECT title FROM articles WHERE id = ?').get(ids[0]) as
    { title: string } | undefined
  return row ? { title: row.title } : {}
}

const tagName = (db: Db, name: string): string => {
  const id = findTagId(db, normaliseName('tag', name))
  if (id === null) return normaliseName('tag', name)
  return (db.prepare('SELECT name FROM tags WHERE id = ?').pluck().get(id) as string) ?? name
}

const idsWithTag = (db: Db, name: string): number[] => {
  const id = findTagId(db, name)
  if (id === null) return []
  return db
    .prepare('SELECT article_id FROM article_tags WHERE tag_id = ? ORDER BY article_id')
    .pluck()
    .all(id) as number[]
}

const filing = (ids: number[]): Partial<Touched> => ({ articleIds: ids, list: true, filing: true })

function categoryName(db: Db, id: number): { path: string[]; name: string } {
  const row = db.prepare('SELECT name, path FROM categories WHERE id = ?').get(id) as
    { name: string; path: string } | undefined
  if (!row) return { path: [], name: '' }
  return { name: row.name, path: row.path.split(PATH_SEP) }
}

function annotationTouched(a: { articleId: number }): Partial<Touched> {
  // The row's annotation count and the 'annotated' view change with it.
  return { articleIds: [a.articleId], annotationArticleIds: [a.articleId] }
}

function noteSummary(a: Annotation): ChangeSummary {
  const text = a.exact ?? a.note
  return { name: text.length > 40 ? text.slice(0, 40) + '…' : text }
}

function mustAnnotation(db: Db, id: number): Annotation {
  const a = getAnnotation(db, id)
  if (!a) throw new GleanerError('no-annotation', `no annotation ${id}`, { id })
  return a
}

const collectionTouched = (id: number, list = false): Partial<Touched> => ({
  collections: true,
  collectionIds: [id],
  list
})

/** A change to one annotation, undone by `inverse`. */
function annotationChange(a: Annotation, inverse: OpCall): OpOutcome {
  return { result: a, inverse, touched: annotationTouched(a), summary: noteSummary(a) }
}

/** A tag put on or taken off these articles, undone by `undo` on the same ones. */
function tagChange(ids: number[], name: string, undo: 'addTag' | 'removeTag'): OpOutcome {
  return {
    result: ids,
    inverse: ids.length ? call(undo, ids, name) : null,
    touched: filing(ids),
    summary: { count: ids.length, name },
    reindex: ids,
    noop: ids.length === 0
  }
}

/** Articles that went to the trash or came back from it, undone by `undo` on the same ones. */
function articlesMoved(
  db: Db,
  ids: number[],
  undo: 'deleteArticles' | 'restoreArticles'
): OpOutcome {
  if (ids.length === 0) return { result: [], inverse: null, touched: {}, summary: {}, noop: true }
  return {
    result: ids,
    inverse: call(undo, ids),
    touched: { articleIds: ids, list: true, filing: true, collections: true },
    summary: { count: ids.length, ...titleOf(db, ids) },
    reindex: ids
  }
}

export const OPS: Record<string, Op> = {
  ...FEED_OPS,
  setRead: setFlagOp('read'),
  allowRemoteImages: allowRemoteImagesOp(true),
  blockRemoteImages: allowRemoteImagesOp(false),
  setStarred: setFlagOp('starred'),

  deleteArticles(db, [ids]: unknown[]) {
    const gone = deleteArticles(db, ids as number[], new Date().toISOString())
    return articlesMoved(db, gone, 'restoreArticles')
  },
  restoreArticles(db, [ids]: unknown[]) {
    // Articles removed for good (the trash was emptied since they were deleted) cannot come
    // back; this undo or restore fails whole rather than bring back some and not others.
    const gone = missingArticles(db, ids as number[])
    if (gone.length)
      throw new GleanerError(
        'articles-purged',
        `${gone.length} of these articles were removed for good when the trash was emptied; they cannot be restored`,
        { count: gone.length, ids: gone.slice(0, 20).join(', ') }
      )
    const back = restoreArticles(db, ids as number[])
    return articlesMoved(db, back, 'deleteArticles')
  },
  /** Removes articles in the trash for good (null: all of them). No inverse: nothing is kept. */
  emptyTrash(db, [ids]: unknown[]) {
    const purged = purgeArticles(db, ids as number[] | null)
    forgetAnalysis(db, purged.ids)
    return {
      result: purged,
      inverse: null,
      touched: {
        articleIds: purged.ids,
        list: true,
        filing: true,
        collections: true,
        stories: true
      },
      summary: { count: purged.ids.length },
      // Their rows leave the search index (a deleted article's row normally left already).
      reindex: purged.ids,
      noop: purged.ids.length === 0
    }
  },
  /** The undo of an import: the articles it brought in new leave the library (to the trash). */
  deleteImported(db, [runId]: unknown[]) {
    return OPS.deleteArticles!(db, [articlesImportedBy(db, runId as number)])
  },

  addTag(db, [ids, tag]: unknown[]) {
    const added = addTag(db, ids as number[], tag as string)
    const name = tagName(db, tag as string)
    return tagChange(added, name, 'removeTag')
  },
  removeTag(db, [ids, tag]: unknown[]) {
    const name = tagName(db, tag as string)
    const removed = removeTag(db, ids as number[], tag as string)
    return tagChange(removed, name, 'addTag')
  },
  renameTag(db, [from, to]: unknown[]) {
    const oldName = tagName(db, from as string)
    const newName = normaliseName('tag', to as string)
    const had = idsWithTag(db, oldName)
    // Onto another existing tag the two merge: the undo must split them again.
    const otherId = db.prepare('SELECT id FROM tags WHERE name = ?').pluck().get(newName) as
      number | undefined
    const ownId = findTagId(db, oldName)
    const merging = otherId !== undefined && otherId !== ownId
    const hadTarget = merging ? new Set(idsWithTag(db, newName)) : new Set<number>()
    const changed = renameTag(db, from as string, to as string)
    const inverse = merging
      ? call(
          'splitTag',
          newName,
          oldName,
          had,
          had.filter((id) => !hadTarget.has(id))
        )
      : call('renameTag', newName, oldName)
    return {
      result: undefined,
      inverse,
      touched: filing(changed),
      summary: { count: changed.length, name: oldName, to: newName },
      reindex: changed
    }
  },
  /** The undo of a tag merge: `from` goes back on its articles, off those that lacked `into`. */
  splitTag(db, [into, from, fromIds, lackedInto]: unknown[]) {
    const ids = fromIds as number[]
    addTag(db, ids, from as string)
    if ((lackedInto as number[]).length) removeTag(db, lackedInto as number[], into as string)
    return {
      result: undefined,
      inverse: call('renameTag', from, into),
      touched: filing(ids),
      summary: { count: ids.length, name: from as string, to: into as string },
      reindex: ids
    }
  },
  deleteTag(db, [tag]: unknown[]) {
    const name = tagName(db, tag as string)
    const had = deleteTag(db, tag as string)
    return tagChange(had, name, 'addTag')
  },

  renameCategory(db, [id, name]: unknown[]) {
    const before = categoryName(db, id as number)
    const edit = renameCategory(db, id as number, name as string)
    const unchanged = pathKey(edit.path) === pathKey(before.path)
    return {
      result: edit.path,
      inverse: unchanged ? null : call('renameCategory', id, before.name),
      touched: filing(edit.articleIds),
      summary: { count: edit.articleIds.length, name: before.name, to: edit.path.at(-1) ?? '' },
      reindex: edit.articleIds,
      noop: unchanged
    }
  },
  deleteCategory(db, [id]: unknown[]) {
    const { snapshot, ...edit } = deleteCategory(db, id as number)
    return {
      result: snapshot,
      inverse: call('restoreCategory', snapshot),
      touched: filing(edit.articleIds),
      summary: { count: edit.articleIds.length, name: edit.path.at(-1) ?? '' },
      reindex: edit.articleIds
    }
  },
  restoreCategory(db, [snapshot]: unknown[]) {
    const edit = restoreCategory(db, snapshot as DeletedCategory)
    const rootId = findCategoryId(db, edit.path)
    return {
      result: edit.path,
      inverse: rootId === null ? null : call('deleteCategory', rootId),
      touched: filing(edit.articleIds),
      summary: { count: edit.articleIds.length, name: edit.path.at(-1) ?? '' },
      reindex: edit.articleIds
    }
  },
  mergeCategory(db, [sourceId, targetId]: unknown[]) {
    const snapshot = snapshotBranch(db, sourceId as number)
    const targetBefore = new Set(branchIds(db, targetId as number))
    const source = categoryName(db, sourceId as number)
    const edit = mergeCategory(db, sourceId as number, targetId as number)
    const targetBranchIds = branchIds(db, targetId as number)
    const undo: CategoryMergeUndo = {
      snapshot,
      createdIds: targetBranchIds.filter((c) => !targetBefore.has(c)),
      targetBranchIds
    }
    return {
      result: edit.path,
      inverse: call('unmergeCategory', undo),
      touched: filing(edit.articleIds),
      summary: { count: edit.articleIds.length, name: source.name, to: edit.path.at(-1) ?? '' },
      reindex: edit.articleIds
    }
  },
  unmergeCategory(db, [undo]: unknown[]) {
    const u = undo as CategoryMergeUndo
    const targetId = u.targetBranchIds[0]
    const edit = unmergeCategory(db, u)
    const sourceId = findCategoryId(db, edit.path)
    return {
      result: edit.path,
      inverse:
        sourceId === null || targetId === undefined
          ? null
          : call('mergeCategory', sourceId, targetId),
      touched: filing(edit.articleIds),
      summary: { count: edit.articleIds.length, name: edit.path.at(-1) ?? '' },
      reindex: edit.articleIds
    }
  },

  // A security action: not undoable (a revoked token stays refused), but logged and announced.
  revokeClipperClient(db, [id]: unknown[]) {
    const gone = deleteClient(db, id as number)
    if (!gone)
      throw new GleanerError('no-clipper-client', `no paired browser with id ${String(id)}`, {
        id: Number(id)
      })
    return { result: undefined, inverse: null, touched: {}, summary: { name: gone.origin } }
  },

  createAnnotation(db, [a]: unknown[]) {
    const created = createAnnotation(db, a as NewAnnotation)
    return annotationChange(created, call('deleteAnnotation', created.id))
  },
  updateAnnotation(db, [id, patch]: unknown[]) {
    const before = mustAnnotation(db, id as number)
    const updated = updateAnnotation(db, id as number, patch as AnnotationPatch)
    const back: AnnotationPatch = { note: before.note, tags: before.tags }
    if (before.selectors && before.color) back.color = before.color
    return annotationChange(updated, call('updateAnnotation', id, back))
  },
  deleteAnnotation(db, [id]: unknown[]) {
    const gone = deleteAnnotation(db, id as number)
    return annotationChange(gone, call('restoreAnnotation', gone))
  },
  restoreAnnotation(db, [a]: unknown[]) {
    const back = restoreAnnotation(db, a as Annotation)
    return annotationChange(back, call('deleteAnnotation', back.id))
  },
  reattachAnnotation(db, [id, start, end]: unknown[]) {
    const before = anchorStateOf(mustAnnotation(db, id as number))
    const moved = reattachAnnotation(db, id as number, start as number, end as number)
    return annotationChange(moved, call('setAnnotationAnchor', id, before))
  },
  confirmAnnotation(db, [id]: unknown[]) {
    const current = mustAnnotation(db, id as number)
    const confirmed = confirmAnchor(db, id as number)
    return {
      ...annotationChange(confirmed, call('setAnnotationAnchor', id, anchorStateOf(current))),
      noop: current.anchorStatus !== 'fuzzy'
    }
  },
  setAnnotationAnchor(db, [id, state]: unknown[]) {
    const before = anchorStateOf(mustAnnotation(db, id as number))
    const after = setAnchor(db, id as number, state as AnchorState)
    return annotationChange(after, call('setAnnotationAnchor', id, before))
  },

  setSourceBoilerplate(db, [source, edge, hash, on]: unknown[]) {
    const before = setSourceLineState(
      db,
      source as string,
      edge as 'head' | 'tail',
      hash as string,
      on as boolean
    )
    if (!before)
      throw new GleanerError(
        'boilerplate-line-unknown',
        `no learned line ${String(hash)} at the ${String(edge)} of ${String(source)}'s articles`,
        { source: source as string }
      )
    const same = before.state === (on ? 'learned' : 'off')
    return {
      result: undefined,
      inverse: same ? null : call('setSourceBoilerplate', source, edge, hash, !on),
      // The source's articles are re-cleaned after (a task of its own, which announces them).
      touched: {},
      summary: { name: before.text.slice(0, 60), to: source as string },
      noop: same
    }
  },

  renameStory(db, [id, name]: unknown[]) {
    const before = snapshotStories(db, [id as number])
    const old = storySummary(db, id as number)
    renameStory(db, id as number, name as string | null)
    return storyChange(db, id as number, before, { name: old?.name, to: (name as string) ?? '' })
  },
  followStory(db, [id]: unknown[]) {
    return follow(db, id as number, true)
  },
  unfollowStory(db, [id]: unknown[]) {
    return follow(db, id as number, false)
  },
  splitStory(db, [id, articleIds]: unknown[]) {
    const before = snapshotStories(db, [id as number])
    const created = splitStory(db, id as number, articleIds as number[])
    before.involved.push(created)
    return {
      ...storyChange(db, created, before, {}),
      summary: {
        name: storySummary(db, id as number)?.name ?? '',
        count: (articleIds as number[]).length
      }
    }
  },
  mergeStories(db, [targetId, sourceId]: unknown[]) {
    const source = storySummary(db, sourceId as number)
    const before = snapshotStories(db, [targetId as number, sourceId as number])
    mergeStories(db, targetId as number, sourceId as number)
    const out = storyChange(db, targetId as number, before, {})
    return { ...out, summary: { name: source?.name ?? '', to: (out.result as StorySummary).name } }
  },
  /** Puts stories back as they were before a story edit (the inverse of each). */
  restoreStories(db, [snapshot]: unknown[]) {
    const now = restoreStories(db, snapshot as StorySnapshot)
    return {
      result: undefined,
      inverse: call('restoreStories', now),
      touched: { list: true, stories: true },
      summary: {}
    }
  },

  addSynonym(db, [a, b]: unknown[]) {
    const known = listSynonyms(db).length
    addSynonym(db, a as string, b as string)
    const added = listSynonyms(db).length > known
    return {
      result: undefined,
      inverse: added ? call('removeSynonym', a, b) : null,
      touched: {},
      summary: { name: a as string, to: b as string },
      noop: !added
    }
  },
  removeSynonym(db, [a, b]: unknown[]) {
    const removed = removeSynonym(db, a as string, b as string)
    return {
      result: removed,
      inverse: removed ? call('addSynonym', a, b) : null,
      touched: {},
      summary: { name: a as string, to: b as string },
      noop: !removed
    }
  },

  createCollection(db, [name, query, articleIds]: unknown[]) {
    let created = createCollection(db, name as string, query as string | null)
    const ids = (articleIds as number[] | undefined) ?? []
    if (ids.length) {
      addToCollection(db, created.id, ids)
      created = getCollection(db, created.id)
    }
    return {
      result: created,
      inverse: call('deleteCollection', created.id),
      touched: collectionTouched(created.id),
      summary: { name: created.name, count: ids.length }
    }
  },
  renameCollection(db, [id, name]: unknown[]) {
    const before = getCollection(db, id as number)
    const renamed = renameCollection(db, id as number, name as string)
    return {
      result: renamed,
      inverse: call('renameCollection', id, before.name),
      touched: collectionTouched(renamed.id),
      summary: { name: before.name, to: renamed.name },
      noop: before.name === renamed.name
    }
  },
  deleteCollection(db, [id]: unknown[]) {
    const snapshot = deleteCollection(db, id as number)
    return {
      result: snapshot,
      inverse: call('restoreCollection', snapshot),
      touched: collectionTouched(snapshot.id, true),
      summary: { name: snapshot.name, count: snapshot.items.length }
    }
  },
  restoreCollection(db, [snapshot]: unknown[]) {
    const back = restoreCollection(db, snapshot as DeletedCollection)
    return {
      result: back,
      inverse: call('deleteCollection', back.id),
      touched: collectionTouched(back.id, true),
      summary: { name: back.name, count: (snapshot as DeletedCollection).items.length }
    }
  },
  addToCollection(db, [id, ids]: unknown[]) {
    const outcome = addToCollection(db, id as number, ids as number[])
    const name = getCollection(db, id as number).name
    return {
      result: outcome,
      inverse: outcome.added.length ? call('removeFromCollection', id, outcome.added) : null,
      touched: collectionTouched(id as number),
      summary: { name, count: outcome.added.length },
      noop: outcome.added.length === 0
    }
  },
  removeFromCollection(db, [id, ids]: unknown[]) {
    const items = itemsOf(db, id as number, ids as number[])
    const removed = removeFromCollection(db, id as number, ids as number[])
    const name = getCollection(db, id as number).name
    return {
      result: removed,
      inverse: removed ? call('restoreCollectionItems', id, items) : null,
      touched: collectionTouched(id as number),
      summary: { name, count: removed },
      noop: removed === 0
    }
  },
  restoreCollectionItems(db, [id, items]: unknown[]) {
    const back = restoreItems(db, id as number, items as DeletedCollection['items'])
    const name = getCollection(db, id as number).name
    return {
      result: back,
      inverse: back.length ? call('removeFromCollection', id, back) : null,
      touched: collectionTouched(id as number),
      summary: { name, count: back.length }
    }
  },
  moveInCollection(db, [id, articleId, before]: unknown[]) {
    const wasBefore = nextInCollection(db, id as number, articleId as number)
    moveInCollection(db, id as number, articleId as number, before as number | null)
    const name = getCollection(db, id as number).name
    return {
      result: undefined,
      inverse: call('moveInCollection', id, articleId, wasBefore),
      touched: collectionTouched(id as number),
      summary: { name, ...titleOf(db, [articleId as number]) },
      noop: wasBefore === before
    }
  },
  setCollectionItemNote(db, [id, articleId, note]: unknown[]) {
    const old = itemNote(db, id as number, articleId as number)
    setItemNote(db, id as number, articleId as number, note as string | null)
    const now = itemNote(db, id as number, articleId as number)
    const name = getCollection(db, id as number).name
    return {
      result: undefined,
      inverse: call('setCollectionItemNote', id, articleId, old),
      touched: collectionTouched(id as number),
      summary: { name, ...titleOf(db, [articleId as number]) },
      noop: old === now
    }
  }
}
