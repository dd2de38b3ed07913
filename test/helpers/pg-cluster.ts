// A real PostgreSQL 15 server for tests and benchmarks: Debian's binaries, a cluster of our own
// in a temp folder, listening on loopback only, on a free port, with password authentication
// (scram-sha-256) and optionally TLS with a self-signed certificate. `.ci/run` installs the
// package; nothing here uses the package's own cluster. As root (CI), the server runs as the
// `postgres` user, which PostgreSQL requires.
import { execFileSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const PG_BIN = '/usr/lib/postgresql/15/bin'
export const pgAvailable = existsSync(join(PG_BIN, 'postgres'))

export interface PgCluster {
  host: string
  port: number
  /** The superuser (an administrator's connection). */
  superuser: string
  password: string
  dataDir: string
  tls: boolean
  /** postgres://user:password@127.0.0.1:port/db */
  url(user?: string, password?: string, db?: string): string
  /** Runs SQL as the superuser with psql (set-up steps a test does as the administrator). */
  psql(sql: string, db?: string): string
  stop(): void
  start(): void
  /** Stops the server and removes the folder. */
  destroy(): void
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0

/** Runs a PostgreSQL program as the cluster's owner (the postgres user when we are root). */
function asOwner(program: string, args: string[], input?: string): string {
  const bin = join(PG_BIN, program)
  if (!isRoot())
    return execFileSync(bin, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] })
  const quoted = [bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
  return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], {
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'pipe']
  })
}

export interface PgClusterOptions {
  /** Serve TLS with a self-signed certificate (clients may then use it). */
  tls?: boolean
}

export async function startPgCluster(opts: PgClusterOptions = {}): Promise<PgCluster> {
  if (!pgAvailable)
    throw new Error(`PostgreSQL 15 is not installed (${PG_BIN}); .ci/run installs it`)
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-pg-'))
  const dataDir = join(dir, 'data')
  const password = `pw-${Math.random().toString(36).slice(2)}`
  const pwFile = join(dir, 'pw')
  writeFileSync(pwFile, password + '\n')
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dir, uid, gid)
    chownSync(pwFile, uid, gid)
  }
  chmodSync(dir, 0o700)
  const superuser = 'gleaner_admin'
  asOwner('initdb', [
    '-D',
    dataDir,
    '-U',
    superuser,
    '-A',
    'scram-sha-256',
    '--pwfile',
    pwFile,
    '-E',
    'UTF8',
    '--locale',
    'C.UTF-8'
  ])
  rmSync(pwFile)
  const port = await freePort()
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    `-c listen_addresses=127.0.0.1`,
    `-c max_connections=200`,
    `-c fsync=off`
  ]
  if (opts.tls) {
    const cert = join(dataDir, 'server.crt')
    const key = join(dataDir, 'server.key')
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-x509',
        '-days',
        '2',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert
      ],
      { stdio: 'ignore' }
    )
    if (isRoot()) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
      chownSync(cert, uid, -1)
      chownSync(key, uid, -1)
    }
    chmodSync(key, 0o600)
    settings.push('-c ssl=on', `-c ssl_cert_file=${cert}`, `-c ssl_key_file=${key}`)
  }
  const start = (): void => {
    asOwner('pg_ctl', [
      '-D',
      dataDir,
      '-l',
      join(dir, 'log'),
      '-w',
      '-o',
      settings.join(' '),
      'start'
    ])
  }
  const stop = (): void => {
    try {
      asOwner('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop'])
    } catch {
      // already stopped
    }
  }
  start()
  const cluster: PgCluster = {
    host: '127.0.0.1',
    port,
    superuser,
    password,
    dataDir,
    tls: opts.tls ?? false,
    url: (user = superuser, pw = password, db = 'postgres') =>
      `postgres://${encodeURIComponent(user)}:${encodeURIComponent(pw)}@127.0.0.1:${port}/${db}`,
    psql(sql, db = 'postgres') {
      return execFileSync(
        join(PG_BIN, 'psql'),
        [
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          superuser,
          '-d',
          db,
          '-v',
          'ON_ERROR_STOP=1',
          '-qAt',
          '-c',
          sql
        ],
        { encoding: 'utf8', env: { ...process.env, PGPASSWORD: password } }
      )
    },
    stop,
    start,
    destroy() {
      stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return cluster
}
