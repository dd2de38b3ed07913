// Three analysts on one team library: real library files with corpus articles, a real
// PostgreSQL cluster, the app's sync engine. Concurrent edits of one article's tags, one
// collection's order and one annotation's note converge everywhere and lose nothing; an
// offline client's queued edits arrive after reconnect; an imported article arrives on the
// others rebuilt and searchable; a deleted article is a recoverable tombstone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { filesUnder, RSSHUB, tempDir } from '../helpers/corpus'
import { pgAvailable, startPgCluster, type PgCluster } from '../helpers/pg-cluster'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import {
  clientOn,
  openTeamClient,
  setUpTeam,
  until,
  type TeamClient
} from '../helpers/team-clients'
import { articleIdOf, articleKeyOf } from '../../src/core/team/local/keys'
import { setMember } from '../../src/core/team/server'
import type { LibraryChange } from '../../src/shared/change-types'

const TEAM = 'desk'
let cluster: PgCluster
let t: { dir: string; cleanup: () => void }
let a: TeamClient, b: TeamClient, c: TeamClient
let keys: string[]

const idIn = (cl: TeamClient, key: string): number => {
  const id = articleIdOf(cl.svc.db, key)
  if (id === null) throw new Error(`${cl.name} has no article ${key}`)
  return id
}
const tagsIn = async (cl: TeamClient, key: string): Promise<string[]> =>
  ((await cl.svc.getArticle(idIn(cl, key)))?.tags ?? []).slice().sort()

const syncAll = async (...cls: TeamClient[]): Promise<void> => {
  for (const cl of cls) await cl.sync.syncNow()
}

describe.skipIf(!pgAvailable)(
  pgAvailable ? 'team sync, three clients' : 'team sync (skipped: PostgreSQL 15 is not installed)',
  () => {
    beforeAll(async () => {
      cluster = await startPgCluster()
      t = tempDir('gleaner-team-sync-')
      await setUpTeam(cluster, TEAM, ['ana', 'bo', 'cy'])
      a = openTeamClient(cluster, t.dir, 'ana', TEAM)
      b = openTeamClient(cluster, t.dir, 'bo', TEAM)
      c = openTeamClient(cluster, t.dir, 'cy', TEAM)
      const files = filesUnder(RSSHUB)
        .filter((f) => f.endsWith('.md'))
        .slice(0, 6)
      await a.svc.importPaths(files)
      const ids = (await a.svc.listArticles({ limit: 50 })).items.map((x) => x.id)
      keys = ids.map((id) => articleKeyOf(a.svc.db, id)!).sort()
      await syncAll(a, b, c)
    }, 120_000)
    afterAll(async () => {
      for (const cl of [a, b, c]) await cl?.close().catch(() => undefined)
      cluster?.destroy()
      t?.cleanup()
    })

    it('an article imported on one client arrives on the others, rebuilt and searchable', async () => {
      for (const cl of [b, c]) {
        for (const key of keys) expect(articleIdOf(cl.svc.db, key)).not.toBeNull()
        const mine = (await a.svc.getArticle(idIn(a, keys[0]!)))!
        const theirs = (await cl.svc.getArticle(idIn(cl, keys[0]!)))!
        expect(theirs.title).toBe(mine.title)
        expect(theirs.cleanText).toBe(mine.cleanText)
        const word = mine.title.slice(0, 4)
        const hits = await cl.svc.search(word, { limit: 50 })
        expect(hits.items.map((h) => h.id)).toContain(theirs.id)
      }
      // Pulling is not an edit of theirs: nothing to push back, nothing to undo.
      expect(b.sync.status().pending).toBe(0)
      expect((await b.svc.undoState()).undo?.op ?? null).not.toBe('teamSync')
    })

    it('concurrent tag edits of one article converge on every client and lose none', async () => {
      const key = keys[1]!
      await a.svc.addTag([idIn(a, key)], '经济')
      await b.svc.addTag([idIn(b, key)], '外交')
      await c.svc.addTag([idIn(c, key)], '军事')
      await syncAll(a, b, c)
      // What a pull brings is announced to every window as one change nobody can undo.
      const heard: LibraryChange[] = []
      const off = a.svc.on('libraryChanged', (ch) => heard.push(ch))
      await a.sync.syncNow()
      off()
      expect(heard.map((ch) => [ch.op, ch.undoable])).toEqual([['teamSync', false]])
      expect(heard[0]!.touched.articleIds).toContain(idIn(a, key))
      expect((await a.svc.undoState()).undo?.op).toBe('addTag')
      await syncAll(b)
      for (const cl of [a, b, c]) expect(await tagsIn(cl, key)).toEqual(['军事', '外交', '经济'])
      // One removes a tag while another adds one: both hold.
      await a.svc.removeTag([idIn(a, key)], '外交')
      await c.svc.addTag([idIn(c, key)], '科技')
      await syncAll(a, c, a, b)
      for (const cl of [a, b, c]) expect(await tagsIn(cl, key)).toEqual(['军事', '科技', '经济'])
      // The tag is searchable where it was pulled (the search document was re-indexed).
      const hits = await b.svc.search('tag:科技', { limit: 10 })
      expect(hits.items.map((h) => h.id)).toEqual([idIn(b, key)])
    })

    it('concurrent moves in one collection converge to one order on every client', async () => {
      const ids = keys.slice(0, 4).map((k) => idIn(a, k))
      const col = await a.svc.createCollection('晨报', null, ids)
      await syncAll(a, b, c)
      const colIn = async (cl: TeamClient) =>
        (await cl.svc.listCollections()).find((x) => x.name === '晨报')!
      const order = async (cl: TeamClient) =>
        (await cl.svc.collectionItems((await colIn(cl)).id)).map((i) =>
          articleKeyOf(cl.svc.db, i.articleId)
        )
      expect(await order(b)).toEqual(await order(a))
      // A moves the last to the front; B moves the first to the end, at the same time.
      await a.svc.moveInCollection(col.id, ids[3]!, ids[0]!)
      const bCol = await colIn(b)
      await b.svc.moveInCollection(bCol.id, idIn(b, keys[0]!), null)
      await syncAll(a, b, c, a)
      const final = await order(a)
      expect(await order(b)).toEqual(final)
      expect(await order(c)).toEqual(final)
      expect(new Set(final)).toEqual(new Set(keys.slice(0, 4)))
    })

    it('concurrent edits of one annotation’s note keep both texts, flagged, everywhere', async () => {
      const key = keys[2]!
      const made = await a.svc.createAnnotation({ articleId: idIn(a, key), note: '初稿' })
      await syncAll(a, b, c)
      const uid = a.svc.db.prepare('SELECT uid FROM annotations WHERE id = ?').pluck().get(made.id)
      const inB = b.svc.db.prepare('SELECT id, author FROM annotations WHERE uid = ?').get(uid) as {
        id: number
        author: string
      }
      expect(inB.author).toBe('ana')
      await a.svc.updateAnnotation(made.id, { note: '安娜的修改' })
      await b.svc.updateAnnotation(inB.id, { note: '博的修改' })
      await syncAll(a, b, c, a)
      const notes = [a, b, c].map((cl) =>
        cl.svc.db.prepare('SELECT note, conflict FROM annotations WHERE uid = ?').get(uid)
      ) as { note: string; conflict: number }[]
      for (const n of notes) {
        expect(n.note).toContain('安娜的修改')
        expect(n.note).toContain('博的修改')
        expect(n.conflict).toBe(1)
        expect(n.note).toBe(notes[0]!.note)
      }
      // Bo settles it: one text again, and the flag goes everywhere, his copy too.
      await b.svc.updateAnnotation(inB.id, { note: '定稿' })
      await syncAll(b, a, c)
      for (const cl of [a, b, c])
        expect(
          cl.svc.db.prepare('SELECT note, conflict FROM annotations WHERE uid = ?').get(uid)
        ).toEqual({
          note: '定稿',
          conflict: 0
        })
    })

    it('two items moved into one gap at once take one order everywhere', async () => {
      // X comes from A's import and Y from B's: each client numbers its own article first, so
      // ordering equal positions by local id would disagree.
      const [fx, fy] = filesUnder(RSSHUB)
        .filter((f) => f.endsWith('.md'))
        .slice(40, 42)
      await a.svc.importPaths([fx!])
      await b.svc.importPaths([fy!])
      await syncAll(a, b, c, a)
      const bySource = (cl: TeamClient, path: string): string =>
        articleKeyOf(
          cl.svc.db,
          cl.svc.db
            .prepare('SELECT id FROM articles WHERE source_path = ?')
            .pluck()
            .get(path) as number
        )!
      const kx = bySource(a, fx!)
      const ky = bySource(b, fy!)
      const [kp, kq] = [keys[0]!, keys[1]!]
      const col = await a.svc.createCollection(
        '排序',
        null,
        [kp, kq, kx, ky].map((k) => idIn(a, k))
      )
      await syncAll(a, b, c)
      const colIn = async (cl: TeamClient) =>
        (await cl.svc.listCollections()).find((x) => x.name === '排序')!
      await a.svc.moveInCollection(col.id, idIn(a, kx), idIn(a, kq))
      await b.svc.moveInCollection((await colIn(b)).id, idIn(b, ky), idIn(b, kq))
      await syncAll(a, b, c, a)
      const order = async (cl: TeamClient) =>
        (await cl.svc.collectionItems((await colIn(cl)).id)).map((i) =>
          articleKeyOf(cl.svc.db, i.articleId)
        )
      const final = await order(a)
      expect(final[0]).toBe(kp)
      expect(final[3]).toBe(kq)
      expect(await order(b)).toEqual(final)
      expect(await order(c)).toEqual(final)
    })

    it('two collections given one name at once are both kept, the pulled one renamed here', async () => {
      await a.svc.createCollection('周报', null, [idIn(a, keys[0]!)])
      await b.svc.createCollection('周报', null, [idIn(b, keys[1]!)])
      await syncAll(a, b, c, a)
      for (const cl of [a, b, c]) {
        const names = (await cl.svc.listCollections())
          .map((x) => x.name)
          .filter((n) => n.startsWith('周报'))
        expect(names.sort()).toEqual(['周报', '周报 (2)'])
      }
      // Each keeps its own items under whichever name.
      const itemsOf = async (cl: TeamClient) =>
        (
          await Promise.all(
            (await cl.svc.listCollections())
              .filter((x) => x.name.startsWith('周报'))
              .map(async (x) =>
                (await cl.svc.collectionItems(x.id)).map((i) =>
                  articleKeyOf(cl.svc.db, i.articleId)
                )
              )
          )
        )
          .flat()
          .sort()
      expect(await itemsOf(c)).toEqual([keys[0], keys[1]].sort())
    })

    it('two files of one name from two folders arrive as two articles', async () => {
      const [one, two] = filesUnder(RSSHUB)
        .filter((f) => f.endsWith('.md'))
        .slice(30, 32)
      for (const [dir, file] of [
        ['folder-a', one!],
        ['folder-b', two!]
      ] as const) {
        mkdirSync(join(t.dir, dir), { recursive: true })
        copyFileSync(file, join(t.dir, dir, 'index.md'))
      }
      await a.svc.importPaths([
        join(t.dir, 'folder-a', 'index.md'),
        join(t.dir, 'folder-b', 'index.md')
      ])
      const both = a.svc.db
        .prepare(`SELECT id FROM articles WHERE source_path LIKE '%index.md'`)
        .pluck()
        .all() as number[]
      expect(both).toHaveLength(2)
      await syncAll(a, b)
      for (const id of both)
        expect(articleIdOf(b.svc.db, articleKeyOf(a.svc.db, id)!)).not.toBeNull()
    })

    it('a deleted article is a tombstone the others can restore', async () => {
      const key = keys[3]!
      await a.svc.deleteArticles([idIn(a, key)])
      await syncAll(a, b, c)
      for (const cl of [b, c]) {
        const trash = await cl.svc.listTrash({ limit: 50 })
        expect(trash.items.map((x) => x.id)).toContain(idIn(cl, key))
      }
      // A even empties the Trash: the team keeps the tombstone; C restores it for everyone.
      await a.svc.emptyTrash([idIn(a, key)])
      await a.sync.syncNow()
      await c.svc.restoreArticles([idIn(c, key)])
      await syncAll(c, b, a)
      // A, whose copy was purged, gets it back from the team's original.
      expect(
        a.svc.db.prepare('SELECT deleted_at FROM articles WHERE id = ?').pluck().get(idIn(a, key))
      ).toBeNull()
      expect(
        b.svc.db.prepare('SELECT deleted_at FROM articles WHERE id = ?').pluck().get(idIn(b, key))
      ).toBeNull()
    })

    it('an offline client queues its edits and pushes them when the server is back', async () => {
      const key = keys[4]!
      cluster.stop()
      await c.svc.addTag([idIn(c, key)], '离线')
      await expect(c.sync.syncNow()).rejects.toThrow()
      expect(c.sync.status().state).toBe('offline')
      expect(c.sync.status().lastError?.code).toBe('team-unreachable')
      expect(c.sync.status().pending).toBeGreaterThan(0)
      cluster.start()
      await c.sync.syncNow()
      expect(c.sync.status()).toMatchObject({ state: 'idle', lastError: null, pending: 0 })
      await a.sync.syncNow()
      expect(await tagsIn(a, key)).toContain('离线')
    })

    it('continuous mode brings another client’s edit by itself (LISTEN/NOTIFY)', async () => {
      const key = keys[5]!
      // B's connection was opened by a one-off sync; continuous mode must listen on it too.
      await b.sync.syncNow()
      const before = b.statuses.length
      b.sync.start()
      await until(
        () => b.statuses.slice(before).some((s) => s.state === 'idle'),
        10_000,
        'b synced'
      )
      a.sync.start()
      // No sync is asked for: the edit goes out on its own, the notification brings it in.
      await a.svc.addTag([idIn(a, key)], '实时')
      await until(async () => (await tagsIn(b, key)).includes('实时'), 10_000, 'the tag on b')
      await a.sync.stop()
      await b.sync.stop()
    })

    it('a new process knows when the copy last synced, and an open one sees who connects', async () => {
      const synced = c.sync.status().lastSyncAt
      expect(synced).not.toBeNull()
      await c.close()
      c = openTeamClient(cluster, t.dir, 'cy', TEAM)
      expect(c.sync.status().lastSyncAt).toBe(synced)
      // A second copy of cy's, continuous, asks who is connected now and then.
      const watcher = clientOn(join(t.dir, 'cy-watch.db'), cluster.url('cy', 'pw-cy'), 'cy', TEAM, {
        limits: { connectedMs: 50 }
      })
      watcher.sync.start()
      await a.sync.syncNow() // ana's copy keeps its connection open
      await until(() => watcher.sync.status().connected.includes('ana'), 10_000, 'ana connected')
      await a.close()
      await until(() => !watcher.sync.status().connected.includes('ana'), 10_000, 'ana gone')
      await watcher.close()
    })

    it('an article whose import failed here is fetched again by later syncs, with the team’s filing', async () => {
      cluster.psql(`CREATE ROLE dee LOGIN PASSWORD 'pw-dee'`)
      await setMember(cluster.url(), TEAM, 'dee', 'write')
      await b.svc.addTag([idIn(b, keys[0]!)], 'refetched')
      await b.sync.syncNow()
      // A parse that fails as a worker that timed out does (the pool's own failure).
      const broken = openTeamClient(cluster, t.dir, 'dee', TEAM, {
        importOptions: {
          parse: () => ({
            ok: false,
            code: 'internal',
            reason: 'parsing took over 30 s; file skipped'
          })
        }
      })
      await broken.sync.syncNow()
      const owed = (db: typeof broken.svc.db): number =>
        db.prepare('SELECT COUNT(*) FROM team_refetch').pluck().get() as number
      expect(articleIdOf(broken.svc.db, keys[0]!)).toBeNull()
      const teamArticles = broken.svc.db
        .prepare(`SELECT COUNT(DISTINCT key) FROM team_shadow WHERE kind = 'article'`)
        .pluck()
        .get() as number
      expect(teamArticles).toBeGreaterThanOrEqual(keys.length)
      expect(owed(broken.svc.db)).toBe(teamArticles)
      await broken.close()
      // The same library later, its parser well: the next sync brings every owed article.
      const well = openTeamClient(cluster, t.dir, 'dee', TEAM)
      await well.sync.syncNow()
      for (const key of keys) expect(articleIdOf(well.svc.db, key), key).not.toBeNull()
      expect(owed(well.svc.db)).toBe(0)
      expect(await tagsIn(well, keys[0]!)).toContain('refetched')
      // Their annotations and collection items, pulled while the articles were missing here,
      // are made when the articles arrive: the copy ends as the team has it.
      const rows = (db: typeof well.svc.db, sql: string): unknown[] => db.prepare(sql).all()
      for (const sql of [
        'SELECT uid, note FROM annotations ORDER BY uid',
        `SELECT c.uid, count(*) AS n FROM collection_items i
           JOIN collections c ON c.id = i.collection_id GROUP BY c.uid ORDER BY c.uid`
      ]) {
        expect(rows(well.svc.db, sql).length).toBeGreaterThan(0)
        expect(rows(well.svc.db, sql)).toEqual(rows(b.svc.db, sql))
      }
      await well.close()
    })
  }
)
