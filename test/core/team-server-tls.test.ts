// TLS when the server offers it (libpq's sslmode=prefer), plain when it does not, and the
// URL's explicit sslmode honoured; pg_stat_ssl on the server agrees with what the connection
// reports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import type { TeamServer } from '../../src/core/team/protocol'
import { connectTeam, createTeamLibrary } from '../../src/core/team/server'
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster'
import { errorOf } from '../helpers/team-errors'

let tls: PgCluster
let plain: PgCluster
const open: TeamServer[] = []

beforeAll(async () => {
  tls = await startPgCluster({ tls: true })
  plain = await startPgCluster()
  await createTeamLibrary(tls.url(), 'Secure')
  await createTeamLibrary(plain.url(), 'Open')
})
afterAll(async () => {
  await Promise.allSettled(open.map((s) => s.close()))
  tls?.destroy()
  plain?.destroy()
})

async function connect(url: string, name: string, clientId: string): Promise<TeamServer> {
  const s = await connectTeam(url, name, { clientId })
  open.push(s)
  return s
}

/** What the server says about the TLS of this test's connection `clientId` to `schema`. */
const serverSays = (c: PgCluster, schema: string, clientId: string): string =>
  c.psql(
    `SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
      WHERE a.application_name = 'gleaner:${schema}:${clientId}'`
  )

describe('TLS', () => {
  it('is used when the server offers it, and the server agrees', async () => {
    const s = await connect(tls.url(), 'Secure', 'tls-default')
    expect(s.info.tls).toBe(true)
    expect(serverSays(tls, 'gleaner_secure', 'tls-default')).toBe('t\n')
    // The listener's own connection is encrypted too.
    const stop = await s.listen(() => {})
    expect(
      tls.psql(
        `SELECT bool_and(s.ssl) || ':' || count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
          WHERE a.application_name = 'gleaner:gleaner_secure:tls-default'`
      )
    ).toBe('true:2\n')
    await stop()
    const req = await connect(`${tls.url()}?sslmode=require`, 'Secure', 'tls-require')
    expect(req.info.tls).toBe(true)
    expect(serverSays(tls, 'gleaner_secure', 'tls-require')).toBe('t\n')
  })

  it('falls back to a plain connection when the server has no TLS', async () => {
    const s = await connect(plain.url(), 'Open', 'plain-default')
    expect(s.info.tls).toBe(false)
    expect(serverSays(plain, 'gleaner_open', 'plain-default')).toBe('f\n')
    expect((await s.pull(0, 10)).fields).toEqual([])
  })

  it('honours the URL’s sslmode: disable, require, verify-ca, verify-full', async () => {
    const off = await connect(`${tls.url()}?sslmode=disable`, 'Secure', 'tls-off')
    expect(off.info.tls).toBe(false)
    expect(serverSays(tls, 'gleaner_secure', 'tls-off')).toBe('f\n')

    const required = await errorOf(connect(`${plain.url()}?sslmode=require`, 'Open', 'x'))
    expect(required.code).toBe('team-tls-required')

    // The self-signed certificate: not trusted without its CA file...
    const untrusted = await errorOf(connect(`${tls.url()}?sslmode=verify-ca`, 'Secure', 'x'))
    expect(untrusted.code).toBe('team-tls-untrusted')
    // ...trusted with it (verify-ca checks the chain, not the name).
    const root = join(tls.dataDir, 'server.crt')
    const ca = await connect(
      `${tls.url()}?sslmode=verify-ca&sslrootcert=${encodeURIComponent(root)}`,
      'Secure',
      'tls-ca'
    )
    expect(ca.info.tls).toBe(true)
    expect(serverSays(tls, 'gleaner_secure', 'tls-ca')).toBe('t\n')
    // verify-full also checks the name: this certificate names 127.0.0.1 only as its CN, not
    // as a subjectAltName, which is what a client checks for an IP address.
    const wrongName = await errorOf(
      connect(
        `${tls.url()}?sslmode=verify-full&sslrootcert=${encodeURIComponent(root)}`,
        'Secure',
        'x'
      )
    )
    expect(wrongName.code).toBe('team-tls-untrusted')
    const noFile = await errorOf(
      connect(`${tls.url()}?sslmode=verify-ca&sslrootcert=%2Fnowhere%2Fca.pem`, 'Secure', 'x')
    )
    expect(noFile.code).toBe('team-url-invalid')
    expect(noFile.params).toMatchObject({ path: '/nowhere/ca.pem' })
  })
})
