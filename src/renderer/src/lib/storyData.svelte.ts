// The left pane's Stories and Entities sections: the stories (followed first, as the core
// orders them) and the entity facets per kind with their counts. Loaded apart from LibraryData
// so that a failure here (an older core) leaves the rest of the pane whole; refreshed when a
// change says stories, copy groups or facets changed (an import, a rename, follow, split,
// merge). Refreshes coalesce as LibraryData's do.
import type { GleanerApi } from '../../../shared/api'
import type { Touched } from '../../../shared/change-types'
import type { EntityKind, StorySummary, TermCount } from '../../../shared/story-types'
import type { ErrorData } from '../../../shared/errors'
import { errorData } from '../../../shared/errors'
import { coalesced } from './coalesced'

/** Stories listed in the pane (the rest are reached by search or from the reader). */
export const STORY_LIMIT = 50
/** Entities listed per kind. */
export const FACET_LIMIT = 60

export type EntityFacets = Record<EntityKind, TermCount[]>

const NO_FACETS: EntityFacets = { person: [], org: [], place: [] }

export class StoryData {
  stories: StorySummary[] = $state.raw([])
  storyTotal = $state(0)
  facets: EntityFacets = $state.raw(NO_FACETS)
  /** Why the sections could not load, if they could not. */
  error: ErrorData | null = $state.raw(null)
  /** Bumped on every reload, so an open story view re-reads its story. */
  version = $state(0)
  #api: Pick<GleanerApi, 'listStories' | 'termFacets'>

  constructor(api: Pick<GleanerApi, 'listStories' | 'termFacets'>) {
    this.#api = api
  }

  async load(): Promise<void> {
    try {
      const [page, person, org, place] = await Promise.all([
        this.#api.listStories({ limit: STORY_LIMIT }),
        this.#api.termFacets('person', FACET_LIMIT),
        this.#api.termFacets('org', FACET_LIMIT),
        this.#api.termFacets('place', FACET_LIMIT)
      ])
      this.stories = page.items
      this.storyTotal = page.total
      this.facets = { person, org, place }
      this.error = null
    } catch (err) {
      this.error = errorData(err)
    }
    this.version++
  }

  /** Reloads now, or once more after the reload in flight (never two at once). */
  readonly refresh = coalesced(() => this.load())

  /** Whether a change touched what these sections show. */
  static touches(t: Touched): boolean {
    return t.stories === true || t.list
  }

  story(id: number): StorySummary | undefined {
    return this.stories.find((s) => s.id === id)
  }
}
