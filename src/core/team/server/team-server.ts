// The TeamServer a sync engine talks to: one connection for push, pull and originals (pg runs
// its calls one after another), a connection of its own per listener.
import type { TeamAccess } from '../../../shared/team-types'
import type { TeamConnectionInfo, TeamServer } from '../protocol'
import { listen } from './listen'
import { getOriginals, missingOriginals, putOriginals } from './originals'
import { pull } from './pull'
import { push } from './push'
import { endClient, run, type Session } from './session'

/** Roles with a connection to this team library now (application_name names the library). */
export async function connectedRoles(s: Session): Promise<string[]> {
  const rows = await run<{ role: string }>(
    s,
    `SELECT DISTINCT usename::text AS role FROM pg_stat_activity
      WHERE datname = current_database() AND usename IS NOT NULL
        AND left(application_name, $1) = $2
      ORDER BY 1`,
    [s.names.appPrefix.length, s.names.appPrefix]
  )
  return rows.map((r) => r.role)
}

export function teamServer(s: Session, access: TeamAccess): TeamServer {
  const info: TeamConnectionInfo = {
    server: s.ctx.server,
    user: s.ctx.user,
    tls: s.tls,
    access
  }
  const pending = new Set<Promise<unknown>>()
  const stops = new Set<() => Promise<void>>()
  let closed = false
  // Each call is tracked so close() waits for it: a push ends committed or not, never cut.
  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p)
    const done = (): void => void pending.delete(p)
    p.then(done, done)
    return p
  }
  return {
    info,
    push: (batchId, clientId, writes) => track(push(s, batchId, clientId, writes)),
    pull: (since, limit) => track(pull(s, since, limit)),
    missingOriginals: (sha256s) => track(missingOriginals(s, sha256s)),
    putOriginals: (originals) => track(putOriginals(s, originals)),
    getOriginals: (sha256s) => track(getOriginals(s, sha256s)),
    async listen(onVersion, onLost) {
      const stop = await listen(s, onVersion, onLost)
      const tracked = async (): Promise<void> => {
        stops.delete(tracked)
        await stop()
      }
      stops.add(tracked)
      return tracked
    },
    connected: () => track(connectedRoles(s)),
    async close() {
      if (closed) return
      closed = true
      await Promise.allSettled([...pending])
      await Promise.allSettled([...stops].map((stop) => stop()))
      await endClient(s.client)
    }
  }
}
