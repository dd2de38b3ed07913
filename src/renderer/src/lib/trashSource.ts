// The trash as a list source: the pager pages through the deleted articles (newest deletion
// first) exactly as through the library, so the Trash view has the same rows, keys and picking.
import type { GleanerApi } from '../../../shared/api'
import type { ListSource } from './searchSource'

export function trashSource(api: Pick<GleanerApi, 'listTrash'>): ListSource {
  return {
    listArticles: (page) =>
      api.listTrash({
        ...(page.offset !== undefined ? { offset: page.offset } : {}),
        ...(page.limit !== undefined ? { limit: page.limit } : {})
      })
  }
}
