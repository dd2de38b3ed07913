// Opening a connection to the server: the URL's parts, the password (the URL's, else the
// keychain's, else PGPASSWORD / ~/.pgpass, which pg reads itself), TLS as libpq's sslmode
// says (default `prefer`: TLS when the server offers it, plain when it says it has none),
// and time limits on connecting and on every statement.
import { readFileSync } from 'node:fs'
import type { ConnectionOptions } from 'node:tls'
import pg from 'pg'
import { TeamServerError, teamError, type ErrorContext } from './errors'
import { endClient } from './session'

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full'
const SSL_MODES: ReadonlySet<string> = new Set([
  'disable',
  'allow',
  'prefer',
  'require',
  'verify-ca',
  'verify-full'
])

export interface ServerAddress {
  host: string
  port: number
  database: string
  /** Undefined: pg takes PGUSER or the OS user. */
  user: string | undefined
  password: string | undefined
  sslMode: SslMode
  /** sslrootcert: the CA file verify-ca / verify-full trust (else the system's). */
  rootCert: string | undefined
}

/** postgres://user@host:port/db: what messages and the status show (never the password). */
export function redactUrl(a: ServerAddress, user = a.user): string {
  const host = a.host.includes(':') && !a.host.startsWith('/') ? `[${a.host}]` : a.host
  return `postgres://${user ? `${encodeURIComponent(user)}@` : ''}${host}:${a.port}/${a.database}`
}

/**
 * The URL a library keeps to connect again: the address with its connection settings (sslmode
 * when not the default, sslrootcert, a socket folder as host), never the password.
 */
export function storedUrl(a: ServerAddress): string {
  const socket = a.host.startsWith('/')
  const base = redactUrl(socket ? { ...a, host: 'localhost' } : a)
  const q = new URLSearchParams()
  if (socket) q.set('host', a.host)
  if (a.sslMode !== 'prefer') q.set('sslmode', a.sslMode)
  if (a.rootCert) q.set('sslrootcert', a.rootCert)
  const query = q.toString()
  return query ? `${base}?${query}` : base
}

/** Reads a `postgres://user:password@host:port/db?sslmode=…` URL; host may also be `?host=`. */
export function parseServerUrl(url: string): ServerAddress {
  let u: URL
  const invalid = (why: string): TeamServerError =>
    new TeamServerError('team-url-invalid', `The server address is not a PostgreSQL URL: ${why}.`, {
      reason: why
    })
  try {
    // libpq allows an empty host (a socket folder in ?host=, or the default); URL does not
    // after a user name, so one stands in.
    u = new URL(url.replace(/^(postgres(?:ql)?:\/\/[^/@?#]*@)(?=[/?#]|$)/, '$1localhost'))
  } catch {
    throw invalid('expected postgres://user:password@host:port/database')
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw invalid(`it starts with ${u.protocol} instead of postgres:`)
  const q = u.searchParams
  const host = q.get('host') ?? decodeURIComponent(u.hostname.replace(/^\[|\]$/g, ''))
  const port = Number(q.get('port') ?? (u.port || '5432'))
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(`port ${u.port}`)
  const sslMode = q.get('sslmode') ?? 'prefer'
  if (!SSL_MODES.has(sslMode)) throw invalid(`unknown sslmode ${sslMode}`)
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres'
  return {
    host: host || 'localhost',
    port,
    database,
    user: u.username ? decodeURIComponent(u.username) : (q.get('user') ?? undefined),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    sslMode: sslMode as SslMode,
    rootCert: q.get('sslrootcert') ?? undefined
  }
}

export interface OpenOptions {
  /** Used when the URL has no password. */
  password?: string
  applicationName: string
  /** Connect and statement time limit. */
  timeoutMs: number
}

function readRootCert(path: string): Buffer {
  try {
    return readFileSync(path)
  } catch (err) {
    const why = (err as { code?: string }).code ?? 'unreadable'
    throw new TeamServerError(
      'team-url-invalid',
      `The server address names sslrootcert ${path}, which cannot be read (${why}).`,
      { reason: `sslrootcert ${why}`, path }
    )
  }
}

function tlsOptions(a: ServerAddress): ConnectionOptions | false {
  switch (a.sslMode) {
    case 'disable':
    case 'allow':
      return false
    case 'prefer':
    case 'require':
      // libpq checks no certificate in these modes: TLS against eavesdropping only.
      return { rejectUnauthorized: false }
    case 'verify-ca':
    case 'verify-full':
      return {
        rejectUnauthorized: true,
        ca: a.rootCert ? readRootCert(a.rootCert) : undefined,
        servername: a.host,
        ...(a.sslMode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {})
      }
  }
}

export interface OpenClient {
  client: pg.Client
  tls: boolean
}

const NO_SSL = /does not support SSL/i
const CLIENT_GRACE_MS = 5_000
const KEEPALIVE_MS = 10_000

/**
 * A connected client. The `error` event (a server restart, a dropped socket) is caught and
 * handed to `onError`; without a listener Node would crash the process.
 */
export async function openClient(
  a: ServerAddress,
  opts: OpenOptions,
  ctx: ErrorContext,
  onError: (err: Error) => void = () => {}
): Promise<OpenClient> {
  const attempt = async (ssl: ConnectionOptions | false): Promise<pg.Client> => {
    const client = new pg.Client({
      host: a.host,
      port: a.port,
      database: a.database,
      user: a.user,
      // undefined lets pg take PGPASSWORD, then ~/.pgpass.
      password: a.password ?? opts.password,
      ssl,
      application_name: opts.applicationName,
      connectionTimeoutMillis: opts.timeoutMs,
      statement_timeout: opts.timeoutMs,
      // The client's own limit, for a server or network that stops answering altogether
      // (the statement limit above is the server's, and a dead link never delivers it).
      query_timeout: opts.timeoutMs + CLIENT_GRACE_MS,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_MS
    })
    client.on('error', onError)
    try {
      await client.connect()
    } catch (err) {
      client.removeAllListeners('error')
      client.on('error', () => {})
      await endClient(client)
      throw err
    }
    return client
  }
  const first = tlsOptions(a)
  try {
    return { client: await attempt(first), tls: first !== false }
  } catch (err) {
    const msg = err instanceof Error ? err.message : ''
    if (a.sslMode === 'prefer' && NO_SSL.test(msg)) {
      try {
        return { client: await attempt(false), tls: false }
      } catch (err2) {
        throw teamError(err2, ctx)
      }
    }
    if (a.sslMode === 'allow' && /SSL|encryption/i.test(msg)) {
      try {
        return { client: await attempt({ rejectUnauthorized: false }), tls: true }
      } catch (err2) {
        throw teamError(err2, ctx)
      }
    }
    if (NO_SSL.test(msg))
      throw new TeamServerError(
        'team-tls-required',
        `The server ${ctx.server} does not offer TLS, which sslmode=${a.sslMode} requires.`,
        { server: ctx.server, sslmode: a.sslMode }
      )
    throw teamError(err, ctx)
  }
}
