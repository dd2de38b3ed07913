// Search hits as a list source: the pager pages through them exactly as through the library,
// so the hits are a real list — the same rows, keys, picking and bulk actions, virtualised over
// every hit with the true total.
import type { GleanerApi } from '../../../shared/api'
import { GleanerError } from '../../../shared/errors'
import type { SearchScope, SearchSort } from '../../../shared/search-types'
import type { ArticlePage } from '../../../shared/types'

export type ListSource = Pick<GleanerApi, 'listArticles'>

export function searchSource(
  api: Pick<GleanerApi, 'search'>,
  query: string,
  sort: SearchSort,
  scope: SearchScope | undefined
): ListSource {
  return {
    async listArticles(page): Promise<ArticlePage> {
      const offset = page.offset ?? 0
      const result = await api.search(query, {
        offset,
        limit: Math.min(page.limit ?? 100, 500),
        sort,
        ...(scope ? { scope } : {})
      })
      // A query that cannot be understood: the list says why, in the window's language.
      const refused = result.queryError
      if (refused) throw new GleanerError(refused.code, refused.message, refused.params)
      return {
        total: result.total,
        offset: result.offset,
        items: result.items.map((hit) => ({
          id: hit.id,
          title: hit.title,
          author: hit.author,
          source: hit.source,
          publishedAt: hit.publishedAt,
          importedAt: hit.importedAt,
          categoryPath: hit.categoryPath,
          snippet: '',
          read: hit.read,
          starred: hit.starred,
          annotationCount: hit.annotationCount,
          match: { titleHtml: hit.titleHtml, snippetHtml: hit.snippetHtml }
        }))
      }
    }
  }
}
