// Team library benchmark (issue 19), on a real PostgreSQL 15 cluster of its own on loopback
// (test/helpers/pg-cluster.ts) and real library files, through the same service and sync
// engine as the app (ServiceOptions.team, continuous where the app is):
//   1. Initial sync: one desk imports N generated article files (the baseline: import from
//      disk, same files, same run), pushes the library, then a new member's empty copy pulls it
//      all (originals included, each rebuilt by its own cleaner): articles/s.
//   2. Propagation: C clients on a small team library, continuous sync (LISTEN/NOTIFY); one
//      client tags an article, every other client's library is watched for it: p50/p95 over
//      every (edit, observer) pair. Baseline: a bare NOTIFY between two plain connections.
//   3. Soak: every client edits at random (unique tags added and some removed, notes, collection
//      items) for --soak-s seconds or --soak-edits edits, then the team quiesces; every client
//      must hold every surviving edit (lost), and no write may be in the server's log twice or
//      any note twice in a library (duplicated).
//
//   npm run bench:team
//   npm run bench:team -- --articles 20000 --clients 10 --soak-s 60
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { createGleanerService, type GleanerService } from '../src/core/service'
import { createTeamLibrary, setMember } from '../src/core/team/server'
import { makeTeamCopy } from '../src/core/team/local/config'
import { generateCorpus } from '../test/core/import-corpus-gen'
import { filesUnder } from '../test/helpers/corpus'
import { startPgCluster, type PgCluster } from '../test/helpers/pg-cluster'
import { seededRng } from '../test/helpers/random'
import { ensureBuiltWorker } from './lib/built-worker'
import { peakRssMb } from './lib/import-run'
import { SHARED } from './lib/shared'

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '20' },
    edits: { type: 'string', default: '100' },
    'soak-s': { type: 'string', default: '600' },
    'soak-edits': { type: 'string', default: '20000' },
    'skip-build': { type: 'boolean', default: false }
  }
})
const ARTICLES = Number(values.articles)
const CLIENTS = Number(values.clients)
const EDITS = Number(values.edits)
const SOAK_MS = Number(values['soak-s']) * 1000
const SOAK_EDITS = Number(values['soak-edits'])
const PASSWORD = 'bench-pw'
const rand = seededRng(19)

const secs = (t0: number): number => (performance.now() - t0) / 1000
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!

async function until(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string
): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

function member(cluster: PgCluster, role: string): void {
  cluster.psql(`CREATE ROLE ${role} LOGIN PASSWORD '${PASSWORD}'`)
}

/** A member's working copy of team library `team`, as the app opens it (continuous sync). */
function openCopy(
  cluster: PgCluster,
  dir: string,
  role: string,
  team: string,
  continuous: boolean
): GleanerService {
  const path = join(dir, `${role}.db`)
  const first = createGleanerService({ libraryPath: path, watchExternal: false })
  makeTeamCopy(first.db, { name: team, server: cluster.url(role, ''), user: role })
  first.close()
  return createGleanerService({ libraryPath: path, watchExternal: false, team: { continuous } })
}

const articleCount = (svc: GleanerService): number =>
  svc.db.prepare('SELECT COUNT(*) FROM articles WHERE deleted_at IS NULL').pluck().get() as number

async function initialSync(cluster: PgCluster, dir: string): Promise<Record<string, number>> {
  const files = join(dir, 'files')
  const t0 = performance.now()
  generateCorpus(files, ARTICLES)
  console.log(`${ARTICLES} files generated in ${secs(t0).toFixed(1)} s`)

  member(cluster, 'desk')
  member(cluster, 'newcomer')
  await createTeamLibrary(cluster.url(), 'wire')
  await setMember(cluster.url(), 'wire', 'desk', 'write')
  await setMember(cluster.url(), 'wire', 'newcomer', 'write')

  const desk = openCopy(cluster, dir, 'desk', 'wire', false)
  const ti = performance.now()
  const run = await desk.importPaths([files])
  const importS = secs(ti)
  const imported = articleCount(desk)
  console.log(
    `baseline: import from disk ${imported} articles (${run.counts.failed} failed) in ${importS.toFixed(1)} s = ${(imported / importS).toFixed(0)}/s`
  )
  const tp = performance.now()
  const pushed = await desk.syncTeam()
  const pushS = secs(tp)
  console.log(
    `push: ${pushed.uploaded} originals, ${pushed.pushed} fields in ${pushS.toFixed(1)} s = ${(imported / pushS).toFixed(0)} articles/s`
  )
  desk.close()

  const fresh = openCopy(cluster, dir, 'newcomer', 'wire', false)
  const ts = performance.now()
  const pulled = await fresh.syncTeam()
  const syncS = secs(ts)
  const arrived = articleCount(fresh)
  console.log(
    `initial sync: ${arrived} articles (${pulled.downloaded} originals, ${pulled.pulled} fields) in ${syncS.toFixed(1)} s = ${(arrived / syncS).toFixed(0)}/s; peak RSS so far ${peakRssMb()} MB`
  )
  fresh.close()
  return {
    import_per_s: imported / importS,
    push_per_s: imported / pushS,
    initial_sync_per_s: arrived / syncS,
    initial_missing: imported - arrived
  }
}

/** A bare LISTEN/NOTIFY round trip between two plain connections: the floor under propagation. */
async function notifyBaseline(cluster: PgCluster): Promise<number[]> {
  const a = new pg.Client({ connectionString: cluster.url() })
  const b = new pg.Client({ connectionString: cluster.url() })
  await a.connect()
  await b.connect()
  await b.query('LISTEN bench')
  const out: number[] = []
  for (let i = 0; i < 100; i++) {
    const heard = new Promise<void>((r) => b.once('notification', () => r()))
    const t = performance.now()
    await a.query(`NOTIFY bench, '${i}'`)
    await heard
    out.push(performance.now() - t)
  }
  await a.end()
  await b.end()
  return out
}

interface Live {
  role: string
  svc: GleanerService
  /** Local article ids, for this client's own edits. */
  ids: number[]
}

const hasTag = (svc: GleanerService, tag: string): boolean =>
  svc.db
    .prepare(
      'SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id JOIN articles a ON a.id = at.article_id WHERE t.name = ? AND a.deleted_at IS NULL'
    )
    .get(tag) !== undefined

async function liveTeam(cluster: PgCluster, dir: string): Promise<Live[]> {
  const roles = Array.from(
    { length: CLIENTS },
    (_, i) => `analyst${String(i + 1).padStart(2, '0')}`
  )
  for (const r of roles) member(cluster, r)
  await createTeamLibrary(cluster.url(), 'live')
  for (const r of roles) await setMember(cluster.url(), 'live', r, 'write')
  const rss = join(SHARED, 'corpus', 'rsshub')
  const seedFiles = filesUnder(rss)
    .filter((f) => !f.endsWith('.tsv'))
    .slice(0, 40)
  const clients: Live[] = []
  for (const role of roles)
    clients.push({ role, svc: openCopy(cluster, dir, role, 'live', true), ids: [] })
  await clients[0]!.svc.importPaths(seedFiles)
  const want = articleCount(clients[0]!.svc)
  const t0 = performance.now()
  try {
    await until(
      () => clients.every((c) => articleCount(c.svc) >= want),
      300_000,
      'every client to pull the seed articles'
    )
  } catch (e) {
    for (const c of clients) console.log(c.role, articleCount(c.svc), await c.svc.teamStatus())
    throw e
  }
  console.log(`${CLIENTS} clients joined; ${want} articles on each after ${secs(t0).toFixed(1)} s`)
  for (const c of clients) c.ids = (await c.svc.listArticles({ limit: 500 })).items.map((a) => a.id)
  return clients
}

async function propagation(clients: Live[]): Promise<number[]> {
  const latencies: number[] = []
  for (let e = 0; e < EDITS; e++) {
    const writer = pick(clients)
    const tag = `prop-${e}`
    const seen = new Map<string, number>()
    const stops = clients
      .filter((c) => c !== writer)
      .map((c) =>
        c.svc.on('libraryChanged', () => {
          if (!seen.has(c.role) && hasTag(c.svc, tag)) seen.set(c.role, performance.now())
        })
      )
    const t = performance.now()
    await writer.svc.addTag([pick(writer.ids)], tag)
    await until(() => seen.size === clients.length - 1, 30_000, `edit ${e} on every client`)
    for (const s of stops) s()
    for (const at of seen.values()) latencies.push(at - t)
  }
  return latencies
}

interface SoakLedger {
  /** Tags that must be on every client at the end (added, not removed). */
  kept: Set<string>
  removed: Set<string>
  notes: Set<string>
  edits: number
}

async function soak(clients: Live[]): Promise<SoakLedger> {
  const ledger: SoakLedger = { kept: new Set(), removed: new Set(), notes: new Set(), edits: 0 }
  const collections = new Map<string, number>()
  const end = Date.now() + SOAK_MS
  const worker = async (c: Live, n: number): Promise<void> => {
    let k = 0
    while (Date.now() < end && ledger.edits < SOAK_EDITS) {
      const roll = rand()
      const id = pick(c.ids)
      if (roll < 0.5) {
        const tag = `soak-${c.role}-${k++}`
        await c.svc.addTag([id], tag)
        ledger.kept.add(tag)
        // Some tags are taken off again (on whichever article the writer gave them).
        if (rand() < 0.2) {
          await c.svc.removeTag(c.ids, tag)
          ledger.kept.delete(tag)
          ledger.removed.add(tag)
        }
      } else if (roll < 0.8) {
        const note = `note ${c.role} ${k++}`
        await c.svc.createAnnotation({ articleId: id, note })
        ledger.notes.add(note)
      } else {
        let coll = collections.get(c.role)
        if (coll === undefined) {
          coll = (await c.svc.createCollection(`Brief ${c.role}`, null, [])).id
          collections.set(c.role, coll)
        }
        await c.svc.addToCollection(coll, [id])
      }
      ledger.edits++
      await new Promise((r) => setTimeout(r, 200 + rand() * 800 + n))
    }
  }
  await Promise.all(clients.map((c, n) => worker(c, n)))
  return ledger
}

async function settled(clients: Live[]): Promise<void> {
  await until(
    async () => {
      const st = await Promise.all(clients.map((c) => c.svc.teamStatus()))
      const v = st[0]?.serverVersion
      return st.every(
        (s) => s !== null && s.pending === 0 && s.state !== 'syncing' && s.serverVersion === v
      )
    },
    300_000,
    'every client to settle on one server version'
  )
}

async function audit(
  cluster: PgCluster,
  clients: Live[],
  ledger: SoakLedger
): Promise<{ lost: number; duplicated: number }> {
  let lost = 0
  let duplicated = 0
  const said: string[] = []
  const miss = (what: string): void => {
    lost++
    if (said.length < 10) said.push(what)
  }
  for (const c of clients) {
    for (const tag of ledger.kept) if (!hasTag(c.svc, tag)) miss(`${c.role} lacks tag ${tag}`)
    // A removal lost: the tag is still on an article there.
    for (const tag of ledger.removed) if (hasTag(c.svc, tag)) miss(`${c.role} still has ${tag}`)
    const notes = c.svc.db
      .prepare(`SELECT note, COUNT(*) AS n FROM annotations WHERE note LIKE 'note %' GROUP BY note`)
      .all() as { note: string; n: number }[]
    const have = new Map(notes.map((r) => [r.note, r.n]))
    for (const note of ledger.notes) {
      const n = have.get(note) ?? 0
      if (n === 0) miss(`${c.role} lacks ${note}`)
      if (n > 1) duplicated += n - 1
    }
  }
  // The server's log: one row per write; the same write (field and clock) twice is a duplicate.
  const schema = cluster
    .psql(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'gleaner%live%' LIMIT 1`)
    .trim()
  if (schema) {
    duplicated += Number(
      cluster
        .psql(
          `SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM "${schema}".changes GROUP BY kind, key, field, hlc HAVING COUNT(*) > 1) d`
        )
        .trim()
    )
  }
  if (said.length) console.log(`lost: ${said.join('; ')}`)
  return { lost, duplicated }
}

async function main(): Promise<void> {
  ensureBuiltWorker(values['skip-build'] === true)
  process.env.PGPASSWORD = PASSWORD
  const cluster = await startPgCluster()
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-bench-team-'))
  let clients: Live[] = []
  try {
    const initial = await initialSync(cluster, dir)
    rmSync(join(dir, 'files'), { recursive: true, force: true })

    const floor = await notifyBaseline(cluster)
    console.log(
      `baseline: bare NOTIFY round trip p50 ${pct(floor, 50).toFixed(1)} ms, p95 ${pct(floor, 95).toFixed(1)} ms`
    )

    clients = await liveTeam(cluster, dir)
    const lat = await propagation(clients)
    console.log(
      `propagation over ${EDITS} edits × ${CLIENTS - 1} observers: p50 ${pct(lat, 50).toFixed(0)} ms, p95 ${pct(lat, 95).toFixed(0)} ms, max ${Math.max(...lat).toFixed(0)} ms`
    )

    const ts = performance.now()
    const ledger = await soak(clients)
    const soakS = secs(ts)
    await settled(clients)
    const { lost, duplicated } = await audit(cluster, clients, ledger)
    console.log(
      `soak: ${ledger.edits} edits by ${CLIENTS} clients in ${soakS.toFixed(0)} s (${ledger.kept.size} tags kept, ${ledger.removed.size} removed, ${ledger.notes.size} notes); settled ${secs(ts).toFixed(0)} s after the start; lost ${lost}, duplicated ${duplicated}; peak RSS ${peakRssMb()} MB`
    )
    console.log(
      `BENCH team clients=${CLIENTS} articles=${ARTICLES} import_per_s=${initial.import_per_s!.toFixed(0)} push_per_s=${initial.push_per_s!.toFixed(0)} initial_sync_per_s=${initial.initial_sync_per_s!.toFixed(0)} propagation_p50_ms=${pct(lat, 50).toFixed(0)} propagation_p95_ms=${pct(lat, 95).toFixed(0)} notify_p95_ms=${pct(floor, 95).toFixed(1)} soak_edits=${ledger.edits} soak_s=${soakS.toFixed(0)} lost=${lost + initial.initial_missing!} duplicated=${duplicated}`
    )
  } finally {
    for (const c of clients) {
      try {
        c.svc.close()
      } catch {
        // closing anyway
      }
    }
    cluster.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
