// Who may do what in a team library is enforced by PostgreSQL itself: plain SQL from a member's
// own connection (what a hand-made client could send) is refused by grants and by row-level
// security, and logins fail with codes that never echo the password.
import { createServer } from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatHlc } from '../../src/core/team/hlc'
import type { TeamServer } from '../../src/core/team/protocol'
import { connectTeam, createTeamLibrary, setMember } from '../../src/core/team/server'
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster'
import { errorOf } from '../helpers/team-errors'

let cluster: PgCluster
const closers: (() => Promise<unknown>)[] = []

beforeAll(async () => {
  cluster = await startPgCluster()
  cluster.psql(`CREATE ROLE writer LOGIN PASSWORD 'writer-pw';
                CREATE ROLE reader LOGIN PASSWORD 'reader-pw';
                CREATE ROLE outsider LOGIN PASSWORD 'outsider-pw'`)
  for (const team of ['Alpha', 'Beta']) await createTeamLibrary(cluster.url(), team)
  await setMember(cluster.url(), 'Alpha', 'writer', 'write')
  await setMember(cluster.url(), 'Alpha', 'reader', 'read')
  await setMember(cluster.url(), 'Beta', 'outsider', 'write')
  const beta = await connectTeam(cluster.url(), 'Beta', { clientId: 'seed' })
  await beta.push('seed', 'seed', [
    { kind: 'collection', key: 'b-secret', field: 'name', value: 'Beta only', hlc: hlc(1) }
  ])
  await beta.close()
})
afterAll(async () => {
  for (const close of closers) await close().catch(() => {})
  cluster?.destroy()
})

const hlc = (ms: number): string => formatHlc({ ms, counter: 0, client: 'sec' })

/** A plain SQL connection as `user`: what any client of the server could send. */
async function sql(user: string, password: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: cluster.url(user, password) })
  await c.connect()
  closers.push(() => c.end())
  return c
}

async function team(name: string, user: string, password: string): Promise<TeamServer> {
  const s = await connectTeam(cluster.url(user, password), name, { clientId: user })
  closers.push(() => s.close())
  return s
}

async function sqlState(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (err) {
    return `${(err as { code?: string }).code}: ${(err as Error).message}`
  }
  return 'accepted'
}

const insertField = `INSERT INTO gleaner_alpha.fields (kind, key, field, value, hlc, version)
                     VALUES ('article', 'k:0', 'deleted', 'null', '${hlc(5)}', 999)`

describe('a read-only member', () => {
  it('cannot write by plain SQL: PostgreSQL refuses with 42501', async () => {
    const c = await sql('reader', 'reader-pw')
    expect(await sqlState(c.query(insertField))).toMatch(
      /^42501: permission denied for table fields/
    )
    expect(await sqlState(c.query(`UPDATE gleaner_alpha.fields SET value = '1'`))).toMatch(/^42501/)
    expect(
      await sqlState(
        c.query(`INSERT INTO gleaner_alpha.originals (sha256, name, size, bytes)
                 VALUES (repeat('a', 64), 'x.txt', 1, '\\x41')`)
      )
    ).toMatch(/^42501/)
    expect(await sqlState(c.query(`SELECT gleaner_alpha.push('b', 'c', '[]'::jsonb)`))).toMatch(
      /^42501: permission denied for function push/
    )
    // Reading is what it may do.
    expect((await c.query('SELECT count(*) FROM gleaner_alpha.fields')).rows).toHaveLength(1)
  })

  it('is refused by row-level security even when the write privileges were granted by mistake', async () => {
    cluster.psql(`GRANT INSERT, UPDATE ON gleaner_alpha.fields TO gleaner_alpha_read;
                  GRANT USAGE ON SEQUENCE gleaner_alpha.version_seq TO gleaner_alpha_read`)
    try {
      const w = await team('Alpha', 'writer', 'writer-pw')
      await w.push('w1', 'w', [
        { kind: 'article', key: 'k:0', field: 'tag:x', value: true, hlc: hlc(10) }
      ])
      const c = await sql('reader', 'reader-pw')
      expect(await sqlState(c.query(insertField.replace("'null'", "'1'")))).toMatch(
        /^42501: new row violates row-level security policy/
      )
      // UPDATE's policy admits no row to a reader: nothing changes.
      const upd = await c.query(`UPDATE gleaner_alpha.fields SET value = 'false'`)
      expect(upd.rowCount).toBe(0)
      expect(cluster.psql(`SELECT value FROM gleaner_alpha.fields WHERE field = 'tag:x'`)).toBe(
        'true\n'
      )
    } finally {
      cluster.psql(`REVOKE INSERT, UPDATE ON gleaner_alpha.fields FROM gleaner_alpha_read;
                    REVOKE USAGE ON SEQUENCE gleaner_alpha.version_seq FROM gleaner_alpha_read`)
    }
  })

  it('has its push refused with team-permission-denied, nothing applied', async () => {
    const r = await team('Alpha', 'reader', 'reader-pw')
    expect(r.info.access).toBe('read')
    const before = cluster.psql(`SELECT count(*) FROM gleaner_alpha.changes`)
    const err = await errorOf(
      r.push('r1', 'r', [
        { kind: 'article', key: 'k:9', field: 'tag:y', value: true, hlc: hlc(20) }
      ])
    )
    expect(err.code).toBe('team-permission-denied')
    expect(err.params).toMatchObject({ user: 'reader', name: 'Alpha' })
    const orig = await errorOf(
      r.putOriginals([
        {
          sha256: 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb',
          name: 'a.txt',
          bytes: Buffer.from('a')
        }
      ])
    )
    expect(orig.code).toBe('team-permission-denied')
    expect(cluster.psql(`SELECT count(*) FROM gleaner_alpha.changes`)).toBe(before)
  })
})

describe('a writer', () => {
  it('cannot write in another role’s name, rewrite the change log or delete', async () => {
    const c = await sql('writer', 'writer-pw')
    expect(
      await sqlState(
        c.query(`INSERT INTO gleaner_alpha.fields (kind, key, field, value, hlc, version, author)
                 VALUES ('article', 'forged:0', 'deleted', 'null', '${hlc(30)}', 5000, 'reader')`)
      )
    ).toMatch(/^42501: new row violates row-level security policy/)
    expect(await sqlState(c.query(`UPDATE gleaner_alpha.changes SET value = 'null'`))).toMatch(
      /^42501: permission denied for table changes/
    )
    expect(await sqlState(c.query(`DELETE FROM gleaner_alpha.fields`))).toMatch(/^42501/)
    expect(await sqlState(c.query(`DELETE FROM gleaner_alpha.originals`))).toMatch(/^42501/)
  })

  it('cannot set a version by plain SQL: the database stamps the next one', async () => {
    const c = await sql('writer', 'writer-pw')
    const before = Number(cluster.psql(`SELECT max(version) FROM gleaner_alpha.fields`))
    await c.query(`INSERT INTO gleaner_alpha.fields (kind, key, field, value, hlc, version)
                   VALUES ('article', 'sql:0', 'deleted', 'null', '${hlc(35)}', 9000000000)`)
    await c.query(`UPDATE gleaner_alpha.fields SET version = 1 WHERE key = 'sql:0'`)
    const after = Number(
      cluster.psql(`SELECT version FROM gleaner_alpha.fields WHERE key = 'sql:0'`)
    )
    expect(after).toBeGreaterThan(before)
    expect(after).toBeLessThan(before + 10)
  })

  it('has its pushes recorded under its own role, whatever the client says', async () => {
    const w = await team('Alpha', 'writer', 'writer-pw')
    await w.push('w-author', 'pretend-to-be-admin', [
      { kind: 'annotation', key: 'an-1', field: 'article', value: 'k:0', hlc: hlc(40) }
    ])
    expect(
      cluster.psql(
        `SELECT author FROM gleaner_alpha.fields WHERE key = 'an-1' UNION ALL
         SELECT author FROM gleaner_alpha.changes WHERE key = 'an-1' UNION ALL
         SELECT author FROM gleaner_alpha.batches WHERE id = 'w-author'`
      )
    ).toBe('writer\nwriter\nwriter\n')
  })

  it('may not create team libraries or manage members without CREATEROLE', async () => {
    const create = await errorOf(createTeamLibrary(cluster.url('writer', 'writer-pw'), 'Gamma'))
    expect(create.code).toBe('team-permission-denied')
    expect(cluster.psql(`SELECT count(*) FROM pg_namespace WHERE nspname = 'gleaner_gamma'`)).toBe(
      '0\n'
    )
  })
})

describe('separate teams', () => {
  it('a member of team Beta cannot read team Alpha, nor Alpha’s member Beta', async () => {
    const outsider = await sql('outsider', 'outsider-pw')
    expect(await sqlState(outsider.query('SELECT * FROM gleaner_alpha.fields'))).toMatch(
      /^42501: permission denied for schema gleaner_alpha/
    )
    const reader = await sql('reader', 'reader-pw')
    expect(await sqlState(reader.query('SELECT * FROM gleaner_beta.fields'))).toMatch(/^42501/)
    expect((await errorOf(team('Beta', 'reader', 'reader-pw'))).code).toBe('team-permission-denied')
  })

  it('sees no row of another team even when its schema and tables were granted by mistake', async () => {
    cluster.psql(`GRANT USAGE ON SCHEMA gleaner_beta TO reader;
                  GRANT SELECT ON gleaner_beta.fields, gleaner_beta.originals TO reader`)
    try {
      const reader = await sql('reader', 'reader-pw')
      expect((await reader.query('SELECT * FROM gleaner_beta.fields')).rows).toEqual([])
      expect(cluster.psql('SELECT count(*) FROM gleaner_beta.fields')).toBe('1\n')
    } finally {
      cluster.psql(`REVOKE USAGE ON SCHEMA gleaner_beta FROM reader;
                    REVOKE SELECT ON gleaner_beta.fields, gleaner_beta.originals FROM reader`)
    }
  })
})

describe('logging in', () => {
  it('a wrong password is team-auth-failed, without the password anywhere in the error', async () => {
    const secret = 'Wr0ng-S3cret-pw'
    const err = await errorOf(
      connectTeam(cluster.url('writer', secret), 'Alpha', { clientId: 'x' })
    )
    expect(err.code).toBe('team-auth-failed')
    expect(err.params).toMatchObject({ user: 'writer' })
    expect(JSON.stringify({ m: err.message, p: err.params, s: err.stack })).not.toContain(secret)
    const create = await errorOf(createTeamLibrary(cluster.url('writer', secret), 'Delta'))
    expect(create.code).toBe('team-auth-failed')
    expect(create.message).not.toContain(secret)
  })

  it('takes the password from the keychain option, else PGPASSWORD, when the URL has none', async () => {
    const bare = `postgres://writer@127.0.0.1:${cluster.port}/postgres`
    const saved = process.env.PGPASSWORD
    delete process.env.PGPASSWORD
    try {
      const viaOption = await connectTeam(bare, 'Alpha', { clientId: 'k', password: 'writer-pw' })
      expect(viaOption.info).toMatchObject({ user: 'writer', access: 'write' })
      expect(viaOption.info.server).toBe(`postgres://writer@127.0.0.1:${cluster.port}/postgres`)
      await viaOption.close()
      process.env.PGPASSWORD = 'writer-pw'
      const viaEnv = await connectTeam(bare, 'Alpha', { clientId: 'e' })
      expect(viaEnv.info.user).toBe('writer')
      await viaEnv.close()
      process.env.PGPASSWORD = 'not-it'
      expect((await errorOf(connectTeam(bare, 'Alpha', { clientId: 'e' }))).code).toBe(
        'team-auth-failed'
      )
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD
      else process.env.PGPASSWORD = saved
    }
  })

  it('a server that is not there is team-unreachable; a bad URL is team-url-invalid', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const a = srv.address()
        srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0))
      })
    })
    const err = await errorOf(
      connectTeam(`postgres://writer:writer-pw@127.0.0.1:${port}/postgres`, 'Alpha', {
        clientId: 'x'
      })
    )
    expect(err.code).toBe('team-unreachable')
    expect(err.message).not.toContain('writer-pw')
    for (const bad of ['http://h/db', 'not a url', 'postgres://h/db?sslmode=sometimes'])
      expect((await errorOf(connectTeam(bad, 'Alpha', { clientId: 'x' }))).code).toBe(
        'team-url-invalid'
      )
  })
})
