// The left pane's selection as search filters: a search in a category, collection, tag, source
// or smart view finds only what that view lists (the same rules as listArticles).
import type { SearchScope } from '../../shared/search-types'
import { categoryIdsUnder } from '../library/categories'
import { recentSince } from '../library/articles'
import type { Db } from '../library/open'
import {
  FOLLOWING,
  NOTHING,
  flagCond,
  linkCond,
  storyCond,
  feedCond,
  termCond,
  type FilterGroup,
  type FilterCond
} from './filter-cond'

export interface ScopeFilters {
  groups: FilterGroup[]
  /** A smart collection's saved search, which hits must match as well. */
  savedQuery: string | null
}

const one = (cond: FilterCond): FilterGroup => ({ conds: [cond], negated: false })

/** An article column tested in the article's row (probe) or listed from a live-article index. */
function columnCond(test: string, value: string): FilterCond {
  return {
    probe: `EXISTS (SELECT 1 FROM articles WHERE id = $ID AND ${test})`,
    ids: `SELECT id FROM articles WHERE deleted_at IS NULL AND ${test}`,
    params: [value]
  }
}

export function scopeFilters(db: Db, scope: SearchScope = {}): ScopeFilters {
  const groups: FilterGroup[] = []
  let savedQuery: string | null = null
  switch (scope.view ?? 'all') {
    case 'unread':
      groups.push(one(flagCond('is:unread')))
      break
    case 'starred':
      groups.push(one(flagCond('is:starred')))
      break
    case 'annotated':
      groups.push(one(flagCond('has:annotation')))
      break
    case 'recent':
      groups.push(one(columnCond('imported_at >= ?', recentSince())))
      break
    case 'following':
      groups.push(one(FOLLOWING))
      break
    case 'all':
      break
  }
  if (scope.categoryPath !== undefined && scope.categoryPath.length > 0) {
    groups.push(
      one(linkCond('article_categories', 'category_id', categoryIdsUnder(db, scope.categoryPath)))
    )
  }
  if (scope.collectionId !== undefined) {
    const row = db.prepare('SELECT query FROM collections WHERE id = ?').get(scope.collectionId) as
      { query: string | null } | undefined
    // A collection deleted while it was selected lists nothing, as listArticles does.
    if (row === undefined) groups.push(one(NOTHING))
    else if (row.query !== null) savedQuery = row.query
    else groups.push(one(linkCond('collection_items', 'collection_id', [scope.collectionId])))
  }
  if (scope.source !== undefined) groups.push(one(columnCond('source = ?', scope.source)))
  if (scope.tag !== undefined) {
    const ids = db.prepare('SELECT id FROM tags WHERE name = ?').pluck().all(scope.tag) as number[]
    groups.push(one(linkCond('article_tags', 'tag_id', ids)))
  }
  if (scope.storyId !== undefined) groups.push(one(storyCond(scope.storyId)))
  if (scope.feedId !== undefined) groups.push(one(feedCond(scope.feedId)))
  if (scope.entity !== undefined) groups.push(one(termCond('entity', scope.entity)))
  if (scope.keyword !== undefined) groups.push(one(termCond('keyword', scope.keyword)))
  return { groups, savedQuery }
}
