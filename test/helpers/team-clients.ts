// Team library clients for tests: each a real library file and service, made the working copy
// of one team library on a real PostgreSQL cluster (pg-cluster.ts), syncing through the same
// engine as the app (core/team/sync.ts).
import { join } from 'node:path'
import {
  createGleanerService,
  type GleanerService,
  type ServiceOptions
} from '../../src/core/service'
import { connectTeam, createTeamLibrary, setMember } from '../../src/core/team/server'
import { makeTeamCopy, teamConfig } from '../../src/core/team/local/config'
import { createTeamSync, type TeamSync, type TeamSyncLimits } from '../../src/core/team/sync'
import type { TeamStatus } from '../../src/shared/team-types'
import type { TeamServer } from '../../src/core/team/protocol'
import type { PgCluster } from './pg-cluster'

export interface TeamClient {
  name: string
  svc: GleanerService
  sync: TeamSync
  statuses: TeamStatus[]
  close(): Promise<void>
}

/** Makes login roles and team library NAME with them as writers (the administrator's steps). */
export async function setUpTeam(cluster: PgCluster, team: string, roles: string[]): Promise<void> {
  for (const r of roles) cluster.psql(`CREATE ROLE ${r} LOGIN PASSWORD 'pw-${r}'`)
  await createTeamLibrary(cluster.url(), team)
  for (const r of roles) await setMember(cluster.url(), team, r, 'write')
}

export interface ClientOptions {
  limits?: Partial<TeamSyncLimits>
  /** Stands between the engine and the server (a test's fault or signal). */
  wrap?: (server: TeamServer) => TeamServer
  /** The service's import options (a test's parser that fails, say). */
  importOptions?: ServiceOptions['importOptions']
}

export function openTeamClient(
  cluster: PgCluster,
  dir: string,
  role: string,
  team: string,
  opts: ClientOptions = {}
): TeamClient {
  return clientOn(join(dir, `${role}.db`), cluster.url(role, `pw-${role}`), role, team, opts)
}

/** A client on library file `libraryPath`, connecting with `url` (its password in it). */
export function clientOn(
  libraryPath: string,
  url: string,
  role: string,
  team: string,
  opts: ClientOptions = {}
): TeamClient {
  const svc = createGleanerService({
    libraryPath,
    watchExternal: false,
    ...(opts.importOptions ? { importOptions: opts.importOptions } : {})
  })
  if (!teamConfig(svc.db)) makeTeamCopy(svc.db, { name: team, server: url, user: role })
  const cfg = teamConfig(svc.db)!
  const statuses: TeamStatus[] = []
  const sync = createTeamSync({
    ctx: svc.capture,
    connect: async () => {
      const s = await connectTeam(url, team, { clientId: cfg.clientId, timeoutMs: 5000 })
      return opts.wrap ? opts.wrap(s) : s
    },
    onStatus: (st) => statuses.push(st),
    limits: opts.limits ?? {}
  })
  return {
    name: role,
    svc,
    sync,
    statuses,
    async close() {
      await sync.stop()
      await svc.idle()
      svc.close()
    }
  }
}

/** Resolves when `check` holds (polled), or rejects after `ms` with what it last saw. */
export async function until<T>(
  check: () => T | Promise<T>,
  ms = 10_000,
  what = 'condition'
): Promise<T> {
  const end = Date.now() + ms
  let last: unknown
  for (;;) {
    try {
      const v = await check()
      if (v) return v
      last = v
    } catch (e) {
      last = e
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${String(last)}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
