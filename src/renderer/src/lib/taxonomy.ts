// Following a category selection through edits of the tree.

/**
 * Where `path` is after the branch at `from` moved to `to` (rename, merge): the same place
 * below `to`; null when the branch was deleted (`to` null). Paths outside the branch come back
 * unchanged (the same array).
 */
export function movedPath(path: string[], from: string[], to: string[] | null): string[] | null {
  if (from.length === 0 || from.length > path.length) return path
  if (!from.every((name, i) => path[i] === name)) return path
  return to ? [...to, ...path.slice(from.length)] : null
}
