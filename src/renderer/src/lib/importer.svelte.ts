// One import at a time, observed through the core's importProgress events; when the run
// ends its report (imported / duplicates / failures with reasons) stays until dismissed.
import type { GleanerBridge } from '../../../shared/api'
import type { ImportProgress, ImportRun } from '../../../shared/types'

export class ImportController {
  running = $state(false)
  progress: ImportProgress | null = $state.raw(null)
  report: ImportRun | null = $state.raw(null)
  error: string | null = $state(null)
  readonly #bridge: GleanerBridge
  /** Marks this window's runs: progress (and Cancel) follow only those, never another window's. */
  readonly clientId = `window-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`

  constructor(bridge: GleanerBridge) {
    this.#bridge = bridge
  }

  /** Listen for progress; returns the unsubscribe for the owner's teardown. */
  listen(): () => void {
    return this.#bridge.on('importProgress', (progress) => {
      if (this.running && progress.clientId === this.clientId) this.progress = progress
    })
  }

  async start(paths: string[]): Promise<ImportRun | null> {
    if (this.running || paths.length === 0) return null
    this.running = true
    this.progress = null
    this.report = null
    this.error = null
    try {
      const run = await this.#bridge.api.importPaths(paths, { clientId: this.clientId })
      this.report = run
      return run
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err)
      return null
    } finally {
      this.running = false
    }
  }

  async cancel(): Promise<void> {
    if (this.progress) await this.#bridge.api.cancelImport(this.progress.runId)
  }

  dismiss(): void {
    this.report = null
    this.error = null
  }
}
