// Paired browsers (the clipper_clients table): the extension's Origin and the hash of the token
// it was given. The token itself is never stored; a request's token is hashed and looked up.
import type { ClipperClient } from '../../shared/capture-types'
import type { Db } from '../library/open'
import { writeTx } from '../library/write-tx'
import { tokenHash } from './pairing'

interface ClientRow {
  id: number
  origin: string
  label: string
  paired_at: string
  last_clip_at: string | null
}

const toClient = (r: ClientRow): ClipperClient => ({
  id: r.id,
  origin: r.origin,
  label: r.label,
  pairedAt: r.paired_at,
  lastClipAt: r.last_clip_at
})

/** Labels are the browser's user agent: kept short, it is only shown. */
const MAX_LABEL = 300

export function addClient(
  db: Db,
  c: { origin: string; label: string; token: string; pairedAt: string }
): ClipperClient {
  const id = writeTx(db, () =>
    Number(
      db
        .prepare(
          `INSERT INTO clipper_clients (origin, label, token_hash, paired_at) VALUES (?, ?, ?, ?)`
        )
        .run(c.origin, c.label.slice(0, MAX_LABEL), tokenHash(c.token), c.pairedAt).lastInsertRowid
    )
  )
  return getClient(db, id) as ClipperClient
}

export function getClient(db: Db, id: number): ClipperClient | null {
  const row = db
    .prepare(`SELECT id, origin, label, paired_at, last_clip_at FROM clipper_clients WHERE id = ?`)
    .get(id) as ClientRow | undefined
  return row ? toClient(row) : null
}

export function listClients(db: Db): ClipperClient[] {
  return (
    db
      .prepare(`SELECT id, origin, label, paired_at, last_clip_at FROM clipper_clients ORDER BY id`)
      .all() as ClientRow[]
  ).map(toClient)
}

/** The client a token belongs to, or null (unknown or revoked). */
export function clientByToken(db: Db, token: string): ClipperClient | null {
  const row = db
    .prepare(
      `SELECT id, origin, label, paired_at, last_clip_at FROM clipper_clients WHERE token_hash = ?`
    )
    .get(tokenHash(token)) as ClientRow | undefined
  return row ? toClient(row) : null
}

/** Removes a client; the row as it was, or null when there was none. */
export function deleteClient(db: Db, id: number): ClipperClient | null {
  const before = getClient(db, id)
  if (before) db.prepare(`DELETE FROM clipper_clients WHERE id = ?`).run(id)
  return before
}

export function touchClient(db: Db, id: number, at: string): void {
  writeTx(db, () => {
    db.prepare(`UPDATE clipper_clients SET last_clip_at = ? WHERE id = ?`).run(at, id)
  })
}
