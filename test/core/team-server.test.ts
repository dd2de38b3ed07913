// The team library on a real PostgreSQL 15 cluster of this test's own: creating and joining,
// members, push and pull (last writer wins by hlc, an idempotent batch retry, concurrent note
// edits kept side by side in the same order whichever push came first), versions that only
// grow and that a concurrent puller never skips, NOTIFY reaching a listener, originals stored
// once, and the errors a person sees.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatHlc } from '../../src/core/team/hlc'
import type { FieldState, FieldWrite, TeamServer } from '../../src/core/team/protocol'
import {
  connectTeam,
  createTeamLibrary,
  listMembers,
  setMember,
  TeamServerError
} from '../../src/core/team/server'
import { filesUnder, RSSHUB, SEED_FILE } from '../helpers/corpus'
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster'
import { errorOf } from '../helpers/team-errors'

let pg: PgCluster
const open: TeamServer[] = []

beforeAll(async () => {
  pg = await startPgCluster()
  pg.psql(`CREATE ROLE alice LOGIN PASSWORD 'alice-pw'; CREATE ROLE bob LOGIN PASSWORD 'bob-pw';
           CREATE ROLE carol LOGIN PASSWORD 'carol-pw'`)
})
afterAll(async () => {
  await Promise.allSettled(open.map((s) => s.close()))
  pg?.destroy()
})

const hlc = (ms: number, client = 'c1', counter = 0): string => formatHlc({ ms, counter, client })

async function connect(name: string, user = pg.superuser, pw = pg.password): Promise<TeamServer> {
  const s = await connectTeam(pg.url(user, pw), name, { clientId: `client-${user}` })
  open.push(s)
  return s
}

let teamSeq = 0
/** A fresh team library, with alice as writer and bob as reader. */
async function freshTeam(): Promise<string> {
  const name = `Desk-${++teamSeq}`
  await createTeamLibrary(pg.url(), name)
  await setMember(pg.url(), name, 'alice', 'write')
  await setMember(pg.url(), name, 'bob', 'read')
  return name
}

const field = (fields: FieldState[], key: string, f: string): FieldState | undefined =>
  fields.find((x) => x.key === key && x.field === f)

async function pullAll(s: TeamServer, since = 0, limit = 1000): Promise<FieldState[]> {
  const out: FieldState[] = []
  let v = since
  for (;;) {
    const page = await s.pull(v, limit)
    out.push(...page.fields)
    v = page.version
    if (!page.more) return out
  }
}

describe('creating and joining a team library', () => {
  it('creates the schema, its roles and makes the creator admin; a second create is team-exists', async () => {
    await createTeamLibrary(pg.url(), 'News-Desk')
    expect(pg.psql(`SELECT nspname FROM pg_namespace WHERE nspname = 'gleaner_news_desk'`)).toBe(
      'gleaner_news_desk\n'
    )
    expect(
      pg.psql(`SELECT rolname FROM pg_roles WHERE rolname LIKE 'gleaner_news_desk_%' ORDER BY 1`)
    ).toBe('gleaner_news_desk_read\ngleaner_news_desk_write\n')
    // RLS is on and forced on every table.
    expect(
      pg.psql(`SELECT relname || ':' || relrowsecurity || ':' || relforcerowsecurity FROM pg_class
               WHERE relnamespace = 'gleaner_news_desk'::regnamespace AND relkind = 'r' ORDER BY 1`)
    ).toBe(
      'batches:true:true\nchanges:true:true\nfields:true:true\nmeta:true:true\noriginals:true:true\n'
    )
    const again = await errorOf(createTeamLibrary(pg.url(), 'news_desk'))
    expect(again.code).toBe('team-exists')
    expect(again.params).toMatchObject({ name: 'news_desk' })

    const s = await connect('News-Desk')
    expect(s.info).toMatchObject({ access: 'admin', user: pg.superuser, tls: false })
    expect(s.info.server).toBe(`postgres://${pg.superuser}@127.0.0.1:${pg.port}/postgres`)
  })

  it('an administrator role that is no superuser (CREATEROLE, CREATE on the database) creates, manages and writes', async () => {
    pg.psql(`CREATE ROLE deskadmin LOGIN CREATEROLE PASSWORD 'admin-pw';
             GRANT CREATE ON DATABASE postgres TO deskadmin`)
    const url = pg.url('deskadmin', 'admin-pw')
    await createTeamLibrary(url, 'Admin-Made')
    await setMember(url, 'Admin-Made', 'carol', 'read')
    expect((await listMembers(url, 'Admin-Made')).map((m) => `${m.role}:${m.access}`)).toEqual([
      'carol:read',
      'deskadmin:admin'
    ])
    const s = await connect('Admin-Made', 'deskadmin', 'admin-pw')
    expect(s.info.access).toBe('admin')
    // Row-level security is forced on the owner too; its write group lets it write.
    const r = await s.push('adm', 'adm', [
      { kind: 'collection', key: 'u', field: 'name', value: 'Made', hlc: hlc(1) }
    ])
    expect(r.applied).toBe(1)
    const carol = await connect('Admin-Made', 'carol', 'carol-pw')
    expect((await carol.pull(0, 10)).fields.map((f) => f.author)).toEqual(['deskadmin'])
  })

  it('refuses a bad name, an unknown library and a role that is not a member', async () => {
    for (const bad of ['1abc', 'a b', 'x'.repeat(41), '', 'naïve', 'a;drop'])
      expect((await errorOf(createTeamLibrary(pg.url(), bad))).code).toBe('team-name-invalid')
    const missing = await errorOf(connect('Nowhere'))
    expect(missing.code).toBe('team-not-found')
    expect(missing.params).toMatchObject({ name: 'Nowhere' })
    await createTeamLibrary(pg.url(), 'Closed')
    const refused = await errorOf(connect('Closed', 'carol', 'carol-pw'))
    expect(refused.code).toBe('team-permission-denied')
    expect(refused.params).toMatchObject({ user: 'carol', name: 'Closed' })
  })

  it('lists members with their access; grants, changes and removes access', async () => {
    const name = await freshTeam()
    expect(await listMembers(pg.url(), name)).toEqual([
      { role: 'alice', access: 'write', connected: false },
      { role: 'bob', access: 'read', connected: false },
      { role: pg.superuser, access: 'admin', connected: false }
    ])
    const a = await connect(name, 'alice', 'alice-pw')
    expect(a.info.access).toBe('write')
    const b = await connect(name, 'bob', 'bob-pw')
    expect(b.info.access).toBe('read')
    const members = await listMembers(pg.url(), name)
    expect(members.filter((m) => m.connected).map((m) => m.role)).toEqual(['alice', 'bob'])
    expect(await b.connected()).toEqual(['alice', 'bob'])

    await setMember(pg.url(), name, 'bob', 'write')
    await setMember(pg.url(), name, 'alice', null)
    expect((await listMembers(pg.url(), name)).map((m) => `${m.role}:${m.access}`)).toEqual([
      'bob:write',
      `${pg.superuser}:admin`
    ])
    expect((await errorOf(setMember(pg.url(), name, 'nobody', 'read'))).code).toBe(
      'team-role-not-found'
    )
    // A writer is no admin: PostgreSQL itself refuses the GRANT.
    const byWriter = await errorOf(setMember(pg.url('bob', 'bob-pw'), name, 'carol', 'read'))
    expect(byWriter.code).toBe('team-permission-denied')
    expect(pg.psql(`SELECT pg_has_role('carol', 'gleaner_desk_${teamSeq}_read', 'MEMBER')`)).toBe(
      'f\n'
    )
  })
})

describe('push and pull', () => {
  it('applies writes, pulls the current state in version order, and the last writer wins by hlc', async () => {
    const name = await freshTeam()
    const a = await connect(name, 'alice', 'alice-pw')
    const admin = await connect(name)
    const t = Date.UTC(2026, 0, 1)
    const first = await a.push('b1', 'ca', [
      { kind: 'article', key: 'k1:0', field: 'tag:china', value: true, hlc: hlc(t, 'ca') },
      { kind: 'article', key: 'k1:0', field: 'categories', value: [['World']], hlc: hlc(t, 'ca') },
      { kind: 'collection', key: 'u1', field: 'name', value: 'Brief', hlc: hlc(t, 'ca') }
    ])
    expect(first).toMatchObject({ applied: 3, duplicate: false, overruled: [] })
    expect(first.version).toBeGreaterThan(0)

    // An older write loses and comes back with the server's value; a newer one wins.
    const second = await admin.push('b2', 'cb', [
      { kind: 'collection', key: 'u1', field: 'name', value: 'Old', hlc: hlc(t - 1, 'cb') },
      {
        kind: 'article',
        key: 'k1:0',
        field: 'categories',
        value: [['Asia']],
        hlc: hlc(t + 1, 'cb')
      }
    ])
    expect(second.applied).toBe(1)
    expect(second.version).toBeGreaterThan(first.version)
    expect(second.overruled).toEqual([
      {
        kind: 'collection',
        key: 'u1',
        field: 'name',
        value: 'Brief',
        hlc: hlc(t, 'ca'),
        author: 'alice',
        version: expect.any(Number)
      }
    ])
    const all = await pullAll(a)
    expect(all.map((f) => f.version)).toEqual([...all.map((f) => f.version)].sort((x, y) => x - y))
    expect(all).toHaveLength(3)
    expect(field(all, 'k1:0', 'categories')).toMatchObject({
      value: [['Asia']],
      author: pg.superuser,
      version: second.version
    })
    expect(field(all, 'u1', 'name')).toMatchObject({ value: 'Brief', author: 'alice' })
    // Since a version: only what moved after it.
    const later = await a.pull(first.version, 100)
    expect(later.fields.map((f) => f.field)).toEqual(['categories'])
    expect(later).toMatchObject({ version: second.version, more: false })
    // The same hlc again is the same write: nothing applied, nothing overruled.
    const same = await a.push('b3', 'ca', [
      { kind: 'article', key: 'k1:0', field: 'tag:china', value: true, hlc: hlc(t, 'ca') }
    ])
    expect(same).toMatchObject({ applied: 0, overruled: [], version: second.version })
  })

  it('pages a pull with more, each field once', async () => {
    const name = await freshTeam()
    const a = await connect(name, 'alice', 'alice-pw')
    const writes: FieldWrite[] = Array.from({ length: 250 }, (_, i) => ({
      kind: 'article',
      key: `sha${i}:0`,
      field: 'deleted',
      value: null,
      hlc: hlc(1000 + i)
    }))
    const r = await a.push('many', 'ca', writes)
    expect(r.applied).toBe(250)
    const page = await a.pull(0, 100)
    expect(page.fields).toHaveLength(100)
    expect(page.more).toBe(true)
    const rest = await pullAll(a, page.version, 100)
    const keys = [...page.fields, ...rest].map((f) => f.key)
    expect(new Set(keys).size).toBe(250)
    expect(keys).toHaveLength(250)
  })

  it('a retried batch (same id, lost answer) applies nothing twice', async () => {
    const name = await freshTeam()
    const a = await connect(name, 'alice', 'alice-pw')
    const w: FieldWrite[] = [
      { kind: 'item', key: 'c|k:0', field: 'position', value: 1.5, hlc: hlc(5000) }
    ]
    const once = await a.push('batch-x', 'ca', w)
    const twice = await a.push('batch-x', 'ca', [
      { kind: 'item', key: 'c|k:0', field: 'position', value: 9, hlc: hlc(6000) }
    ])
    expect(twice).toMatchObject({ duplicate: true, applied: 0, version: once.version })
    expect(pg.psql(`SELECT count(*) FROM gleaner_desk_${teamSeq}.changes`)).toBe('1\n')
    expect((await a.pull(0, 10)).fields[0]!.value).toBe(1.5)
  })

  it('keeps both texts of a note edited concurrently, the same whichever push came first', async () => {
    const merged: unknown[] = []
    for (const order of ['alice-first', 'admin-first']) {
      const name = await freshTeam()
      const a = await connect(name, 'alice', 'alice-pw')
      const admin = await connect(name)
      const base = hlc(10_000, 'c0')
      await a.push(`${order}-0`, 'c0', [
        { kind: 'annotation', key: 'an1', field: 'note', value: 'first draft', hlc: base }
      ])
      const fromAlice: FieldWrite = {
        kind: 'annotation',
        key: 'an1',
        field: 'note',
        value: 'alice: Xi visits Paris',
        hlc: hlc(11_000, 'ca'),
        base
      }
      const fromAdmin: FieldWrite = {
        ...fromAlice,
        value: 'admin: check the date',
        hlc: hlc(12_000, 'cb')
      }
      const pushes: [TeamServer, FieldWrite][] =
        order === 'alice-first'
          ? [
              [a, fromAlice],
              [admin, fromAdmin]
            ]
          : [
              [admin, fromAdmin],
              [a, fromAlice]
            ]
      const firstPush = await pushes[0]![0].push(`${order}-1`, 'x', [pushes[0]![1]])
      expect(firstPush).toMatchObject({ applied: 1, overruled: [] })
      const secondPush = await pushes[1]![0].push(`${order}-2`, 'y', [pushes[1]![1]])
      // The second writer hears the merged value back.
      expect(secondPush.overruled).toHaveLength(1)
      expect(secondPush.overruled[0]).toMatchObject({ conflict: true, hlc: hlc(12_000, 'cb') })
      const [note] = await pullAll(a, firstPush.version)
      expect(note).toMatchObject({ conflict: true, value: secondPush.overruled[0]!.value })
      merged.push(note!.value)
    }
    expect(merged[0]).toBe(merged[1])
    const text = merged[0] as string
    expect(text.indexOf('alice: Xi visits Paris')).toBeLessThan(
      text.indexOf('admin: check the date')
    )
    expect(text).toMatch(/alice \| gleaner_admin/)
    expect(text).not.toContain('first draft')
  })

  it('an edit made on the current value replaces it and clears the conflict; a concurrent clear keeps the text', async () => {
    const name = await freshTeam()
    const a = await connect(name, 'alice', 'alice-pw')
    const h0 = hlc(1, 'c0')
    await a.push('n0', 'c0', [{ kind: 'item', key: 'c|a:0', field: 'note', value: 'one', hlc: h0 }])
    const h1 = hlc(2, 'c1')
    const seq = await a.push('n1', 'c1', [
      { kind: 'item', key: 'c|a:0', field: 'note', value: 'two', hlc: h1, base: h0 }
    ])
    expect(seq).toMatchObject({ applied: 1, overruled: [] })
    // A concurrent clear (made on 'one') does not erase 'two'.
    const clear = await a.push('n2', 'c2', [
      { kind: 'item', key: 'c|a:0', field: 'note', value: null, hlc: hlc(3, 'c2'), base: h0 }
    ])
    expect(clear.overruled).toEqual([expect.objectContaining({ value: 'two' })])
    expect(clear.overruled[0]!.conflict).toBeUndefined()
  })

  it('refuses malformed writes with a code naming the write, and nothing of the batch is applied', async () => {
    const name = await freshTeam()
    const a = await connect(name, 'alice', 'alice-pw')
    const good: FieldWrite = {
      kind: 'article',
      key: 'k:0',
      field: 'deleted',
      value: null,
      hlc: hlc(1)
    }
    const cases: [FieldWrite, RegExp][] = [
      [{ ...good, hlc: '12-3-x' }, /hlc/],
      [{ ...good, kind: 'user' as never }, /kind/],
      [{ ...good, key: '' }, /key/],
      [{ ...good, value: 'x'.repeat(1_100_000) }, /larger/]
    ]
    for (const [bad, why] of cases) {
      const err = await errorOf(a.push('bad', 'ca', [good, bad]))
      expect(err.code).toBe('team-write-invalid')
      expect(err.params.index).toBe(1)
      expect(err.message).toMatch(why)
    }
    expect((await a.pull(0, 10)).fields).toEqual([])
  })
})

describe('versions and notifications', () => {
  it('versions only grow, and a pull during concurrent pushes never skips a version', async () => {
    const name = await freshTeam()
    const pushers = [await connect(name, 'alice', 'alice-pw'), await connect(name)]
    const puller = await connect(name, 'bob', 'bob-pw')
    const perPusher = 12
    const batchSize = 300
    const seen = new Map<string, number>()
    let since = 0
    let done = false
    const pulling = (async () => {
      // Pull over and over while the pushes run: whatever commits later must still arrive.
      while (!done) {
        const page = await puller.pull(since, 200)
        for (const f of page.fields) {
          expect(f.version).toBeGreaterThan(since)
          seen.set(`${f.key}/${f.field}`, f.version)
        }
        since = page.version
      }
    })()
    const results = await Promise.all(
      pushers.map(async (s, p) => {
        const versions: number[] = []
        for (let b = 0; b < perPusher; b++) {
          const writes: FieldWrite[] = Array.from({ length: batchSize }, (_, i) => ({
            kind: 'article',
            key: `p${p}b${b}i${i}:0`,
            field: 'tag:x',
            value: true,
            hlc: hlc(100_000 + b, `c${p}`, i)
          }))
          versions.push((await s.push(`p${p}-${b}`, `c${p}`, writes)).version)
        }
        return versions
      })
    )
    done = true
    await pulling
    for (const versions of results) expect(versions).toEqual([...versions].sort((x, y) => x - y))
    // Catch up once more (the loop may have stopped before the last commit), then every
    // write the pushes made must have been seen exactly at its version.
    for (const f of await pullAll(puller, since)) seen.set(`${f.key}/${f.field}`, f.version)
    expect(seen.size).toBe(2 * perPusher * batchSize)
    const versions = [...seen.values()].sort((x, y) => x - y)
    expect(new Set(versions).size).toBe(versions.length)
    // Every version the change log holds was seen by the puller.
    const logged = pg
      .psql(`SELECT version FROM ${`gleaner_desk_${teamSeq}`}.changes ORDER BY 1`)
      .trim()
      .split('\n')
      .map(Number)
    expect(versions).toEqual(logged)
  })

  it('NOTIFY brings the new version to a listener, and onLost tells when its connection drops', async () => {
    const name = await freshTeam()
    const listener = await connect(name, 'bob', 'bob-pw')
    const writer = await connect(name, 'alice', 'alice-pw')
    const heard: number[] = []
    let wake: () => void = () => {}
    const lost: TeamServerError[] = []
    const stop = await listener.listen(
      (v) => {
        heard.push(v)
        wake()
      },
      (err) => {
        lost.push(err as TeamServerError)
        wake()
      }
    )
    const arrived = new Promise<void>((resolve) => (wake = resolve))
    const r = await writer.push('n', 'ca', [
      { kind: 'collection', key: 'u9', field: 'name', value: 'Desk', hlc: hlc(7) }
    ])
    // (How fast is the benchmark's to measure; here: that it comes, with the version.)
    await arrived
    expect(heard).toEqual([r.version])

    // The listening connection killed by the server: onLost hears it once.
    const gone = new Promise<void>((resolve) => (wake = resolve))
    pg.psql(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE usename = 'bob' AND query ILIKE 'LISTEN%'`
    )
    await gone
    expect(lost).toHaveLength(1)
    expect(lost[0]!.code).toBe('team-unreachable')
    await stop()
  })
})

describe('connections ending', () => {
  it('close() lets a push in flight finish: committed whole, never half', async () => {
    const name = await freshTeam()
    const a = await connectTeam(pg.url('alice', 'alice-pw'), name, { clientId: 'closing' })
    const writes: FieldWrite[] = Array.from({ length: 5000 }, (_, i) => ({
      kind: 'article',
      key: `c${i}:0`,
      field: 'tag:late',
      value: true,
      hlc: hlc(50_000)
    }))
    const pushing = a.push('closing-batch', 'closing', writes)
    await a.close()
    expect(await pushing).toMatchObject({ applied: 5000 })
    expect(pg.psql(`SELECT count(*) FROM gleaner_desk_${teamSeq}.changes`)).toBe('5000\n')
    expect((await errorOf(a.pull(0, 10))).code).toBe('team-unreachable')
  })

  it('a server restart: calls fail with team-unreachable, the listener hears onLost, a new connection works', async () => {
    const name = await freshTeam()
    const a = await connect(name, 'alice', 'alice-pw')
    let lostErr: TeamServerError | undefined
    let hear: () => void = () => {}
    const lost = new Promise<void>((resolve) => (hear = resolve))
    await a.listen(
      () => {},
      (err) => {
        lostErr = err as TeamServerError
        hear()
      }
    )
    pg.stop()
    try {
      await lost
      expect(lostErr?.code).toBe('team-unreachable')
      expect((await errorOf(a.pull(0, 10))).code).toBe('team-unreachable')
      expect((await errorOf(connect(name, 'alice', 'alice-pw'))).code).toBe('team-unreachable')
    } finally {
      pg.start()
    }
    const again = await connect(name, 'alice', 'alice-pw')
    expect((await again.pull(0, 10)).fields).toEqual([])
  })
})

describe('originals', () => {
  // The seed article and two from the RSSHub corpus (Chinese file names), as read from disk.
  const files = [
    SEED_FILE,
    ...filesUnder(RSSHUB)
      .filter((f) => f.endsWith('.md'))
      .slice(0, 2)
  ].map((path) => {
    const bytes = readFileSync(path)
    return { name: basename(path), bytes, sha256: createHash('sha256').update(bytes).digest('hex') }
  })

  it('stores each original once by sha256 and returns its bytes', async () => {
    expect(files.length).toBe(3)
    const name = await freshTeam()
    const a = await connect(name, 'alice', 'alice-pw')
    const b = await connect(name, 'bob', 'bob-pw')
    const hashes = files.map((f) => f.sha256)
    expect(await a.missingOriginals(hashes)).toEqual(hashes)
    await a.putOriginals(files)
    await a.putOriginals([files[0]!])
    expect(await a.missingOriginals(hashes)).toEqual([])
    expect(
      pg.psql(
        `SELECT count(*) || ':' || count(DISTINCT sha256) FROM gleaner_desk_${teamSeq}.originals`
      )
    ).toBe('3:3\n')
    const got = await b.getOriginals([...hashes, 'f'.repeat(64)])
    expect(got.map((o) => o.sha256).sort()).toEqual([...hashes].sort())
    for (const o of got) {
      const f = files.find((x) => x.sha256 === o.sha256)!
      expect(o.name).toBe(f.name)
      expect(Buffer.compare(o.bytes, f.bytes)).toBe(0)
    }
  })

  it('refuses bytes that do not match their sha256, and a bad hash', async () => {
    const name = await freshTeam()
    const a = await connect(name, 'alice', 'alice-pw')
    const liar = { ...files[0]!, bytes: Buffer.from('something else') }
    expect((await errorOf(a.putOriginals([liar]))).code).toBe('team-original-invalid')
    expect((await errorOf(a.missingOriginals(['../etc']))).code).toBe('team-original-invalid')
    expect(await a.missingOriginals([files[0]!.sha256])).toEqual([files[0]!.sha256])
  })
})
