// A collection as a list source: the pager pages through it exactly like listArticles, so
// the list, keyboard and bulk actions work the same on a collection as on a category.
import type { GleanerApi } from '../../../shared/api'
import type { ArticleDetail, ArticlePage, ArticleSummary } from '../../../shared/types'

export type ListSource = Pick<GleanerApi, 'listArticles'>

function summaryOf(detail: ArticleDetail): ArticleSummary {
  return {
    id: detail.id,
    title: detail.title,
    author: detail.author,
    source: detail.source,
    publishedAt: detail.publishedAt,
    importedAt: detail.importedAt,
    categoryPath: detail.categoryPath,
    snippet: detail.snippet,
    read: detail.read,
    starred: detail.starred,
    annotationCount: detail.annotationCount
  }
}

export function collectionSource(
  api: Pick<GleanerApi, 'collectionItems' | 'getArticle'>,
  collectionId: number
): ListSource {
  return {
    async listArticles(query): Promise<ArticlePage> {
      const offset = query.offset ?? 0
      const limit = query.limit ?? 100
      // Items carry no read/starred state, so each row on the page is read in full (a page
      // is at most `limit` articles; collections are hand-gathered and small).
      const items = await api.collectionItems(collectionId)
      const details = await Promise.all(
        items.slice(offset, offset + limit).map((item) => api.getArticle(item.articleId))
      )
      return {
        total: items.length,
        offset,
        items: details.filter((d): d is ArticleDetail => d !== null).map(summaryOf)
      }
    }
  }
}
