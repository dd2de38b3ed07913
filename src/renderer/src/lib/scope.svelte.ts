// What the middle pane shows: the left pane's one selection (a view, a category, a collection,
// a source, a tag, a feed, a story, an entity or keyword, the import problems, all notes, the
// highlights needing review, the trash),
// the search box's query, and the sort. Everything that lists, searches or acts on "the shown
// articles" reads them from here, so a key can never act on a list that is not on screen.
import type { ArticleSort, ArticleView } from '../../../shared/types'
import type { SearchScope, SearchSort } from '../../../shared/search-types'
import type { ListQuery } from './articlePager.svelte'

/** The left pane's selection. */
export type Place =
  | { kind: 'view'; view: ArticleView }
  | { kind: 'category'; path: string[] }
  | { kind: 'collection'; id: number; name: string; query: string | null }
  | { kind: 'source'; source: string }
  | { kind: 'tag'; tag: string }
  /** Articles that arrived from a feed subscription (named as the Feeds section shows it). */
  | { kind: 'feed'; id: number; name: string }
  /** A story's articles as its timeline (oldest first). */
  | { kind: 'story'; id: number; name: string }
  /** Articles naming an entity (the left pane's facets, the reader's chips). */
  | { kind: 'entity'; term: string }
  /** Articles with a keyword (the reader's chips). */
  | { kind: 'keyword'; term: string }
  | { kind: 'problems' }
  | { kind: 'notes' }
  | { kind: 'review' }
  | { kind: 'trash' }

/** What the middle pane shows. */
export type Middle = 'list' | 'search' | 'problems' | 'notes' | 'review' | 'trash'

export const ALL: Place = { kind: 'view', view: 'all' }

/** Places whose articles a search can be limited to (and the list can show). */
export function isArticlePlace(p: Place): boolean {
  return p.kind !== 'problems' && p.kind !== 'notes' && p.kind !== 'review' && p.kind !== 'trash'
}

export class Scope {
  place: Place = $state.raw(ALL)
  /** The search box as typed. */
  text = $state('')
  /** The search box after the typing pause: the query searched. */
  query = $state('')
  /** Whether a search stays inside the left pane's selection (the chip's ×  clears it). */
  scoped = $state(true)
  /** The list's order (a manual collection defaults to its own order). */
  sort: ArticleSort = $state('date-desc')
  /** Search results' order. */
  searchSort: SearchSort = $state('relevance')
  /** A copy group shows as one row (its first report) with a badge counting the others. */
  collapseCopies = $state(true)

  choose(place: Place): void {
    const wasStory = this.place.kind === 'story'
    this.place = place
    // The notes, the trash and the import problems are not searched by the box: choosing one
    // shows it, so a query left in the box from before is cleared rather than left to hide it.
    if (!isArticlePlace(place)) this.text = ''
    // What is typed applies now, not after the typing pause: otherwise the pause would end
    // after the place is shown and replace its list (and the cursor) under the user's keys.
    this.query = this.text.trim()
    // A new selection scopes the search again.
    this.scoped = true
    // A manual collection opens in its own order; elsewhere that order means nothing.
    if (place.kind === 'collection' && place.query === null) this.sort = 'position'
    else if (this.sort === 'position') this.sort = 'date-desc'
    // A story reads as a timeline, oldest first; leaving it goes back to newest first.
    if (place.kind === 'story') this.sort = 'date-asc'
    else if (wasStory && this.sort === 'date-asc') this.sort = 'date-desc'
  }

  get middle(): Middle {
    const p = this.place
    // A query typed while the import problems, the notes or the trash are shown searches the
    // whole library (searchScope gives those no scope); choosing one of them clears the box.
    if (this.query !== '') return 'search'
    if (p.kind === 'problems' || p.kind === 'notes' || p.kind === 'review' || p.kind === 'trash')
      return p.kind
    // A smart collection is a saved search.
    if (p.kind === 'collection' && p.query !== null) return 'search'
    return 'list'
  }

  /** A manual collection is shown (its order and item notes apply). */
  get collectionId(): number | null {
    const p = this.place
    return p.kind === 'collection' && p.query === null ? p.id : null
  }

  /** The list's query for the place (no search). */
  get listQuery(): ListQuery {
    const p = this.place
    const sort = this.sort
    // A collection holds what the user put in it, copies too: it is never folded. (Key order
    // matters: listPrefs' FIRST_LIST_QUERY is compared as JSON.)
    const fold = this.collapseCopies ? { collapseCopies: true } : {}
    switch (p.kind) {
      case 'view':
        return { ...(p.view !== 'all' ? { view: p.view } : {}), sort, ...fold }
      case 'category':
        return { categoryPath: p.path, sort, ...fold }
      case 'collection':
        return { collectionId: p.id, sort }
      case 'source':
        return { source: p.source, sort, ...fold }
      case 'tag':
        return { tag: p.tag, sort, ...fold }
      case 'feed':
        return { feedId: p.id, sort, ...fold }
      case 'story':
        return { storyId: p.id, sort, ...fold }
      case 'entity':
        return { entity: p.term, sort, ...fold }
      case 'keyword':
        return { keyword: p.term, sort, ...fold }
      default:
        return { sort }
    }
  }

  /** The query text searched: the box, else a smart collection's saved search. */
  get searchText(): string {
    const p = this.place
    if (this.query !== '') return this.query
    return p.kind === 'collection' && p.query !== null ? p.query : ''
  }

  /** What a search is limited to: the left pane's selection while the chip stands. */
  get searchScope(): SearchScope | undefined {
    const p = this.place
    if (!this.scoped || this.query === '') return undefined
    switch (p.kind) {
      case 'view':
        return p.view === 'all' ? undefined : { view: p.view }
      case 'category':
        return { categoryPath: p.path }
      case 'collection':
        return p.query === null ? { collectionId: p.id } : undefined
      case 'source':
        return { source: p.source }
      case 'tag':
        return { tag: p.tag }
      case 'feed':
        return { feedId: p.id }
      case 'story':
        return { storyId: p.id }
      case 'entity':
        return { entity: p.term }
      case 'keyword':
        return { keyword: p.term }
      default:
        return undefined
    }
  }
}
