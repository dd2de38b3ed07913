// What the browser tests do in the reader as a user would: select a phrase of the article with
// the mouse, read which characters a highlight covers, find where the focus is.
import type { Page } from 'playwright-core'

/** Viewport points just inside the first and last characters of text in the article body. */
export async function phrasePoints(
  page: Page,
  text: string
): Promise<{ from: { x: number; y: number }; to: { x: number; y: number } }> {
  return page.locator('.article-host').evaluate((host, wanted) => {
    const root = host.shadowRoot!
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const data = (n as Text).data
      const at = data.indexOf(wanted)
      if (at < 0) continue
      const box = (start: number): DOMRect => {
        const r = document.createRange()
        r.setStart(n!, start)
        r.setEnd(n!, start + 1)
        return r.getBoundingClientRect()
      }
      const first = box(at)
      const last = box(at + wanted.length - 1)
      return {
        from: { x: first.left + 2, y: first.top + first.height / 2 },
        to: { x: last.right - 2, y: last.top + last.height / 2 }
      }
    }
    throw new Error(`"${wanted}" not in the body`)
  }, text)
}

/** Drags the mouse over a phrase of the article body (it must be on screen). */
export async function dragOver(page: Page, text: string): Promise<void> {
  const { from, to } = await phrasePoints(page, text)
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move((from.x + to.x) / 2, to.y, { steps: 4 })
  await page.mouse.move(to.x, to.y, { steps: 4 })
  await page.mouse.up()
}

/** The text under the marks of one annotation, in document order. */
export const markedText = (page: Page, id: number): Promise<string> =>
  page.locator('.article-body mark').evaluateAll(
    (marks, wanted) =>
      marks
        .filter((m) => (m.getAttribute('data-ids') ?? '').split(' ').includes(String(wanted)))
        .map((m) => m.textContent)
        .join(''),
    id
  )

/** The focused element, looking into shadow roots: "TAG data-ids name" (aria-label or text). */
export const focusedElement = (page: Page): Promise<string> =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    if (!el) return ''
    const name =
      el.getAttribute('aria-label') ??
      (el.tagName === 'BUTTON' ? (el.textContent ?? '').trim().slice(0, 40) : '')
    return [el.tagName, el.getAttribute('data-ids'), name]
      .filter((x) => x !== null && x !== '')
      .join(' ')
  })

/**
 * A phrase of `length` characters from the open article's body text that occurs once in its
 * clean text and lies inside one text node (so it can be drag-selected).
 */
export async function phraseInBody(page: Page, cleanText: string, length = 8): Promise<string> {
  const candidates = await page.locator('.article-host').evaluate((host, n) => {
    const out: string[] = []
    const walker = document.createTreeWalker(host.shadowRoot!, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node && out.length < 200; node = walker.nextNode()) {
      const data = (node as Text).data.trim()
      for (let at = 2; at + n <= data.length && out.length < 200; at += n)
        out.push(data.slice(at, at + n))
    }
    return out
  }, length)
  const unique = candidates.find(
    (c) =>
      !/\s/u.test(c) &&
      cleanText.indexOf(c) >= 0 &&
      cleanText.indexOf(c) === cleanText.lastIndexOf(c)
  )
  if (!unique) throw new Error('no unique phrase in the body')
  return unique
}
