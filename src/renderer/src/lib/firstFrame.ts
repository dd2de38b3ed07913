// The first frame in the page (the DOM side of shared/first-paint.ts): reading the block a
// prerendered index.html carries, and placing a frame the web preview fetched with the token.
import {
  FIRST_PAINT_ID,
  parseFirstPaint,
  type FirstFrame,
  type FirstPaintData
} from '../../../shared/first-paint'

/** The prerendered window's data, or null when the page was not prerendered (or it is unusable). */
export function readFirstPaint(doc: Document): FirstPaintData | null {
  return parseFirstPaint(doc.getElementById(FIRST_PAINT_ID)?.textContent)
}

/**
 * Puts a fetched first frame into the page as if it had come in the HTML: the markup into
 * `target` and its data as the block readFirstPaint reads (the web preview, FIRST_FRAME_ROUTE).
 */
export function placeFirstFrame(doc: Document, target: Element, frame: FirstFrame): void {
  // The markup is the core's own server render of App (escaped by Svelte), as it would be
  // in index.html; none of it runs (the CSP allows no inline script).
  target.innerHTML = frame.html
  const block = doc.createElement('script')
  block.type = 'application/json'
  block.id = FIRST_PAINT_ID
  block.textContent = JSON.stringify(frame.data)
  target.after(block)
}
