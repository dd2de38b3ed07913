// Creating a team library: its schema, group roles, tables, policies and push function, in
// one transaction, so a failure leaves nothing half made.
import { TeamServerError, teamError } from './errors'
import { libraryAccess } from './open'
import { createSchemaSql } from './schema'
import { inTransaction, run, type Session } from './session'

export async function createLibrary(s: Session): Promise<void> {
  const { name, schema, readRole, writeRole } = s.names
  const exists = (): TeamServerError =>
    new TeamServerError(
      'team-exists',
      `Team library ${name} already exists on ${s.ctx.server} (schema ${schema} or its roles).`,
      { name, server: s.ctx.server, schema }
    )
  const state = await libraryAccess(s)
  const [roles] = await run<{ n: string }>(
    s,
    `SELECT count(*) AS n FROM pg_roles WHERE rolname IN ($1, $2)`,
    [readRole, writeRole]
  )
  if (state.exists || Number(roles!.n) > 0) throw exists()
  try {
    await inTransaction(s, async () => {
      for (const sql of createSchemaSql(s.names, name)) await s.client.query(sql)
    })
  } catch (err) {
    const code = (err as { code?: unknown }).code
    // Someone created it at the same moment.
    if (code === '42P06' || code === '42710' || code === '23505') throw exists()
    if (code === '42501')
      throw new TeamServerError(
        'team-permission-denied',
        `${s.ctx.user} may not create team library ${name} on ${s.ctx.server}: it needs CREATEROLE and CREATE on the database (an administrator's role).`,
        { name, server: s.ctx.server, user: s.ctx.user, reason: 'create' }
      )
    throw teamError(err, s.ctx)
  }
}
