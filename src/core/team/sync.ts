// Keeps a library's working copy in step with its team library: push the fields this copy
// changed (local/ finds them), apply what the server overruled, pull what others pushed and
// apply it through the one writer, announce it to every window. STUB (contract commit): the
// "local" helper builds it.
import type { LibraryChange, Touched } from '../../shared/change-types'
import { GleanerError } from '../../shared/errors'
import type { TeamStatus, TeamSyncReport } from '../../shared/team-types'
import type { CaptureContext } from '../capture/context'
import type { TeamServer } from './protocol'

export interface TeamSyncDeps {
  ctx: CaptureContext
  /** Opens the server connection (again after it dropped). */
  connect(): Promise<TeamServer>
  /** Every window hears the status (teamStatus events). */
  onStatus(status: TeamStatus): void
  /** Announces what a pull changed here (a libraryChanged event, not undoable). */
  announce?(touched: Partial<Touched>): LibraryChange | void
}

export interface TeamSync {
  /** One push + pull now; resolves when done (or rejects with the reason; status says it too). */
  syncNow(): Promise<TeamSyncReport>
  /** Continuous: sync now, after local changes (debounced), and on the server's notifications. */
  start(): void
  stop(): Promise<void>
  status(): TeamStatus
}

export function createTeamSync(_deps: TeamSyncDeps): TeamSync {
  throw new GleanerError('not-built', 'Team libraries are not built yet.')
}
