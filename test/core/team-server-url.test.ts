// Reading a server URL: the parts, libpq's sslmode values, the password kept out of what is
// shown (redactUrl) and out of what a library stores to connect again (storedUrl).
import { describe, expect, it } from 'vitest'
import { parseServerUrl, redactUrl, storedUrl } from '../../src/core/team/server/connection'
import { TeamServerError } from '../../src/core/team/server'
import { applicationName, teamNames } from '../../src/core/team/server/names'

const codeOf = (fn: () => unknown): string => {
  try {
    fn()
  } catch (err) {
    if (err instanceof TeamServerError) return err.code
    throw err
  }
  return 'accepted'
}

describe('server URLs', () => {
  it('reads user, password, host, port, database and sslmode', () => {
    const a = parseServerUrl(
      'postgresql://ana%40desk:p%2Fw%3A1@db.example.org:6543/news?sslmode=verify-full&sslrootcert=/etc/ca.pem'
    )
    expect(a).toEqual({
      host: 'db.example.org',
      port: 6543,
      database: 'news',
      user: 'ana@desk',
      password: 'p/w:1',
      sslMode: 'verify-full',
      rootCert: '/etc/ca.pem'
    })
    expect(parseServerUrl('postgres://h')).toMatchObject({
      port: 5432,
      database: 'postgres',
      user: undefined,
      password: undefined,
      sslMode: 'prefer'
    })
    expect(parseServerUrl('postgres://[::1]:5433/db').host).toBe('::1')
  })

  it('never shows or stores the password, but stores the TLS settings', () => {
    const a = parseServerUrl(
      'postgres://ana:s3cret@db:5432/news?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem'
    )
    expect(redactUrl(a)).toBe('postgres://ana@db:5432/news')
    const kept = storedUrl(a)
    expect(kept).toBe('postgres://ana@db:5432/news?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem')
    expect(kept).not.toContain('s3cret')
    expect(parseServerUrl(kept)).toEqual({ ...a, password: undefined })
    expect(storedUrl(parseServerUrl('postgres://ana:x@db/news'))).toBe(
      'postgres://ana@db:5432/news'
    )
    const socket = parseServerUrl('postgres://ana@/news?host=/var/run/postgresql')
    expect(socket.host).toBe('/var/run/postgresql')
    expect(parseServerUrl(storedUrl(socket))).toEqual(socket)
    expect(redactUrl(parseServerUrl('postgres://ana@[::1]:5433/db'))).toBe(
      'postgres://ana@[::1]:5433/db'
    )
  })

  it('refuses what is not a PostgreSQL URL', () => {
    for (const bad of [
      'http://h/db',
      'db.example.org',
      'postgres://h:99999/db',
      'postgres://h/db?sslmode=maybe'
    ])
      expect(codeOf(() => parseServerUrl(bad))).toBe('team-url-invalid')
  })
})

describe('team names', () => {
  it('map to one schema and its roles, within PostgreSQL’s 63-byte names', () => {
    expect(teamNames('China-Desk')).toMatchObject({
      schema: 'gleaner_china_desk',
      readRole: 'gleaner_china_desk_read',
      writeRole: 'gleaner_china_desk_write',
      appPrefix: 'gleaner:gleaner_china_desk:'
    })
    const longest = teamNames('A' + 'b'.repeat(39))
    expect(longest.writeRole.length).toBeLessThanOrEqual(63)
    const app = applicationName(longest, 'c0ffee-1234-5678-9abc-def012345678')
    expect(Buffer.byteLength(app)).toBeLessThanOrEqual(63)
    expect(app.startsWith(longest.appPrefix)).toBe(true)
    for (const bad of ['', '9lives', 'a b', 'a"b', 'x'.repeat(41), '中文'])
      expect(codeOf(() => teamNames(bad))).toBe('team-name-invalid')
  })
})
