// Opening a session on one team library: connect (TLS as the URL's sslmode says), find the
// library, and find what the role may do there. A role that may not even read is refused here,
// with the reason, rather than at its first pull.
import type { TeamAccess } from '../../../shared/team-types'
import { openClient, parseServerUrl, redactUrl } from './connection'
import { TeamServerError, teamError, type ErrorContext } from './errors'
import { applicationName, teamNames } from './names'
import { SCHEMA_VERSION } from './schema'
import { endClient, run, type Session } from './session'

export const DEFAULT_TIMEOUT_MS = 10_000

export interface SessionOptions {
  password?: string
  /**
   * Goes into application_name (who is connected). Without it (an admin's short call) the
   * connection is named so that it does not count as connected to the library.
   */
  clientId?: string
  timeoutMs?: number
}

/** A connection to the database of `url`, about team library `name` (which may not exist yet). */
export async function openSession(
  url: string,
  name: string,
  opts: SessionOptions
): Promise<Session> {
  const names = teamNames(name)
  const address = parseServerUrl(url)
  const password = address.password ?? opts.password
  const ctx: ErrorContext = {
    server: redactUrl(address),
    user: address.user ?? process.env.PGUSER ?? '',
    name,
    // Only to strike it from driver messages, wherever pg found it.
    password: password ?? process.env.PGPASSWORD
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const app =
    opts.clientId === undefined
      ? `gleaner-admin:${names.schema}`
      : applicationName(names, opts.clientId)
  const { client, tls } = await openClient(
    address,
    { password: opts.password, applicationName: app, timeoutMs },
    ctx,
    // A dropped connection is seen by the next call, which fails with team-unreachable.
    () => {}
  )
  const session: Session = {
    client,
    names,
    address,
    ctx,
    password,
    tls,
    timeoutMs,
    applicationName: app
  }
  try {
    const [me] = await run<{ user: string; tls: boolean | null }>(
      session,
      `SELECT current_user::text AS user,
              (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS tls`
    )
    ctx.user = me!.user
    ctx.server = redactUrl(address, me!.user)
    // What the server says, not what we asked for.
    session.tls = me!.tls === true
  } catch (err) {
    await endClient(client)
    throw teamError(err, ctx)
  }
  return session
}

export interface LibraryState {
  exists: boolean
  access: TeamAccess | null
  displayName: string
}

/** Whether the team library exists and what the session's role may do in it. */
export async function libraryAccess(s: Session): Promise<LibraryState> {
  const [row] = await run<{ exists: boolean; admin: boolean; write: boolean; read: boolean }>(
    s,
    `SELECT n.oid IS NOT NULL AS exists,
            coalesce(pg_has_role(current_user, n.nspowner, 'MEMBER'), false) AS admin,
            CASE WHEN to_regrole($2) IS NULL THEN false
                 ELSE pg_has_role(current_user, $2, 'MEMBER') END AS write,
            CASE WHEN to_regrole($3) IS NULL THEN false
                 ELSE pg_has_role(current_user, $3, 'MEMBER') END AS read
       FROM (SELECT 1) AS one LEFT JOIN pg_namespace n ON n.nspname = $1`,
    [s.names.schema, s.names.writeRole, s.names.readRole]
  )
  if (!row!.exists) return { exists: false, access: null, displayName: s.names.name }
  const access: TeamAccess | null = !row!.read
    ? null
    : row!.admin
      ? 'admin'
      : row!.write
        ? 'write'
        : 'read'
  let displayName = s.names.name
  if (access) {
    const meta = await run<{ key: string; value: string }>(
      s,
      `SELECT key, value FROM ${s.client.escapeIdentifier(s.names.schema)}.meta`
    )
    const m = new Map(meta.map((r) => [r.key, r.value]))
    const version = Number(m.get('schema_version') ?? '0')
    if (!(version >= 1 && version <= SCHEMA_VERSION))
      throw new TeamServerError(
        'team-schema-unsupported',
        `Team library ${s.names.name} on ${s.ctx.server} has schema version ${version}; this Gleaner knows up to ${SCHEMA_VERSION}.`,
        { name: s.names.name, server: s.ctx.server, version, supported: SCHEMA_VERSION }
      )
    displayName = m.get('name') ?? displayName
  }
  return { exists: true, access, displayName }
}

/** A session on an existing library the role may read; closed again when refused. */
export async function openLibrary(
  url: string,
  name: string,
  opts: SessionOptions
): Promise<{ session: Session; access: TeamAccess }> {
  const session = await openSession(url, name, opts)
  try {
    const state = await libraryAccess(session)
    const { server, user } = session.ctx
    if (!state.exists)
      throw new TeamServerError(
        'team-not-found',
        `There is no team library ${name} on ${server}.`,
        { name, server }
      )
    if (!state.access)
      throw new TeamServerError(
        'team-permission-denied',
        `${user} is not a member of team library ${name} on ${server} (an admin grants read or write access).`,
        { name, server, user, reason: 'not-a-member' }
      )
    return { session, access: state.access }
  } catch (err) {
    await endClient(session.client)
    throw err
  }
}
