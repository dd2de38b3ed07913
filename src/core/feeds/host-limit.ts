// At most N requests to one host at once, across every feed and every full-text page: one
// RSSHub instance serves many feeds, and a burst of polls must not look like an attack on it.

export interface HostLimiter {
  /** Waits for a slot on `host` (host:port); call the returned function when done. */
  acquire(host: string, signal?: AbortSignal): Promise<() => void>
  /** The most requests that were in flight to one host at once (the benchmark reports it). */
  readonly maxInFlight: number
}

export function createHostLimiter(perHost: number): HostLimiter {
  const limit = Math.max(1, Math.floor(perHost))
  const active = new Map<string, number>()
  const waiting = new Map<string, (() => void)[]>()
  let maxInFlight = 0

  const release = (host: string): void => {
    const queue = waiting.get(host)
    const next = queue?.shift()
    if (queue && queue.length === 0) waiting.delete(host)
    if (next) next()
    else {
      const n = (active.get(host) ?? 1) - 1
      if (n <= 0) active.delete(host)
      else active.set(host, n)
    }
  }

  const take = (host: string): (() => void) => {
    let released = false
    return () => {
      if (released) return
      released = true
      release(host)
    }
  }

  return {
    acquire(host, signal) {
      const n = active.get(host) ?? 0
      if (n < limit) {
        active.set(host, n + 1)
        maxInFlight = Math.max(maxInFlight, n + 1)
        return Promise.resolve(take(host))
      }
      return new Promise((resolve, reject) => {
        // A released slot passes straight to the next waiter: the count stays as it was.
        const grant = (): void => {
          signal?.removeEventListener('abort', onAbort)
          resolve(take(host))
        }
        const onAbort = (): void => {
          const queue = waiting.get(host)
          const i = queue?.indexOf(grant) ?? -1
          if (queue && i >= 0) queue.splice(i, 1)
          reject(signal?.reason ?? new Error('aborted'))
        }
        if (signal?.aborted) return onAbort()
        signal?.addEventListener('abort', onAbort, { once: true })
        const queue = waiting.get(host) ?? []
        queue.push(grant)
        waiting.set(host, queue)
      })
    },
    get maxInFlight() {
      return maxInFlight
    }
  }
}
