// One model of change: every mutating API method, run on a real library of the corpus's
// articles, is applied as one logged change, announced as one libraryChanged event that says
// what it touched, listed by history, and (where the UI offers undo) undone and redone from
// the log back to exactly the library it found — filing marks included.
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ApiMethod } from '../../src/shared/api'
import type { LibraryChange } from '../../src/shared/change-types'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { dispatchCall } from '../../src/shared/validate'
import type { Annotation } from '../../src/shared/annotation-types'
import type { CategoryNode } from '../../src/shared/types'
import type { Db } from '../../src/core/library/open'
import { RSSHUB, tempDir } from '../helpers/corpus'

let template: { dir: string; cleanup: () => void }
let templateFile: string

beforeAll(async () => {
  template = tempDir('gleaner-changes-template-')
  templateFile = join(template.dir, 'library.db')
  const svc = createGleanerService({ libraryPath: templateFile, watchExternal: false })
  await svc.importPaths([RSSHUB])
  // Checkpoint so the copy below is the whole library (WAL folded into the file).
  svc.db.pragma('wal_checkpoint(TRUNCATE)')
  svc.close()
}, 120_000)
afterAll(() => template.cleanup())

let dir: { dir: string; cleanup: () => void }
let svc: GleanerService
let heard: LibraryChange[]

beforeEach(() => {
  dir = tempDir('gleaner-changes-')
  copyFileSync(templateFile, join(dir.dir, 'library.db'))
  svc = createGleanerService({ libraryPath: join(dir.dir, 'library.db'), watchExternal: false })
  heard = []
  svc.on('libraryChanged', (c) => heard.push(c))
})
afterEach(() => {
  svc.close()
  dir.cleanup()
})

const call = <T>(method: ApiMethod, ...args: unknown[]): Promise<T> =>
  dispatchCall(svc, method, args) as Promise<T>

/**
 * The user's data as canonical text: what an undo must bring back exactly. Timestamps of the
 * last edit are left out (an undo is a new edit); names stand in for tag ids (a tag deleted and
 * re-created gets a new id), and collection items for their order rather than float positions.
 */
function state(db: Db): string {
  const all = (sql: string): unknown[] => db.prepare(sql).all()
  return JSON.stringify({
    flags: all(
      'SELECT id, read, starred, deleted_at IS NOT NULL AS deleted FROM articles ORDER BY id'
    ),
    categories: all('SELECT id, parent_id, name, path FROM categories ORDER BY path'),
    articleCategories: all(
      'SELECT article_id, category_id FROM article_categories ORDER BY article_id, category_id'
    ),
    tags: all(
      `SELECT at.article_id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
        ORDER BY at.article_id, t.name`
    ),
    tagNames: all('SELECT name FROM tags ORDER BY name'),
    userFiling: all('SELECT article_id, kind FROM article_user_filing ORDER BY article_id, kind'),
    collections: all('SELECT id, name, query FROM collections ORDER BY id'),
    items: all(
      'SELECT collection_id, article_id, note FROM collection_items ORDER BY collection_id, position, article_id'
    ),
    annotations: all(
      `SELECT id, article_id, selectors_json, color, note, tags_json, anchor_status, cleaning_version
         FROM annotations ORDER BY id`
    ),
    synonyms: all('SELECT a, b FROM search_synonyms ORDER BY a, b')
  })
}

interface Fixture {
  ids: number[]
  collectionId: number
  annotation: Annotation
  categories: CategoryNode[]
}

/** A few things to edit, made through the API before the change under test. */
async function fixture(): Promise<Fixture> {
  const page = await svc.listArticles({ limit: 6, sort: 'date-desc' })
  const ids = page.items.map((a) => a.id)
  const collection = await svc.createCollection('简报', null)
  await svc.addToCollection(collection.id, ids.slice(0, 3))
  await svc.setCollectionItemNote(collection.id, ids[0]!, '开头')
  const article = await svc.getArticle(ids[0]!)
  const annotation = await svc.createAnnotation({
    articleId: ids[0]!,
    start: 0,
    end: Math.min(8, article!.cleanText.length),
    note: '要点'
  })
  await svc.addTag(ids.slice(0, 2), '已读')
  return { ids, collectionId: collection.id, annotation, categories: await svc.categories() }
}

const flat = (nodes: CategoryNode[]): CategoryNode[] =>
  nodes.flatMap((n) => [n, ...flat(n.children)])

interface Case {
  method: ApiMethod
  args: (f: Fixture) => unknown[]
  /** Undo reverts it (false: announced and logged, but not on the undo stack). */
  undoable: boolean
}

const CASES: Case[] = [
  { method: 'setStarred', args: (f) => [f.ids.slice(0, 3), true], undoable: true },
  { method: 'setRead', args: (f) => [f.ids.slice(0, 3), true], undoable: true },
  { method: 'setRead', args: (f) => [[f.ids[4]], true, { auto: true }], undoable: false },
  { method: 'deleteArticles', args: (f) => [f.ids.slice(0, 2)], undoable: true },
  { method: 'addTag', args: (f) => [f.ids, '要闻'], undoable: true },
  { method: 'removeTag', args: (f) => [f.ids.slice(0, 1), '已读'], undoable: true },
  { method: 'renameTag', args: () => ['已读', '已阅'], undoable: true },
  { method: 'deleteTag', args: () => ['已读'], undoable: true },
  {
    method: 'renameCategory',
    args: (f) => [f.categories[0]!.id, `${f.categories[0]!.name}（改）`],
    undoable: true
  },
  { method: 'deleteCategory', args: (f) => [f.categories[0]!.id], undoable: true },
  {
    method: 'mergeCategory',
    args: (f) => {
      // A leaf of the first top category into the second top category.
      const leaf = flat(f.categories[0]!.children).find((c) => c.children.length === 0)
      return [leaf!.id, f.categories[1]!.id]
    },
    undoable: true
  },
  {
    method: 'createAnnotation',
    args: (f) => [{ articleId: f.ids[1], note: '整篇的看法' }],
    undoable: true
  },
  {
    method: 'updateAnnotation',
    args: (f) => [f.annotation.id, { note: '改过的笔记', color: 'green', tags: ['核心'] }],
    undoable: true
  },
  { method: 'deleteAnnotation', args: (f) => [f.annotation.id], undoable: true },
  { method: 'reattachAnnotation', args: (f) => [f.annotation.id, 2, 10], undoable: true },
  { method: 'addSynonym', args: () => ['进口博览会', '进博'], undoable: true },
  { method: 'createCollection', args: () => ['第二份简报', null], undoable: true },
  {
    method: 'createCollection',
    args: (f) => ['从搜索结果收集', null, f.ids.slice(2, 5)],
    undoable: true
  },
  { method: 'renameCollection', args: (f) => [f.collectionId, '周报'], undoable: true },
  { method: 'deleteCollection', args: (f) => [f.collectionId], undoable: true },
  { method: 'addToCollection', args: (f) => [f.collectionId, f.ids.slice(3)], undoable: true },
  {
    method: 'removeFromCollection',
    args: (f) => [f.collectionId, f.ids.slice(0, 2)],
    undoable: true
  },
  {
    method: 'moveInCollection',
    args: (f) => [f.collectionId, f.ids[2], f.ids[0]],
    undoable: true
  },
  {
    method: 'setCollectionItemNote',
    args: (f) => [f.collectionId, f.ids[1], '第二条的备注'],
    undoable: true
  }
]

describe('every mutating API method is one logged, announced change', () => {
  for (const c of CASES) {
    it(`${c.method}${c.undoable ? ' (undo, redo)' : ' (not undoable)'}`, async () => {
      const f = await fixture()
      const before = state(svc.db)
      heard = []
      await call(c.method, ...c.args(f))
      const after = state(svc.db)
      expect(after, 'the method changed something').not.toBe(before)

      // One event, naming the method, that says what it touched.
      expect(heard.map((h) => h.op)).toEqual([c.method])
      const change = heard[0]!
      const t = change.touched
      expect(
        t.list ||
          t.filing ||
          t.collections ||
          t.articleIds.length > 0 ||
          t.annotationArticleIds.length > 0 ||
          c.method === 'addSynonym'
      ).toBe(true)
      // The history lists it, newest first, with a stable id.
      const [newest] = await svc.history({ limit: 1 })
      expect(newest).toMatchObject({ seq: change.seq, id: change.id, op: c.method, origin: 'app' })
      expect(change.id).toMatch(/^[0-9a-f-]{36}$/u)

      const undone = await svc.undo()
      if (!c.undoable) {
        // Undo reaches the edit made before it instead (the fixture's tag), never this one.
        expect(undone?.undoOf).not.toBe(change.seq)
        return
      }
      expect(undone).toMatchObject({ undoOf: change.seq, subjectOp: c.method })
      expect(state(svc.db), 'undo restores the library exactly').toBe(before)
      expect(heard.at(-1)?.undoOf).toBe(change.seq)

      const redone = await svc.redo()
      expect(redone?.redoOf).toBe(undone!.seq)
      expect(state(svc.db), 'redo applies it again').toBe(after)
      // …and the redo is undoable in turn.
      await svc.undo()
      expect(state(svc.db)).toBe(before)
    })
  }
})

describe('undo and redo', () => {
  it('walk back through several edits and forward again; a new edit ends the redo stack', async () => {
    const f = await fixture()
    const s0 = state(svc.db)
    await svc.setStarred([f.ids[0]!], true)
    const s1 = state(svc.db)
    await svc.addTag([f.ids[1]!], '跟进')
    const s2 = state(svc.db)
    await svc.undo()
    expect(state(svc.db)).toBe(s1)
    await svc.undo()
    expect(state(svc.db)).toBe(s0)
    expect((await svc.undoState()).redo?.subjectOp).toBe('setStarred')
    await svc.redo()
    expect(state(svc.db)).toBe(s1)
    await svc.redo()
    expect(state(svc.db)).toBe(s2)
    expect(await svc.redo()).toBeNull()
    await svc.undo()
    await svc.setRead([f.ids[2]!], true)
    expect((await svc.undoState()).redo).toBeNull()
  })

  it('reports a failed undo as data and moves on to the change before it', async () => {
    const c = await svc.createCollection('乙', null)
    await svc.deleteCollection(c.id)
    // A collection with the same name appears by another path (not on this actor's stack).
    svc.db
      .prepare(`INSERT INTO collections (name, created_at) VALUES ('乙', '2026-01-01T00:00:00Z')`)
      .run()
    await expect(call('undo')).rejects.toMatchObject({ code: 'undo-failed' })
    // The failed change left the stack: the next undo reaches the create before it.
    expect((await svc.undoState()).undo?.op).toBe('createCollection')
  })

  it('undoing a tag delete leaves articles following their files again (no user-filed mark)', async () => {
    const f = await fixture()
    // The corpus articles follow their front matter: nothing marked yet except the fixture's tag.
    const marks = (): unknown[] =>
      svc.db.prepare('SELECT article_id, kind FROM article_user_filing ORDER BY 1, 2').all()
    await svc.undo() // the fixture's addTag
    const unmarked = marks()
    await svc.addTag(f.ids.slice(0, 3), '临时')
    await svc.deleteTag('临时')
    await svc.undo()
    await svc.undo()
    expect(marks()).toEqual(unmarked)
  })
})
