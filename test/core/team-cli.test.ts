// `gleaner team …` in child processes against a real PostgreSQL 15 server of this file's own
// (test/helpers/pg-cluster.ts) and real library files: an administrator creates a team library
// and grants an analyst write access, the analyst joins from a library of their own, an article
// imported on one side reaches the other through `team sync` on both; status --json, members,
// and the errors a person meets (a personal library, a wrong name, a wrong password, the server
// down) with their exit codes. The password is never written into a library file.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ArticlePage } from '../../src/shared/types'
import type { TeamMember, TeamStatus } from '../../src/shared/team-types'
import { SEED_FILE, tempDir } from '../helpers/corpus'
import { pgAvailable, startPgCluster, type PgCluster } from '../helpers/pg-cluster'

const ROOT = resolve(__dirname, '../..')
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
const t = tempDir('gleaner-team-cli-')
const ADMIN_PW = 'desk-Admin-pw-7'
const ANALYST_PW = 'analyst-Pw-秘-9'
let pg: PgCluster

interface Run {
  code: number
  out: string
  err: string
}

function cli(lib: string, env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [TSX, join(ROOT, 'src/cli/main.ts'), ...args, '--library', lib],
      {
        encoding: 'utf8',
        // No password from this machine's own environment or ~/.pgpass: only what a test gives.
        env: {
          ...process.env,
          GLEANER_LIBRARY: '',
          PGPASSWORD: '',
          PGPASSFILE: join(t.dir, 'no-pgpass'),
          ...env
        },
        maxBuffer: 64 << 20
      },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, out: stdout, err: stderr })
    )
  })
}

const url = (user: string, pw?: string): string =>
  `postgres://${user}${pw === undefined ? '' : `:${encodeURIComponent(pw)}`}@127.0.0.1:${pg.port}/news`
const asAdmin = { PGPASSWORD: ADMIN_PW }
const asAnalyst = { PGPASSWORD: ANALYST_PW }
const LIB_A = (): string => join(t.dir, 'desk.db')
const LIB_B = (): string => join(t.dir, 'analyst.db')

// `.ci/run` installs PostgreSQL, so CI never skips this; a machine without it says why.
const describeWithPg = pgAvailable ? describe : describe.skip
if (!pgAvailable) console.warn('team-cli tests skipped: PostgreSQL 15 binaries are not installed')

beforeAll(async () => {
  if (!pgAvailable) return
  pg = await startPgCluster()
  // What the README's administrator does once, as the server's superuser.
  pg.psql(
    `CREATE ROLE desk_admin LOGIN CREATEROLE PASSWORD '${ADMIN_PW}';
     CREATE ROLE analyst1 LOGIN PASSWORD '${ANALYST_PW}';
     CREATE ROLE stranger LOGIN PASSWORD 'x';`
  )
  pg.psql(`CREATE DATABASE news OWNER desk_admin`)
  // The administrator's own library becomes the team library's first copy (each test below
  // starts from it; none depends on another's leftovers).
  const created = await cli(
    LIB_A(),
    {},
    'team',
    'create',
    'desk',
    '--server',
    url('desk_admin', ADMIN_PW)
  )
  expect(created.err).toBe('')
  expect(created.code).toBe(0)
  expect(created.out).toContain('Created team library desk')
}, 90_000)

afterAll(() => {
  pg?.destroy()
  t.cleanup()
})

describeWithPg('gleaner team', () => {
  it('a personal library: status says so (--json null), sync and members are refused', async () => {
    const lib = join(t.dir, 'personal.db')
    const status = await cli(lib, {}, 'team', 'status', '--json')
    expect(status.code).toBe(0)
    expect(JSON.parse(status.out)).toBeNull()
    const text = await cli(lib, {}, 'team', 'status')
    expect(text.out).toContain('personal')
    const sync = await cli(lib, {}, 'team', 'sync')
    expect(sync.code).toBe(1)
    expect(sync.err).toMatch(/personal, not the working copy of a team library/)
    const members = await cli(lib, {}, 'team', 'members', 'desk')
    expect(members.code).toBe(1)
    expect((await cli(lib, {}, 'team', 'frobnicate')).code).toBe(2)
    expect((await cli(lib, {}, 'team', 'create', 'desk')).code).toBe(2)
  }, 60_000)

  it('grant, join, import on one side and sync both: the article is on the other; status and members', async () => {
    const granted = await cli(
      LIB_A(),
      asAdmin,
      'team',
      'members',
      'desk',
      '--add',
      'analyst1',
      '--write'
    )
    expect(granted.err).toBe('')
    expect(granted.code).toBe(0)
    const members = JSON.parse(
      (await cli(LIB_A(), asAdmin, 'team', 'members', 'desk', '--json')).out
    ) as TeamMember[]
    expect(members).toContainEqual(expect.objectContaining({ role: 'analyst1', access: 'write' }))
    expect(members).toContainEqual(expect.objectContaining({ role: 'desk_admin', access: 'admin' }))

    const joined = await cli(
      LIB_B(),
      {},
      'team',
      'join',
      'desk',
      '--server',
      url('analyst1', ANALYST_PW)
    )
    expect(joined.err).toBe('')
    expect(joined.code).toBe(0)
    expect(joined.out).toContain('Joined team library desk')

    const imported = await cli(LIB_A(), {}, 'import', SEED_FILE)
    expect(imported.code).toBe(0)
    const pushed = await cli(LIB_A(), asAdmin, 'team', 'sync', 'desk')
    expect(pushed.err).toBe('')
    expect(pushed.code).toBe(0)
    expect(pushed.out).toMatch(/uploaded 1 original/)
    const pulled = await cli(LIB_B(), asAnalyst, 'team', 'sync')
    expect(pulled.code).toBe(0)
    expect(pulled.out).toMatch(/downloaded 1/)

    const list = JSON.parse((await cli(LIB_B(), {}, 'list', '--json')).out) as ArticlePage
    expect(list.items.map((a) => a.title)).toContain(
      '第四届进博会：提升城市软实力与服务保障进博会双促进'
    )

    const status = JSON.parse(
      (await cli(LIB_B(), asAnalyst, 'team', 'status', '--json')).out
    ) as TeamStatus
    expect(status).toMatchObject({
      name: 'desk',
      server: url('analyst1'),
      user: 'analyst1',
      pending: 0
    })
    // Known to a later process: the last sync is kept with the library.
    expect(status.lastSyncAt).not.toBeNull()
    expect(status.serverVersion).toBeGreaterThan(0)

    // The URL's password served its command and was never kept.
    for (const [lib, pw] of [
      [LIB_A(), ADMIN_PW],
      [LIB_B(), ANALYST_PW]
    ] as const) {
      for (const suffix of ['', '-wal']) {
        let bytes = Buffer.alloc(0)
        try {
          bytes = readFileSync(lib + suffix)
        } catch {
          // no WAL left after a clean close
        }
        expect(bytes.includes(Buffer.from(pw))).toBe(false)
      }
    }

    const removed = await cli(
      LIB_A(),
      asAdmin,
      'team',
      'members',
      'desk',
      '--remove',
      'analyst1',
      '--json'
    )
    expect(removed.code).toBe(0)
    const after = JSON.parse(removed.out.slice(removed.out.indexOf('['))) as TeamMember[]
    expect(after.map((m) => m.role)).not.toContain('analyst1')
  }, 180_000)

  it('errors: a wrong password, a team library that is not there, a wrong name, no access, the server down', async () => {
    const lib = join(t.dir, 'errors.db')
    const wrongPw = await cli(lib, {}, 'team', 'join', 'desk', '--server', url('analyst1', 'nope'))
    expect(wrongPw.code).toBe(1)
    expect(wrongPw.err).toMatch(/refused the login of analyst1/)
    expect(wrongPw.err).not.toContain('nope')
    const noTeam = await cli(
      lib,
      {},
      'team',
      'join',
      'newsroom',
      '--server',
      url('desk_admin', ADMIN_PW)
    )
    expect(noTeam.code).toBe(1)
    expect(noTeam.err).toMatch(/no team library newsroom/)
    const noAccess = await cli(lib, {}, 'team', 'join', 'desk', '--server', url('stranger', 'x'))
    expect(noAccess.code).toBe(1)
    // None of these made the library a team library's copy.
    expect(JSON.parse((await cli(lib, {}, 'team', 'status', '--json')).out)).toBeNull()
    const badUrl = await cli(lib, {}, 'team', 'join', 'desk', '--server', 'http://x')
    expect(badUrl.code).toBe(1)
    expect(badUrl.err).toMatch(/not a PostgreSQL URL/)

    const wrongName = await cli(LIB_A(), asAdmin, 'team', 'sync', 'newsroom')
    expect(wrongName.code).toBe(1)
    expect(wrongName.err).toContain('copy of team library "desk", not "newsroom"')
    const again = await cli(
      LIB_A(),
      {},
      'team',
      'join',
      'desk',
      '--server',
      url('desk_admin', ADMIN_PW)
    )
    expect(again.code).toBe(1)
    expect(again.err).toMatch(/already the copy of team library "desk"/)

    pg.stop()
    try {
      const down = await cli(LIB_A(), asAdmin, 'team', 'sync')
      expect(down.code).toBe(1)
      expect(down.err).toMatch(/cannot be reached/)
      const status = JSON.parse(
        (await cli(LIB_A(), asAdmin, 'team', 'status', '--json')).out
      ) as TeamStatus
      expect(status.name).toBe('desk')
    } finally {
      pg.start()
    }
    const back = await cli(LIB_A(), asAdmin, 'team', 'sync')
    expect(back.code).toBe(0)
  }, 180_000)
})
