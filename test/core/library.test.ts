import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { MIGRATIONS, migrate } from '../../src/main/core/library/migrations'
import { openLibraryDb } from '../../src/main/core/library/open'
import { categoryTree, ensureCategoryPath } from '../../src/main/core/library/categories'
import { tempDir } from '../helpers/corpus'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('library file', () => {
  it('is created with WAL, foreign keys and the current schema version', () => {
    const t = tempDir()
    cleanup = t.cleanup
    const db = openLibraryDb(join(t.dir, 'sub', 'lib.db'))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((r) => (r as { name: string }).name)
    for (const t of [
      'articles',
      'originals',
      'categories',
      'article_categories',
      'import_runs',
      'import_results',
      'annotations',
      'collections',
      'collection_items',
      'tags',
      'settings'
    ])
      expect(tables).toContain(t)
    db.close()
  })

  it('reopening does not re-run migrations, and a newer schema is refused with a clear message', () => {
    const t = tempDir()
    cleanup = t.cleanup
    const file = join(t.dir, 'lib.db')
    openLibraryDb(file).close()
    const again = openLibraryDb(file)
    expect(again.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    again.pragma(`user_version = ${MIGRATIONS.length + 5}`)
    again.close()
    expect(() => openLibraryDb(file)).toThrow(/newer Gleaner/)
  })

  it('a failing migration step leaves the file at the previous version', () => {
    const db = new Database(':memory:')
    const steps = [
      (d: Database.Database) => d.exec('CREATE TABLE a (x)'),
      (d: Database.Database) => {
        d.exec('CREATE TABLE b (x)')
        throw new Error('boom')
      }
    ]
    expect(() => migrate(db, steps)).toThrow('boom')
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({
      n: 0
    })
  })

  it('keeps the category tree unique by path and rolls counts up', () => {
    const db = openLibraryDb(':memory:')
    const leaf = ensureCategoryPath(db, ['金融', '新浪财经', '新浪财经－国內'])
    expect(ensureCategoryPath(db, ['金融', '新浪财经', '新浪财经－国內'])).toBe(leaf)
    ensureCategoryPath(db, ['金融', '华尔街见闻'])
    const tree = categoryTree(db)
    expect(tree.map((n) => n.name)).toEqual(['金融'])
    expect(tree[0]?.children.map((n) => n.name).sort()).toEqual(['华尔街见闻', '新浪财经'])
    expect(tree[0]?.count).toBe(0)
  })
})
