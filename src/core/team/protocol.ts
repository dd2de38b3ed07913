// The contract between a library's working copy (SQLite, core/team/local/) and the team
// library on the server (PostgreSQL, core/team/server/). Sync moves *fields* of entities keyed
// by ids that are the same on every client, never the local integer ids the change log's
// arguments carry: each client's row ids differ.
//
// Entities and their keys:
//   article     `${originalSha256}:${itemIndex}` — the article's original file by content and
//               its index inside it. Fields: `categories` (sorted array of category paths, each
//               an array of segments), `tag:<name>` (true / false: tags are a set, so
//               concurrent adds of different tags both stay), `deleted` (ISO time or null: a
//               recoverable tombstone), `import` (what a client needs to rebuild the article
//               from its original as its first client did: `{ name, url?, title?, source?,
//               publishedAt? }`, `name` the original's file name or address, whose extension
//               tells the importer the format; written once, with the article). Clean text, the
//               search index, read and starred are not synced (derived by each client; per
//               person).
//   collection  its uid (collections.uid). Fields: `name`, `query`, `deleted` (ISO or null).
//   item        `${collectionUid}|${articleKey}`. Fields: `in` (boolean), `position` (number,
//               fractional order), `note` (merge field, see below).
//   annotation  its uid (annotations.uid). Fields: `article` (article key), `selectors`,
//               `exact`, `color`, `tags`, `note` (merge field), `deleted` (ISO or null).
//               Its author is the server's `author` of the annotation's `article` field: the
//               PostgreSQL role that created it, set by the server, never by the client.
//
// Conflicts: every field is a last-writer-wins register ordered by its hybrid logical clock
// (hlc.ts). Merge fields (`note`) are never lost: a write whose `base` is not the server's
// current hlc of that field is concurrent with it; the server then keeps both texts, flagged
// (mergeNotes in server/ does it, deterministically, in the push's transaction).

import type { GleanerError } from '../../shared/errors'

export type EntityKind = 'article' | 'collection' | 'item' | 'annotation'

/** Fields whose concurrent edits are merged rather than overwritten. */
export const MERGE_FIELDS: ReadonlySet<string> = new Set(['note'])

/** One field written by a client. `value` is JSON; null clears the field. */
export interface FieldWrite {
  kind: EntityKind
  key: string
  field: string
  value: unknown
  /** The edit's hybrid logical clock (hlc.ts), greater than the hlc of the value it replaced. */
  hlc: string
  /** For merge fields: the hlc of the value this edit was made on ('' when the field was new). */
  base?: string
}

/** A field as the server holds it. */
export interface FieldState {
  kind: EntityKind
  key: string
  field: string
  value: unknown
  hlc: string
  /** The PostgreSQL role whose write this is (set by the server from current_user). */
  author: string
  /** The server version of the write that set it (grows with every push). */
  version: number
  /** Set on merge fields when concurrent edits were kept side by side. */
  conflict?: boolean
}

export interface PushResult {
  /** The server version after this push (unchanged when nothing was newer). */
  version: number
  /** Writes that became the field's value. */
  applied: number
  /**
   * Fields where the client's write did not simply win (an older hlc lost, or a note was
   * merged): the server's value now, which the client applies and keeps as its shadow.
   */
  overruled: FieldState[]
  /** This batch id was already committed (a retry after a lost answer): nothing was applied. */
  duplicate: boolean
}

export interface PullPage {
  /** Fields changed after `since`, in version order. */
  fields: FieldState[]
  /** The highest version in `fields` (or `since` when none): the next pull's `since`. */
  version: number
  more: boolean
}

/** An article's original file as stored once on the server. */
export interface TeamOriginal {
  sha256: string
  bytes: Buffer
  /** The file's name (its extension tells the importer the format). */
  name: string
}

export interface TeamConnectionInfo {
  /** postgres://user@host:port/db, without the password. */
  server: string
  user: string
  tls: boolean
  access: 'read' | 'write' | 'admin'
}

/** One open connection to one team library on the server (server/connection.ts makes it). */
export interface TeamServer {
  readonly info: TeamConnectionInfo
  /**
   * Writes a batch in one transaction. `batchId` is unique per batch: a retry with the same id
   * after a lost answer applies nothing twice (duplicate: true).
   */
  push(batchId: string, clientId: string, writes: FieldWrite[]): Promise<PushResult>
  pull(since: number, limit: number): Promise<PullPage>
  /** Which of these originals the server lacks. */
  missingOriginals(sha256s: string[]): Promise<string[]>
  putOriginals(originals: TeamOriginal[]): Promise<void>
  getOriginals(sha256s: string[]): Promise<TeamOriginal[]>
  /**
   * Calls back (with the new server version) when another client pushed; resolves to a stop.
   * It listens on a connection of its own: when that connection is lost (server restart,
   * network), `onLost` is called once with the reason (a GleanerError, e.g. team-unreachable)
   * and no more versions come; the caller reconnects, pulls what it missed and listens again.
   */
  listen(
    onVersion: (version: number) => void,
    onLost?: (err: GleanerError) => void
  ): Promise<() => Promise<void>>
  /** Roles connected to this team library now. */
  connected(): Promise<string[]>
  /** Ends the connections (a pending push either committed or did not: never half). */
  close(): Promise<void>
}
