import { afterEach, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { MIGRATIONS, migrate } from '../../src/core/library/migrations'
import { openLibraryDb } from '../../src/core/library/open'
import { categoryTree, ensureCategoryPath } from '../../src/core/library/categories'
import { renameCategory } from '../../src/core/library/category-edit'
import { getArticle, insertArticle, sha256, storeOriginal } from '../../src/core/library/articles'
import { parseArticleFile } from '../../src/core/ingest/parse'
import { CLEANER_VERSION } from '../../src/core/clean/version'
import { importPaths } from '../../src/core/importer/run'
import { SEED_FILE, tempDir } from '../helpers/corpus'
import type { GleanerError } from '../../src/shared/errors'

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

  it('refuses a newer library without changing a byte of it, in rollback or WAL mode', () => {
    const t = tempDir()
    cleanup = t.cleanup
    const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex')
    const newer = MIGRATIONS.length + 1
    // As a newer Gleaner might leave it: not (yet) in WAL mode.
    const rollback = join(t.dir, 'rollback.db')
    const r = new Database(rollback)
    migrate(r)
    r.pragma(`user_version = ${newer}`)
    r.close()
    // And with its last changes, the new version included, still in the WAL (process killed).
    const wal = join(t.dir, 'wal.db')
    const w = new Database(wal)
    w.pragma('journal_mode = WAL')
    migrate(w)
    w.close()
    const killed = spawnSync(
      process.execPath,
      [
        '-e',
        `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});` +
          `const d = new D(${JSON.stringify(wal)}); d.pragma('wal_autocheckpoint = 0');` +
          `d.pragma('user_version = ${newer}'); process.kill(process.pid, 'SIGKILL')`
      ],
      { stdio: 'ignore' }
    )
    expect(killed.signal).toBe('SIGKILL')
    for (const file of [rollback, wal]) {
      const before = sha(file)
      const e = (() => {
        try {
          openLibraryDb(file)
        } catch (err) {
          return err as GleanerError
        }
        return null
      })()
      expect(e?.code, file).toBe('library-newer')
      expect(e?.params, file).toMatchObject({ schema: newer, known: MIGRATIONS.length })
      expect(sha(file), file).toBe(before)
    }
    // Another program's database is not made a library either.
    const foreign = join(t.dir, 'places.sqlite')
    const f = new Database(foreign)
    f.exec('CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)')
    f.close()
    const foreignBefore = sha(foreign)
    expect(() => openLibraryDb(foreign)).toThrow(expect.objectContaining({ code: 'not-a-library' }))
    expect(sha(foreign)).toBe(foreignBefore)
    // Still a rollback-journal file: not switched to WAL.
    const after = new Database(rollback, { readonly: true })
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete')
    after.close()
  })

  it('upgrades a library written before user filing was recorded (schema 7) in order', async () => {
    const t = tempDir()
    cleanup = t.cleanup
    const file = join(t.dir, 'lib.db')
    const seed = readFileSync(SEED_FILE, 'utf8')
    const post = join(t.dir, 'post.txt')
    writeFileSync(post, seed)
    // The library as Gleaner wrote it at schema 7, with an article in it.
    const old = new Database(file)
    old.pragma('foreign_keys = ON')
    expect(migrate(old, MIGRATIONS.slice(0, 7))).toBe(7)
    // Stored as the storage layer of that schema did (today's importer also learns each
    // source's boilerplate, in tables a schema-7 file does not have yet).
    const bytes = new Uint8Array(readFileSync(post))
    const parsed = parseArticleFile(bytes, post)
    if (!parsed.ok) throw new Error(parsed.reason)
    const id = insertArticle(
      old,
      {
        originalId: storeOriginal(old, bytes, sha256(bytes)),
        itemIndex: 0,
        sourcePath: post,
        cleaningVersion: CLEANER_VERSION,
        parsed: parsed.articles[0]!
      },
      new Date().toISOString()
    )
    old.close()

    const db = openLibraryDb(file)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    // Nothing is user-filed yet: the article still follows its file.
    expect(db.prepare('SELECT count(*) AS n FROM article_user_filing').get()).toEqual({ n: 0 })
    // A rename from now on is recorded, and a re-import of the changed file keeps it.
    const top = db.prepare("SELECT id FROM categories WHERE path = '金融'").get() as { id: number }
    renameCategory(db, top.id, '财经')
    expect(db.prepare('SELECT article_id, kind FROM article_user_filing').all()).toEqual([
      { article_id: id, kind: 'categories' }
    ])
    writeFileSync(post, seed.replace('7月26日上午', '7月26日下午'))
    const again = await importPaths(db, [post])
    expect(again.results[0]).toMatchObject({ status: 'updated', articleId: id })
    expect(getArticle(db, id)?.categoryPath).toEqual(['财经', '新浪财经', '新浪财经－国內'])
    expect(getArticle(db, id)?.cleanText).toContain('7月26日下午')
    const oldPaths = db.prepare("SELECT path FROM categories WHERE path LIKE '金融%'").all()
    expect(oldPaths).toEqual([])
    // The marks go with their article.
    db.prepare('DELETE FROM articles WHERE id = ?').run(id)
    expect(db.prepare('SELECT count(*) AS n FROM article_user_filing').get()).toEqual({ n: 0 })
    db.close()
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
