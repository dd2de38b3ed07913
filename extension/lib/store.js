// What the clipper keeps in the browser (chrome.storage.local): the pairing (Gleaner's address
// and the token it gave), the clips waiting to be sent, the last targets Gleaner offered, and
// what went wrong with clips that can never be sent. Shared by the popup and the background.

/** Firefox's `browser` or Chromium's `chrome`: both answer with promises in Manifest V3. */
export const ext = globalThis.browser ?? globalThis.chrome

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:47615'
/** What the endpoint takes at most (src/core/clipper/request.ts). */
export const MAX_CLIP_BYTES = 15 * 1024 * 1024

/**
 * @typedef {{ endpoint: string, token: string, refused?: boolean }} Pairing
 * @typedef {{ exact: string, prefix: string, suffix: string }} Selection
 * @typedef {{ url: string, title: string, html: string, selection: Selection | null,
 *   categoryPath?: string[], collection?: string | null, clippedAt: string }} Clip
 * @typedef {{ id: string, clip: Clip, queuedAt: string }} Queued
 */

/** A loopback address only: the token must never go anywhere else. */
export function loopbackEndpoint(value) {
  let url
  try {
    url = new URL(value.trim())
  } catch {
    return null
  }
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost'].includes(url.hostname)) return null
  return url.origin
}

/** @returns {Promise<Pairing | null>} */
export async function getPairing() {
  const { pairing } = await ext.storage.local.get('pairing')
  return pairing ?? null
}

/** @param {Pairing | null} pairing */
export async function setPairing(pairing) {
  if (pairing) await ext.storage.local.set({ pairing })
  else await ext.storage.local.remove('pairing')
}

/** @returns {Promise<Queued[]>} */
export async function getQueue() {
  const { queue } = await ext.storage.local.get('queue')
  return Array.isArray(queue) ? queue : []
}

/** @param {Queued[]} queue */
export async function setQueue(queue) {
  await ext.storage.local.set({ queue })
}

/** @returns {Promise<string[]>} */
export async function getDropped() {
  const { dropped } = await ext.storage.local.get('dropped')
  return Array.isArray(dropped) ? dropped : []
}

/** @param {string} reason */
export async function addDropped(reason) {
  const dropped = await getDropped()
  await ext.storage.local.set({ dropped: [reason, ...dropped].slice(0, 5) })
}

export async function clearDropped() {
  await ext.storage.local.remove('dropped')
}

/** @returns {Promise<{ categories: string[][], collections: string[] } | null>} */
export async function getTargets() {
  const { targets } = await ext.storage.local.get('targets')
  return targets ?? null
}

export async function setTargets(targets) {
  await ext.storage.local.set({ targets })
}

/** The error line Gleaner answered with, or the HTTP status. */
export async function errorOf(response) {
  try {
    const body = await response.json()
    if (body && body.error && typeof body.error.message === 'string') return body.error.message
  } catch {
    // not JSON
  }
  return `HTTP ${response.status}`
}
