// The toast that offers Undo after an edit, and error notices, used to be pushed in above the
// panes: every edit moved the article under the user's pointer by a line, so a drag-selection
// begun just after an edit landed on other words (the mouse journey caught it under load).
// They live in a status line below the panes now; this checks that nothing on screen moves
// when they come and go.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RSSHUB } from '../helpers/corpus'
import { windowForFile } from './harness'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 })

const s = windowForFile(async (library) => {
  await library.service.importPaths([join(RSSHUB, '金融')])
  return { locale: 'zh-CN' }
})

/** Where the open article's body, the list's first row and the reader's title are drawn. */
async function positions(): Promise<number[]> {
  const tops: number[] = []
  for (const selector of ['.article-body', '.listbox [role="option"]', '#reader-title']) {
    const box = await s().page.locator(selector).first().boundingBox()
    tops.push(box?.y ?? Number.NaN)
  }
  return tops
}

describe('the status line', () => {
  it('offers Undo after an edit, and an error, without moving the text being read', async () => {
    const rows = s().page.locator('.listbox [role="option"]')
    await rows.first().click()
    await s().page.locator('.article-body').first().waitFor()
    const before = await positions()
    expect(before.every(Number.isFinite)).toBe(true)

    // An edit: its toast appears with Undo; nothing above the panes grew.
    await s().page.keyboard.press('s')
    const toast = s().page.locator('.toast')
    await toast.waitFor()
    await poll(() => toast.innerText()).toContain('撤销')
    expect(await positions()).toEqual(before)

    // Undo from the toast: the toast changes to the undone change, still nothing moves.
    await toast.getByRole('button', { name: '撤销' }).click()
    await poll(() => toast.innerText()).toContain('重做')
    expect(await positions()).toEqual(before)

    // An error notice sits in the same line: a file dropped from where the page cannot learn
    // its path (a browser tab has none to give).
    await s().page.evaluate(() => {
      const dataTransfer = new DataTransfer()
      dataTransfer.items.add(new File(['x'], '晨报.md'))
      window.dispatchEvent(new DragEvent('drop', { dataTransfer, cancelable: true }))
    })
    const alert = s().page.getByRole('alert')
    await alert.waitFor()
    expect(await positions()).toEqual(before)
    await alert.getByRole('button', { name: '关闭' }).click()
    await s().page.locator('.toast').getByRole('button', { name: '关闭' }).click()
    await poll(() => s().page.locator('.statusbar [role]').count()).toBe(0)
    expect(await positions()).toEqual(before)
  })

  it('draws the article again, styled and in place, when a highlight arrives', async () => {
    const row = s().page.locator('.listbox [role="option"]').nth(1)
    await row.click()
    const articleId = Number(await row.getAttribute('data-article-id'))
    const body = s().page.locator('.article-body').first()
    await body.waitFor()
    const look = (): Promise<string> =>
      body.evaluate((el) => {
        const cs = getComputedStyle(el.querySelector('p') ?? el)
        return `${cs.lineHeight} ${cs.marginBottom} ${cs.fontSize}`
      })
    await poll(look).not.toBe('')
    const before = await look()
    // The stylesheet drawn with the text is marked: drawn again, the text must keep that one
    // (a new one loads, and until it has the text is unstyled and moves).
    await body.evaluate((el) => {
      const link = (el.getRootNode() as ShadowRoot).querySelector('link[rel="stylesheet"]')
      link?.setAttribute('data-first-drawing', '')
    })
    await s().library.service.createAnnotation({ articleId, start: 0, end: 4, color: 'green' })
    await s().page.locator('.article-body mark').first().waitFor()
    expect(
      await body.evaluate(
        (el) => (el.getRootNode() as ShadowRoot).querySelectorAll('link[rel="stylesheet"]').length
      )
    ).toBe(1)
    expect(
      await body.evaluate((el) =>
        (el.getRootNode() as ShadowRoot)
          .querySelector('link[rel="stylesheet"]')
          ?.hasAttribute('data-first-drawing')
      )
    ).toBe(true)
    expect(await look()).toBe(before)
  })
})
