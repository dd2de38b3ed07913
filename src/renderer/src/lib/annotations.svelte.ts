// The open article's annotations: loaded from the core, changed through it, and kept in text
// order for the reader's list. Each change is one change in the library's log: the window's
// undo toast and Ctrl+Z take it back like any other (onchange tells the window).
import type { GleanerApi } from '../../../shared/api'
import type { Annotation, AnnotationColor, AnnotationPatch } from '../../../shared/annotation-types'

export class AnnotationController {
  articleId: number | null = $state(null)
  items: Annotation[] = $state.raw([])
  private api: GleanerApi
  /** Called with the article's annotation count after every change (the list shows it). */
  private oncount: (articleId: number, count: number) => void
  /** Called after each change this window made (the window offers its undo). */
  private onchange: () => void

  constructor(
    api: GleanerApi,
    oncount: (articleId: number, count: number) => void = () => {},
    onchange: () => void = () => {}
  ) {
    this.api = api
    this.oncount = oncount
    this.onchange = onchange
  }

  async load(articleId: number | null): Promise<void> {
    this.articleId = articleId
    if (articleId === null) {
      this.items = []
      return
    }
    const items = await this.api.listAnnotations(articleId)
    // A slower load for an article the user has already left must not win.
    if (this.articleId === articleId) this.items = items
  }

  private async changed(): Promise<void> {
    this.onchange()
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
    await this.changed()
    return created
  }

  async update(id: number, patch: AnnotationPatch): Promise<void> {
    await this.api.updateAnnotation(id, patch)
    await this.changed()
  }

  async remove(id: number): Promise<void> {
    await this.api.deleteAnnotation(id)
    await this.changed()
  }

  /** Accepts where a fuzzy re-anchor put a highlight. */
  async confirm(id: number): Promise<void> {
    await this.api.confirmAnnotation(id)
    await this.changed()
  }

  /** Points a highlight (one needing review, or a fuzzy one) at [start, end) of the text. */
  async reattach(id: number, start: number, end: number): Promise<void> {
    await this.api.reattachAnnotation(id, start, end)
    await this.changed()
  }
}
