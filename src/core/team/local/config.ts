// Which team library this library file is the working copy of (settings rows `team.*`), and
// making it one. The password is never here: it lives in the OS keychain (SecretStore),
// PGPASSWORD or ~/.pgpass. STUB (contract commit): the "local" helper builds it.
import type { Db } from '../../library/open'

export interface TeamConfig {
  name: string
  /** postgres://user@host:port/db, without the password. */
  server: string
  user: string
  /** This copy's id on the server (hlc tie-breaker, application_name). */
  clientId: string
}

export function teamConfig(_db: Db): TeamConfig | null {
  return null
}

/**
 * Makes a personal library the working copy of team library NAME (`team create` / `team
 * join`): stores the config, installs the change triggers and marks every existing row dirty so
 * the first sync pushes the library's articles, collections and annotations.
 */
export function makeTeamCopy(_db: Db, _cfg: Omit<TeamConfig, 'clientId'>): TeamConfig {
  throw new Error('not built')
}
