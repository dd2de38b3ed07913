// Search hits are the list: keys from the search box into the hits, keys that act on the hits
// (never on the article list hidden behind them), every hit reachable with the true count, the
// sort, the scope chip, empty and refused queries in the UI language, Pick all; and a manual
// collection curated from the keyboard. In Chromium against the real core, in Chinese.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateCorpus } from '../core/import-corpus-gen'
import { step, JOURNEY_MS, windowForFile } from './harness'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 })

/** Every generated article says "编号 N 的报道"; a few hundred hits, more than one page. */
const QUERY = '报道'
const FILES = 640

const s = windowForFile(async (library) => {
  const folder = join(library.dir, 'posts')
  generateCorpus(folder, FILES, 5)
  await library.service.importPaths([folder])
  return { locale: 'zh-CN' }
})

const api = () => s().library.service
const box = () => s().page.getByRole('searchbox')
const hits = () => s().page.getByRole('listbox', { name: '搜索结果' })
const current = () => hits().locator('[role="option"][aria-selected="true"]')
const count = async (): Promise<number> =>
  Number(/\d+/u.exec(await s().page.locator('.count[aria-live]').innerText())?.[0] ?? NaN)
const readerTitle = () => s().page.locator('#reader-title').innerText()

async function search(query: string): Promise<void> {
  await box().fill(query)
  await hits().waitFor()
}

async function clearSearch(): Promise<void> {
  await box().fill('')
  await s().page.getByRole('listbox', { name: '文章' }).waitFor()
}

describe('search hits are the list', () => {
  it(
    'moves, acts, counts, sorts, scopes, explains and picks in the hits, in order on one window',
    async () => {
      await step(
        'goes from the box into the hits with ArrowDown and opens one with Enter',
        async () => {
          await search(QUERY)
          const first = (await api().search(QUERY, { limit: 2 })).items
          await box().press('ArrowDown')
          await poll(() => current().getAttribute('data-article-id')).toBe(String(first[0]!.id))
          await poll(() => hits().evaluate((el) => el === document.activeElement)).toBe(true)
          await s().page.keyboard.press('Enter')
          await poll(readerTitle).toBe(first[0]!.title)
          // Enter in the box opens the hit under the cursor too.
          await box().focus()
          await box().press('Enter')
          await poll(readerTitle).toBe(first[0]!.title)
          await clearSearch()
        }
      )

      await step(
        'acts with j, Enter, s and Delete on the hits, never on the hidden article list',
        async () => {
          await search(QUERY)
          const [h1, h2] = (await api().search(QUERY, { limit: 2 })).items
          // The list behind the hits starts with another article (the newest).
          const newest = (await api().listArticles({ limit: 1 })).items[0]!
          expect(newest.id).not.toBe(h2!.id)
          await hits().focus()
          await s().page.keyboard.press('j')
          await poll(() => current().getAttribute('data-article-id')).toBe(String(h1!.id))
          await s().page.keyboard.press('j')
          await poll(() => current().getAttribute('data-article-id')).toBe(String(h2!.id))
          await s().page.keyboard.press('Enter')
          await poll(readerTitle).toBe(h2!.title)
          await s().page.keyboard.press('s')
          await poll(async () => (await api().getArticle(h2!.id))?.starred).toBe(true)
          expect((await api().getArticle(newest.id))?.starred).toBe(false)
          const before = await count()
          await s().page.keyboard.press('Delete')
          await poll(async () => (await api().getArticle(h2!.id)) === null).toBe(true)
          expect(await api().getArticle(newest.id)).not.toBeNull()
          await poll(count).toBe(before - 1)
          await s().page.locator('.toast').getByRole('button', { name: '撤销' }).click()
          await poll(async () => (await api().getArticle(h2!.id))?.id).toBe(h2!.id)
          await poll(count).toBe(before)
          await clearSearch()
        }
      )

      await step('counts every hit and reaches the last one (no page cut)', async () => {
        await search(QUERY)
        const all = await api().searchIds(QUERY, { sort: 'relevance' })
        expect(all.length).toBeGreaterThan(500)
        await poll(count).toBe(all.length)
        await hits().focus()
        await s().page.keyboard.press('End')
        await poll(() => current().getAttribute('data-article-id')).toBe(String(all.at(-1)))
        await poll(() => current().getAttribute('aria-posinset')).toBe(String(all.length))
        await clearSearch()
      })

      await step('sorts the hits by relevance or date, as chosen', async () => {
        await search(QUERY)
        const sort = s().page.getByRole('combobox', { name: '排序' })
        await sort.selectOption('date-asc')
        const oldest = (await api().search(QUERY, { limit: 1, sort: 'date-asc' })).items[0]!
        await poll(() =>
          hits().locator('[role="option"]').first().getAttribute('data-article-id')
        ).toBe(String(oldest.id))
        await sort.selectOption('relevance')
        await clearSearch()
      })

      await step(
        'searches inside the left pane’s selection, with a chip that clears it',
        async () => {
          const [root] = await api().categories()
          await s()
            .page.locator('[role="treeitem"][aria-level="1"]', { hasText: root!.name })
            .click()
          await search(QUERY)
          const inside = await api().search(QUERY, {
            limit: 1,
            scope: { categoryPath: root!.path }
          })
          const everywhere = await api().search(QUERY, { limit: 1 })
          expect(inside.total).toBeLessThan(everywhere.total)
          const chip = s().page.locator('.chip')
          await poll(() => chip.innerText()).toContain(`范围：${root!.path.join(' › ')}`)
          await poll(count).toBe(inside.total)
          await chip.getByRole('button', { name: '改为搜索整个资料库' }).click()
          await poll(count).toBe(everywhere.total)
          await poll(() => chip.count()).toBe(0)
          await clearSearch()
          await s().page.getByRole('treeitem').filter({ hasText: '全部文章' }).click()
        }
      )

      await step('says when nothing matches, and why a query is refused, in Chinese', async () => {
        await search('完全不会出现的词组合')
        await poll(() => hits().locator('..').getByRole('status').innerText()).toBe(
          '没有文章匹配“完全不会出现的词组合”。'
        )
        await search('tag:不存在')
        await poll(() => hits().locator('..').getByRole('alert').innerText()).toBe(
          '本库中没有名为“不存在”的标签。'
        )
        await clearSearch()
        expect(await box().getAttribute('placeholder')).toBe('搜索（/）')
      })

      await step(
        'picks hits with x while moving with j, and gathers them with c, keyboard only',
        async () => {
          await box().focus()
          await s().page.keyboard.press('Control+a')
          await s().page.keyboard.type(QUERY)
          await hits().waitFor()
          const first3 = (await api().search(QUERY, { limit: 3 })).items.map((h) => h.id)
          await box().press('ArrowDown')
          for (const key of ['x', 'j', 'x', 'j', 'x']) await s().page.keyboard.press(key)
          const bar = s().page.getByRole('toolbar', { name: '已选 3 篇' })
          await bar.waitFor()
          await s().page.keyboard.press('c')
          const menu = s().page.getByRole('menu', { name: '加入专题…' })
          await poll(() =>
            menu
              .getByRole('menuitem')
              .first()
              .evaluate((el) => el === document.activeElement)
          ).toBe(true)
          await s().page.keyboard.press('End')
          await s().page.keyboard.press('Enter')
          await s().page.keyboard.type('键盘收集')
          await s().page.keyboard.press('Enter')
          await poll(async () => {
            const c = (await api().listCollections()).find((x) => x.name === '键盘收集')
            return c ? (await api().collectionItems(c.id)).map((i) => i.articleId) : []
          }).toEqual(first3)
          await s().page.keyboard.press('Escape')
          await clearSearch()
        }
      )

      await step('picks every hit for one bulk action', async () => {
        await search(QUERY)
        const total = await count()
        await hits().locator('[role="option"]').first().click()
        await s().page.keyboard.press('x')
        const bar = s().page.getByRole('toolbar', { name: /已选/u })
        await bar.getByRole('button', { name: `全选 ${total} 篇` }).click()
        await poll(() => bar.getAttribute('aria-label')).toBe(`已选 ${total} 篇`)
        await bar.getByRole('button', { name: '取消选择' }).click()
        await clearSearch()
      })
    },
    JOURNEY_MS
  )
})

describe('a collection curated from the keyboard', () => {
  it('reorders with Alt+↑/↓, notes with n, and Delete takes an article out of the collection only', async () => {
    const ids = (await api().listArticles({ limit: 3 })).items.map((a) => a.id)
    const c = await api().createCollection('键盘专题', null, ids)
    const entry = s().page.locator('.collections button[data-id]', { hasText: '键盘专题' })
    await entry.click()
    const list = s().page.getByRole('listbox', { name: '文章' })
    const order = () =>
      list
        .locator('[role="option"][data-article-id]')
        .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-article-id'))))
    await poll(order).toEqual(ids)
    await list.focus()
    await s().page.keyboard.press('j')
    await s().page.keyboard.press('Alt+ArrowDown')
    await poll(order).toEqual([ids[1], ids[0], ids[2]])
    await poll(async () => (await api().collectionItems(c.id)).map((i) => i.articleId)).toEqual([
      ids[1],
      ids[0],
      ids[2]
    ])
    await s().page.keyboard.press('n')
    const note = s().page.getByRole('form', { name: /在本专题中的备注/u })
    await note.getByRole('textbox').fill('键盘写的备注')
    await s().page.keyboard.press('Control+Enter')
    await poll(async () => (await api().collectionItems(c.id))[1]?.note).toBe('键盘写的备注')
    const libraryCount = (await api().libraryInfo()).articleCount
    await list.focus()
    await s().page.keyboard.press('Delete')
    await poll(order).toEqual([ids[1], ids[2]])
    expect((await api().libraryInfo()).articleCount).toBe(libraryCount)
    await s().page.keyboard.press('Control+z')
    await poll(order).toEqual([ids[1], ids[0], ids[2]])
    expect(s().errors).toEqual([])
  })
})
