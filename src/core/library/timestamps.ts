// The one form Gleaner stores times in: Date#toISOString (UTC, milliseconds). A time that comes
// back from outside — a deleted annotation or collection handed back for undo — must be in that
// form and a moment that has happened, or lists sorted by it would be wrong.

/** Slack for a clock that another process (the app, a CLI run) read a moment ago. */
const SKEW_MS = 5 * 60 * 1000

/** True for a stored-form timestamp that is not in the future. */
export function isStoredTimestamp(value: unknown, now: Date = new Date()): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/u.test(value))
    return false
  const t = Date.parse(value)
  // Date.parse rolls 2026-02-30 over to March: only a real date comes back as it was written.
  return !Number.isNaN(t) && new Date(t).toISOString() === value && t <= now.getTime() + SKEW_MS
}
