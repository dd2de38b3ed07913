// The API's team methods, and the continuous sync while the service is open (issue 19).
// STUB (contract commit): the "front doors" helper builds it on core/team/sync.ts.
import type { GleanerApi } from '../../shared/api'
import { GleanerError } from '../../shared/errors'
import type { CaptureContext } from '../capture/context'

export type TeamMethods = Pick<GleanerApi, 'teamStatus' | 'syncTeam' | 'teamMembers'>

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

export function createTeamPart(_ctx: CaptureContext, _opts: TeamOptions): TeamPart {
  const notBuilt = (): never => {
    throw new GleanerError('not-built', 'Team libraries are not built yet.')
  }
  return {
    methods: {
      teamStatus: () => Promise.resolve(null),
      syncTeam: async () => notBuilt(),
      teamMembers: async () => notBuilt()
    },
    stop: () => Promise.resolve()
  }
}
