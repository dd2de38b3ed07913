import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import {
  addToCollection,
  collectionArticleIds,
  collectionItems,
  collectionsOfArticle,
  CollectionError,
  createCollection,
  deleteCollection,
  findCollectionByName,
  listCollections,
  moveInCollection,
  removeFromCollection,
  renameCollection,
  requireCollectionByName,
  restoreCollection,
  searchQueryResolver,
  setItemNote
} from '../../src/core/collections'
import { fixtureLibrary, type FixtureLibrary } from './export-fixture'

let lib: FixtureLibrary
beforeEach(async () => {
  lib = await fixtureLibrary()
})
afterEach(() => {
  lib.db.close()
  rmSync(lib.dir, { recursive: true, force: true })
})

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    if (e instanceof CollectionError) return `${e.code}: ${e.message}`
    throw e
  }
  return 'no error'
}

describe('collections', () => {
  it('creates, lists with counts, renames and refuses duplicate or empty names', () => {
    const [a, b, c] = lib.articleIds as [number, number, number]
    const brief = createCollection(lib.db, '  进博会  简报 ')
    expect(brief.name).toBe('进博会 简报')
    expect(brief.itemCount).toBe(0)
    const other = createCollection(lib.db, 'Apple watch')
    addToCollection(lib.db, brief.id, [a, b, c])
    addToCollection(lib.db, other.id, [b])

    expect(listCollections(lib.db).map((x) => [x.name, x.itemCount])).toEqual([
      ['Apple watch', 1],
      ['进博会 简报', 3]
    ])
    expect(codeOf(() => createCollection(lib.db, '进博会 简报'))).toMatch(
      /^duplicate-name: A collection named “进博会 简报” already exists/
    )
    expect(codeOf(() => renameCollection(lib.db, other.id, '进博会 简报'))).toMatch(
      /^duplicate-name/
    )
    expect(codeOf(() => createCollection(lib.db, '   '))).toMatch(/^invalid-name/)
    expect(codeOf(() => renameCollection(lib.db, 9999, 'x'))).toBe(
      'not-found: No collection with id 9999.'
    )

    expect(renameCollection(lib.db, other.id, 'Apple').name).toBe('Apple')
    // Renaming to its own name is not a conflict.
    expect(renameCollection(lib.db, other.id, 'Apple').name).toBe('Apple')
    expect(findCollectionByName(lib.db, 'Apple watch')).toBeNull()
    expect(codeOf(() => requireCollectionByName(lib.db, 'nope'))).toMatch(
      /not-found: No collection named “nope”\. Collections: “Apple”, “进博会 简报”\./
    )
    // One article, many collections.
    expect(collectionsOfArticle(lib.db, b).map((x) => x.name)).toEqual(['Apple', '进博会 简报'])
  })

  it('appends in order, skips ones already present, refuses unknown articles', () => {
    const [a, b, c, d] = lib.articleIds as [number, number, number, number]
    const col = createCollection(lib.db, 'c')
    expect(addToCollection(lib.db, col.id, [c, a])).toEqual({ added: [c, a], alreadyPresent: [] })
    expect(addToCollection(lib.db, col.id, [a, d, b, d])).toEqual({
      added: [d, b],
      alreadyPresent: [a, d]
    })
    expect(collectionArticleIds(lib.db, col.id)).toEqual([c, a, d, b])
    expect(codeOf(() => addToCollection(lib.db, col.id, [a, 777, 778]))).toBe(
      'no-article: No article with id 777, 778 in this library.'
    )
    // A failed add changes nothing.
    expect(collectionArticleIds(lib.db, col.id)).toEqual([c, a, d, b])
    expect(removeFromCollection(lib.db, col.id, [a, 777])).toBe(1)
    expect(collectionArticleIds(lib.db, col.id)).toEqual([c, d, b])
  })

  it('moves with one position update and keeps order through many moves', () => {
    const ids = lib.articleIds as [number, number, number, number]
    const [a, b, c, d] = ids
    const col = createCollection(lib.db, 'order')
    addToCollection(lib.db, col.id, ids)
    const before = collectionItems(lib.db, col.id).map((i) => [i.articleId, i.position])

    moveInCollection(lib.db, col.id, d, a) // d to the front
    expect(collectionArticleIds(lib.db, col.id)).toEqual([d, a, b, c])
    const after = new Map(collectionItems(lib.db, col.id).map((i) => [i.articleId, i.position]))
    // Only the moved item's position changed.
    for (const [id, p] of before) if (id !== d) expect(after.get(id as number)).toBe(p)

    moveInCollection(lib.db, col.id, d, null) // to the end
    expect(collectionArticleIds(lib.db, col.id)).toEqual([a, b, c, d])
    moveInCollection(lib.db, col.id, a, c)
    expect(collectionArticleIds(lib.db, col.id)).toEqual([b, a, c, d])

    // Shuttling an item into the same gap 200 times exhausts doubles; order must still hold.
    for (let i = 0; i < 200; i++) {
      moveInCollection(lib.db, col.id, i % 2 ? c : d, a)
    }
    const order = collectionArticleIds(lib.db, col.id)
    expect(order[0]).toBe(b)
    expect(order[3]).toBe(a)
    expect(new Set(order)).toEqual(new Set(ids))
    const positions = collectionItems(lib.db, col.id).map((i) => i.position)
    expect(new Set(positions).size).toBe(4)

    expect(codeOf(() => moveInCollection(lib.db, col.id, 777, a))).toMatch(/^no-collection-item/)
  })

  it('deletes and restores the collection with order and notes (undo)', () => {
    const [a, b, c] = lib.articleIds as [number, number, number]
    const col = createCollection(lib.db, '周报')
    addToCollection(lib.db, col.id, [b, a, c])
    setItemNote(lib.db, col.id, a, '重点：软实力')
    moveInCollection(lib.db, col.id, c, b)
    const itemsBefore = collectionItems(lib.db, col.id)

    const snapshot = deleteCollection(lib.db, col.id)
    expect(listCollections(lib.db)).toEqual([])
    // The articles themselves stay.
    expect(lib.db.prepare('SELECT COUNT(*) FROM articles').pluck().get()).toBe(
      lib.articleIds.length
    )
    // A snapshot survives JSON (it crosses IPC for undo).
    const restored = restoreCollection(lib.db, JSON.parse(JSON.stringify(snapshot)))
    expect(restored).toMatchObject({
      id: col.id,
      name: '周报',
      itemCount: 3,
      createdAt: col.createdAt
    })
    expect(collectionItems(lib.db, col.id)).toEqual(itemsBefore)
    expect(itemsBefore.find((i) => i.articleId === a)?.note).toBe('重点：软实力')

    // Restoring when the name was taken meanwhile is refused with the reason.
    const again = deleteCollection(lib.db, col.id)
    createCollection(lib.db, '周报')
    expect(codeOf(() => restoreCollection(lib.db, again))).toMatch(/^duplicate-name/)
  })

  it('sets and clears item notes; smart collections refuse manual edits', () => {
    const [a] = lib.articleIds as [number]
    const col = createCollection(lib.db, 'notes')
    addToCollection(lib.db, col.id, [a])
    setItemNote(lib.db, col.id, a, 'why it matters')
    expect(collectionItems(lib.db, col.id)[0]?.note).toBe('why it matters')
    setItemNote(lib.db, col.id, a, '  ')
    expect(collectionItems(lib.db, col.id)[0]?.note).toBeNull()
    expect(codeOf(() => setItemNote(lib.db, col.id, 777, 'x'))).toMatch(/^no-collection-item/)

    const smart = createCollection(lib.db, 'Apple news', 'Apple')
    expect(smart.itemCount).toBeNull()
    expect(codeOf(() => addToCollection(lib.db, smart.id, [a]))).toMatch(/^smart-collection/)
    const resolver = searchQueryResolver(lib.db)
    expect(collectionArticleIds(lib.db, smart.id, resolver)).toEqual([lib.articleIds[1]])
    expect(listCollections(lib.db, resolver).find((x) => x.id === smart.id)?.itemCount).toBe(1)
  })
})
