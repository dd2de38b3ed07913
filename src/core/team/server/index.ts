// The team library on the server (PostgreSQL): its schema, roles and row-level security, the
// members, and the connection a client syncs through. STUB (contract commit): the "server"
// helper builds it.
import { GleanerError } from '../../../shared/errors'
import type { TeamAccess, TeamMember } from '../../../shared/team-types'
import type { TeamServer } from '../protocol'

export interface ConnectOptions {
  /** This library's client id (application_name carries it, for "who is connected"). */
  clientId: string
  /** The password when the URL has none: from the keychain (else PGPASSWORD, ~/.pgpass). */
  password?: string
  /** Connection and statement time limit, ms (default 10 s). */
  timeoutMs?: number
}

const notBuilt = (): never => {
  throw new GleanerError('not-built', 'Team libraries are not built yet.')
}

/**
 * Creates a team library NAME in the database of `url` (one schema, its group roles for read
 * and write access, tables with row-level security) and makes the connecting role its admin.
 * The role needs CREATEROLE (an administrator's). Refused with `team-exists` when it exists.
 */
export async function createTeamLibrary(
  _url: string,
  _name: string,
  _opts?: { password?: string }
): Promise<void> {
  notBuilt()
}

/** Opens a connection to team library NAME as the URL's role; refused if it lacks read access. */
export async function connectTeam(
  _url: string,
  _name: string,
  _opts: ConnectOptions
): Promise<TeamServer> {
  return notBuilt()
}

export async function listMembers(
  _url: string,
  _name: string,
  _opts?: { password?: string }
): Promise<TeamMember[]> {
  return notBuilt()
}

/** Grants ROLE read or write access (the role must exist; an admin's connection). */
export async function setMember(
  _url: string,
  _name: string,
  _role: string,
  _access: Exclude<TeamAccess, 'admin'> | null,
  _opts?: { password?: string }
): Promise<void> {
  notBuilt()
}
