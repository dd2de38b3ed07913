// The working copy's side of a team library, on a real library file with corpus articles: the
// triggers find each kind of local edit, the push diffs them against the shadow into field
// writes, and applying the server's fields never comes back as a local edit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { makeTeamCopy, teamConfig } from '../../src/core/team/local/config'
import { nextBatch, pendingBatch } from '../../src/core/team/local/push'
import { applyFields } from '../../src/core/team/local/apply'
import { withoutMarking } from '../../src/core/team/local/triggers'
import { articleKeyOf } from '../../src/core/team/local/keys'
import { writeTx } from '../../src/core/library/write-tx'
import { parseHlc } from '../../src/core/team/hlc'
import { filesUnder, RSSHUB, tempDir } from '../helpers/corpus'

let t: { dir: string; cleanup: () => void }
let svc: GleanerService

beforeEach(() => {
  t = tempDir('gleaner-team-local-')
  svc = createGleanerService({ libraryPath: join(t.dir, 'lib.db'), watchExternal: false })
})
afterEach(() => {
  svc.close()
  t.cleanup()
})

const dirty = (): { kind: string; a: number; b: number }[] =>
  svc.db.prepare('SELECT kind, a, b FROM team_dirty ORDER BY kind, a, b').all() as {
    kind: string
    a: number
    b: number
  }[]
const clearDirty = (): void => void svc.db.prepare('DELETE FROM team_dirty').run()

async function importSome(n: number): Promise<number[]> {
  const files = filesUnder(RSSHUB)
    .filter((f) => f.endsWith('.md'))
    .slice(0, n)
  await svc.importPaths(files)
  return (await svc.listArticles({ limit: 100 })).items.map((a) => a.id).sort((a, b) => a - b)
}

const CFG = { name: 'desk', server: 'postgres://ana:secret@127.0.0.1:5432/news', user: 'ana' }

describe('team working copy (SQLite side)', () => {
  it('stores the config without the password and marks the whole library for the first push', async () => {
    const ids = await importSome(3)
    const c = await svc.createCollection('简报', null, [ids[0]!])
    expect(teamConfig(svc.db)).toBeNull()
    const cfg = makeTeamCopy(svc.db, CFG)
    expect(cfg.server).not.toContain('secret')
    expect(teamConfig(svc.db)).toEqual(cfg)
    const rows = dirty()
    expect(rows.filter((r) => r.kind === 'article').map((r) => r.a)).toEqual(ids)
    expect(rows).toContainEqual({ kind: 'collection', a: c.id, b: 0 })
    expect(rows).toContainEqual({ kind: 'item', a: c.id, b: ids[0] })
    const settings = svc.db
      .prepare(`SELECT value FROM settings WHERE key LIKE 'team.%'`)
      .pluck()
      .all()
    expect(settings.join(' ')).not.toContain('secret')
  })

  it('a personal library has no triggers: its edits mark nothing', async () => {
    const ids = await importSome(2)
    await svc.addTag([ids[0]!], '甲')
    expect(dirty()).toEqual([])
  })

  it('every kind of edit marks its row; a purge pushes nothing', async () => {
    const ids = await importSome(3)
    const [a1, a2, a3] = ids as [number, number, number]
    makeTeamCopy(svc.db, CFG)
    clearDirty()
    await svc.addTag([a1], '甲')
    expect(dirty()).toEqual([{ kind: 'article', a: a1, b: 0 }])
    clearDirty()
    await svc.renameTag('甲', '乙')
    expect(dirty()).toEqual([{ kind: 'article', a: a1, b: 0 }])
    clearDirty()
    await svc.deleteArticles([a2])
    expect(dirty()).toEqual([{ kind: 'article', a: a2, b: 0 }])
    clearDirty()
    const c = await svc.createCollection('简报', null, [a1, a3])
    await svc.moveInCollection(c.id, a3, a1)
    await svc.setCollectionItemNote(c.id, a1, '先读')
    expect(dirty()).toEqual([
      { kind: 'collection', a: c.id, b: 0 },
      { kind: 'item', a: c.id, b: a1 },
      { kind: 'item', a: c.id, b: a3 }
    ])
    clearDirty()
    const note = await svc.createAnnotation({ articleId: a1, note: '值得跟进' })
    await svc.updateAnnotation(note.id, { note: '已跟进' })
    expect(dirty()).toEqual([{ kind: 'annotation', a: note.id, b: 0 }])
    clearDirty()
    await svc.deleteAnnotation(note.id)
    const gone = svc.db.prepare('SELECT gone FROM team_dirty').pluck().all()
    expect(gone).toHaveLength(1)
    expect(typeof gone[0]).toBe('string')
    clearDirty()
    // Emptying the Trash: the team keeps its tombstone (and its notes and places in
    // collections, for whoever restores it): nothing to push.
    await svc.restoreArticles([a2])
    await svc.createAnnotation({ articleId: a2, note: '留着' })
    await svc.addToCollection(c.id, [a2])
    await svc.deleteArticles([a2])
    clearDirty()
    await svc.emptyTrash([a2])
    expect(dirty().filter((r) => r.kind === 'annotation')).toEqual([])
    const batch = nextBatch(svc.db, 'me')
    expect(batch).toBeNull()
  })

  it('dirty rows become the protocol fields, diffed against the shadow', async () => {
    const ids = await importSome(2)
    const [a1, a2] = ids as [number, number]
    await svc.addTag([a1], '甲')
    makeTeamCopy(svc.db, CFG)
    const c = await svc.createCollection('简报', null, [a2])
    await svc.setCollectionItemNote(c.id, a2, '先读')
    const first = nextBatch(svc.db, 'me')!
    expect(pendingBatch(svc.db)?.id).toBe(first.id)
    // Unanswered: the same batch again, same id.
    expect(nextBatch(svc.db, 'me')?.id).toBe(first.id)
    const key1 = articleKeyOf(svc.db, a1)!
    expect(key1).toMatch(/^[0-9a-f]{64}:0$/)
    const of = (key: string, field: string) =>
      first.writes.find((w) => w.key === key && w.field === field)
    expect(of(key1, 'tag:甲')?.value).toBe(true)
    expect(of(key1, 'import')?.value).toMatchObject({ name: expect.stringMatching(/\.md$/) })
    expect(first.originals).toContain(key1.split(':')[0])
    const uid = svc.db.prepare('SELECT uid FROM collections WHERE id = ?').pluck().get(c.id)
    const itemKey = `${uid}|${articleKeyOf(svc.db, a2)}`
    expect(of(itemKey, 'in')?.value).toBe(true)
    expect(of(itemKey, 'note')).toMatchObject({ value: '先读', base: '' })
    expect(of(uid as string, 'name')?.value).toBe('简报')
    for (const w of first.writes) expect(parseHlc(w.hlc)?.client).toBe('me')
  })

  it('applying the server’s fields marks nothing and lands in the library', async () => {
    const ids = await importSome(1)
    makeTeamCopy(svc.db, CFG)
    clearDirty()
    const key = articleKeyOf(svc.db, ids[0]!)!
    writeTx(svc.db, () =>
      withoutMarking(svc.db, () =>
        applyFields(svc.db, [
          {
            kind: 'article',
            key,
            field: 'tag:团队',
            value: true,
            hlc: '000000000000001-000000-x',
            author: 'bo',
            version: 1
          },
          {
            kind: 'article',
            key,
            field: 'categories',
            value: [['新闻', '国际']],
            hlc: '000000000000001-000000-x',
            author: 'bo',
            version: 1
          }
        ])
      )
    )
    expect(dirty()).toEqual([])
    const a = await svc.getArticle(ids[0]!)
    expect(a?.tags).toContain('团队')
    expect(nextBatch(svc.db, 'me')).toBeNull()
  })

  it('another member’s new tag lands on an article this copy edited later and has not pushed', async () => {
    const ids = await importSome(1)
    makeTeamCopy(svc.db, CFG)
    clearDirty()
    const key = articleKeyOf(svc.db, ids[0]!)!
    // An edit here (its own tag) that the push has not taken yet: the article is dirty, and
    // its time is later than the other member's tag.
    await svc.addTag([ids[0]!], '本地')
    expect(dirty().map((d) => d.kind)).toContain('article')
    writeTx(svc.db, () =>
      withoutMarking(svc.db, () =>
        applyFields(svc.db, [
          {
            kind: 'article',
            key,
            field: 'tag:远方',
            value: true,
            hlc: '000000000000001-000000-x',
            author: 'bo',
            version: 1
          }
        ])
      )
    )
    const a = await svc.getArticle(ids[0]!)
    expect(a?.tags).toEqual(expect.arrayContaining(['本地', '远方']))
  })

  it('a bad field from the team is said and skipped; the rest applies', async () => {
    const ids = await importSome(1)
    makeTeamCopy(svc.db, CFG)
    clearDirty()
    const key = articleKeyOf(svc.db, ids[0]!)!
    const f = (field: string, value: unknown) => ({
      kind: 'article' as const,
      key,
      field,
      value,
      hlc: '000000000000001-000000-x',
      author: 'bo',
      version: 1
    })
    const out = writeTx(svc.db, () =>
      withoutMarking(svc.db, () =>
        applyFields(svc.db, [
          f('deleted', 42),
          f('tag:', true),
          f('categories', [['新闻', 'a\u001fb']]),
          f('tag:好', true)
        ])
      )
    )
    expect(out.problems).toHaveLength(3)
    expect(out.problems[0]).toContain('deleted')
    expect((await svc.getArticle(ids[0]!))?.tags).toContain('好')
    expect(
      svc.db.prepare('SELECT deleted_at FROM articles WHERE id = ?').pluck().get(ids[0])
    ).toBeNull()
  })
})
