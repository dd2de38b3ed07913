// The Trash view in Chromium against the real core: deleted articles listed newest deletion
// first, restored (undoably) and removed for good by mouse and by keyboard, each removal asked
// first; emptying the trash; and an undo that can no longer be done saying why.
import { join } from 'node:path'
import type { Locator } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { RSSHUB } from '../helpers/corpus'
import { step, JOURNEY_MS, windowForFile } from './harness'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 })

const s = windowForFile(async (library) => {
  await library.service.importPaths([join(RSSHUB, '金融')])
  return { locale: 'en-US' }
})

// Stamped after any deletion the tests make through the window (an undo deletes "now").
const LATER = Date.now() + 86_400_000
let minute = 0
/** Deletes n live articles one after another (a minute apart); their ids in that order. */
async function trash(n: number): Promise<number[]> {
  const service = s().library.service
  const ids = (await service.listArticles({ limit: n, sort: 'date-desc' })).items.map((a) => a.id)
  expect(ids).toHaveLength(n)
  for (const id of ids) {
    await service.deleteArticles([id])
    service.db
      .prepare('UPDATE articles SET deleted_at = ? WHERE id = ?')
      .run(new Date(LATER + 60_000 * minute++).toISOString(), id)
  }
  return ids
}

const exists = (id: number): number =>
  s()
    .library.service.db.prepare('SELECT COUNT(*) FROM articles WHERE id = ?')
    .pluck()
    .get(id) as number
const inTrash = async (): Promise<number[]> =>
  (await s().library.service.listTrash({})).items.map((a) => a.id)
const list = (): Locator => s().page.getByRole('listbox', { name: 'Trash' })
const rows = (): Locator => list().getByRole('option')
const rowIds = async (): Promise<number[]> =>
  (
    await rows().evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-article-id'))))
  ).filter((id) => id > 0)

/** Shows the trash with these articles at its top (the newest deletions). */
async function openTrash(newest: number[]): Promise<void> {
  await s().page.getByRole('button', { name: 'Trash', exact: true }).click()
  await poll(async () => (await rowIds()).slice(0, newest.length)).toEqual(newest)
}

describe('the Trash view', () => {
  it(
    'lists, restores, removes by mouse and keyboard, and empties, in order on one window',
    async () => {
      await step(
        'lists deleted articles, newest deletion first, with when each was deleted',
        async () => {
          const ids = await trash(3)
          await openTrash([...ids].reverse())
          await expect(rows().first().innerText()).resolves.toMatch(/Deleted \d{4}-\d\d-\d\d/u)
          // Nothing to star in the trash.
          expect(await rows().first().getByRole('button', { name: 'Star' }).count()).toBe(0)
          const total = (await inTrash()).length
          await expect(
            s().page.getByRole('toolbar', { name: 'Trash' }).getByRole('status').innerText()
          ).resolves.toBe(`${total} deleted articles`)
        }
      )

      await step('restores by keyboard (r), and Undo puts it back in the trash', async () => {
        const [first] = await trash(1)
        await openTrash([first!])
        await list().focus()
        await s().page.keyboard.press('Home')
        await s().page.keyboard.press('r')
        await poll(inTrash).not.toContain(first)
        expect((await s().library.service.getArticle(first!))?.id).toBe(first)
        await poll(rowIds).not.toContain(first)
        await poll(() => s().page.getByRole('status').filter({ hasText: 'Restored' }).count()).toBe(
          1
        )
        await s().page.keyboard.press('Control+z')
        await poll(inTrash).toContain(first)
        await poll(rowIds).toContain(first)
      })

      await step(
        'removes for good by mouse only after asking, saying it cannot be undone',
        async () => {
          const [doomed] = await trash(1)
          await openTrash([doomed!])
          await rows().first().click()
          await s().page.getByRole('button', { name: 'Delete forever…' }).click()
          let dialog = s().page.getByRole('dialog', { name: 'Delete forever?' })
          await expect(dialog.innerText()).resolves.toContain('Remove 1 articles for good')
          await expect(dialog.innerText()).resolves.toContain('This cannot be undone.')
          // Focus starts on Cancel: Enter keeps the article.
          await poll(() =>
            dialog
              .getByRole('button', { name: 'Cancel' })
              .evaluate((b) => b === document.activeElement)
          ).toBe(true)
          await s().page.keyboard.press('Enter')
          await poll(() => dialog.count()).toBe(0)
          expect(exists(doomed!)).toBe(1)

          await rows().first().click()
          await s().page.getByRole('button', { name: 'Delete forever…' }).click()
          dialog = s().page.getByRole('dialog', { name: 'Delete forever?' })
          await dialog.getByRole('button', { name: 'Delete forever', exact: true }).click()
          await poll(() => exists(doomed!)).toBe(0)
          await poll(rowIds).not.toContain(doomed)
          // Said, and not offered for undo.
          const toast = s()
            .page.getByRole('status')
            .filter({ hasText: 'Removed 1 article for good' })
          await poll(() => toast.count()).toBe(1)
          expect(await toast.getByRole('button', { name: 'Undo' }).count()).toBe(0)
        }
      )

      await step('removes for good by keyboard: pick with x, Delete, then confirm', async () => {
        const [doomed] = await trash(1)
        await openTrash([doomed!])
        await list().focus()
        await s().page.keyboard.press('Home')
        await s().page.keyboard.press('x')
        await s().page.keyboard.press('Delete')
        const dialog = s().page.getByRole('dialog', { name: 'Delete forever?' })
        await poll(() => dialog.count()).toBe(1)
        await s().page.keyboard.press('Tab')
        await s().page.keyboard.press('Enter')
        await poll(() => exists(doomed!)).toBe(0)
        await poll(rowIds).not.toContain(doomed)
      })

      await step(
        'empties the trash after asking, and an undo of a removed article says why it cannot',
        async () => {
          const ids = await trash(2)
          await openTrash([...ids].reverse())
          const all = await inTrash()
          await s().page.getByRole('button', { name: 'Empty trash…' }).click()
          const dialog = s().page.getByRole('dialog', { name: 'Delete forever?' })
          await expect(dialog.innerText()).resolves.toContain(
            `Remove all ${all.length} articles in the trash`
          )
          await dialog.getByRole('button', { name: 'Delete forever', exact: true }).click()
          await poll(() => s().page.getByRole('toolbar', { name: 'Trash' }).innerText()).toContain(
            'The trash is empty.'
          )
          for (const id of all) expect(exists(id)).toBe(0)
          // The newest change on the undo stack deleted an article that is now gone for good.
          expect((await s().library.service.undoState()).undo?.op).toBe('deleteArticles')
          await s().page.keyboard.press('Control+z')
          await poll(() => s().page.getByRole('alert').innerText()).toContain(
            'were removed for good when the trash was emptied'
          )
          expect(s().errors).toEqual([])
        }
      )
    },
    JOURNEY_MS
  )
})
