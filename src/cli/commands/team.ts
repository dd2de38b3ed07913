import type { TeamStatus, TeamSyncReport } from '../../shared/team-types'
import { GleanerError } from '../../shared/errors'
import { makeTeamCopy, teamConfig, type TeamConfig } from '../../core/team/local/config'
import { connectTeam, createTeamLibrary, setMember } from '../../core/team/server'
import { parseServerUrl, storedUrl } from '../../core/team/server/connection'
import { notJoined, secretKey } from '../../core/team/service-part'
import { parseCommandArgs } from '../args'
import type { CliCommand, CliContext } from '../command'
import { table } from '../table'

const usage = `Usage: gleaner team <subcommand> [options]
Team libraries: this library file as the working copy of a library shared on a PostgreSQL server.
URL: postgres://user:password@host:port/db (the password is used for this command only and never
stored; without it, PGPASSWORD or ~/.pgpass give it, as they do for every later command).
  team create NAME --server URL      make team library NAME on the server (an administrator's
                                     role, with CREATEROLE) and this library its first copy:
                                     its articles, collections and notes are sent
  team join NAME --server URL        make this library a copy of team library NAME and fetch it
  team sync [NAME]                   send this copy's edits and fetch the team's now
  team status [--json]               the team library, the last sync, pending edits, who is
                                     connected (--json: TeamStatus; null for a personal library)
  team members NAME [--add ROLE --read|--write] [--remove ROLE]
                                     list the members (PostgreSQL roles) and their access;
                                     grant or take away a role's access (an administrator's)`

/** The parts of a postgres:// URL the library keeps (never the password) and the password. */
interface ServerUrl {
  /** postgres://user@host:port/db (with sslmode and the like when given; never the password) */
  server: string
  user: string
  password?: string
}

function serverUrl(text: string): ServerUrl {
  const a = parseServerUrl(text)
  if (!a.user)
    throw new GleanerError(
      'team-url-invalid',
      'The server URL must name the PostgreSQL role: postgres://user:password@host:5432/db.',
      { reason: 'no user' }
    )
  return {
    server: storedUrl(a),
    user: a.user,
    ...(a.password !== undefined ? { password: a.password } : {})
  }
}

function requireConfig(ctx: CliContext, name?: string): TeamConfig {
  const cfg = teamConfig(ctx.service().db)
  if (!cfg) throw notJoined()
  if (name !== undefined && name !== cfg.name)
    throw new GleanerError(
      'team-wrong-name',
      `This library is the copy of team library "${cfg.name}", not "${name}".`,
      { name, current: cfg.name }
    )
  return cfg
}

function printReport(ctx: CliContext, name: string, r: TeamSyncReport): void {
  ctx.out(
    `Synced with team library ${name}: sent ${r.pushed} field(s), received ${r.pulled}; ` +
      `uploaded ${r.uploaded} original(s), downloaded ${r.downloaded}` +
      (r.conflicts ? `; ${r.conflicts} concurrent note edit(s) kept side by side` : '') +
      ` (server version ${r.serverVersion})`
  )
}

function printStatus(ctx: CliContext, s: TeamStatus): void {
  const ago = s.lastSyncAt ? s.lastSyncAt.slice(0, 19).replace('T', ' ') + ' UTC' : 'never'
  ctx.out(`Team library: ${s.name}`)
  ctx.out(`Server:       ${s.server}${s.tls ? ' (TLS)' : ''}`)
  ctx.out(`Role:         ${s.user} (${s.access})`)
  ctx.out(`State:        ${s.state}`)
  ctx.out(`Last sync:    ${ago}`)
  ctx.out(`Pending:      ${s.pending} edit(s) not yet on the server`)
  ctx.out(`Version:      ${s.serverVersion}`)
  if (s.lastError) ctx.out(`Last error:   ${s.lastError.message}`)
  ctx.out(`Connected:    ${s.connected.length ? s.connected.join(', ') : 'nobody known'}`)
}

/** Makes the library a copy of team library NAME at `url`, then brings it in step. */
async function becomeCopy(
  ctx: CliContext,
  name: string,
  url: ServerUrl,
  before: () => Promise<void>
): Promise<number> {
  const service = ctx.service()
  const existing = teamConfig(service.db)
  if (existing)
    throw new GleanerError(
      'team-already-joined',
      `This library is already the copy of team library "${existing.name}" on ${existing.server}.`,
      { name: existing.name, server: existing.server }
    )
  await before()
  // The URL's password serves this process only: the sync below finds it here.
  if (url.password !== undefined) await ctx.secrets?.set(secretKey(url.server), url.password)
  makeTeamCopy(service.db, { name, server: url.server, user: url.user })
  printReport(ctx, name, await service.syncTeam())
  return 0
}

export const teamCommand: CliCommand = {
  name: 'team',
  summary: 'team libraries on PostgreSQL: create, join, sync, status, members',
  usage,
  async run(args, ctx) {
    const [sub, ...rest] = args
    const { values, positionals } = parseCommandArgs(
      rest,
      {
        server: { type: 'string' },
        json: { type: 'boolean' },
        add: { type: 'string' },
        remove: { type: 'string' },
        read: { type: 'boolean' },
        write: { type: 'boolean' }
      },
      usage
    )
    const usageError = (): number => {
      ctx.err(usage)
      return 2
    }
    switch (sub) {
      case 'create':
      case 'join': {
        const name = positionals[0]
        if (positionals.length !== 1 || !name || !values.server) return usageError()
        const url = serverUrl(values.server)
        const pw = url.password !== undefined ? { password: url.password } : {}
        return becomeCopy(ctx, name, url, async () => {
          if (sub === 'create') {
            await createTeamLibrary(url.server, name, pw)
            ctx.out(`Created team library ${name} on ${url.server}`)
          } else {
            // Refused here (no such team library, no access, a wrong password) before the
            // library is changed at all.
            const probe = await connectTeam(url.server, name, {
              clientId: `join-check-${process.pid}`,
              ...pw
            })
            const access = probe.info.access
            await probe.close()
            ctx.out(`Joined team library ${name} on ${url.server} (${access} access)`)
          }
        })
      }
      case 'sync': {
        if (positionals.length > 1) return usageError()
        const cfg = requireConfig(ctx, positionals[0])
        printReport(ctx, cfg.name, await ctx.service().syncTeam())
        return 0
      }
      case 'status': {
        if (positionals.length) return usageError()
        const status = await ctx.service().teamStatus()
        if (values.json) ctx.out(JSON.stringify(status, null, 2))
        else if (!status) ctx.out('This library is personal (not the copy of a team library).')
        else printStatus(ctx, status)
        return 0
      }
      case 'members': {
        const name = positionals[0]
        if (positionals.length !== 1 || !name) return usageError()
        if (values.add !== undefined && values.read === values.write) return usageError()
        if (values.add === undefined && (values.read || values.write)) return usageError()
        const cfg = requireConfig(ctx, name)
        const stored = await ctx.secrets?.get(secretKey(cfg.server))
        const pw = stored !== undefined ? { password: stored } : {}
        if (values.add !== undefined) {
          await setMember(cfg.server, cfg.name, values.add, values.write ? 'write' : 'read', pw)
          ctx.out(`${values.add} may now ${values.write ? 'read and edit' : 'read'} ${cfg.name}`)
        }
        if (values.remove !== undefined) {
          await setMember(cfg.server, cfg.name, values.remove, null, pw)
          ctx.out(`${values.remove} is no longer a member of ${cfg.name}`)
        }
        const members = await ctx.service().teamMembers()
        if (values.json) {
          ctx.out(JSON.stringify(members, null, 2))
          return 0
        }
        for (const line of table(
          [{ header: 'Role' }, { header: 'Access' }, { header: 'Connected' }],
          members.map((m) => [m.role, m.access, m.connected ? 'yes' : ''])
        ))
          ctx.out(line)
        return 0
      }
      default:
        return usageError()
    }
  }
}
