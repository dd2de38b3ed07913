// A library from the first schema, with rows in every table, carried through every migration
// step: each step applied alone (migrate with the steps up to it), the earlier rows checked after
// each, the tables a step adds filled as soon as they exist, and the last steps left to the
// current opening code. At the end every row is still there, the app reads the articles,
// categories, tags, collections and annotations back, and the schema is a fresh library's.
import { afterEach, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { MIGRATIONS, migrate } from '../../src/core/library/migrations'
import { openLibraryDb } from '../../src/core/library/open'
import { getArticle } from '../../src/core/library/articles'
import { categoryTree } from '../../src/core/library/categories'
import { listAnnotations } from '../../src/core/annotations'
import { collectionItems, listCollections } from '../../src/core/collections'
import { parseArticleFile } from '../../src/core/ingest/parse'
import { CORPUS, SEED_FILE, tempDir } from '../helpers/corpus'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const SCHEMA_1 = join(import.meta.dirname, '../fixtures/schema-1.sql')
const T0 = '2021-07-26T04:00:00.000Z'
const SECOND = join(CORPUS, 'rsshub/新媒体/虎嗅/首页资讯/1%名单.md')

type Row = Record<string, unknown>

/** Rows inserted so far, by table: each must come through every later step unchanged. */
class Expected {
  readonly rows = new Map<string, Row[]>()
  insert(db: Database.Database, table: string, row: Row): void {
    const cols = Object.keys(row)
    db.prepare(
      `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`
    ).run(...cols.map((c) => row[c]))
    this.rows.set(table, [...(this.rows.get(table) ?? []), row])
  }
  /** Every inserted row is there with the values it was given. */
  check(db: Database.Database, at: string): void {
    for (const [table, rows] of this.rows) {
      const cols = Object.keys(rows[0]!)
      const got = db.prepare(`SELECT ${cols.join(', ')} FROM ${table}`).all() as Row[]
      for (const row of rows) expect(got, `${table} at ${at}`).toContainEqual(row)
    }
  }
}

/** Tables, indexes and triggers as SQLite keeps them, whitespace folded, in name order. */
function schemaOf(db: Database.Database): { type: string; name: string; sql: string | null }[] {
  const rows = db
    .prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex%' ORDER BY type, name"
    )
    .all() as { type: string; name: string; tbl_name: string; sql: string | null }[]
  return rows.map((r) => ({
    type: r.type,
    name: `${r.tbl_name}.${r.name}`,
    sql:
      r.sql === null
        ? null
        : r.sql
            .replace(/--[^\n]*/gu, '')
            .replace(/\s+/gu, ' ')
            .trim()
  }))
}

function articleRow(id: number, originalId: number, file: string): Row {
  const outcome = parseArticleFile(readFileSync(file), file)
  if (!outcome.ok) throw new Error(`${file}: ${outcome.reason}`)
  const a = outcome.articles[0]!
  return {
    id,
    original_id: originalId,
    item_index: 0,
    source_path: file,
    format: a.format,
    encoding: a.encoding,
    title: a.title,
    author: a.author,
    source: a.source,
    url: a.url,
    published_at: a.publishedAt,
    editor: a.editor,
    original_title: a.originalTitle,
    meta_json: JSON.stringify(a.meta),
    clean_html: a.cleanHtml,
    clean_text: a.cleanText,
    cleaning_report: '[]',
    cleaning_version: 1,
    content_key: createHash('sha256').update(a.cleanText).digest('hex'),
    imported_at: T0,
    updated_at: T0,
    read: 1,
    starred: id === 1 ? 1 : 0,
    deleted_at: null
  }
}

describe('a schema-1 library through every migration', () => {
  it('keeps every row and ends with a fresh library’s schema', () => {
    const t = tempDir()
    cleanup = t.cleanup
    const file = join(t.dir, 'old.db')
    const want = new Expected()

    // Schema 1, as the first release wrote it (frozen in test/fixtures/schema-1.sql).
    const old = new Database(file)
    old.pragma('foreign_keys = ON')
    old.exec(readFileSync(SCHEMA_1, 'utf8'))
    old.pragma('user_version = 1')
    want.insert(old, 'settings', { key: 'language', value: 'zh' })
    for (const [id, path] of [SEED_FILE, SECOND].entries()) {
      const bytes = readFileSync(path)
      want.insert(old, 'originals', {
        id: id + 1,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        bytes,
        size: bytes.length
      })
      want.insert(old, 'articles', articleRow(id + 1, id + 1, path))
    }
    want.insert(old, 'categories', { id: 1, parent_id: null, name: '金融', path: '金融' })
    want.insert(old, 'categories', {
      id: 2,
      parent_id: 1,
      name: '新浪财经',
      path: '金融\u001f新浪财经'
    })
    want.insert(old, 'article_categories', { article_id: 1, category_id: 2 })
    want.insert(old, 'tags', { id: 1, name: '进博会' })
    want.insert(old, 'tags', { id: 2, name: '消费' })
    want.insert(old, 'article_tags', { article_id: 1, tag_id: 1 })
    want.insert(old, 'article_tags', { article_id: 2, tag_id: 2 })
    want.insert(old, 'collections', { id: 1, name: '晨报', query: null, created_at: T0 })
    want.insert(old, 'collections', { id: 2, name: '进博', query: '进博会', created_at: T0 })
    want.insert(old, 'collection_items', {
      collection_id: 1,
      article_id: 2,
      position: 1,
      note: '先看这篇'
    })
    want.insert(old, 'collection_items', {
      collection_id: 1,
      article_id: 1,
      position: 2,
      note: null
    })
    const seedText = String(
      (old.prepare('SELECT clean_text FROM articles WHERE id = 1').get() as Row).clean_text
    )
    const exact = '第四届中国国际进口博览会'
    const start = seedText.indexOf(exact)
    expect(start).toBeGreaterThan(0)
    // The selector pair as the first release stored it (no extended context yet).
    want.insert(old, 'annotations', {
      id: 1,
      article_id: 1,
      selectors_json: JSON.stringify([
        {
          type: 'TextQuoteSelector',
          exact,
          prefix: seedText.slice(Math.max(0, start - 32), start),
          suffix: seedText.slice(start + exact.length, start + exact.length + 32)
        },
        { type: 'TextPositionSelector', start, end: start + exact.length }
      ]),
      exact,
      color: 'green',
      note: '开幕倒计时',
      tags_json: '["进博会"]',
      cleaning_version: 1,
      anchor_status: 'anchored',
      created_at: T0,
      updated_at: T0
    })
    want.insert(old, 'annotations', {
      id: 2,
      article_id: 2,
      selectors_json: null,
      exact: null,
      color: null,
      note: '整篇的笔记',
      tags_json: '[]',
      cleaning_version: null,
      anchor_status: 'anchored',
      created_at: T0,
      updated_at: T0
    })
    want.insert(old, 'import_runs', {
      id: 1,
      started_at: T0,
      finished_at: T0,
      roots_json: JSON.stringify([SEED_FILE]),
      cancelled: 0
    })
    want.insert(old, 'import_results', {
      id: 1,
      run_id: 1,
      path: SEED_FILE,
      status: 'imported',
      code: null,
      reason: null,
      article_id: 1,
      warnings_json: '[]'
    })
    old.close()

    // Rows for the tables a step adds, as soon as that step has run.
    const fill: Record<number, (db: Database.Database) => void> = {
      2: (db) =>
        want.insert(db, 'search_synonyms', { id: 1, a: '进博会', b: '进口博览会', created_at: T0 }),
      7: (db) => want.insert(db, 'search_reindex_pending', { article_id: 2 }),
      8: (db) => want.insert(db, 'article_user_filing', { article_id: 1, kind: 'tags' }),
      9: (db) =>
        want.insert(db, 'changes', {
          seq: 1,
          id: '6f1c1b8e-3f0a-4c2e-9a52-3c1f0e2d4b11',
          actor: 'analyst',
          origin: 'window',
          session: 's1',
          at: T0,
          op: 'addTag',
          args_json: '[[1],"进博会"]',
          touched_json: '{"articleIds":[1]}',
          summary_json: '{}',
          inverse_json: '{"op":"removeTag","args":[[1],"进博会"]}',
          undo_of: null,
          redo_of: null,
          reverted: 0
        })
    }
    // Every step but the last alone, the data checked after each; the last by today's opening.
    for (let v = 2; v < MIGRATIONS.length; v++) {
      const db = new Database(file)
      db.pragma('foreign_keys = ON')
      expect(migrate(db, MIGRATIONS.slice(0, v))).toBe(v)
      expect(db.pragma('user_version', { simple: true })).toBe(v)
      want.check(db, `schema ${v}`)
      fill[v]?.(db)
      expect(db.pragma('foreign_key_check')).toEqual([])
      db.close()
    }
    expect(Object.keys(fill).every((v) => Number(v) < MIGRATIONS.length)).toBe(true)

    const db = openLibraryDb(file)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    want.check(db, 'the current schema')
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.pragma('foreign_key_check')).toEqual([])

    // The app reads the old rows as its own.
    const seed = getArticle(db, 1)!
    expect(seed.title).toBe(want.rows.get('articles')![0]!.title)
    expect(seed.categoryPath).toEqual(['金融', '新浪财经'])
    expect(seed.tags).toEqual(['进博会'])
    expect(seed.starred).toBe(true)
    expect(getArticle(db, 2)?.tags).toEqual(['消费'])
    expect(categoryTree(db).map((c) => c.name)).toEqual(['金融'])
    expect(listCollections(db).map((c) => c.name)).toEqual(['晨报', '进博'])
    expect(collectionItems(db, 1).map((i) => [i.articleId, i.note])).toEqual([
      [2, '先看这篇'],
      [1, null]
    ])
    const [highlight] = listAnnotations(db, 1)
    expect(highlight).toMatchObject({ exact, color: 'green', note: '开幕倒计时', tags: ['进博会'] })
    expect(highlight?.selectors?.position).toMatchObject({ start, end: start + exact.length })
    expect(listAnnotations(db, 2)).toMatchObject([{ selectors: null, note: '整篇的笔记' }])

    // The same schema as a library created today.
    const fresh = openLibraryDb(join(t.dir, 'fresh.db'))
    expect(schemaOf(db)).toEqual(schemaOf(fresh))
    fresh.close()
    db.close()
  })
})
