// Which team library this library file is the working copy of (settings rows `team.*`), and
// making it one. The password is never here: it lives in the OS keychain (SecretStore),
// PGPASSWORD or ~/.pgpass.
import { randomUUID } from 'node:crypto'
import { GleanerError } from '../../../shared/errors'
import type { Db } from '../../library/open'
import { writeTx } from '../../library/write-tx'
import { parseServerUrl, storedUrl } from '../server/connection'
import { installTeamTriggers, markEverythingDirty } from './triggers'

export interface TeamConfig {
  name: string
  /** postgres://user@host:port/db, without the password. */
  server: string
  user: string
  /** This copy's id on the server (hlc tie-breaker, application_name). */
  clientId: string
}

const KEYS = {
  name: 'team.name',
  server: 'team.server',
  user: 'team.user',
  clientId: 'team.clientId'
} as const

export function readSetting(db: Db, key: string): string | null {
  return (
    (db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as
      string | undefined) ?? null
  )
}

export function writeSetting(db: Db, key: string, value: string | null): void {
  if (value === null) db.prepare('DELETE FROM settings WHERE key = ?').run(key)
  else db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(key, value)
}

export function teamConfig(db: Db): TeamConfig | null {
  const name = readSetting(db, KEYS.name)
  const server = readSetting(db, KEYS.server)
  const user = readSetting(db, KEYS.user)
  const clientId = readSetting(db, KEYS.clientId)
  if (name === null || server === null || user === null || clientId === null) return null
  return { name, server, user, clientId }
}

/** The server address as stored: never with a password, whatever the user typed. */
const withoutPassword = (server: string): string => storedUrl(parseServerUrl(server))

/**
 * Makes a personal library the working copy of team library NAME (`team create` / `team
 * join`): stores the config, installs the change triggers and marks every existing row dirty so
 * the first sync pushes the library's articles, collections and annotations.
 */
export function makeTeamCopy(db: Db, cfg: Omit<TeamConfig, 'clientId'>): TeamConfig {
  return writeTx(db, () => {
    const current = teamConfig(db)
    if (current) {
      if (current.name === cfg.name) return current
      throw new GleanerError(
        'team-already-joined',
        `This library is already the copy of team library "${current.name}" on ${current.server}.`,
        { name: current.name, server: current.server }
      )
    }
    // Short: it is the hlc's tie-breaker in every field the server stores.
    const clientId = randomUUID().replaceAll('-', '').slice(0, 16)
    const config: TeamConfig = { ...cfg, server: withoutPassword(cfg.server), clientId }
    writeSetting(db, KEYS.name, config.name)
    writeSetting(db, KEYS.server, config.server)
    writeSetting(db, KEYS.user, config.user)
    writeSetting(db, KEYS.clientId, clientId)
    installTeamTriggers(db)
    markEverythingDirty(db, Date.now())
    return config
  })
}
