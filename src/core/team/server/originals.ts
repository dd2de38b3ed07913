// Articles' original files on the server, each stored once under its sha256. Sizes are capped
// where the bytes are read: before sending, and from the server's size column before fetching.
import { createHash } from 'node:crypto'
import { escapeIdentifier as ident } from 'pg'
import type { TeamOriginal } from '../protocol'
import { TeamServerError } from './errors'
import { run, type Session } from './session'

export const ORIGINAL_LIMITS = {
  /** One original file. */
  bytes: 64 * 1_048_576,
  /** Bytes moved by one statement (several originals go together up to this). */
  statementBytes: 64 * 1_048_576,
  /** Hashes asked about in one statement. */
  hashes: 10_000,
  nameChars: 255
} as const

const SHA256 = /^[0-9a-f]{64}$/

function checkHashes(sha256s: string[]): void {
  for (const h of sha256s)
    if (typeof h !== 'string' || !SHA256.test(h))
      throw new TeamServerError(
        'team-original-invalid',
        `"${String(h).slice(0, 80)}" is not a sha256 (64 lower-case hex digits).`,
        { sha256: String(h).slice(0, 80) }
      )
}

const chunks = <T>(xs: T[], n: number): T[][] => {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n))
  return out
}

/** Groups of items whose sizes add up to at most `cap` (a bigger one alone). */
function bySize<T>(xs: T[], size: (x: T) => number, cap: number): T[][] {
  const out: T[][] = []
  let cur: T[] = []
  let total = 0
  for (const x of xs) {
    if (cur.length && total + size(x) > cap) {
      out.push(cur)
      cur = []
      total = 0
    }
    cur.push(x)
    total += size(x)
  }
  if (cur.length) out.push(cur)
  return out
}

const tooLarge = (sha256: string, size: number): TeamServerError =>
  new TeamServerError(
    'team-original-too-large',
    `The original ${sha256} has ${size} bytes; a team library takes at most ${ORIGINAL_LIMITS.bytes}.`,
    { sha256, size, max: ORIGINAL_LIMITS.bytes }
  )

export async function missingOriginals(s: Session, sha256s: string[]): Promise<string[]> {
  checkHashes(sha256s)
  const missing: string[] = []
  for (const part of chunks([...new Set(sha256s)], ORIGINAL_LIMITS.hashes)) {
    const rows = await run<{ h: string }>(
      s,
      `SELECT h FROM unnest($1::text[]) AS h
        WHERE NOT EXISTS (SELECT 1 FROM ${ident(s.names.schema)}.originals o WHERE o.sha256 = h)`,
      [part]
    )
    missing.push(...rows.map((r) => r.h))
  }
  return missing
}

export async function putOriginals(s: Session, originals: TeamOriginal[]): Promise<void> {
  for (const o of originals) {
    if (!Buffer.isBuffer(o.bytes))
      throw new TeamServerError('team-original-invalid', `The original ${o.sha256} has no bytes.`, {
        sha256: String(o.sha256)
      })
    if (o.bytes.length > ORIGINAL_LIMITS.bytes) throw tooLarge(o.sha256, o.bytes.length)
    const actual = createHash('sha256').update(o.bytes).digest('hex')
    if (actual !== o.sha256)
      throw new TeamServerError(
        'team-original-invalid',
        `The original named ${o.sha256} has the sha256 ${actual}: its bytes do not match.`,
        { sha256: String(o.sha256).slice(0, 80), actual }
      )
    if (typeof o.name !== 'string' || o.name === '' || o.name.length > ORIGINAL_LIMITS.nameChars)
      throw new TeamServerError(
        'team-original-invalid',
        `The original ${o.sha256} needs a file name of 1 to ${ORIGINAL_LIMITS.nameChars} characters.`,
        { sha256: o.sha256 }
      )
  }
  const unique = [...new Map(originals.map((o) => [o.sha256, o])).values()]
  for (const group of bySize(unique, (o) => o.bytes.length, ORIGINAL_LIMITS.statementBytes)) {
    const params: unknown[] = []
    const rows = group.map((o) => {
      params.push(o.sha256, o.name, o.bytes.length, o.bytes)
      const i = params.length
      return `($${i - 3}, $${i - 2}, $${i - 1}::bigint, $${i}::bytea, current_user)`
    })
    await run(
      s,
      `INSERT INTO ${ident(s.names.schema)}.originals (sha256, name, size, bytes, author)
       VALUES ${rows.join(', ')} ON CONFLICT (sha256) DO NOTHING`,
      params
    )
  }
}

export async function getOriginals(s: Session, sha256s: string[]): Promise<TeamOriginal[]> {
  checkHashes(sha256s)
  const table = `${ident(s.names.schema)}.originals`
  const found: { sha256: string; name: string; size: number }[] = []
  for (const part of chunks([...new Set(sha256s)], ORIGINAL_LIMITS.hashes)) {
    const rows = await run<{ sha256: string; name: string; size: string }>(
      s,
      `SELECT sha256, name, size FROM ${table} WHERE sha256 = ANY($1::text[])`,
      [part]
    )
    for (const r of rows) {
      const size = Number(r.size)
      if (size > ORIGINAL_LIMITS.bytes) throw tooLarge(r.sha256, size)
      found.push({ sha256: r.sha256, name: r.name, size })
    }
  }
  const bytes = new Map<string, Buffer>()
  for (const group of bySize(found, (f) => f.size, ORIGINAL_LIMITS.statementBytes)) {
    const rows = await run<{ sha256: string; bytes: Buffer }>(
      s,
      `SELECT sha256, bytes FROM ${table}
        WHERE sha256 = ANY($1::text[]) AND octet_length(bytes) <= $2`,
      [group.map((f) => f.sha256), ORIGINAL_LIMITS.bytes]
    )
    for (const r of rows) {
      if (createHash('sha256').update(r.bytes).digest('hex') !== r.sha256)
        throw new TeamServerError(
          'team-original-invalid',
          `The server's copy of original ${r.sha256} does not match its sha256.`,
          { sha256: r.sha256 }
        )
      bytes.set(r.sha256, r.bytes)
    }
  }
  const out: TeamOriginal[] = []
  for (const f of found) {
    const b = bytes.get(f.sha256)
    if (b) out.push({ sha256: f.sha256, name: f.name, bytes: b })
  }
  return out
}
