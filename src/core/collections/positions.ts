// Manual order uses REAL positions so moving an item is one UPDATE: the new position is the
// midpoint of its new neighbours. Doubles halve ~50 times before neighbours collide; then
// (and only then) the collection is renumbered.

/** Position for an item placed between `before` and `after` (null = that end of the list). */
export function positionBetween(before: number | null, after: number | null): number {
  if (before === null && after === null) return 1
  if (before === null) return (after as number) - 1
  if (after === null) return before + 1
  return before + (after - before) / 2
}

/** True when `p` is not strictly between its neighbours (floating point ran out of room). */
export function collides(p: number, before: number | null, after: number | null): boolean {
  return (before !== null && p <= before) || (after !== null && p >= after)
}
