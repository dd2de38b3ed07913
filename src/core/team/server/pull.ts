// pull: the fields changed after a server version, as they are now, in version order, so an
// initial sync reads each field once and a later one only what moved.
import { escapeIdentifier as ident } from 'pg'
import type { PullPage } from '../protocol'
import { TeamServerError } from './errors'
import { toFieldState } from './push'
import { run, type Session } from './session'

export const PULL_MAX = 50_000

export async function pull(s: Session, since: number, limit: number): Promise<PullPage> {
  if (!Number.isSafeInteger(since) || since < 0)
    throw new TeamServerError(
      'team-write-invalid',
      `A pull starts at a version ≥ 0, not ${since}.`,
      {
        since
      }
    )
  const n = Math.max(1, Math.min(PULL_MAX, Math.floor(limit) || 1))
  const rows = await run<Parameters<typeof toFieldState>[0]>(
    s,
    `SELECT kind, key, field, value, hlc, author, version, conflict
       FROM ${ident(s.names.schema)}.fields
      WHERE version > $1 ORDER BY version LIMIT $2`,
    [since, n + 1]
  )
  const more = rows.length > n
  const fields = (more ? rows.slice(0, n) : rows).map(toFieldState)
  return { fields, version: fields.length ? fields[fields.length - 1]!.version : since, more }
}
