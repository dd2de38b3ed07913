// A damaged library is found and nothing more is written to it. A real library (corpus
// articles, a collection, a backup) is damaged by writing garbage into chosen pages of its file,
// found by SQLite's dbstat table: each variant must be reported by `gleaner check`, reported by
// the service as `library-corrupt` with the backups it can be restored from, refuse imports and
// edits, and keep its bytes.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  closeSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  truncateSync,
  writeSync
} from 'node:fs'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backupLibrary, defaultBackupPath } from '../../src/core/backup/backup'
import { checkLibraryFile } from '../../src/core/backup/check'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { RSSHUB, SEED_FILE, tempDir } from '../helpers/corpus'

const t = tempDir('gleaner-damage-')
const PRISTINE = join(t.dir, 'pristine', 'library.db')
let backup: string
let pageSize: number
afterAll(() => t.cleanup())

beforeAll(async () => {
  const s = createGleanerService({ libraryPath: PRISTINE })
  await s.importPaths([join(RSSHUB, '博客'), join(RSSHUB, '新浪')])
  const [first] = (await s.listArticles({ limit: 1 })).items
  await s.createCollection('简报', null)
  await s.addToCollection(1, [first?.id ?? 1])
  backup = backupLibrary(s.db, defaultBackupPath(PRISTINE)).path
  s.close()
  pageSize = statSync(PRISTINE).size / pagesOf(PRISTINE).length
})

/** Page numbers (1-based) of a table's or index's b-tree, by page type, from SQLite's dbstat. */
function pagesOf(file: string, name?: string, type?: 'leaf' | 'internal' | 'overflow'): number[] {
  const db = new Database(file, { readonly: true })
  try {
    return db
      .prepare(
        `SELECT pageno FROM dbstat WHERE (@name IS NULL OR name = @name) AND (@type IS NULL OR pagetype = @type)
         ORDER BY pageno`
      )
      .pluck()
      .all({ name: name ?? null, type: type ?? null }) as number[]
  } finally {
    db.close()
  }
}

/** Garbage: a fixed, non-SQLite byte pattern, so every run damages the file the same way. */
function garbage(length: number): Buffer {
  const b = Buffer.alloc(length)
  for (let i = 0; i < length; i++) b[i] = (i * 167 + 91) & 0xff
  return b
}

function writeAt(file: string, offset: number, bytes: Buffer): void {
  const fd = openSync(file, 'r+')
  try {
    writeSync(fd, bytes, 0, bytes.length, offset)
  } finally {
    closeSync(fd)
  }
}

/** Overwrites the start of a page (its b-tree header, or an overflow page's next-page pointer). */
const smashPage = (file: string, page: number): void =>
  writeAt(file, (page - 1) * pageSize, garbage(512))

interface Variant {
  name: string
  damage: (file: string) => void
}

const middle = <T>(list: T[]): T => list[Math.floor(list.length / 2)] as T

const VARIANTS: Variant[] = [
  {
    name: 'a leaf page of the articles table',
    damage: (f) => smashPage(f, middle(pagesOf(f, 'articles', 'leaf')))
  },
  {
    name: 'an overflow page of an article’s text',
    damage: (f) => smashPage(f, middle(pagesOf(f, 'articles', 'overflow')))
  },
  {
    name: 'an index on articles',
    damage: (f) => smashPage(f, middle(pagesOf(f, 'articles_content_key')))
  },
  {
    name: 'the collections table',
    damage: (f) => smashPage(f, middle(pagesOf(f, 'collections')))
  },
  {
    name: 'the full-text index',
    damage: (f) => smashPage(f, middle(pagesOf(f, 'search_index_data', 'leaf')))
  },
  {
    // The schema on page 1, after the 100-byte file header.
    name: 'the schema page',
    damage: (f) => writeAt(f, 100, garbage(400))
  },
  {
    name: 'the file header',
    damage: (f) => writeAt(f, 0, garbage(100))
  },
  {
    name: 'the end of the file (truncated)',
    damage: (f) => truncateSync(f, statSync(f).size - 8 * pageSize)
  }
]

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex')

/** A copy of the library (and its backups folder) with one kind of damage. */
function damagedCopy(v: Variant, i: number): string {
  const dir = join(t.dir, `variant-${i}`)
  mkdirSync(dir)
  const file = join(dir, 'library.db')
  copyFileSync(PRISTINE, file)
  cpSync(join(PRISTINE, '..', 'backups'), join(dir, 'backups'), { recursive: true })
  v.damage(file)
  return file
}

async function refusedCode(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call()
  } catch (e) {
    return (e as { code?: unknown }).code
  }
  return 'accepted'
}

/** Every kind of write a person makes, through the API. */
function writes(s: GleanerService): Record<string, () => Promise<unknown>> {
  return {
    import: () => s.importPaths([SEED_FILE]),
    createCollection: () => s.createCollection('after the damage', null),
    star: () => s.setStarred([1], true),
    annotate: () => s.createAnnotation({ articleId: 1, note: 'after the damage' }),
    tag: () => s.addTag([1], 'after-the-damage'),
    synonym: () => s.addSynonym('进博会', '中国国际进口博览会')
  }
}

describe('a damaged library', () => {
  VARIANTS.forEach((v, i) => {
    it(`damage in ${v.name}: check reports it, the library opens read-only, every write is refused, no byte changes`, async () => {
      const file = damagedCopy(v, i)
      expect(checkLibraryFile(file).ok).toBe(false)
      const before = sha(file)
      const s = createGleanerService({ libraryPath: file })
      try {
        // Found at open or by the background check, which every write waits for.
        await s.health.checked
        for (const [name, call] of Object.entries(writes(s)))
          expect(await refusedCode(call), name).toBe('library-corrupt')
        const info = await s.libraryInfo()
        expect(info.damage?.error.code).toBe('library-corrupt')
        expect(info.damage?.problems.length).toBeGreaterThan(0)
        expect(info.damage?.backups.map((b) => b.path)).toEqual([
          join(file, '..', 'backups', backup.split('/').at(-1) as string)
        ])
      } finally {
        s.close()
      }
      expect(sha(file)).toBe(before)
    })
  })

  it('damage that appears while the library is open is found at the first read of it; from then on nothing is written', async () => {
    const dir = join(t.dir, 'while-open')
    mkdirSync(dir)
    const file = join(dir, 'library.db')
    copyFileSync(PRISTINE, file)
    const s = createGleanerService({ libraryPath: file })
    try {
      await s.health.checked
      expect((await s.libraryInfo()).damage).toBeNull()
      // Pages of the articles table this process has not read yet.
      for (const page of pagesOf(file, 'articles', 'leaf')) smashPage(file, page)
      const damaged = sha(file)
      // The article list reads those rows: SQLite reports the damage there.
      expect(await refusedCode(() => s.listArticles({ limit: 1000, sort: 'title' }))).toBe(
        'library-corrupt'
      )
      expect((await s.libraryInfo()).damage?.error.code).toBe('library-corrupt')
      for (const [name, call] of Object.entries(writes(s)))
        expect(await refusedCode(call), name).toBe('library-corrupt')
      s.close()
      expect(sha(file)).toBe(damaged)
    } finally {
      s.close()
    }
  })

  it('gleaner commands that write refuse a damaged library with the error and exit code 1', () => {
    const file = damagedCopy(VARIANTS[0] as Variant, 100)
    const before = sha(file)
    const root = resolve(__dirname, '../..')
    const gleaner = (...args: string[]): { status: number | null; stderr: string } =>
      spawnSync(
        process.execPath,
        [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'src/cli/main.ts'), ...args],
        { encoding: 'utf8', env: { ...process.env, GLEANER_LIBRARY: file } }
      )
    // Through the API (import) and below it (collections writes with the database handle).
    for (const args of [
      ['import', SEED_FILE],
      ['collections', 'create', 'after the damage']
    ]) {
      const r = gleaner(...args)
      expect(r.status, args[0]).toBe(1)
      expect(r.stderr, args[0]).toMatch(/is damaged .*gleaner restore/u)
    }
    expect(sha(file)).toBe(before)
  })
})
