// A team library's members: roles granted its read or write group, and its admin (the
// schema's owner). Granting is PostgreSQL's GRANT, so the database refuses it to a role that
// may not manage roles, whatever the app says.
import { escapeIdentifier as ident } from 'pg'
import type { TeamAccess, TeamMember } from '../../../shared/team-types'
import { TeamServerError } from './errors'
import { inTransaction, run, type Session } from './session'
import { connectedRoles } from './team-server'

export async function members(s: Session): Promise<TeamMember[]> {
  const rows = await run<{ role: string; grp: string | null; owner: boolean }>(
    s,
    `SELECT r.rolname::text AS role, g.rolname::text AS grp, false AS owner
       FROM pg_auth_members m
       JOIN pg_roles g ON g.oid = m.roleid
       JOIN pg_roles r ON r.oid = m.member
      WHERE g.rolname IN ($1, $2) AND r.rolname NOT IN ($1, $2)
     UNION ALL
     SELECT pg_get_userbyid(nspowner)::text, NULL, true FROM pg_namespace WHERE nspname = $3`,
    [s.names.readRole, s.names.writeRole, s.names.schema]
  )
  const access = new Map<string, TeamAccess>()
  const rank: Record<TeamAccess, number> = { read: 0, write: 1, admin: 2 }
  for (const r of rows) {
    const a: TeamAccess = r.owner ? 'admin' : r.grp === s.names.writeRole ? 'write' : 'read'
    const prev = access.get(r.role)
    if (!prev || rank[a] > rank[prev]) access.set(r.role, a)
  }
  const online = new Set(await connectedRoles(s))
  return [...access.entries()]
    .map(([role, a]) => ({ role, access: a, connected: online.has(role) }))
    .sort((x, y) => x.role.localeCompare(y.role))
}

export async function setMemberAccess(
  s: Session,
  role: string,
  access: Exclude<TeamAccess, 'admin'> | null
): Promise<void> {
  const [found] = await run<{ exists: boolean; owner: string }>(
    s,
    `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists,
            (SELECT pg_get_userbyid(nspowner)::text FROM pg_namespace WHERE nspname = $2) AS owner`,
    [role, s.names.schema]
  )
  const { name } = s.names
  if (!found!.exists)
    throw new TeamServerError(
      'team-role-not-found',
      `There is no role ${role} on ${s.ctx.server} (an administrator creates it with CREATE ROLE … LOGIN).`,
      { role, server: s.ctx.server }
    )
  if (role === found!.owner || role === s.names.readRole || role === s.names.writeRole)
    throw new TeamServerError(
      'team-member-invalid',
      `${role} is ${role === found!.owner ? 'the admin' : 'a group'} of team library ${name}; its access cannot be changed here.`,
      { role, name }
    )
  const r = ident(role)
  await inTransaction(s, async () => {
    await run(s, `REVOKE ${ident(s.names.writeRole)} FROM ${r}`)
    await run(s, `REVOKE ${ident(s.names.readRole)} FROM ${r}`)
    if (access === 'write') await run(s, `GRANT ${ident(s.names.writeRole)} TO ${r}`)
    if (access === 'read') await run(s, `GRANT ${ident(s.names.readRole)} TO ${r}`)
  })
}
