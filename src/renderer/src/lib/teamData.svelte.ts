// The left pane's Team section: this library's team library and its sync, loaded from the core
// and replaced by every 'teamStatus' event (each window hears them, whichever window or process
// synced). Loaded apart from LibraryData so that a failure here leaves the rest of the pane whole.
import type { GleanerApi } from '../../../shared/api'
import type { ErrorData } from '../../../shared/errors'
import { errorData } from '../../../shared/errors'
import type { TeamStatus } from '../../../shared/team-types'
import { coalesced } from './coalesced'

type TeamApi = Pick<GleanerApi, 'teamStatus' | 'syncTeam' | 'setTeamPassword'>

export class TeamData {
  /** null: a personal library (the section shows nothing). */
  status: TeamStatus | null = $state.raw(null)
  /** Why the status could not load, or why the last Sync now failed. */
  error: ErrorData | null = $state.raw(null)
  loaded = $state(false)
  /** This window asked for a sync and waits for its answer. */
  syncing = $state(false)
  #api: TeamApi
  /** The Sync now in flight (one at a time). */
  #running: Promise<void> | null = null

  constructor(api: TeamApi) {
    this.#api = api
  }

  async load(): Promise<void> {
    try {
      this.status = await this.#api.teamStatus()
      this.error = null
    } catch (err) {
      this.error = errorData(err)
    }
    this.loaded = true
  }

  /** Reloads now, or once more after the reload in flight (never two at once). */
  readonly refresh = coalesced(() => this.load())

  /** A 'teamStatus' event: the core's status as it is now. */
  heard(status: TeamStatus | null): void {
    this.status = status
    this.loaded = true
  }

  /**
   * Hands the password to the app's keychain (refused where the host has none), then syncs with
   * it. Resolves false when it could not be saved (the error is shown).
   */
  async savePassword(password: string): Promise<boolean> {
    try {
      await this.#api.setTeamPassword(password)
    } catch (err) {
      this.error = errorData(err)
      return false
    }
    // The Sync now that asked for the password may still wait for its (refused) answer: the
    // status event showing the field can come before it. This sync must run after it.
    await this.#running
    await this.syncNow()
    return true
  }

  /** Sync now; its failure is shown in the section (the status carries it too). */
  async syncNow(): Promise<void> {
    if (this.#running) return this.#running
    this.#running = this.#sync().finally(() => {
      this.#running = null
    })
    return this.#running
  }

  async #sync(): Promise<void> {
    this.syncing = true
    this.error = null
    try {
      await this.#api.syncTeam()
    } catch (err) {
      this.error = errorData(err)
    } finally {
      this.syncing = false
    }
    await this.refresh()
  }
}
