// The clips waiting for Gleaner. Every clip is queued first and then sent, so none is lost when
// Gleaner is not running, the popup closes or the background worker is stopped: the queue is
// sent again on an alarm, when the browser starts, and when the popup opens.
import { addDropped, errorOf, getPairing, getQueue, setPairing, setQueue } from './store.js'

/** One pass at a time (the popup and the alarm may both ask); each call gets a pass of its own. */
let sending = Promise.resolve()

/**
 * @param {import('./store.js').Clip} clip
 * @returns {Promise<string>} the queued clip's id
 */
export async function enqueue(clip) {
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
  const queue = await getQueue()
  queue.push({ id, clip, queuedAt: new Date().toISOString() })
  await setQueue(queue)
  return id
}

/**
 * Sends what waits, oldest first, until Gleaner stops answering. A clip Gleaner refuses for
 * what it is (invalid, too large, not importable) is dropped and the reason kept; one refused
 * because this browser is not paired any more stays until it is paired again.
 * @returns {Promise<{ results: Record<string, { ok: true, answer: object } | { ok: false, error: string }>, waiting: number, offline: boolean }>}
 */
export function flush() {
  const pass = sending.then(sendAll)
  sending = pass.catch(() => undefined)
  return pass
}

async function sendAll() {
  const results = {}
  let offline = false
  const pairing = await getPairing()
  if (!pairing || pairing.refused) return { results, waiting: (await getQueue()).length, offline }
  for (;;) {
    const [next] = await getQueue()
    if (!next) break
    let response
    try {
      response = await fetch(`${pairing.endpoint}/clip`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${pairing.token}`
        },
        body: JSON.stringify(next.clip)
      })
    } catch {
      offline = true
      break
    }
    if (response.status === 401) {
      await setPairing({ ...pairing, refused: true })
      break
    }
    if (response.status >= 500 || response.status === 429) {
      offline = true
      break
    }
    if (response.ok) results[next.id] = { ok: true, answer: await response.json() }
    else {
      const error = await errorOf(response)
      results[next.id] = { ok: false, error }
      await addDropped(`${next.clip.title || next.clip.url}: ${error}`)
    }
    await setQueue((await getQueue()).filter((q) => q.id !== next.id))
  }
  return { results, waiting: (await getQueue()).length, offline }
}
