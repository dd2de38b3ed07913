// The API's team methods, and the continuous sync while the service is open (issue 19). The
// sync engine (sync.ts) does the work; this part finds which team library the file is a copy
// of, where the password comes from, and who hears the status.
import type { GleanerApi } from '../../shared/api'
import { GleanerError } from '../../shared/errors'
import type { TeamStatus } from '../../shared/team-types'
import type { CaptureContext } from '../capture/context'
import { teamConfig, type TeamConfig } from './local/config'
import { connectTeam, listMembers } from './server'
import { createTeamSync, type TeamSync } from './sync'

export type TeamMethods = Pick<
  GleanerApi,
  'teamStatus' | 'syncTeam' | 'teamMembers' | 'setTeamPassword'
>

/** Where a host keeps a team library's password: the OS keychain in the app (safeStorage). */
export interface SecretStore {
  get(key: string): Promise<string | undefined>
  set(key: string, value: string): Promise<void>
  delete(key: string): Promise<void>
}

/** How the team part behaves in this process (ServiceOptions.team). */
export interface TeamOptions {
  /**
   * Keep a team library in step while the service is open: sync at open, after every local
   * change, and when the server announces another client's push (LISTEN/NOTIFY). The app and
   * the web preview; one-shot CLI commands leave it off and call syncTeam. Default false.
   */
  continuous?: boolean
  /** The host's keychain for the server password (else PGPASSWORD or ~/.pgpass). */
  secrets?: SecretStore
}

export interface TeamPart {
  methods: TeamMethods
  /** Stops the sync loop and closes the server connection. */
  stop(): Promise<void>
}

/**
 * The keychain entry of a team library's password: the server URL as the library keeps it
 * (`postgres://user@host:port/db`, so one entry per role and server, shared by the copies of
 * every team library there).
 */
export function secretKey(server: string): string {
  return `gleaner-team:${server}`
}

export function notJoined(): GleanerError {
  return new GleanerError(
    'team-not-joined',
    'This library is personal, not the working copy of a team library. Make it one with `gleaner team create` or `gleaner team join`.'
  )
}

export function createTeamPart(ctx: CaptureContext, opts: TeamOptions): TeamPart {
  let sync: TeamSync | null = null
  let config: TeamConfig | null = null
  let stopped = false

  /** The keychain's password, if the host has a keychain and an entry (else the server part's own PGPASSWORD / ~/.pgpass). */
  const password = async (cfg: TeamConfig): Promise<{ password?: string }> => {
    const found = await opts.secrets?.get(secretKey(cfg.server))
    return found === undefined ? {} : { password: found }
  }

  /**
   * The sync of this copy, made when first needed: the file may become a team library's copy
   * while the service is open (`team create` / `team join` in this process).
   */
  const current = (): TeamSync | null => {
    if (sync || stopped) return sync
    const cfg = ctx.health.readOr(() => teamConfig(ctx.db), null)
    if (!cfg) return null
    config = cfg
    sync = createTeamSync({
      ctx,
      connect: async () =>
        connectTeam(cfg.server, cfg.name, {
          clientId: cfg.clientId,
          ...(await password(cfg))
        }),
      onStatus: (status: TeamStatus) => ctx.emit('teamStatus', status)
    })
    if (opts.continuous) sync.start()
    return sync
  }
  if (opts.continuous) current()

  return {
    methods: {
      async teamStatus() {
        return current()?.status() ?? null
      },
      async syncTeam() {
        const s = current()
        if (!s) throw notJoined()
        return s.syncNow()
      },
      async teamMembers() {
        const s = current()
        if (!s || !config) throw notJoined()
        return listMembers(config.server, config.name, await password(config))
      },
      async setTeamPassword(pw) {
        const s = current()
        if (!s || !config) throw notJoined()
        if (!opts.secrets)
          throw new GleanerError(
            'keychain-unavailable',
            'This program has no keychain to keep the password in; set PGPASSWORD or ~/.pgpass instead.'
          )
        if (pw === null) await opts.secrets.delete(secretKey(config.server))
        else await opts.secrets.set(secretKey(config.server), pw)
      }
    },
    async stop() {
      stopped = true
      await sync?.stop()
    }
  }
}
