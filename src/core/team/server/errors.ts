// Errors a person sees when a team library cannot be reached, entered or changed. Each has a
// stable code and the values its sentence needs; the English message is the fallback. A
// message never carries a password: the server is always named as `redactUrl` prints it.
import { errorKind } from '../../../shared/errors'

export type TeamServerErrorCode =
  | 'team-name-invalid'
  | 'team-url-invalid'
  | 'team-exists'
  | 'team-not-found'
  | 'team-database-not-found'
  | 'team-role-not-found'
  | 'team-member-invalid'
  | 'team-unreachable'
  | 'team-tls-required'
  | 'team-tls-untrusted'
  | 'team-auth-failed'
  | 'team-permission-denied'
  | 'team-timeout'
  | 'team-schema-unsupported'
  | 'team-write-invalid'
  | 'team-original-invalid'
  | 'team-original-too-large'
  | 'team-server-error'

export class TeamServerError extends errorKind<TeamServerErrorCode>('TeamServerError') {}

/** What a driver error says about where it came from (pg's DatabaseError, a socket's error). */
interface DriverError {
  code?: unknown
  message?: unknown
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE'
])

/** The driver's own sentence, with the password (if any) blotted out, for the fallback text. */
function driverText(err: DriverError, password: string | undefined): string {
  let text = typeof err.message === 'string' ? err.message : String(err)
  if (password) text = text.split(password).join('***')
  return text
}

export interface ErrorContext {
  /** postgres://user@host:port/db, without the password. */
  server: string
  user: string
  /** The team library's name, when the call is about one. */
  name?: string
  /** Only to strike it from any text the driver produced. */
  password?: string
}

/** A GleanerError for any error the driver or the server threw (already ours: unchanged). */
export function teamError(err: unknown, ctx: ErrorContext): TeamServerError {
  if (err instanceof TeamServerError) return err
  const e = (
    typeof err === 'object' && err !== null ? err : { message: String(err) }
  ) as DriverError
  const code = typeof e.code === 'string' ? e.code : ''
  const text = driverText(e, ctx.password)
  const { server, user } = ctx
  const name = ctx.name ?? ''
  if (code === '28P01' || code === '28000' || /password must be a string|SASL/i.test(text))
    return new TeamServerError(
      'team-auth-failed',
      `The server ${server} refused the login of ${user} (wrong password, or no password given, or the role may not log in).`,
      { server, user }
    )
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_/.test(code))
    return new TeamServerError(
      'team-tls-untrusted',
      `The certificate of ${server} is not trusted (${text}).`,
      { server, reason: text }
    )
  if (code === '3D000')
    return new TeamServerError(
      'team-database-not-found',
      `The database in ${server} does not exist.`,
      { server }
    )
  if (code === '3F000')
    return new TeamServerError('team-not-found', `There is no team library ${name} on ${server}.`, {
      name,
      server
    })
  if (code === '42501')
    return new TeamServerError(
      'team-permission-denied',
      `${user} may not do this in team library ${name} on ${server} (${text}).`,
      { name, server, user, reason: text }
    )
  if (code === '57014' || /Query read timeout/i.test(text))
    return new TeamServerError('team-timeout', `The server ${server} took too long to answer.`, {
      server
    })
  if (
    NETWORK_CODES.has(code) ||
    code.startsWith('08') ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code === '53300' ||
    /Connection terminated|timeout expired|Client has encountered a connection error|Client was closed/i.test(
      text
    )
  )
    return new TeamServerError(
      'team-unreachable',
      `The server ${server} cannot be reached (${text}).`,
      { server, reason: text }
    )
  return new TeamServerError(
    'team-server-error',
    `The server ${server} reported an error${code ? ` (${code})` : ''}: ${text}`,
    { server, sqlstate: code, reason: text }
  )
}
