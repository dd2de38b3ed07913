// The team library on the server (PostgreSQL): its schema, roles and row-level security, the
// members, and the connection a client syncs through. What lives where:
//   names.ts       NAME → schema, group roles, channel, application_name
//   schema.ts      the tables, grants, policies and the push function, as SQL
//   connection.ts  the URL, password, TLS (libpq's sslmode) and time limits
//   open.ts        a session on one library, and the role's access there
//   push.ts, pull.ts, originals.ts, listen.ts   the TeamServer calls (team-server.ts)
//   members.ts     members and their access
//   errors.ts      TeamServerError codes, driver errors mapped to them
import type { TeamAccess, TeamMember } from '../../../shared/team-types'
import type { TeamServer } from '../protocol'
import { createLibrary } from './create'
import { members, setMemberAccess } from './members'
import { openLibrary, openSession } from './open'
import { endClient } from './session'
import { teamServer } from './team-server'

export { TeamServerError, type TeamServerErrorCode } from './errors'
export { teamNames } from './names'

export interface ConnectOptions {
  /** This library's client id (application_name carries it, for "who is connected"). */
  clientId: string
  /** The password when the URL has none: from the keychain (else PGPASSWORD, ~/.pgpass). */
  password?: string
  /** Connection and statement time limit, ms (default 10 s). */
  timeoutMs?: number
}

type AdminOptions = { password?: string; timeoutMs?: number }

/**
 * Creates a team library NAME in the database of `url` (one schema, its group roles for read
 * and write access, tables with row-level security) and makes the connecting role its admin.
 * The role needs CREATEROLE (an administrator's). Refused with `team-exists` when it exists.
 */
export async function createTeamLibrary(
  url: string,
  name: string,
  opts: AdminOptions = {}
): Promise<void> {
  const s = await openSession(url, name, opts)
  try {
    await createLibrary(s)
  } finally {
    await endClient(s.client)
  }
}

/** Opens a connection to team library NAME as the URL's role; refused if it lacks read access. */
export async function connectTeam(
  url: string,
  name: string,
  opts: ConnectOptions
): Promise<TeamServer> {
  const { session, access } = await openLibrary(url, name, opts)
  return teamServer(session, access)
}

export async function listMembers(
  url: string,
  name: string,
  opts: AdminOptions = {}
): Promise<TeamMember[]> {
  const { session } = await openLibrary(url, name, opts)
  try {
    return await members(session)
  } finally {
    await endClient(session.client)
  }
}

/** Grants ROLE read or write access, or (null) removes it (the role must exist; an admin's connection). */
export async function setMember(
  url: string,
  name: string,
  role: string,
  access: Exclude<TeamAccess, 'admin'> | null,
  opts: AdminOptions = {}
): Promise<void> {
  const { session } = await openLibrary(url, name, opts)
  try {
    await setMemberAccess(session, role, access)
  } finally {
    await endClient(session.client)
  }
}
