// A team library's name and the PostgreSQL names it maps to: one schema, two group roles, the
// NOTIFY channel, and the application_name prefix that tells who is connected to it.
import { TeamServerError } from './errors'

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/

export interface TeamNames {
  /** As the user gave it. */
  name: string
  schema: string
  readRole: string
  writeRole: string
  /** The LISTEN/NOTIFY channel: the schema's name. */
  channel: string
  /** application_name of every connection to this library starts with it. */
  appPrefix: string
}

/**
 * Maps NAME to its schema `gleaner_<name lowercased, - as _>`. Names that differ only in case
 * or in - vs _ are the same team library. The length cap keeps every derived identifier under
 * PostgreSQL's 63 bytes.
 */
export function teamNames(name: string): TeamNames {
  if (!NAME.test(name))
    throw new TeamServerError(
      'team-name-invalid',
      `"${String(name).slice(0, 80)}" is not a team library name: a letter, then up to 39 letters, digits, - or _.`,
      { name: String(name).slice(0, 80) }
    )
  const schema = `gleaner_${name.toLowerCase().replace(/-/g, '_')}`
  return {
    name,
    schema,
    readRole: `${schema}_read`,
    writeRole: `${schema}_write`,
    channel: schema,
    appPrefix: `gleaner:${schema}:`
  }
}

const APP_NAME_MAX = 63

/** application_name for one client: the prefix and as much of the client id as fits. */
export function applicationName(names: TeamNames, clientId: string): string {
  const room = APP_NAME_MAX - names.appPrefix.length
  const id = clientId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, Math.max(0, room))
  return names.appPrefix + id
}
