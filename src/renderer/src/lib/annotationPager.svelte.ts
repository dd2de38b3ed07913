// The list of annotations across the library (All notes & highlights, the review list), paged
// from the core like the article list.
import type { GleanerApi } from '../../../shared/api'
import type { AnnotationListItem, AnnotationQuery } from '../../../shared/annotation-types'
import { Pager } from './pager.svelte'

export type NotesQuery = Omit<AnnotationQuery, 'offset' | 'limit'>

export class AnnotationPager extends Pager<AnnotationListItem> {
  #api: Pick<GleanerApi, 'listAllAnnotations'>
  #query: NotesQuery = {}

  constructor(api: Pick<GleanerApi, 'listAllAnnotations'>) {
    super()
    this.#api = api
  }

  get query(): NotesQuery {
    return this.#query
  }

  /** Start over with these filters; resolves once the first rows are in. */
  reset(query: NotesQuery): Promise<void> {
    this.#query = query
    return this.start((offset, limit) => this.#api.listAllAnnotations({ ...query, offset, limit }))
  }
}
