// One open connection to a team library's database, with what every call on it needs: the
// library's names, the address for messages, and errors mapped to TeamServerErrors.
import type pg from 'pg'
import { teamError, type ErrorContext } from './errors'
import type { ServerAddress } from './connection'
import type { TeamNames } from './names'

export interface Session {
  client: pg.Client
  names: TeamNames
  address: ServerAddress
  ctx: ErrorContext
  /** The resolved password (for the listener's own connection), never shown. */
  password: string | undefined
  tls: boolean
  timeoutMs: number
  applicationName: string
}

/** Runs one statement; any failure comes back as a TeamServerError. */
export async function run<R extends pg.QueryResultRow>(
  s: Session,
  sql: string,
  params: unknown[] = []
): Promise<R[]> {
  try {
    const res = await s.client.query<R>(sql, params)
    return res.rows
  } catch (err) {
    // The answer never came: the connection is in an unknown state, so it is ended and every
    // later call fails at once as team-unreachable (the sync engine reconnects).
    if (err instanceof Error && /Query read timeout/i.test(err.message)) void endClient(s.client)
    throw teamError(err, s.ctx)
  }
}

/** Runs `work` in one transaction; rolled back on any error. */
export async function inTransaction<T>(s: Session, work: () => Promise<T>): Promise<T> {
  await run(s, 'BEGIN')
  try {
    const out = await work()
    await run(s, 'COMMIT')
    return out
  } catch (err) {
    await s.client.query('ROLLBACK').catch(() => {})
    throw err
  }
}

/**
 * Ends a client without waiting forever: over a dead link the server's goodbye never comes,
 * and keepalive closes the socket later.
 */
export async function endClient(client: pg.Client, waitMs = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    client.end().catch(() => {}),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))
  ])
  clearTimeout(timer)
}
