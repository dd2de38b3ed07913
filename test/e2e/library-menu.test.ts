// The toolbar's Library menu, the window's way to the API's less daily capabilities: the change
// log (with undo and redo), search synonyms (an added pair changes what a search finds, and is
// an undoable change), and re-cleaning with its report. In Chromium against the real core.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { backupLibrary, defaultBackupPath } from '../../src/core/backup/backup'
import { CLEANER_VERSION } from '../../src/core/clean/version'
import { RSSHUB } from '../helpers/corpus'
import { step, JOURNEY_MS, windowForFile } from './harness'
import { checkedScreenshot } from './screen'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 })

const s = windowForFile(async (library) => {
  await library.service.importPaths([join(RSSHUB, '金融')])
  return { locale: 'en-US' }
})

async function openMenuItem(name: string): Promise<void> {
  await s().page.getByRole('button', { name: 'Library ▾' }).click()
  await s().page.getByRole('menu', { name: 'Library' }).getByRole('menuitem', { name }).click()
}

describe('the Library menu', () => {
  it(
    'History, Synonyms and Re-clean, in order on one window',
    async () => {
      await step(
        'History lists changes with where they came from, and undoes from there',
        async () => {
          const [first] = (await s().library.service.listArticles({ limit: 1 })).items
          await s().library.service.addTag([first!.id], '核实')
          await openMenuItem('History…')
          const dialog = s().page.getByRole('dialog', { name: 'History' })
          await poll(() => dialog.getByRole('list').innerText()).toContain(
            'Tagged 1 article “核实”'
          )
          await dialog.getByRole('button', { name: 'Undo Add Tag' }).click()
          await poll(async () => (await s().library.service.getArticle(first!.id))?.tags).toEqual(
            []
          )
          // The list follows: the tag change now stands undone.
          await poll(() => dialog.locator('li.undone').first().innerText()).toContain('核实')
          await dialog.getByRole('button', { name: 'Close' }).click()
        }
      )

      await step('Synonyms: an added pair widens a search, and Undo takes it back', async () => {
        const before = await s().library.service.search('财新社', { limit: 1 })
        const word = (await s().library.service.search('财经', { limit: 1 })).total
        expect(word).toBeGreaterThan(0)
        await openMenuItem('Search synonyms…')
        const dialog = s().page.getByRole('dialog', { name: 'Search synonyms' })
        await dialog.getByRole('textbox', { name: 'Word' }).fill('财新社')
        await dialog.getByRole('textbox', { name: 'Means the same as' }).fill('财经')
        await dialog.getByRole('button', { name: 'Add' }).click()
        await poll(() => dialog.getByRole('list').innerText()).toContain('财新社 = 财经')
        await poll(
          async () => (await s().library.service.search('财新社', { limit: 1 })).total
        ).toBe(Math.max(word, before.total))
        await dialog.getByRole('button', { name: 'Close' }).click()
        await s().page.keyboard.press('Control+z')
        await poll(async () =>
          (await s().library.service.listSynonyms()).some((p) => p.a === '财新社')
        ).toBe(false)
      })

      await step(
        'Re-clean rebuilds outdated articles and says what happened to highlights',
        async () => {
          const [a] = (await s().library.service.listArticles({ limit: 1 })).items
          s()
            .library.service.db.prepare('UPDATE articles SET cleaning_version = ? WHERE id = ?')
            .run(CLEANER_VERSION - 1, a!.id)
          await openMenuItem('Re-clean articles…')
          const dialog = s().page.getByRole('dialog', { name: 'Re-clean articles' })
          await poll(() => dialog.innerText()).toContain(
            '1 articles were cleaned by an older version.'
          )
          await dialog.getByRole('button', { name: 'Re-clean 1' }).click()
          await poll(() => dialog.getByRole('status').innerText()).toContain(
            'of 1 articles changed'
          )
          expect(await s().library.service.recleanNeeded()).toBe(0)
          await dialog.getByRole('button', { name: 'Close' }).click()
          expect(s().errors).toEqual([])
        }
      )
    },
    JOURNEY_MS
  )
})

describe('Library › Backups…', () => {
  it('shows the schedule and what is on disk, and saves a new one from the keyboard', async () => {
    const service = s().library.service
    const was = (await service.backupStatus()).settings
    expect(was).toEqual({ enabled: true, everyHours: 24, keep: 7 })
    await openMenuItem('Backups…')
    const dialog = s().page.getByRole('dialog', { name: 'Backups' })
    await poll(() => dialog.getByRole('combobox', { name: 'Every' }).inputValue()).toBe('24')
    await poll(() => dialog.locator('.where').innerText()).toContain('No backup yet.')
    expect(await dialog.locator('code').innerText()).toBe(join(s().library.dir, 'backups'))
    // Keyboard only: to the interval, a week, to the number kept, 3, Enter saves.
    await dialog.getByRole('combobox', { name: 'Every' }).focus()
    await s().page.keyboard.press('End')
    await s().page.keyboard.press('Tab')
    await s().page.keyboard.press('Control+a')
    await s().page.keyboard.type('3')
    await s().page.keyboard.press('Enter')
    await poll(() => dialog.getByRole('status').innerText()).toContain('Saved')
    expect((await service.backupStatus()).settings).toEqual({
      enabled: true,
      everyHours: 168,
      keep: 3
    })
    // Nothing is kept out of range: the field refuses 0 and nothing is saved.
    await s().page.keyboard.press('Control+a')
    await s().page.keyboard.type('0')
    await s().page.keyboard.press('Enter')
    expect(
      await dialog
        .getByRole('spinbutton', { name: 'Keep the newest' })
        .evaluate((el) => (el as HTMLInputElement).validity.valid)
    ).toBe(false)
    expect((await service.backupStatus()).settings.keep).toBe(3)
    await s().page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    // Opened again, it shows what was saved, with the latest backup once there is one.
    await service.setBackupSettings({ enabled: false, everyHours: 168, keep: 3 })
    backupLibrary(service.db, defaultBackupPath(join(s().library.dir, 'library.db')))
    await openMenuItem('Backups…')
    await poll(() => dialog.locator('.where').innerText()).toContain('(1 in the folder)')
    await poll(() =>
      dialog.getByRole('checkbox', { name: 'Back up automatically' }).isChecked()
    ).toBe(false)
    expect(await dialog.getByRole('combobox', { name: 'Every' }).inputValue()).toBe('168')
    await checkedScreenshot(s().page, 'backups-en-light.png', {
      lang: 'en',
      scheme: 'light',
      texts: ['Back up automatically', 'Keep the newest', '(1 in the folder)']
    })
    await dialog.getByRole('button', { name: 'Close' }).click()
  })
})
