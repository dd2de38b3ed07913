// A category path as a person types it (the CLI's --category, the feed dialog): levels joined
// by '/', '›' or '>', e.g. "金融/新浪财经" or "金融 › 新浪财经". One reading for every front door.

/** The typed path's levels, root first (empty levels dropped). */
export function parseCategoryPath(typed: string): string[] {
  return typed
    .split(/\s*[/›>]\s*/u)
    .map((part) => part.trim())
    .filter((part) => part !== '')
}

/** A path as shown to a person: "金融 › 新浪财经". */
export function formatCategoryPath(path: readonly string[]): string {
  return path.join(' › ')
}
