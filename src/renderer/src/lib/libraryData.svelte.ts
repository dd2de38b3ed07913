// The left pane's data — category tree, collections, sources, tags, article count, annotations
// waiting for review — loaded from the core and refreshed when a change says it touched them.
// Refreshes coalesce: a burst of changes (an import, another window's edits) costs one reload.
import type { GleanerApi } from '../../../shared/api'
import type { Touched } from '../../../shared/change-types'
import type { CollectionSummary } from '../../../shared/export-types'
import type { CategoryNode, LibraryDamage, SourceCount, TagCount } from '../../../shared/types'
import { coalesced } from './coalesced'

export class LibraryData {
  categories: CategoryNode[] = $state.raw([])
  collections: CollectionSummary[] = $state.raw([])
  sources: SourceCount[] = $state.raw([])
  tags: TagCount[] = $state.raw([])
  articleCount = $state(0)
  /** Highlights whose text changed so much they need the user's review. */
  reviewCount = $state(0)
  /** Set while the library is damaged and open read-only (LibraryInfo.damage). */
  damage: LibraryDamage | null = $state.raw(null)
  /** Tags used on highlights and notes (the notes view's filter, the tag fields' suggestions). */
  annotationTags: TagCount[] = $state.raw([])
  loaded = $state(false)
  #api: GleanerApi

  constructor(api: GleanerApi, initialCount = 0) {
    this.#api = api
    this.articleCount = initialCount
  }

  async load(): Promise<void> {
    const [info, tree, gathered, bySource, byTag, review, noteTags] = await Promise.all([
      this.#api.libraryInfo(),
      this.#api.categories(),
      this.#api.listCollections(),
      this.#api.sources(),
      this.#api.tags(),
      this.#api.listAnnotationsNeedingReview(),
      this.#api.annotationTags()
    ])
    this.articleCount = info.articleCount
    this.damage = info.damage
    this.categories = tree
    this.collections = gathered
    this.sources = bySource
    this.tags = byTag
    this.reviewCount = review.length
    this.annotationTags = noteTags
    this.loaded = true
  }

  /** Reloads now, or once more after the reload in flight (never two at once). */
  readonly refresh = coalesced(() => this.load())

  /** Whether a change touched anything this pane shows. */
  static touches(t: Touched): boolean {
    return t.list || t.filing || t.collections || t.annotationArticleIds.length > 0
  }

  /** After a write was refused as damage: the banner (with the backups found) comes from the info. */
  async noticeDamage(): Promise<void> {
    this.damage = (await this.#api.libraryInfo()).damage
  }

  collection(id: number): CollectionSummary | undefined {
    return this.collections.find((c) => c.id === id)
  }
}
