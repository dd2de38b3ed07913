// Two windows on one library (as with a second Electron window, or the web preview beside
// the app): an edit made in one shows in the other's left pane, list and reader without a
// reload — for every kind of change the API makes, and for changes made by another process
// (the CLI) through the library's change log.
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateCorpus } from '../core/import-corpus-gen'
import {
  CORPUS,
  dropPaths,
  ensureRendererBuilt,
  launchChromium,
  openAppSession,
  serveRenderer,
  tempLibrary,
  type AppSession,
  type StaticServer,
  type TempLibrary,
  step,
  JOURNEY_MS
} from './harness'

const poll = <T>(read: () => T | Promise<T>, opts: { timeout?: number } = {}) =>
  expect.poll(read, { timeout: opts.timeout ?? 20_000 })

let browser: Browser
let server: StaticServer
let library: TempLibrary
const windows: AppSession[] = []

beforeAll(async () => {
  ensureRendererBuilt()
  server = await serveRenderer()
  browser = await launchChromium()
  library = tempLibrary()
  await library.service.importPaths([join(CORPUS, 'rsshub')])
}, 180_000)

afterAll(async () => {
  // The windows share the library: close them, then dispose of it once.
  for (const window of windows) await window.context.close()
  await browser?.close()
  await server?.close()
  library?.dispose()
})

async function openWindow(): Promise<AppSession> {
  const window = await openAppSession(browser, server, { locale: 'en-US', library })
  windows.push(window)
  return window
}

describe('two windows on one library', () => {
  it('a category renamed and a tag added in one window show in the other', async () => {
    const a = await openWindow()
    const b = await openWindow()
    const topLevel = (page: Page) =>
      page.locator('[role="treeitem"][aria-level="1"] .name').allInnerTexts()
    await poll(() => topLevel(b.page)).toContain('编程')

    // Window A renames 编程 from its context menu.
    const item = a.page.locator('[role="treeitem"][aria-level="1"]', { hasText: '编程' })
    await item.click({ button: 'right' })
    await a.page.getByRole('menuitem', { name: /Rename/ }).click()
    const field = a.page.getByRole('textbox', { name: /name/i })
    await field.fill('程序设计')
    await field.press('Enter')
    await poll(() => topLevel(a.page)).toContain('程序设计')

    // Window B follows without a reload.
    await poll(() => topLevel(b.page)).toContain('程序设计')
    expect(await topLevel(b.page)).not.toContain('编程')

    // A tag added through the API (any window's bridge) appears in B's tag list.
    const first = (await library.service.listArticles({ limit: 1 })).items[0]!
    await library.service.addTag([first.id], '跨窗口')
    await poll(() => b.page.getByRole('button', { name: /#跨窗口/ }).count()).toBe(1)
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })
})

describe('the undo offer across windows', () => {
  it('leaves when another window undoes the change it reports', async () => {
    const a = await openWindow()
    const b = await openWindow()
    const toastA = a.page.locator('.toast')
    // A new collection from window A: A offers its undo.
    await a.page.getByRole('textbox', { name: 'New collection…' }).fill('两窗晨报')
    await a.page.getByRole('textbox', { name: 'New collection…' }).press('Enter')
    await poll(() => toastA.innerText()).toContain('两窗晨报')
    expect(await toastA.getByRole('button', { name: 'Undo' }).count()).toBe(1)
    // Window B undoes it: the collection goes from both, and A no longer reports it as made.
    await poll(() => b.page.locator('.collections', { hasText: '两窗晨报' }).count()).toBe(1)
    await b.page.locator('.listbox').focus()
    await b.page.keyboard.press('Control+z')
    await poll(async () =>
      (await library.service.listCollections()).map((c) => c.name)
    ).not.toContain('两窗晨报')
    await poll(() => a.page.locator('.collections', { hasText: '两窗晨报' }).count()).toBe(0)
    await poll(() => toastA.count()).toBe(0)
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
  })
})

/** Calls the API from inside a window, as its own UI would (through its bridge). */
function inWindow<T>(window: AppSession, method: string, ...args: unknown[]): Promise<T> {
  return window.page.evaluate(
    ([m, a]) =>
      (
        window as unknown as {
          gleaner: { api: Record<string, (...x: unknown[]) => Promise<unknown>> }
        }
      ).gleaner.api[m as string]!(...(a as unknown[])),
    [method, args] as const
  ) as Promise<T>
}

const ROOT = resolve(import.meta.dirname, '../..')

describe('every kind of change reaches the other window', () => {
  let a: AppSession
  let b: AppSession
  let ids: number[]
  const row = (id: number) => b.page.locator(`[role="option"][data-article-id="${id}"]`)
  const tagButton = (tag: string) =>
    b.page
      .getByRole('region', { name: 'Tags' })
      .getByRole('button', { name: new RegExp(`^#${tag}`) })
  const collectionButton = (name: string) =>
    b.page
      .getByRole('region', { name: 'Collections' })
      .getByRole('button', { name: new RegExp(`^${name}`) })
  const topLevel = () => b.page.locator('[role="treeitem"][aria-level="1"] .name').allInnerTexts()
  const toolbarCount = async (): Promise<number> =>
    Number((await b.page.locator('.count').first().innerText()).replace(/\D/g, ''))

  beforeAll(async () => {
    a = await openWindow()
    b = await openWindow()
    ids = (await library.service.listArticles({ limit: 5, sort: 'date-desc' })).items.map(
      (r) => r.id
    )
    await row(ids[0]!).waitFor()
  })

  it(
    'stars, tags, categories, collections, annotations and the CLI’s changes, in order on two windows',
    async () => {
      await step('stars, read state, deletion and restore', async () => {
        await inWindow(a, 'setStarred', [ids[0]], true)
        await poll(() => row(ids[0]!).locator('.star').getAttribute('aria-pressed')).toBe('true')
        await inWindow(a, 'setRead', [ids[1]], true)
        await poll(() => row(ids[1]!).getAttribute('class')).not.toContain('unread')
        await inWindow(a, 'setRead', [ids[1]], false)
        await poll(() => row(ids[1]!).getAttribute('class')).toContain('unread')
        const before = await toolbarCount()
        await inWindow(a, 'deleteArticles', [ids[2]])
        await poll(() => row(ids[2]!).count()).toBe(0)
        await poll(toolbarCount).toBe(before - 1)
        await inWindow(a, 'restoreArticles', [ids[2]])
        await poll(() => row(ids[2]!).count()).toBe(1)
      })

      await step('tags: add, rename, remove, delete', async () => {
        await inWindow(a, 'addTag', [ids[0], ids[1]], '双窗')
        await poll(() => tagButton('双窗').count()).toBe(1)
        await inWindow(a, 'renameTag', '双窗', '两窗')
        await poll(() => tagButton('两窗').count()).toBe(1)
        expect(await tagButton('双窗').count()).toBe(0)
        await inWindow(a, 'removeTag', [ids[0]], '两窗')
        await poll(() => tagButton('两窗').innerText()).toMatch(/1$/)
        await inWindow(a, 'deleteTag', '两窗')
        await poll(() => tagButton('两窗').count()).toBe(0)
      })

      await step('categories: rename, delete, restore, merge', async () => {
        const roots = await library.service.categories()
        const [first, second] = roots
        await inWindow(a, 'renameCategory', first!.id, `${first!.name}甲`)
        await poll(topLevel).toContain(`${first!.name}甲`)
        await inWindow(a, 'renameCategory', first!.id, first!.name)
        await poll(topLevel).toContain(first!.name)
        const snapshot = await inWindow(a, 'deleteCategory', second!.id)
        await poll(topLevel).not.toContain(second!.name)
        await inWindow(a, 'restoreCategory', snapshot)
        await poll(topLevel).toContain(second!.name)
        await inWindow(a, 'mergeCategory', second!.id, first!.id)
        await poll(topLevel).not.toContain(second!.name)
        await inWindow(a, 'undo')
        await poll(topLevel).toContain(second!.name)
      })

      await step(
        'collections: create, add, reorder, item note, remove, rename, delete, undo',
        async () => {
          const created = await inWindow<{ id: number }>(a, 'createCollection', '双窗简报', null)
          await collectionButton('双窗简报').waitFor()
          await inWindow(a, 'addToCollection', created.id, [ids[0], ids[1], ids[2]])
          await poll(() => collectionButton('双窗简报').innerText()).toMatch(/3$/)
          // B shows the collection: its order and notes follow A's edits.
          await collectionButton('双窗简报').click()
          const order = () =>
            b.page
              .locator('[role="option"][data-article-id]')
              .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-article-id'))))
          await poll(order).toEqual([ids[0], ids[1], ids[2]])
          await inWindow(a, 'moveInCollection', created.id, ids[2], ids[0])
          await poll(order).toEqual([ids[2], ids[0], ids[1]])
          await inWindow(a, 'setCollectionItemNote', created.id, ids[0], '第一条的理由')
          await poll(() => row(ids[0]!).locator('.item-note').innerText()).toContain('第一条的理由')
          await inWindow(a, 'removeFromCollection', created.id, [ids[1]])
          await poll(order).toEqual([ids[2], ids[0]])
          await inWindow(a, 'renameCollection', created.id, '两窗简报')
          await collectionButton('两窗简报').waitFor()
          await inWindow(a, 'deleteCollection', created.id)
          await poll(() => collectionButton('两窗简报').count()).toBe(0)
          await inWindow(a, 'undo')
          await collectionButton('两窗简报').waitFor()
          await b.page
            .getByRole('region', { name: 'Views' })
            .getByRole('button', { name: 'All', exact: true })
            .click()
        }
      )

      await step('annotations on the article open in the other window', async () => {
        await row(ids[3]!).click()
        const detail = await library.service.getArticle(ids[3]!)
        await poll(() => b.page.locator('#reader-title').innerText()).toBe(detail!.title)
        const marks = () => b.page.locator('.reader mark').count()
        const before = await marks()
        const created = await inWindow<{ id: number }>(a, 'createAnnotation', {
          articleId: ids[3],
          start: 0,
          end: Math.min(6, detail!.cleanText.length),
          note: '别的窗口写的'
        })
        await poll(marks).toBeGreaterThan(before)
        await inWindow(a, 'deleteAnnotation', created.id)
        await poll(marks).toBe(before)
        await inWindow(a, 'undo')
        await poll(marks).toBeGreaterThan(before)
      })

      await step('a change made by another process (the CLI) arrives through the log', async () => {
        const r = spawnSync(
          process.execPath,
          [
            join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
            join(ROOT, 'src/cli/main.ts'),
            'tag',
            'add',
            '命令行',
            String(ids[4]),
            '--library',
            library.service.db.name
          ],
          { encoding: 'utf8' }
        )
        expect(r.status, r.stderr).toBe(0)
        await poll(() => tagButton('命令行').count()).toBe(1)
        expect(a.errors).toEqual([])
        expect(b.errors).toEqual([])
      })
    },
    JOURNEY_MS
  )
})

describe('imports in two windows', () => {
  it('each window follows and cancels only its own run', async () => {
    const a = await openWindow()
    const b = await openWindow()
    const big = join(library.dir, 'big')
    generateCorpus(big, 2500, 21)
    const before = (await library.service.libraryInfo()).articleCount
    // A starts a long import; B starts one of its own behind it, then cancels it.
    await dropPaths(a.page, [big])
    const aPanel = a.page.getByRole('complementary', { name: 'Import report' })
    await poll(() => aPanel.innerText()).toContain('files/s')
    await dropPaths(b.page, [join(CORPUS, 'seed')])
    const bPanel = b.page.getByRole('complementary', { name: 'Import report' })
    await bPanel.getByRole('button', { name: 'Cancel' }).click()
    // A's run goes on to the end, every file imported: B's Cancel was not A's.
    await poll(() => aPanel.innerText(), { timeout: 120_000 }).toContain('Imported')
    const runs = await library.service.listImportRuns(5)
    const aRun = runs.find((r) => r.roots.includes(big))!
    expect(aRun.cancelled).toBe(false)
    expect(aRun.counts.imported).toBe(2500)
    expect((await library.service.libraryInfo()).articleCount).toBeGreaterThanOrEqual(before + 2500)
    // B never showed A's progress (A's files).
    expect(await bPanel.innerText()).not.toContain('post-')
  })
})
