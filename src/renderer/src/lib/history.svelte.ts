// Undo and redo in the window: what Edit › Undo would do now (from the core's change log, so
// it is the same stack as every other window and `gleaner undo`), and the toast that offers
// undo right after a change this window made.
import type { GleanerApi } from '../../../shared/api'
import { changeSentence, undoLabel } from '../../../shared/change-labels'
import type { LibraryChange } from '../../../shared/change-types'
import type { Locale } from '../../../shared/first-paint'

export class HistoryController {
  undoable: LibraryChange | null = $state.raw(null)
  redoable: LibraryChange | null = $state.raw(null)
  /** The change offered in the toast (this window's last one, or the undo just done). */
  toast: { change: LibraryChange; kind: 'done' | 'undone' | 'redone' } | null = $state.raw(null)
  #api: GleanerApi
  #loading: Promise<void> | null = null
  #again = false

  constructor(api: GleanerApi) {
    this.#api = api
  }

  /** Re-reads what Undo and Redo would do (after any change, from anywhere). */
  refresh(): Promise<void> {
    if (this.#loading) {
      this.#again = true
      return this.#loading
    }
    this.#loading = this.#api
      .undoState()
      .then((state) => {
        this.undoable = state.undo
        this.redoable = state.redo
        // The change the toast reports was undone elsewhere (another window, `gleaner undo`):
        // it no longer stands, so the toast would say something untrue.
        const shown = this.toast
        if (shown?.kind === 'done' && state.redo?.undoOf === shown.change.seq) this.toast = null
      })
      .finally(() => {
        this.#loading = null
        if (this.#again) {
          this.#again = false
          void this.refresh()
        }
      })
    return this.#loading
  }

  /** After this window changed something: offer its undo in the toast. */
  async offer(): Promise<void> {
    await this.refresh()
    if (this.undoable) this.toast = { change: this.undoable, kind: 'done' }
  }

  /** After this window made a change that cannot be undone (emptying the trash): say what it did. */
  async tell(): Promise<void> {
    await this.refresh()
    const [latest] = await this.#api.history({ limit: 1 })
    if (latest) this.toast = { change: latest, kind: 'done' }
  }

  async undo(): Promise<LibraryChange | null> {
    const change = await this.#api.undo()
    await this.refresh()
    this.toast = change ? { change, kind: 'undone' } : null
    return change
  }

  async redo(): Promise<LibraryChange | null> {
    const change = await this.#api.redo()
    await this.refresh()
    this.toast = change ? { change, kind: 'redone' } : null
    return change
  }

  dismiss(): void {
    this.toast = null
  }

  label(kind: 'undo' | 'redo', locale: Locale): string {
    return undoLabel(kind, kind === 'undo' ? this.undoable : this.redoable, locale)
  }

  /** The toast's sentence: what was done, or which change an undo or redo reverted. */
  toastText(locale: Locale): string {
    const toast = this.toast
    if (!toast) return ''
    return changeSentence(toast.change, locale)
  }
}
