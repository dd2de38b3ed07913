// How the article list shows rows, kept in localStorage beside the pane layout: whether a copy
// group (one story republished by several outlets) folds into one row. Plain TypeScript (no
// runes) so the prerenderer and the page's entry can read what the first list asks for.
import type { ListQuery } from './articlePager.svelte'

export const LIST_STORAGE_KEY = 'gleaner.list'

export interface ListPrefs {
  collapseCopies: boolean
}

export const LIST_DEFAULTS: ListPrefs = { collapseCopies: true }

export function loadListPrefs(): ListPrefs {
  try {
    const saved = JSON.parse(localStorage.getItem(LIST_STORAGE_KEY) ?? '{}') as Partial<ListPrefs>
    return {
      collapseCopies:
        typeof saved.collapseCopies === 'boolean'
          ? saved.collapseCopies
          : LIST_DEFAULTS.collapseCopies
    }
  } catch {
    return { ...LIST_DEFAULTS }
  }
}

export function saveListPrefs(prefs: ListPrefs): void {
  try {
    localStorage.setItem(LIST_STORAGE_KEY, JSON.stringify(prefs))
  } catch {
    // Not persisted; still applies now.
  }
}

/**
 * The list App shows first (the whole library, newest first, copies folded as by default): the
 * prerendered frame is drawn from it. Built in the same key order as Scope.listQuery, which
 * the pager compares as JSON to keep or refetch the prerendered rows.
 */
export const FIRST_LIST_QUERY: ListQuery = { sort: 'date-desc', collapseCopies: true }
