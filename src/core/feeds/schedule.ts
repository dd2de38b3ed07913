// Polls feeds when they are due while the service is open. The next poll times live in the
// library (feeds.next_poll_at), so a restart or a machine waking from sleep finds overdue feeds
// and polls them: the timer wakes at the earliest due time, and at least every minute, and
// judges by the wall clock rather than by how long it slept.
import { dueFeedIds, earliestNextPoll } from './store'

/** The longest the schedule sleeps: a suspended machine's timers do not count sleeping time. */
export const MAX_SLEEP_MS = 60_000
/** Do not spin on a feed due "now" that is being polled already. */
const MIN_SLEEP_MS = 250

export interface ScheduleDeps {
  db: Parameters<typeof dueFeedIds>[0]
  now(): Date
  /** Polls the given feeds (at most pollConcurrency at once); resolves when all are done. */
  poll(ids: number[]): Promise<unknown>
}

export interface Schedule {
  /** Look again now (a feed was added, resumed or edited). */
  wake(): void
  stop(): void
}

export function startSchedule(deps: ScheduleDeps): Schedule {
  let timer: NodeJS.Timeout | null = null
  let stopped = false
  let polling = false

  const plan = (): void => {
    if (stopped) return
    if (timer) clearTimeout(timer)
    const next = earliestNextPoll(deps.db)
    const wait =
      next === null
        ? MAX_SLEEP_MS
        : Math.min(MAX_SLEEP_MS, Math.max(MIN_SLEEP_MS, Date.parse(next) - deps.now().getTime()))
    timer = setTimeout(tick, wait)
    // The schedule alone must not keep a CLI process (or a test) alive.
    timer.unref()
  }

  const tick = (): void => {
    timer = null
    if (stopped || polling) return plan()
    let due: number[]
    try {
      due = dueFeedIds(deps.db, deps.now())
    } catch {
      // The library closed under us, or cannot be read now: look again later.
      return plan()
    }
    if (!due.length) return plan()
    polling = true
    void deps
      .poll(due)
      .catch(() => undefined)
      .finally(() => {
        polling = false
        plan()
      })
  }

  plan()
  return {
    wake() {
      if (!polling) plan()
    },
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = null
    }
  }
}
