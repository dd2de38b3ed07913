// The renderer in Chromium against the real core: a dropped file becomes a rendered article.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CORPUS,
  dropPaths,
  ensureRendererBuilt,
  launchChromium,
  serveRenderer,
  closeAppSession,
  openAppSession,
  type AppSession,
  type StaticServer,
  type TempLibrary,
  step,
  JOURNEY_MS
} from './harness'
import { checkedScreenshot } from './screen'

/** Waits for the UI to catch up (the API is async); vitest's 1 s default is too short here. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 })

let browser: Browser
let server: StaticServer
/** Remote images the core fetched for the page (standing in for the remote servers). */
const fetchedByCore: string[] = []

beforeAll(async () => {
  ensureRendererBuilt()
  server = await serveRenderer({
    fetchImage: async (url) => {
      fetchedByCore.push(url.href)
      return { contentType: 'image/gif', body: new Uint8Array(TINY_GIF) }
    }
  })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

type Session = AppSession

const openApp = (locale: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Session> =>
  openAppSession(browser, server, { locale, colorScheme })
const closeSession = closeAppSession

describe('seed article: drop → library → three panes', () => {
  let s: Session

  beforeAll(async () => {
    s = await openApp('en-US')
  })
  afterAll(async () => closeSession(s))

  it(
    'from an empty library to the seed in three panes, in order on one window',
    async () => {
      await step('teaches what to do on an empty library', async () => {
        await poll(() => s.page.getByRole('note').innerText()).toContain('Drop article files here')
      })

      await step('imports a dropped folder and reports it', async () => {
        await dropPaths(s.page, [join(CORPUS, 'seed')])
        await s.page.locator('[data-count="imported"]').waitFor()
        expect(await s.page.locator('[data-count="imported"]').innerText()).toBe('1')
        expect(await s.page.locator('[data-count="failed"]').innerText()).toBe('0')
      })

      await step('shows 金融 › 新浪财经 › 新浪财经－国內 with count 1', async () => {
        const tree = s.page.getByRole('tree')
        for (const [level, name] of [
          [1, '金融'],
          [2, '新浪财经'],
          [3, '新浪财经－国內']
        ] as const) {
          const item = tree.locator(`[role="treeitem"][aria-level="${level}"]`, { hasText: name })
          await item.first().waitFor()
          expect(await item.first().locator('.count').innerText()).toBe('1')
        }
      })

      await step('lists the article under its category and opens it in the reader', async () => {
        await s.page.getByRole('treeitem').filter({ hasText: '新浪财经－国內' }).click()
        const list = s.page.getByRole('listbox', { name: 'Articles' })
        const row = list.getByRole('option').filter({ hasText: '第四届进博会' })
        await row.waitFor()
        expect(await list.getByRole('option').count()).toBe(1)
        await row.click()
        const reader = s.page.getByRole('article')
        await poll(() => reader.locator('#reader-title').innerText()).toBe(
          '第四届进博会：提升城市软实力与服务保障进博会双促进'
        )
        const body = reader.locator('.article-body')
        await body.waitFor()
        const text = await body.innerText()
        expect(text).toContain('7月26日上午')
        expect(text).not.toContain('责任编辑')
        expect(await reader.innerText()).toContain('金融 › 新浪财经 › 新浪财经－国內')
        // Opening marks the article read: the row loses its unread style.
        await poll(() => row.getAttribute('class')).not.toContain('unread')
      })

      await step('renders without console errors or CSP violations', async () => {
        await checkedScreenshot(s.page, 'seed-reader-en-light.png', {
          lang: 'en',
          scheme: 'light',
          texts: ['第四届进博会', '7月26日上午', '新浪财经－国內']
        })
        expect(s.errors).toEqual([])
      })
    },
    JOURNEY_MS
  )
})

describe('rsshub corpus: tree, filter, keyboard, languages, themes, privacy', () => {
  let s: Session
  const countIn = async (text: Promise<string>): Promise<number> =>
    Number(/\d+/.exec(await text)?.[0] ?? NaN)
  const toolbarCount = (): Promise<number> =>
    countIn(s.page.locator('.count[aria-live]').innerText())
  const list = (): ReturnType<Page['getByRole']> =>
    s.page.getByRole('listbox', { name: /Articles|文章/ })

  beforeAll(async () => {
    s = await openApp('zh-CN')
    await dropPaths(s.page, [join(CORPUS, 'rsshub')])
    await s.page.locator('[data-count="imported"]').waitFor({ timeout: 90_000 })
  })
  afterAll(async () => closeSession(s))

  it(
    'tree, filter, search, keyboard, collections, export, renames, tags, images and looks, in order on one window',
    async () => {
      await step('speaks Chinese to a zh-CN browser and reports the import', async () => {
        expect(await s.page.getByRole('tree').innerText()).toContain('全部文章')
        const imported = await countIn(s.page.locator('[data-count="imported"]').innerText())
        const info = await s.library.service.libraryInfo()
        expect(imported).toBeGreaterThan(100)
        expect(info.articleCount).toBe(imported)
        await s.page.getByRole('button', { name: '关闭' }).click()
        await poll(toolbarCount).toBe(info.articleCount)
      })

      await step('narrows the list to a category with the count the tree shows', async () => {
        const item = s.page.locator('[role="treeitem"][aria-level="1"]', { hasText: '编程' })
        const treeCount = await countIn(item.locator('.count').innerText())
        expect(treeCount).toBeGreaterThan(0)
        await item.click()
        await poll(toolbarCount).toBe(treeCount)
        const firstRow = list().getByRole('option').first()
        await firstRow.waitFor()
        const id = Number(await firstRow.getAttribute('data-article-id'))
        const detail = await s.library.service.getArticle(id)
        expect(detail?.categoryPath[0]).toBe('编程')
        // Arrow keys walk the tree too: Home goes back to all articles.
        await item.press('Home')
        await s.page.keyboard.press('Enter')
        await poll(toolbarCount).toBe((await s.library.service.libraryInfo()).articleCount)
      })

      await step('searches from the search box, focused with /, and shows the hits', async () => {
        const all = await toolbarCount()
        await list().focus()
        await s.page.keyboard.press('/')
        const search = s.page.getByRole('searchbox')
        await poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true)
        await search.fill('Apple')
        const expected = await s.library.service.search('Apple', { limit: 200 })
        expect(expected.total).toBeGreaterThan(0)
        expect(expected.total).toBeLessThan(all)
        await poll(toolbarCount).toBe(expected.total)
        const hits = s.page.getByRole('listbox', { name: '搜索结果' })
        await poll(() =>
          hits
            .getByRole('option')
            .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-article-id'))))
        ).toEqual(expected.items.map((item) => item.id))
        await search.press('Escape')
        await poll(toolbarCount).toBe(all)
      })

      await step(
        'moves with j/k, opens with Enter, stars with s, toggles unread with u',
        async () => {
          await list().focus()
          await s.page.keyboard.press('j')
          await s.page.keyboard.press('j')
          await s.page.keyboard.press('k')
          const first = list().locator('[role="option"][aria-selected="true"]')
          await poll(() => first.getAttribute('aria-posinset')).toBe('1')
          const id = Number(await first.getAttribute('data-article-id'))
          const row = list().locator(`[data-article-id="${id}"]`)
          const title = await row.locator('.title').innerText()
          await s.page.keyboard.press('Enter')
          await poll(() => s.page.locator('#reader-title').innerText()).toBe(title)
          await poll(async () => (await s.library.service.getArticle(id))?.read).toBe(true)

          await s.page.keyboard.press('s')
          await poll(() => row.locator('.star').getAttribute('aria-pressed')).toBe('true')
          expect((await s.library.service.getArticle(id))?.starred).toBe(true)
          await s.page.keyboard.press('u')
          await poll(() => row.getAttribute('class')).toContain('unread')
          expect((await s.library.service.getArticle(id))?.read).toBe(false)
          await s.page.keyboard.press('ArrowDown')
          await poll(() =>
            list().locator('[aria-selected="true"]').getAttribute('aria-posinset')
          ).toBe('2')
        }
      )

      await step(
        'picks several rows with Ctrl-click and Shift+j, then marks them read in one go',
        async () => {
          const rows = list().locator('[role="option"][data-article-id]')
          const ids: number[] = []
          for (const n of [2, 4])
            ids.push(Number(await rows.nth(n).getAttribute('data-article-id')))
          // As in file managers: click one, Ctrl-click another; the first stays selected.
          await rows.nth(2).click()
          await rows.nth(4).click({ modifiers: ['Control'] })
          const bar = s.page.getByRole('toolbar')
          await poll(() => bar.innerText()).toContain('已选 2 篇')
          await s.page.keyboard.press('Shift+J')
          const third = Number(await rows.nth(5).getAttribute('data-article-id'))
          await poll(() => bar.innerText()).toContain('已选 3 篇')
          await bar.getByRole('button', { name: '标为未读' }).click()
          await poll(async () =>
            Promise.all(
              [...ids, third].map(async (id) => (await s.library.service.getArticle(id))?.read)
            )
          ).toEqual([false, false, false])
          await bar.getByRole('button', { name: '标为已读' }).click()
          await poll(async () =>
            Promise.all(
              [...ids, third].map(async (id) => (await s.library.service.getArticle(id))?.read)
            )
          ).toEqual([true, true, true])
          expect(await list().locator('[aria-selected="true"]').count()).toBe(3)
          await s.page.keyboard.press('Escape')
          await poll(() => bar.count()).toBe(0)
        }
      )

      await step(
        'gathers picked articles into a new collection and shows it as a list',
        async () => {
          await s.page.getByRole('textbox', { name: '新建专题…' }).fill('进博会简报')
          await s.page.getByRole('textbox', { name: '新建专题…' }).press('Enter')
          const entry = s.page.getByRole('button', { name: '进博会简报' })
          await poll(() => entry.getAttribute('aria-current')).toBe('true')
          await poll(toolbarCount).toBe(0)

          await s.page.getByRole('treeitem').filter({ hasText: '全部文章' }).click()
          const rows = list().locator('[role="option"][data-article-id]')
          await rows.nth(0).waitFor()
          const ids = [
            Number(await rows.nth(0).getAttribute('data-article-id')),
            Number(await rows.nth(1).getAttribute('data-article-id'))
          ]
          await rows.nth(0).click()
          await rows.nth(1).click({ modifiers: ['Control'] })
          await s.page.getByRole('button', { name: '加入专题…' }).click()
          await s.page
            .getByRole('menu', { name: '加入专题…' })
            .getByRole('menuitem', { name: '进博会简报' })
            .click()
          await poll(() => s.page.locator('.toast').innerText()).toContain(
            '已将 2 篇加入“进博会简报”'
          )
          const [collection] = await s.library.service.listCollections()
          const items = await s.library.service.collectionItems(collection!.id)
          expect(items.map((item) => item.articleId)).toEqual(ids)

          await entry.click()
          await poll(toolbarCount).toBe(2)
          const shown = await list()
            .locator('[role="option"][data-article-id]')
            .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-article-id'))))
          expect(shown).toEqual(ids)
          await s.page.locator('.toast').getByRole('button', { name: '关闭' }).click()
          await s.page.getByRole('treeitem').filter({ hasText: '全部文章' }).click()
          await poll(toolbarCount).toBe((await s.library.service.libraryInfo()).articleCount)
        }
      )

      await step(
        'exports the selected collection from the left pane (JSON, W3C annotations)',
        async () => {
          await s.page.getByRole('button', { name: '进博会简报' }).click()
          await s.page.getByRole('button', { name: '导出…' }).click()
          const form = s.page.getByRole('form', { name: '导出“进博会简报”' })
          await form.getByRole('combobox', { name: '格式' }).selectOption('json')
          const field = form.getByRole('textbox', { name: '保存到（绝对路径）' })
          await field.fill('relative/brief.json')
          await form.getByRole('button', { name: '导出', exact: true }).click()
          await poll(() => form.getByRole('alert').innerText()).toBe('请输入绝对路径。')
          // A typed path is not one the user picked: the window may write only where Choose… pointed.
          const out = join(s.library.dir, 'exports', 'brief.json')
          await field.fill(out)
          await form.getByRole('button', { name: '导出', exact: true }).click()
          await poll(() => form.getByRole('alert').innerText()).toContain('选择…')
          expect(existsSync(out)).toBe(false)
          s.bridge.saveAnswer = out
          await form.getByRole('button', { name: '选择…' }).click()
          await poll(() => field.inputValue()).toBe(out)
          await form.getByRole('button', { name: '导出', exact: true }).click()
          await poll(() => form.getByRole('status').innerText()).toContain('已导出 2 篇文章到')
          const written = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>
          expect(JSON.stringify(written['@context'])).toContain('http://www.w3.org/ns/anno.jsonld')
          await s.page.getByRole('treeitem').filter({ hasText: '全部文章' }).click()
        }
      )

      await step(
        'renames a collection from its context menu, deletes it and brings it back with Undo',
        async () => {
          const collections = s.page.getByRole('region', { name: '专题' })
          const entry = collections.getByRole('button', { name: '进博会简报' })
          await entry.click({ button: 'right' })
          const menu = s.page.getByRole('menu', { name: '专题“进博会简报”的操作' })
          await poll(() =>
            menu.getByRole('menuitem').evaluateAll((els) => els.map((el) => el.textContent?.trim()))
          ).toEqual(['重命名…', '导出…', '删除专题', '新建专题…'])
          await menu.getByRole('menuitem', { name: '重命名…' }).click()
          const field = collections.getByRole('textbox', { name: '专题“进博会简报”的新名称' })
          await field.fill('进博会要闻')
          await field.press('Enter')
          const renamed = collections.getByRole('button', { name: '进博会要闻' })
          await renamed.waitFor()
          const [stored] = await s.library.service.listCollections()
          expect(stored?.name).toBe('进博会要闻')
          const items = await s.library.service.collectionItems(stored!.id)

          // Delete from the keyboard menu (Shift+F10); the collection and its list go, Undo restores both.
          await renamed.click()
          await poll(toolbarCount).toBe(2)
          await renamed.press('Shift+F10')
          await s.page
            .getByRole('menu', { name: '专题“进博会要闻”的操作' })
            .getByRole('menuitem', { name: '删除专题' })
            .click()
          const toast = s.page.getByRole('status').filter({ hasText: '已删除专题“进博会要闻”' })
          await toast.waitFor()
          await poll(() => renamed.count()).toBe(0)
          expect(await s.library.service.listCollections()).toEqual([])
          await poll(toolbarCount).toBe((await s.library.service.libraryInfo()).articleCount)
          await toast.getByRole('button', { name: '撤销' }).click()
          await poll(() => toast.count()).toBe(0)
          await renamed.waitFor()
          await renamed.click()
          await poll(() => renamed.getAttribute('aria-current')).toBe('true')
          await poll(toolbarCount).toBe(2)
          const [back] = await s.library.service.listCollections()
          expect(back?.name).toBe('进博会要闻')
          expect(
            (await s.library.service.collectionItems(back!.id)).map((item) => item.articleId)
          ).toEqual(items.map((item) => item.articleId))

          // Back to its first name for the tests that follow.
          await renamed.press('F2')
          const again = collections.getByRole('textbox', { name: '专题“进博会要闻”的新名称' })
          await again.fill('进博会简报')
          await again.press('Enter')
          const first = collections.getByRole('button', { name: '进博会简报' })
          await first.waitFor()

          // Export… shows the collection with its export panel open, the focus in its first field.
          await s.page.getByRole('treeitem').filter({ hasText: '全部文章' }).click()
          await first.click({ button: 'right' })
          await s.page
            .getByRole('menu', { name: '专题“进博会简报”的操作' })
            .getByRole('menuitem', { name: '导出…' })
            .click()
          const form = s.page.getByRole('form', { name: '导出“进博会简报”' })
          await form.waitFor()
          await poll(() => first.getAttribute('aria-current')).toBe('true')
          await poll(() =>
            form
              .getByRole('combobox', { name: '格式' })
              .evaluate((el) => el === document.activeElement)
          ).toBe(true)
          // The test bridge, like Electron's, has the native save dialog: Choose… is offered.
          expect(await form.getByRole('button', { name: '选择…' }).count()).toBe(1)
          await s.page.getByRole('treeitem').filter({ hasText: '全部文章' }).click()
        }
      )

      await step(
        'filters by source and by tag from the left pane, with the counts shown there',
        async () => {
          const sources = await s.library.service.sources()
          const source = sources[1] ?? sources[0]!
          await s.page
            .getByRole('region', { name: '来源' })
            .getByRole('button')
            .filter({ has: s.page.locator('.name').getByText(source.source, { exact: true }) })
            .click()
          await poll(toolbarCount).toBe(source.count)
          const firstRow = list().locator('[role="option"][data-article-id]').first()
          const id = Number(await firstRow.getAttribute('data-article-id'))
          expect((await s.library.service.getArticle(id))?.source).toBe(source.source)
          const [tag] = await s.library.service.tags()
          if (tag) {
            await s.page
              .getByRole('region', { name: '标签' })
              .getByRole('button')
              .filter({ has: s.page.locator('.name').getByText('#' + tag.tag, { exact: true }) })
              .click()
            await poll(toolbarCount).toBe(tag.count)
          }
          await s.page
            .getByRole('region', { name: '视图' })
            .getByRole('button', { name: '全部', exact: true })
            .click()
          await poll(toolbarCount).toBe((await s.library.service.libraryInfo()).articleCount)
        }
      )

      await step('renames a category from its context menu, and back with F2', async () => {
        const tree = s.page.getByRole('tree')
        const item = tree.locator('[role="treeitem"][aria-level="1"]', { hasText: '编程' })
        const count = await countIn(item.locator('.count').innerText())
        await item.click({ button: 'right' })
        const menu = s.page.getByRole('menu', { name: '“编程”的操作' })
        await poll(() =>
          menu.getByRole('menuitem').evaluateAll((els) => els.map((el) => el.textContent?.trim()))
        ).toEqual(['重命名…', '合并到…', '删除分类'])
        await menu.getByRole('menuitem', { name: '重命名…' }).click()
        const field = tree.getByRole('textbox', { name: '“编程”的新名称' })
        await field.fill('程序设计')
        await field.press('Enter')
        const renamed = tree.locator('[role="treeitem"][aria-level="1"]', { hasText: '程序设计' })
        await poll(() => renamed.locator('.count').innerText()).toBe(String(count))
        await poll(() => tree.locator('.name', { hasText: /^编程$/ }).count()).toBe(0)
        // The core, its search filter and the list agree.
        const roots = await s.library.service.categories()
        expect(roots.map((n) => n.name)).toContain('程序设计')
        expect(roots.map((n) => n.name)).not.toContain('编程')
        expect((await s.library.service.search('category:程序设计', { limit: 1 })).total).toBe(
          count
        )
        await renamed.click()
        await poll(toolbarCount).toBe(count)
        // Keyboard: F2 on the focused item edits it in place.
        await poll(() => renamed.evaluate((el) => el === document.activeElement)).toBe(true)
        await s.page.keyboard.press('F2')
        const again = tree.getByRole('textbox', { name: '“程序设计”的新名称' })
        await again.fill('编程')
        await again.press('Enter')
        await poll(async () => (await s.library.service.categories()).map((n) => n.name)).toContain(
          '编程'
        )
        await tree.getByRole('treeitem').filter({ hasText: '全部文章' }).click()
      })

      await step(
        'deletes a category from the keyboard (Shift+F10) and brings it back with Undo',
        async () => {
          const roots = await s.library.service.categories()
          const victim = [...roots].sort((a, b) => a.count - b.count)[0]!
          const tree = s.page.getByRole('tree')
          const item = tree.locator('[role="treeitem"][aria-level="1"]', { hasText: victim.name })
          await item.click()
          await poll(toolbarCount).toBe(victim.count)
          await item.press('Shift+F10')
          const menu = s.page.getByRole('menu')
          await poll(() =>
            menu
              .getByRole('menuitem')
              .first()
              .evaluate((el) => el === document.activeElement)
          ).toBe(true)
          await s.page.keyboard.press('End')
          await s.page.keyboard.press('Enter')
          const toast = s.page.locator('.toast', { hasText: `已删除分类“${victim.name}”` })
          await toast.waitFor()
          await poll(async () =>
            (await s.library.service.categories()).map((n) => n.name)
          ).not.toContain(victim.name)
          await poll(() => item.count()).toBe(0)
          // The selection fell back to all articles; the articles are all still there.
          const total = (await s.library.service.libraryInfo()).articleCount
          await poll(toolbarCount).toBe(total)
          await toast.getByRole('button', { name: '撤销' }).click()
          await poll(() => item.locator('.count').innerText()).toBe(String(victim.count))
          expect(
            (await s.library.service.categories()).find((n) => n.name === victim.name)?.count
          ).toBe(victim.count)
        }
      )

      await step(
        'tags two picked articles from the bulk bar; the tag list and search follow',
        async () => {
          const rows = list().locator('[role="option"][data-article-id]')
          await rows.nth(0).waitFor()
          const ids = [
            Number(await rows.nth(0).getAttribute('data-article-id')),
            Number(await rows.nth(1).getAttribute('data-article-id'))
          ]
          await rows.nth(0).click()
          await rows.nth(1).click({ modifiers: ['Control'] })
          const bar = s.page.getByRole('toolbar')
          await bar.getByRole('button', { name: '标签…' }).click()
          const field = bar.getByRole('combobox', { name: '标签名' })
          await field.fill('待跟进')
          await bar.getByRole('button', { name: '添加标签' }).click()
          await poll(() => s.page.locator('.toast').innerText()).toContain(
            '已为 2 篇文章添加标签“待跟进”'
          )
          for (const id of ids)
            expect((await s.library.service.getArticle(id))?.tags).toContain('待跟进')
          const found = await s.library.service.search('tag:待跟进', { limit: 10 })
          expect(found.items.map((h) => h.id).sort((a, b) => a - b)).toEqual(
            [...ids].sort((a, b) => a - b)
          )
          const tagEntry = s.page
            .getByRole('region', { name: '标签' })
            .getByRole('button')
            .filter({ has: s.page.locator('.name').getByText('#待跟进', { exact: true }) })
          await poll(() => tagEntry.locator('.count').innerText()).toBe('2')
          await s.page.locator('.toast').getByRole('button', { name: '关闭' }).click()
          await s.page.keyboard.press('Escape')
          await tagEntry.click()
          await poll(toolbarCount).toBe(2)
          await s.page
            .getByRole('region', { name: '视图' })
            .getByRole('button', { name: '全部', exact: true })
            .click()
          await poll(toolbarCount).toBe((await s.library.service.libraryInfo()).articleCount)
        }
      )

      await step('blocks remote images until allowed, then has the core fetch them', async () => {
        const withImage = await findArticleWithRemoteImage(s.library)
        const search = s.page.getByRole('searchbox')
        await search.fill(`"${withImage.title}"`)
        const row = s.page
          .getByRole('listbox', { name: '搜索结果' })
          .locator(`[data-article-id="${withImage.id}"]`)
        await row.click()
        await poll(() => s.page.locator('#reader-title').innerText()).toBe(withImage.title)
        await s.page.locator('.images-note').waitFor()
        const blocked = await s.page.locator('.article-body img.blocked-image').count()
        expect(blocked).toBeGreaterThan(0)
        const outside = s.requests.filter(
          (url) => !url.startsWith(server.origin) && !url.startsWith('data:')
        )
        expect(outside).toEqual([])

        // Allowed: the page asks its own origin's remote-image route, and the core fetches them;
        // the page itself still requests nothing from anywhere else.
        fetchedByCore.length = 0
        await s.page.getByRole('button', { name: '加载图片' }).click()
        await poll(() => fetchedByCore.length).toBeGreaterThan(0)
        const shown = s.page.locator('.article-body img[src^="/remote-image?"]')
        await poll(() => shown.count()).toBe(blocked)
        await poll(() =>
          shown.evaluateAll((imgs) =>
            imgs.every((img) => (img as HTMLImageElement).naturalWidth > 0)
          )
        ).toBe(true)
        expect(
          s.requests.filter((url) => !url.startsWith(server.origin) && !url.startsWith('data:'))
        ).toEqual([])
        await s.page.getByRole('button', { name: '拦截远程图片' }).click()
        await search.fill('')
      })

      await step('looks right in zh and en, light and dark (screenshots)', async () => {
        const zh = { lang: 'zh', texts: ['全部文章', '专题', '来源'] } as const
        const en = { lang: 'en', texts: ['All articles', 'Collections', 'Sources'] } as const
        await checkedScreenshot(s.page, 'corpus-zh-light.png', { ...zh, scheme: 'light' })
        await s.page.emulateMedia({ colorScheme: 'dark' })
        await checkedScreenshot(s.page, 'corpus-zh-dark.png', { ...zh, scheme: 'dark' })
        await s.page.getByRole('combobox', { name: '语言' }).selectOption('en')
        await poll(() => s.page.getByRole('tree').innerText()).toContain('All articles')
        expect(await s.page.evaluate(() => document.documentElement.lang)).toBe('en')
        await checkedScreenshot(s.page, 'corpus-en-dark.png', { ...en, scheme: 'dark' })
        await s.page.emulateMedia({ colorScheme: 'light' })
        await checkedScreenshot(s.page, 'corpus-en-light.png', { ...en, scheme: 'light' })
        const background = await s.page.evaluate(
          () => getComputedStyle(document.body).backgroundColor
        )
        await s.page.emulateMedia({ colorScheme: 'dark' })
        const darkBackground = await s.page.evaluate(
          () => getComputedStyle(document.body).backgroundColor
        )
        expect(darkBackground).not.toBe(background)
      })

      await step('had no console errors or CSP violations', async () => {
        expect(s.errors).toEqual([])
      })
    },
    JOURNEY_MS
  )
})

const TINY_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

async function findArticleWithRemoteImage(
  library: TempLibrary
): Promise<{ id: number; title: string }> {
  const page = await library.service.listArticles({ limit: 1000 })
  for (const summary of page.items) {
    const detail = await library.service.getArticle(summary.id)
    if (detail && summary.title && /<img[^>]+src="https?:/i.test(detail.cleanHtml)) {
      return { id: summary.id, title: summary.title }
    }
  }
  throw new Error('no article with a remote image in the corpus import')
}
