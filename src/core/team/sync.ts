// Keeps a library's working copy in step with its team library: push the fields this copy
// changed (local/ finds them), apply what the server overruled, pull what others pushed and
// apply it through the one writer, announce it to every window. One sync at a time; while the
// service runs (start), a sync follows every local edit (debounced), every notification of
// another client's push, and — while the server cannot be reached — retries with backoff.
import { createHash } from 'node:crypto'
import type { LibraryChange, Touched } from '../../shared/change-types'
import { errorData, GleanerError } from '../../shared/errors'
import type { TeamAccess, TeamStatus, TeamSyncReport } from '../../shared/team-types'
import type { CaptureContext } from '../capture/context'
import type { SourceItem } from '../importer/sources'
import { writeTx } from '../library/write-tx'
import { syncSearchIndex } from '../search'
import type { FieldState, TeamOriginal, TeamServer } from './protocol'
import {
  adoptTeamState,
  applyFields,
  emptyApplied,
  materializeArrivals,
  type Applied
} from './local/apply'
import { readSetting, teamConfig, writeSetting, type TeamConfig } from './local/config'
import type { ImportHints } from './local/fields'
import { articleIdOf, splitArticleKey } from './local/keys'
import { dirtyCount, nextBatch, originalFor, settleBatch } from './local/push'
import { shadowValue } from './local/shadow'
import { installTeamTriggers, withoutMarking } from './local/triggers'

export interface TeamSyncDeps {
  ctx: CaptureContext
  /** Opens the server connection (again after it dropped). */
  connect(): Promise<TeamServer>
  /** Every window hears the status (teamStatus events). */
  onStatus(status: TeamStatus): void
  /**
   * Announces what a pull changed here (a libraryChanged event, not undoable). Default: one
   * 'teamSync' change through ctx.changes.record, inverse null.
   */
  announce?(touched: Partial<Touched>, count: number): LibraryChange | void
  /**
   * Re-indexes these articles for search, inside the applying transaction (the service's
   * reindex queue). Default: syncSearchIndex at once.
   */
  reindex?(articleIds: number[]): void
  /** Sizes and timings (tests make them small). */
  limits?: Partial<TeamSyncLimits>
}

export interface TeamSyncLimits {
  /** Dirty rows per pushed batch. */
  batchRows: number
  /** Fields per pulled page. */
  pageFields: number
  /** Originals per upload or download call, and bytes per call at most. */
  originalsPerCall: number
  originalBytesPerCall: number
  /** Pulled originals held in memory for one import run at most (bytes). */
  heldBytes: number
  /** Quiet time after a local edit before continuous mode syncs it. */
  debounceMs: number
  /** How often continuous mode looks at team_dirty. */
  pollMs: number
  /** First and longest wait before reconnecting. */
  retryMinMs: number
  retryMaxMs: number
  /** How often continuous mode asks who is connected. */
  connectedMs: number
}

const LIMITS: TeamSyncLimits = {
  batchRows: 500,
  pageFields: 2000,
  originalsPerCall: 100,
  originalBytesPerCall: 16 * 1024 * 1024,
  heldBytes: 64 * 1024 * 1024,
  debounceMs: 100,
  pollMs: 50,
  retryMinMs: 500,
  retryMaxMs: 30_000,
  connectedMs: 20_000
}

export interface TeamSync {
  /** One push + pull now; resolves when done (or rejects with the reason; status says it too). */
  syncNow(): Promise<TeamSyncReport>
  /** Continuous: sync now, after local changes (debounced), and on the server's notifications. */
  start(): void
  stop(): Promise<void>
  status(): TeamStatus
}

const VERSION_KEY = 'team.version'
/** Imports of a pulled article tried this many times before the sync says it gave up. */
const REFETCH_TRIES = 5
/** Kept so a new process (the CLI's `team status`, the app after a restart) knows it too. */
const SYNCED_KEY = 'team.lastSyncAt'
/** What the server last said this member may do (status before the first connection). */
const ACCESS_KEY = 'team.access'

/** Errors that mean the server cannot be reached now (it comes back, the sync resumes). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN'
])

export function isOffline(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown } | null
  const code = typeof e?.code === 'string' ? e.code : ''
  if (NETWORK_CODES.has(code)) return true
  // PostgreSQL: connection exceptions (08…), the server shutting down or restarting (57P0…).
  if (/^08|^57P0/.test(code)) return true
  if (/^team-(offline|unreachable|timeout)$/.test(code)) return true
  const msg = typeof e?.message === 'string' ? e.message : ''
  if (/Connection terminated|connection closed|timeout exceeded when trying to connect/i.test(msg))
    return true
  return e?.cause !== undefined && e.cause !== err ? isOffline(e.cause) : false
}

/**
 * Where a pulled original says it came from: its address as it is (site rules go by it), a
 * file's name under its sha256, since the importer takes a second file at one path for a new
 * version of the first (two team articles from two folders' index.html are two articles).
 */
export function pulledPath(sha256: string, name: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) return name
  return `team/${sha256}/${name || `${sha256}.html`}`
}

export function createTeamSync(deps: TeamSyncDeps): TeamSync {
  const { ctx } = deps
  const db = ctx.db
  const limits: TeamSyncLimits = { ...LIMITS, ...deps.limits }
  const config: TeamConfig | null = teamConfig(db)
  if (!config)
    throw new GleanerError(
      'team-not-team',
      'This library is not the working copy of a team library.'
    )
  const cfg = config
  // This build's triggers (a newer one may have changed them since the copy was made).
  if (!ctx.health.damaged) writeTx(db, () => installTeamTriggers(db))

  let server: TeamServer | null = null
  let stopListening: (() => Promise<void>) | null = null
  let access: TeamAccess = ctx.health.readOr(
    () => (readSetting(db, ACCESS_KEY) as TeamAccess | null) ?? 'read',
    'read'
  )
  let tls = false
  let state: TeamStatus['state'] = 'idle'
  let lastSyncAt: string | null = ctx.health.readOr(() => readSetting(db, SYNCED_KEY), null)
  let lastError: TeamStatus['lastError'] = null
  let connected: string[] = []
  let running: Promise<TeamSyncReport> | null = null
  let again = false
  let continuous = false
  let timer: NodeJS.Timeout | null = null
  let poller: NodeJS.Timeout | null = null
  let roster: NodeJS.Timeout | null = null
  let retryMs = limits.retryMinMs
  let lastDirty = ''

  const version = (): number => Number(readSetting(db, VERSION_KEY) ?? 0)

  const status = (): TeamStatus => ({
    name: cfg.name,
    server: cfg.server,
    user: cfg.user,
    access,
    state,
    tls,
    lastSyncAt,
    lastError,
    pending: db.open ? dirtyCount(db) : 0,
    serverVersion: db.open ? version() : 0,
    connected
  })
  const tell = (): void => deps.onStatus(status())

  async function ensureServer(): Promise<TeamServer> {
    const s = server ?? (await deps.connect())
    if (server !== s) {
      server = s
      tls = s.info.tls
      if (s.info.access !== access) {
        access = s.info.access
        writeTx(db, () => writeSetting(db, ACCESS_KEY, access))
      }
    }
    // Continuous mode listens on every connection, also one a one-off sync opened before it.
    if (continuous && !stopListening) {
      try {
        stopListening = await s.listen(
          (v) => {
            if (v > version()) schedule(0)
          },
          (err) => {
            // The server restarted or the network went: reconnect, pull what was missed.
            if (server !== s) return
            lastError = errorData(err)
            void drop().then(() => retryLater())
          }
        )
      } catch (e) {
        await drop()
        throw e
      }
    }
    return s
  }

  async function drop(): Promise<void> {
    const s = server
    const unlisten = stopListening
    server = null
    stopListening = null
    await unlisten?.().catch(() => undefined)
    await s?.close().catch(() => undefined)
  }

  async function uploadOriginals(s: TeamServer, sha256s: string[], report: TeamSyncReport) {
    for (let i = 0; i < sha256s.length; i += limits.originalsPerCall) {
      const missing = await s.missingOriginals(sha256s.slice(i, i + limits.originalsPerCall))
      let group: TeamOriginal[] = []
      let bytes = 0
      const send = async (): Promise<void> => {
        if (!group.length) return
        await s.putOriginals(group)
        report.uploaded += group.length
        group = []
        bytes = 0
      }
      for (const sha256 of missing) {
        const o = originalFor(db, sha256)
        if (!o) continue
        if (group.length && bytes + o.bytes.length > limits.originalBytesPerCall) await send()
        group.push({ sha256, bytes: o.bytes, name: o.name })
        bytes += o.bytes.length
      }
      await send()
    }
  }

  async function push(s: TeamServer, report: TeamSyncReport, applied: Applied): Promise<void> {
    for (;;) {
      const batch = nextBatch(db, cfg.clientId, limits.batchRows)
      if (!batch) return
      // Originals first: no field may refer to an original the server lacks.
      await uploadOriginals(s, batch.originals, report)
      const result = await s.push(batch.id, cfg.clientId, batch.writes)
      const before = applied.conflicts
      settleBatch(db, batch, result, applied)
      report.pushed += batch.writes.length
      report.conflicts += applied.conflicts - before
      report.serverVersion = Math.max(report.serverVersion, result.version)
    }
  }

  /**
   * Hints for re-importing an article's original: what its first client's import saw. They
   * come from another member: only texts of a sane length are taken.
   */
  function hintsFor(imports: Map<string, unknown>, key: string): ImportHints {
    const v = imports.has(key) ? imports.get(key) : shadowValue(db, 'article', key, 'import')
    const out: ImportHints = {}
    if (!v || typeof v !== 'object') return out
    const h = v as Record<string, unknown>
    for (const k of ['url', 'title', 'source', 'publishedAt', 'name'] as const) {
      const x = h[k]
      if (typeof x === 'string' && x.trim() !== '' && x.length <= 4096) out[k] = x
    }
    return out
  }

  /** The page's articles that are not here and whose original is not here either. */
  function missingKeys(fields: readonly FieldState[]): string[] {
    const want = new Map<string, string>()
    for (const f of fields) {
      if (f.kind !== 'article' || want.has(splitArticleKey(f.key)?.sha256 ?? '')) continue
      const k = splitArticleKey(f.key)
      if (!k || articleIdOf(db, f.key) !== null) continue
      const have = db.prepare('SELECT 1 FROM originals WHERE sha256 = ?').get(k.sha256)
      if (!have) want.set(k.sha256, f.key)
    }
    return [...want.values()]
  }

  interface Imported {
    fresh: Set<number>
    /** Articles whose original did not import here now (tried again by the next syncs). */
    failed: Map<string, string>
    /** Articles whose import had an outcome (imported, or a copy of one here): owed no more. */
    settled: Set<string>
  }

  /** Fetches and imports the originals of these articles (keys) that are not here. */
  async function importMissing(
    s: TeamServer,
    keys: readonly string[],
    imports: Map<string, unknown>,
    report: TeamSyncReport,
    applied: Applied
  ): Promise<Imported> {
    const want = new Map<string, string>()
    for (const key of keys) {
      const k = splitArticleKey(key)
      if (k && !want.has(k.sha256)) want.set(k.sha256, key)
    }
    const out: Imported = { fresh: new Set(), failed: new Map(), settled: new Set() }
    const shas = [...want.keys()]
    // One import run for the page (a run's wrap-up — stories, learned lines — is per run), or
    // more when its originals are many megabytes: they are held in memory until written.
    let items: SourceItem[] = []
    const keyOfPath = new Map<string, string>()
    let bytes = 0
    const importHeld = async (): Promise<void> => {
      if (!items.length) return
      const batch = items
      items = []
      bytes = 0
      const run = await ctx.importItems(
        [`team:${cfg.name}`],
        async function* () {
          yield* batch
        },
        // The team's doing, not this user's: Undo stays with their own edits.
        { undoable: false }
      )
      for (const r of run.results) {
        if (r.status === 'imported' && r.articleId !== undefined) out.fresh.add(r.articleId)
        const key = keyOfPath.get(r.path)
        if (!key) continue
        if (r.status === 'failed') out.failed.set(key, r.reason ?? r.code ?? 'failed')
        else out.settled.add(key)
      }
    }
    for (let i = 0; i < shas.length; i += limits.originalsPerCall) {
      const got = await s.getOriginals(shas.slice(i, i + limits.originalsPerCall))
      report.downloaded += got.length
      for (const o of got) {
        // Bytes that are not what their name says would never be this article here.
        if (createHash('sha256').update(o.bytes).digest('hex') !== o.sha256) {
          applied.problems.push(`original ${o.sha256}: its bytes do not have this sha256`)
          continue
        }
        const key = want.get(o.sha256) ?? `${o.sha256}:0`
        const { name, ...hints } = hintsFor(imports, key)
        const path = pulledPath(o.sha256, o.name || name || '')
        keyOfPath.set(path, key)
        items.push({ kind: 'bytes', path, bytes: o.bytes, hints })
        bytes += o.bytes.length
      }
      if (bytes >= limits.heldBytes) await importHeld()
    }
    await importHeld()
    return out
  }

  /** The team's state for articles just imported here, and which imports are still owed. */
  function adoptImported(got: Imported, applied: Applied): void {
    const arrived = new Set<string>()
    const keyOf = db.prepare(
      `SELECT o.sha256 || ':' || a.item_index FROM articles a
         JOIN originals o ON o.id = a.original_id WHERE a.id = ?`
    )
    const done = db.prepare('DELETE FROM team_refetch WHERE key = ?')
    for (const id of got.fresh) {
      const key = keyOf.pluck().get(id) as string | undefined
      if (!key) continue
      adoptTeamState(db, id, key, applied)
      arrived.add(key)
      done.run(key)
    }
    // Their annotations and items may have come in an earlier page, or sync, than they did.
    materializeArrivals(db, arrived, applied)
    for (const key of got.settled) done.run(key)
    const owe = db.prepare(
      `INSERT INTO team_refetch (key, tries, reason) VALUES (?, 1, ?)
         ON CONFLICT (key) DO UPDATE SET tries = tries + 1, reason = excluded.reason`
    )
    for (const [key, reason] of got.failed) owe.run(key, reason)
  }

  /**
   * Articles an earlier pull could not import here (their pages are applied and team.version
   * is past them): their originals again, a few tries each; one that keeps failing is said.
   */
  async function refetch(s: TeamServer, report: TeamSyncReport, applied: Applied): Promise<void> {
    const owed = db
      .prepare('SELECT key, tries, reason FROM team_refetch ORDER BY key LIMIT ?')
      .all(limits.pageFields) as { key: string; tries: number; reason: string | null }[]
    const here = owed.filter((o) => articleIdOf(db, o.key) !== null)
    if (here.length)
      await ctx.onWriterQueue(() =>
        writeTx(db, () => {
          const done = db.prepare('DELETE FROM team_refetch WHERE key = ?')
          for (const o of here) done.run(o.key)
        })
      )
    const retry = owed.filter((o) => o.tries < REFETCH_TRIES && articleIdOf(db, o.key) === null)
    const given = owed.filter((o) => o.tries >= REFETCH_TRIES)
    if (given.length)
      applied.problems.push(
        `${given.length} article(s) could not be imported here after ${REFETCH_TRIES} tries (${given[0]!.reason ?? ''})`
      )
    if (!retry.length) return
    const got = await importMissing(
      s,
      retry.map((o) => o.key),
      new Map(),
      report,
      applied
    )
    await ctx.onWriterQueue(() =>
      writeTx(db, () => {
        withoutMarking(db, () => {
          const undirty = db.prepare(`DELETE FROM team_dirty WHERE kind = 'article' AND a = ?`)
          for (const id of got.fresh) undirty.run(id)
          adoptImported(got, applied)
        })
        reindexApplied(applied)
      })
    )
  }

  async function pull(s: TeamServer, report: TeamSyncReport, applied: Applied): Promise<void> {
    for (;;) {
      const since = version()
      const page = await s.pull(since, limits.pageFields)
      const imports = new Map<string, unknown>()
      for (const f of page.fields)
        if (f.kind === 'article' && f.field === 'import') imports.set(f.key, f.value)
      const got = await importMissing(s, missingKeys(page.fields), imports, report, applied)
      const fresh = got.fresh
      await ctx.onWriterQueue(() =>
        writeTx(db, () => {
          // Another pull cannot have run meanwhile (one sync at a time), but a crash between
          // pages leaves team.version at the last applied page: nothing skipped or doubled.
          withoutMarking(db, () => {
            const before = applied.conflicts
            // What the import wrote is the team's, not an edit here to weigh against it.
            const undirty = db.prepare(`DELETE FROM team_dirty WHERE kind = 'article' AND a = ?`)
            for (const id of fresh) undirty.run(id)
            applyFields(db, page.fields, { out: applied, fresh })
            adoptImported(got, applied)
            report.conflicts += applied.conflicts - before
            writeSetting(db, VERSION_KEY, String(Math.max(since, page.version)))
          })
          reindexApplied(applied)
        })
      )
      report.pulled += page.fields.length
      report.serverVersion = Math.max(report.serverVersion, page.version)
      if (!page.more || page.version <= since) return
    }
  }

  function reindexApplied(applied: Applied): void {
    const ids = [...applied.reindex]
    applied.reindex.clear()
    if (!ids.length) return
    if (deps.reindex) deps.reindex(ids)
    else syncSearchIndex(db, ids)
  }

  function announce(applied: Applied): void {
    if (applied.fields === 0 && applied.articleIds.size === 0) return
    const touched: Partial<Touched> = {
      articleIds: [...applied.articleIds],
      annotationArticleIds: [...applied.annotationArticleIds],
      list: true,
      filing: true,
      collections: applied.collections,
      collectionIds: [...applied.collectionIds]
    }
    if (deps.announce) deps.announce(touched, applied.fields)
    else
      ctx.changes.record('teamSync', [], {
        inverse: null,
        touched,
        summary: { count: applied.fields }
      })
  }

  async function exchange(s: TeamServer, report: TeamSyncReport, applied: Applied): Promise<void> {
    if (access !== 'read') await push(s, report, applied)
    // Overruled fields were applied by push's transactions; re-index them before the pull.
    if (applied.reindex.size)
      await ctx.onWriterQueue(() => writeTx(db, () => reindexApplied(applied)))
    await pull(s, report, applied)
    await refetch(s, report, applied)
    connected = await s.connected().then(
      (list) => list.slice().sort(),
      () => connected
    )
  }

  async function once(): Promise<TeamSyncReport> {
    const report: TeamSyncReport = {
      pushed: 0,
      pulled: 0,
      uploaded: 0,
      downloaded: 0,
      conflicts: 0,
      serverVersion: version()
    }
    state = 'syncing'
    tell()
    const applied = emptyApplied()
    try {
      const reused = server !== null
      try {
        await exchange(await ensureServer(), report, applied)
      } catch (err) {
        // A connection kept from an earlier sync may have died since (the server restarted):
        // one more try on a fresh one before calling the server unreachable.
        if (!reused || !isOffline(err)) throw err
        await drop()
        await exchange(await ensureServer(), report, applied)
      }
      state = 'idle'
      // Fields another member sent that could not be applied here: said, the rest applied.
      lastError = applied.problems.length
        ? errorData(
            new GleanerError(
              'team-fields-skipped',
              `${applied.problems.length} field(s) from the team could not be applied here: ${applied.problems[0]}`,
              { count: applied.problems.length, first: applied.problems[0] ?? '' }
            )
          )
        : null
      lastSyncAt = ctx.now().toISOString()
      const at = lastSyncAt
      await ctx.onWriterQueue(() => writeTx(db, () => writeSetting(db, SYNCED_KEY, at)))
      retryMs = limits.retryMinMs
      report.serverVersion = version()
      // Imports owed from this or earlier pulls: tried again soon, not only on the next edit.
      const owed = db
        .prepare('SELECT COUNT(*) FROM team_refetch WHERE tries < ?')
        .pluck()
        .get(REFETCH_TRIES) as number
      if (owed > 0 && continuous) schedule(limits.retryMinMs * 4)
      return report
    } catch (err) {
      const offline = isOffline(err)
      state = offline ? 'offline' : 'idle'
      // The server part says why in its own terms (team-unreachable, team-timeout…); a bare
      // driver or socket error gets the same code, so every front door explains it alike.
      const data = errorData(err)
      lastError =
        offline && !data.code.startsWith('team-')
          ? errorData(
              new GleanerError(
                'team-unreachable',
                `The server ${cfg.server} cannot be reached (${data.message}).`,
                { server: cfg.server, reason: data.message }
              )
            )
          : data
      // Whatever broke, the next sync starts on a fresh connection.
      await drop()
      if (continuous) retryLater()
      throw err
    } finally {
      announce(applied)
      tell()
    }
  }

  function syncNow(): Promise<TeamSyncReport> {
    if (running) {
      // One sync at a time: a request during one runs once more after it.
      again = true
      return running.then(
        () => syncNow(),
        () => syncNow()
      )
    }
    const run = once().finally(() => {
      running = null
      if (again) {
        again = false
        schedule(0)
      }
    })
    running = run
    return run
  }

  function schedule(ms: number): void {
    if (!continuous) return
    if (running) {
      again = true
      return
    }
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      syncNow().catch(() => undefined)
    }, ms)
  }

  function retryLater(): void {
    const wait = retryMs
    retryMs = Math.min(retryMs * 2, limits.retryMaxMs)
    schedule(wait)
  }

  /** Continuous mode notices local edits by the newest row in team_dirty (an index lookup). */
  function pollDirty(): void {
    if (!db.open) return
    const newest = db.prepare('SELECT MAX(at_ms) FROM team_dirty').pluck().get() as number | null
    const seen = String(newest)
    if (seen === lastDirty) return
    lastDirty = seen
    if (newest !== null && state !== 'offline') schedule(limits.debounceMs)
  }

  /** Who is connected changes without any push: an open window asks now and then. */
  async function refreshConnected(): Promise<void> {
    const s = server
    if (!s || running) return
    const now = (await s.connected().catch(() => null))?.slice().sort() ?? null
    if (!now || server !== s) return
    const changed = now.length !== connected.length || now.some((r, i) => r !== connected[i])
    connected = now
    if (changed) tell()
  }

  return {
    syncNow,
    start() {
      if (continuous) return
      continuous = true
      lastDirty = ''
      poller = setInterval(pollDirty, limits.pollMs)
      roster = setInterval(() => void refreshConnected(), limits.connectedMs)
      schedule(0)
    },
    async stop() {
      continuous = false
      if (timer) clearTimeout(timer)
      if (poller) clearInterval(poller)
      if (roster) clearInterval(roster)
      timer = null
      poller = null
      roster = null
      await running?.catch(() => undefined)
      await drop()
    },
    status
  }
}

export type { FieldState }
