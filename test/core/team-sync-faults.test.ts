// Team sync under faults, on real library files and a real PostgreSQL cluster: a client
// process SIGKILLed mid-push (before sending, and after the server committed) and mid-pull; the
// server stopped and restarted mid-sync; a connection dropped during a large upload. Afterwards
// no change is lost or applied twice: the server's change log holds each write once and every
// client ends with the same library.
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { filesUnder, RSSHUB, tempDir } from '../helpers/corpus'
import { pgAvailable, startPgCluster, type PgCluster } from '../helpers/pg-cluster'
import {
  clientOn,
  openTeamClient,
  setUpTeam,
  until,
  type TeamClient
} from '../helpers/team-clients'
import { articleIdOf, articleKeyOf } from '../../src/core/team/local/keys'
import { pendingBatch } from '../../src/core/team/local/push'
import type { TeamServer } from '../../src/core/team/protocol'

const ROOT = resolve(import.meta.dirname, '../..')
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
const CHILD = join(ROOT, 'test/helpers/team-client-process.ts')
const TEAM = 'faults'
const SCHEMA = 'gleaner_faults'

let cluster: PgCluster
let t: { dir: string; cleanup: () => void }

/** Runs a client process until it prints `point`, then SIGKILLs it; resolves with the line. */
function killAt(libraryPath: string, role: string, point: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [
      TSX,
      CHILD,
      libraryPath,
      cluster.url(role, `pw-${role}`),
      role,
      TEAM,
      point
    ])
    let out = ''
    let err = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      fail(new Error(`no ${point} from the client within 60 s: ${out} ${err}`))
    }, 60_000)
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith(point))
      if (!line) return
      child.kill('SIGKILL')
      clearTimeout(timer)
      child.on('exit', () => done(line))
    })
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') {
        clearTimeout(timer)
        fail(new Error(`client exited (${code}) before ${point}: ${out} ${err}`))
      }
    })
  })
}

const psql = (sql: string): string[] => cluster.psql(sql).trim().split('\n').filter(Boolean)

/** Every write the server logged, once each (a write applied twice would repeat its hlc). */
function expectNoDoubles(): void {
  expect(
    psql(
      `SELECT kind, key, field, hlc FROM ${SCHEMA}.changes GROUP BY 1, 2, 3, 4 HAVING count(*) > 1`
    )
  ).toEqual([])
  expect(
    psql(
      `SELECT batch FROM ${SCHEMA}.changes GROUP BY batch, client HAVING count(DISTINCT version) <> count(*)`
    )
  ).toEqual([])
}

const tagsOf = (cl: TeamClient, key: string): string[] =>
  (
    cl.svc.db
      .prepare(
        `SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = ?`
      )
      .pluck()
      .all(articleIdOf(cl.svc.db, key)) as string[]
  ).sort()

const rssFiles = (n: number, skip = 0): string[] =>
  filesUnder(RSSHUB)
    .filter((f) => f.endsWith('.md'))
    .slice(skip, skip + n)

describe.skipIf(!pgAvailable)(
  pgAvailable
    ? 'team sync under faults'
    : 'team sync faults (skipped: PostgreSQL 15 is not installed)',
  () => {
    beforeAll(async () => {
      cluster = await startPgCluster()
      t = tempDir('gleaner-team-faults-')
      await setUpTeam(cluster, TEAM, ['ana', 'bo', 'cy', 'dee'])
    }, 60_000)
    afterAll(() => {
      cluster?.destroy()
      t?.cleanup()
    })

    for (const point of ['before-push', 'after-push'] as const) {
      it(`a client killed ${point === 'before-push' ? 'before its batch is sent' : 'after the server committed its batch'} pushes it once when it syncs again`, async () => {
        const lib = join(t.dir, `ana-${point}.db`)
        let ana = clientOn(lib, cluster.url('ana', 'pw-ana'), 'ana', TEAM)
        await ana.svc.importPaths(rssFiles(3, point === 'before-push' ? 0 : 3))
        const ids = (await ana.svc.listArticles({ limit: 10 })).items.map((x) => x.id)
        await ana.svc.addTag(ids, `标签-${point}`)
        const keys = ids.map((id) => articleKeyOf(ana.svc.db, id)!)
        await ana.close()

        const line = await killAt(lib, 'ana', point)
        const batchId = line.split(' ')[1]!
        ana = clientOn(lib, cluster.url('ana', 'pw-ana'), 'ana', TEAM)
        // The batch survived the crash, under the id it was (or was about to be) sent with.
        expect(pendingBatch(ana.svc.db)?.id).toBe(batchId)
        const before = Number(
          psql(`SELECT count(*) FROM ${SCHEMA}.batches WHERE id = '${batchId}'`)[0]
        )
        expect(before).toBe(point === 'after-push' ? 1 : 0)
        const report = await ana.sync.syncNow()
        expect(report.pushed).toBeGreaterThan(0)
        expect(pendingBatch(ana.svc.db)).toBeNull()
        expect(ana.sync.status().pending).toBe(0)
        expect(psql(`SELECT count(*) FROM ${SCHEMA}.batches WHERE id = '${batchId}'`)).toEqual([
          '1'
        ])
        expectNoDoubles()
        await ana.close()

        const bo = openTeamClient(cluster, t.dir, `bo`, TEAM)
        await bo.sync.syncNow()
        for (const key of keys) {
          expect(articleIdOf(bo.svc.db, key)).not.toBeNull()
          expect(tagsOf(bo, key)).toContain(`标签-${point}`)
        }
        await bo.close()
      }, 120_000)
    }

    it('a client killed mid-pull finishes the pull without applying a page twice', async () => {
      // Something to pull in several pages: articles, a collection, annotations.
      const ana = openTeamClient(cluster, t.dir, 'ana', TEAM)
      await ana.svc.importPaths(rssFiles(4, 6))
      const ids = (await ana.svc.listArticles({ limit: 50 })).items.map((x) => x.id)
      await ana.svc.createCollection('拉取', null, ids.slice(0, 5))
      for (const id of ids.slice(0, 3))
        await ana.svc.createAnnotation({ articleId: id, note: `笔记 ${id}` })
      await ana.sync.syncNow()

      const lib = join(t.dir, 'cy.db')
      const line = await killAt(lib, 'cy', 'mid-pull')
      const cy = clientOn(lib, cluster.url('cy', 'pw-cy'), 'cy', TEAM)
      const halfway = Number(line.split(' ')[1])
      expect(halfway).toBeGreaterThan(0)
      expect(
        Number(
          cy.svc.db.prepare(`SELECT value FROM settings WHERE key = 'team.version'`).pluck().get()
        )
      ).toBe(halfway)
      await cy.sync.syncNow()
      const serverVersion = Number(psql(`SELECT max(version) FROM ${SCHEMA}.changes`)[0])
      expect(cy.sync.status().serverVersion).toBe(serverVersion)
      // Same library as ana's: each article, collection, item and annotation once.
      const count = (cl: TeamClient, sql: string): number =>
        cl.svc.db.prepare(sql).pluck().get() as number
      for (const sql of [
        'SELECT count(*) FROM articles WHERE deleted_at IS NULL',
        'SELECT count(*) FROM collections',
        'SELECT count(*) FROM collection_items',
        'SELECT count(*) FROM annotations'
      ])
        expect([sql, count(cy, sql)]).toEqual([sql, count(ana, sql)])
      const uids = (cl: TeamClient) =>
        cl.svc.db.prepare('SELECT uid, note FROM annotations ORDER BY uid').all()
      expect(uids(cy)).toEqual(uids(ana))
      expect(cy.sync.status().pending).toBe(0)
      await cy.close()
      await ana.close()
    }, 120_000)

    it('PostgreSQL stopped mid-sync: the sync fails clearly, status offline, then resumes', async () => {
      let stopOnce = true
      const dee = openTeamClient(cluster, t.dir, 'dee', TEAM, {
        limits: { originalsPerCall: 2, retryMinMs: 100, retryMaxMs: 400 },
        wrap: (s: TeamServer): TeamServer => ({
          ...s,
          async putOriginals(originals) {
            if (stopOnce) {
              stopOnce = false
              cluster.stop()
            }
            return s.putOriginals(originals)
          }
        })
      })
      await dee.sync.syncNow() // catch up with the team first
      await dee.svc.importPaths(rssFiles(6, 20))
      const ids = (await dee.svc.listArticles({ limit: 200 })).items.map((x) => x.id)
      const mine = ids.map((id) => articleKeyOf(dee.svc.db, id)!)
      await expect(dee.sync.syncNow()).rejects.toMatchObject({ code: 'team-unreachable' })
      expect(dee.sync.status()).toMatchObject({ state: 'offline' })
      expect(dee.sync.status().lastError?.code).toBe('team-unreachable')
      expect(dee.sync.status().pending).toBeGreaterThan(0)
      // Continuous mode keeps trying; an edit made while offline waits in the queue.
      const offline = (): number => dee.statuses.filter((s) => s.state === 'offline').length
      const failedSoFar = offline()
      dee.sync.start()
      await dee.svc.addTag([ids[0]!], '断线期间')
      await until(() => offline() > failedSoFar, 10_000, 'a failed retry')
      cluster.start()
      await until(
        () => dee.sync.status().state === 'idle' && dee.sync.status().pending === 0,
        20_000,
        'resumed'
      )
      await dee.sync.stop()
      expectNoDoubles()
      const ana = openTeamClient(cluster, t.dir, 'ana', TEAM)
      await ana.sync.syncNow()
      for (const key of mine) expect(articleIdOf(ana.svc.db, key)).not.toBeNull()
      expect(tagsOf(ana, mine[0]!)).toContain('断线期间')
      await ana.close()
      await dee.close()
    }, 120_000)

    it('a connection dropped during a large upload resumes, each original stored once', async () => {
      let puts = 0
      let terminated = 0
      const bo2 = clientOn(join(t.dir, 'bo-upload.db'), cluster.url('bo', 'pw-bo'), 'bo', TEAM, {
        limits: { originalsPerCall: 5 },
        wrap: (s: TeamServer): TeamServer => ({
          ...s,
          async putOriginals(originals) {
            if (++puts === 3)
              terminated = cluster
                .psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'bo'`)
                .split('\n')
                .filter((l) => l === 't').length
            return s.putOriginals(originals)
          }
        })
      })
      await bo2.sync.syncNow() // catch up with the team (its connection stays open)
      puts = 0
      await bo2.svc.importPaths(rssFiles(60, 40))
      const local = bo2.svc.db.prepare('SELECT sha256 FROM originals').pluck().all() as string[]
      const onServerBefore = Number(psql(`SELECT count(*) FROM ${SCHEMA}.originals`)[0])
      const report = await bo2.sync.syncNow()
      // The connection was cut under the third upload; the sync went on on a new one.
      expect(terminated).toBeGreaterThan(0)
      expect(puts).toBeGreaterThan(3)
      const list = local.map((x) => `'${x}'`).join(',')
      expect(psql(`SELECT count(*) FROM ${SCHEMA}.originals WHERE sha256 IN (${list})`)).toEqual([
        String(local.length)
      ])
      // Nothing already on the server was sent again.
      const onServerAfter = Number(psql(`SELECT count(*) FROM ${SCHEMA}.originals`)[0])
      expect(report.uploaded).toBe(onServerAfter - onServerBefore)
      expect(report.uploaded).toBeGreaterThan(10)
      expect(bo2.sync.status()).toMatchObject({ state: 'idle', pending: 0 })
      expectNoDoubles()
      await bo2.close()
    }, 180_000)
  }
)
