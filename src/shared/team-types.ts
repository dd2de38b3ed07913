// Team libraries: a library file that is the working copy of one team library kept in a
// shared PostgreSQL database (issue 19). What the window, the CLI and the API see of it.

/** What a member may do in a team library (granted through PostgreSQL roles). */
export type TeamAccess = 'read' | 'write' | 'admin'

/** The state of this library's sync with its team library; null from teamStatus when personal. */
export interface TeamStatus {
  /** The team library's name (as given to `team create`). */
  name: string
  /** The server, as `postgres://user@host:port/db` — never with a password. */
  server: string
  /** The PostgreSQL role this library connects as. */
  user: string
  access: TeamAccess
  /** 'idle' between syncs, 'syncing' during one, 'offline' when the server cannot be reached. */
  state: 'idle' | 'syncing' | 'offline'
  /** Whether the last connection used TLS. */
  tls: boolean
  /** ISO time of the last sync that completed; null before the first. */
  lastSyncAt: string | null
  /** Why the last sync failed (a GleanerError's data); null when it succeeded. */
  lastError: { code: string; message: string; params?: Record<string, unknown> } | null
  /** Local edits not yet on the server (fields). */
  pending: number
  /** The highest server version this copy has pulled. */
  serverVersion: number
  /** Members connected to the team library now (PostgreSQL roles), this one included. */
  connected: string[]
}

export interface TeamMember {
  role: string
  access: TeamAccess
  /** Connected to the team library now. */
  connected: boolean
}

/** What one sync did. */
export interface TeamSyncReport {
  /** Fields sent to the server. */
  pushed: number
  /** Fields received from the server and applied here. */
  pulled: number
  /** Originals uploaded / downloaded (each sent once, by sha256). */
  uploaded: number
  downloaded: number
  /** Concurrent note edits kept side by side (flagged). */
  conflicts: number
  serverVersion: number
}
