// The open article's annotations: loaded from the core, changed through it, and kept in text
// order for the reader's list. The last deletion is remembered so the toast can undo it.
import type { GleanerApi } from '../../../shared/api'
import type { Annotation, AnnotationColor, AnnotationPatch } from '../../../shared/annotation-types'

export class AnnotationController {
  articleId: number | null = $state(null)
  items: Annotation[] = $state.raw([])
  /** The last deleted annotation, offered for undo until the next change. */
  deleted: Annotation | null = $state.raw(null)
  private api: GleanerApi
  /** Called with the article's annotation count after every change (the list shows it). */
  private oncount: (articleId: number, count: number) => void

  constructor(api: GleanerApi, oncount: (articleId: number, count: number) => void = () => {}) {
    this.api = api
    this.oncount = oncount
  }

  async load(articleId: number | null): Promise<void> {
    if (articleId !== this.articleId) this.deleted = null
    this.articleId = articleId
    if (articleId === null) {
      this.items = []
      return
    }
    const items = await this.api.listAnnotations(articleId)
    // A slower load for an article the user has already left must not win.
    if (this.articleId === articleId) this.items = items
  }

  private async reload(): Promise<void> {
    const id = this.articleId
    if (id === null) return
    await this.load(id)
    this.oncount(id, this.items.length)
  }

  async highlight(start: number, end: number, color: AnnotationColor): Promise<Annotation | null> {
    if (this.articleId === null || end <= start) return null
    const created = await this.api.createAnnotation({
      articleId: this.articleId,
      start,
      end,
      color
    })
    this.deleted = null
    await this.reload()
    return created
  }

  async update(id: number, patch: AnnotationPatch): Promise<void> {
    await this.api.updateAnnotation(id, patch)
    await this.reload()
  }

  /** Accepts where a fuzzy re-anchor put a highlight. */
  async confirm(id: number): Promise<void> {
    await this.api.confirmAnnotation(id)
    await this.reload()
  }

  /** Points a highlight (one needing review, or a fuzzy one) at [start, end) of the text. */
  async reattach(id: number, start: number, end: number): Promise<void> {
    await this.api.reattachAnnotation(id, start, end)
    await this.reload()
  }

  async remove(id: number): Promise<void> {
    this.deleted = await this.api.deleteAnnotation(id)
    await this.reload()
  }

  async undoDelete(): Promise<void> {
    const snapshot = this.deleted
    if (!snapshot) return
    this.deleted = null
    await this.api.restoreAnnotation(snapshot)
    await this.reload()
  }
}
