// An analyst's morning, in Chromium against the real core and real files: import a folder →
// search a Chinese query → pick three hits → gather them into a new collection → reorder →
// a note on an item → highlight and note in two articles → undo and redo → export HTML, DOCX
// and Markdown → open what was written and check order, notes and highlights.
// Each journey is one test on its own library and window: its steps hand their results to the
// next in the test itself, never through state another test left, and a failing step is named.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { RSSHUB } from '../helpers/corpus'
import {
  closeAppSession,
  dropPaths,
  ensureRendererBuilt,
  launchChromium,
  openAppSession,
  serveRenderer,
  step,
  JOURNEY_MS,
  type AppSession,
  type StaticServer
} from './harness'
import { checkedScreenshot } from './screen'
import { dragOver, focusedElement, phraseInBody } from './reading'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 })

let browser: Browser
let server: StaticServer

beforeAll(async () => {
  ensureRendererBuilt()
  server = await serveRenderer()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const QUERY = '中国'

describe('the curation loop, with the mouse', () => {
  let s: AppSession

  beforeEach(async () => {
    s = await openAppSession(browser, server, { locale: 'zh-CN' })
  })
  afterEach(async () => {
    if (s) await closeAppSession(s)
  })

  const api = () => s.library.service
  const list = () => s.page.locator('.listbox')
  const rows = () => list().locator('[role="option"][data-article-id]')
  const ids = () =>
    rows().evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-article-id'))))
  const count = async (): Promise<number> =>
    Number(/\d+/u.exec(await s.page.locator('.count[aria-live]').innerText())?.[0] ?? NaN)

  it(
    'imports a dropped folder, gathers three hits into a collection, reorders it, notes, highlights, undoes and redoes, and exports it in three formats',
    async () => {
      /** The three hits gathered, in the order they were picked. */
      let picked: number[] = []
      /** The collection's order after the reorder. */
      let order: number[] = []
      let collectionId = 0
      /** Highlighted phrases and their notes, by article. */
      const highlights = new Map<number, { phrase: string; note: string }>()
      const itemNote = '今天简报的第一手材料'

      await step('imports a dropped folder of posts', async () => {
        await dropPaths(s.page, [RSSHUB])
        await s.page.locator('[data-count="imported"]').waitFor({ timeout: 60_000 })
        const imported = Number(await s.page.locator('[data-count="imported"]').innerText())
        expect(imported).toBe((await api().libraryInfo()).articleCount)
        expect(imported).toBeGreaterThan(100)
      })

      await step('searches a Chinese query and shows every hit with the true count', async () => {
        await s.page.getByRole('searchbox').fill(QUERY)
        const expected = await api().search(QUERY, { limit: 3, sort: 'relevance' })
        expect(expected.total).toBeGreaterThan(3)
        await s.page.getByRole('listbox', { name: '搜索结果' }).waitFor()
        await poll(count).toBe(expected.total)
        await poll(async () => (await ids()).slice(0, 3)).toEqual(expected.items.map((h) => h.id))
        // Hits show where the query matched.
        expect(await rows().first().locator('mark').count()).toBeGreaterThan(0)
      })

      await step(
        'picks three hits and gathers them into a new collection from the bulk bar',
        async () => {
          await rows().nth(0).click()
          await rows()
            .nth(1)
            .click({ modifiers: ['Control'] })
          await rows()
            .nth(2)
            .click({ modifiers: ['Control'] })
          picked = (await ids()).slice(0, 3)
          const bar = s.page.getByRole('toolbar', { name: '已选 3 篇' })
          await bar.getByRole('button', { name: '加入专题…' }).click()
          await s.page
            .getByRole('menu', { name: '加入专题…' })
            .getByRole('menuitem', { name: '新建专题…' })
            .click()
          await bar.getByRole('textbox', { name: '新专题的名称' }).fill('晨报')
          await bar.getByRole('button', { name: '创建并加入' }).click()
          await poll(async () => (await api().listCollections()).map((c) => c.name)).toContain(
            '晨报'
          )
          const collection = (await api().listCollections()).find((c) => c.name === '晨报')!
          collectionId = collection.id
          await poll(async () =>
            (await api().collectionItems(collectionId)).map((i) => i.articleId)
          ).toEqual(picked)
        }
      )

      await step('shows the collection in its own order and reorders it by dragging', async () => {
        await s.page.getByRole('searchbox').fill('')
        await s.page.locator('.collections button[data-id]', { hasText: '晨报' }).click()
        await poll(ids).toEqual(picked)
        // The third article dragged above the first.
        await rows().nth(2).dragTo(rows().nth(0))
        order = [picked[2]!, picked[0]!, picked[1]!]
        await poll(async () =>
          (await api().collectionItems(collectionId)).map((i) => i.articleId)
        ).toEqual(order)
        await poll(ids).toEqual(order)
      })

      await step('writes a note on the first item', async () => {
        await rows().nth(0).locator('.note-button').click()
        const editor = s.page.getByRole('form', { name: /在本专题中的备注/u })
        await editor.getByRole('textbox').fill(itemNote)
        await editor.getByRole('button', { name: '保存' }).click()
        await poll(async () => (await api().collectionItems(collectionId))[0]?.note).toBe(itemNote)
        await poll(() => rows().nth(0).locator('.item-note').innerText()).toContain(itemNote)
      })

      await step('highlights a passage with a note in two articles', async () => {
        for (const [n, articleId] of order.slice(0, 2).entries()) {
          await rows().nth(n).click()
          const detail = (await api().getArticle(articleId))!
          await poll(() => s.page.locator('#reader-title').innerText()).toBe(detail.title)
          await s.page.locator('.article-body').waitFor()
          const phrase = await phraseInBody(s.page, detail.cleanText)
          await dragOver(s.page, phrase)
          await s.page.getByRole('toolbar', { name: '高亮' }).waitFor()
          await s.page.keyboard.press('1')
          await poll(async () => (await api().listAnnotations(articleId)).length).toBe(1)
          const [created] = await api().listAnnotations(articleId)
          expect(created!.exact).toBe(phrase)
          await s.page.locator(`.article-body mark[data-ids~="${created!.id}"]`).first().click()
          const note = `第 ${n + 1} 篇的要点`
          const dialog = s.page.getByRole('dialog', { name: '编辑高亮' })
          await dialog.getByRole('textbox', { name: '批注' }).fill(note)
          await dialog.getByRole('button', { name: '保存' }).click()
          await poll(async () => (await api().listAnnotations(articleId))[0]?.note).toBe(note)
          highlights.set(articleId, { phrase, note })
        }
        await checkedScreenshot(s.page, 'journey-collection-zh.png', {
          lang: 'zh',
          scheme: 'light',
          texts: ['晨报', itemNote]
        })
      })

      await step('undoes the last note with Ctrl+Z and redoes it with Ctrl+Shift+Z', async () => {
        const second = order[1]!
        const { note } = highlights.get(second)!
        await list().focus()
        await s.page.keyboard.press('Control+z')
        await poll(async () => (await api().listAnnotations(second))[0]?.note).toBe('')
        await poll(() => s.page.locator('.toast').innerText()).toContain('撤销')
        await s.page.keyboard.press('Control+Shift+z')
        await poll(async () => (await api().listAnnotations(second))[0]?.note).toBe(note)
      })

      await step(
        'exports the collection as HTML, DOCX and Markdown, each in order with notes and highlights',
        async () => {
          const titles = await Promise.all(
            order.map(async (id) => (await api().getArticle(id))!.title)
          )
          const out = join(s.library.dir, 'out')
          await s.page.locator('.collections button[data-id]', { hasText: '晨报' }).click()
          await s.page.getByRole('button', { name: '导出…', exact: true }).click()
          const format = s.page.getByRole('combobox', { name: '格式' })
          // As in the app: the file is picked in the save dialog (answered here as the user would).
          const run = async (value: string, target: string): Promise<void> => {
            await format.selectOption(value)
            s.bridge.saveAnswer = target
            await s.page.getByRole('button', { name: '选择…' }).click()
            await poll(() =>
              s.page.getByRole('textbox', { name: '保存到（绝对路径）' }).inputValue()
            ).toBe(target)
            await s.page.getByRole('button', { name: '导出', exact: true }).click()
            await poll(() =>
              s.page.getByRole('form', { name: '导出“晨报”' }).getByRole('status').innerText()
            ).toContain(target)
          }

          await run('html', join(out, '晨报.html'))
          const page = await browser.newPage()
          await page.goto(pathToFileURL(join(out, '晨报.html')).href)
          // Headings are numbered in the briefing: "1. title".
          const headings = await page.locator('main article h2').allInnerTexts()
          expect(headings.map((h) => h.replace(/^\d+\.\s*/u, ''))).toEqual(titles)
          expect(
            await page.locator('main article').first().locator('.item-note').innerText()
          ).toContain(itemNote)
          for (const [n, id] of order.slice(0, 2).entries()) {
            const { phrase, note } = highlights.get(id)!
            const article = page.locator('main article').nth(n)
            expect((await article.locator('mark').allInnerTexts()).join('')).toContain(phrase)
            expect(await article.innerText()).toContain(note)
          }
          await page.close()

          await run('docx', join(out, '晨报.docx'))
          const xml = execFileSync('unzip', ['-p', join(out, '晨报.docx'), 'word/document.xml'], {
            encoding: 'utf8'
          })
          const text = xml.replace(/<[^>]+>/gu, '')
          const at = titles.map((t) => text.indexOf(t))
          expect(at.every((i) => i >= 0)).toBe(true)
          expect([...at].sort((a, b) => a - b)).toEqual(at)
          expect(text).toContain(itemNote)
          // Notes are Word comments on the highlighted words.
          const comments = execFileSync(
            'unzip',
            ['-p', join(out, '晨报.docx'), 'word/comments.xml'],
            {
              encoding: 'utf8'
            }
          ).replace(/<[^>]+>/gu, '')
          for (const id of order.slice(0, 2)) {
            const { phrase, note } = highlights.get(id)!
            expect(text).toContain(phrase)
            expect(comments).toContain(note)
          }

          await run('markdown', join(out, 'md'))
          const files = readdirSync(join(out, 'md'))
          const index = files.find((f) => f.includes('索引'))!
          const indexText = readFileSync(join(out, 'md', index), 'utf8')
          const positions = titles.map((t) => indexText.indexOf(t.slice(0, 12)))
          expect(positions.every((i) => i >= 0)).toBe(true)
          expect([...positions].sort((a, b) => a - b)).toEqual(positions)
          const all = files.map((f) => readFileSync(join(out, 'md', f), 'utf8')).join('\n')
          expect(all).toContain(itemNote)
          for (const id of order.slice(0, 2)) {
            const { phrase, note } = highlights.get(id)!
            expect(all).toContain(phrase)
            expect(all).toContain(note)
          }
          expect(s.errors).toEqual([])
        }
      )
    },
    JOURNEY_MS
  )
})

describe('the curation loop, from the keyboard alone', () => {
  let s: AppSession

  beforeEach(async () => {
    s = await openAppSession(browser, server, { locale: 'zh-CN', colorScheme: 'dark' })
  })
  afterEach(async () => {
    if (s) await closeAppSession(s)
  })

  const api = () => s.library.service
  const press = async (...keys: string[]): Promise<void> => {
    for (const key of keys) await s.page.keyboard.press(key)
  }
  /** Tab (or Shift+Tab) until the focused element's description includes `wanted`. */
  async function tabTo(wanted: string, key = 'Tab'): Promise<void> {
    for (let i = 0; i < 60; i++) {
      if ((await focusedElement(s.page)).includes(wanted)) return
      await s.page.keyboard.press(key)
    }
    throw new Error(`no focus on ${wanted}; last on ${await focusedElement(s.page)}`)
  }
  const order$ = () =>
    s.page
      .locator('.listbox [role="option"][data-article-id]')
      .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-article-id'))))

  it(
    'imports from File › Import…, gathers, reorders, notes, highlights, undoes and redoes, and exports, all from the keyboard',
    async () => {
      let picked: number[] = []
      let order: number[] = []
      let collectionId = 0
      const highlights = new Map<number, { phrase: string; note: string }>()
      const itemNote = '键盘写下的理由'

      await step(
        'imports a folder picked in File › Import… (the shell sends its paths)',
        async () => {
          // Mod+O opens the native dialog in the app; main grants what was picked and sends the paths.
          await s.bridge.grants.grantRead(RSSHUB)
          await s.page.evaluate(
            (path) =>
              (
                window as unknown as { __gleanerEmit: (n: string, p: unknown) => void }
              ).__gleanerEmit('menuCommand', { command: 'import', paths: [path] }),
            RSSHUB
          )
          await s.page.locator('[data-count="imported"]').waitFor({ timeout: 60_000 })
          expect(Number(await s.page.locator('[data-count="imported"]').innerText())).toBe(
            (await api().libraryInfo()).articleCount
          )
        }
      )

      await step(
        'searches, picks three hits with x and j, and gathers them into a new collection with c',
        async () => {
          await press('/')
          await s.page.keyboard.type(QUERY)
          await s.page.getByRole('listbox', { name: '搜索结果' }).waitFor()
          picked = (await api().search(QUERY, { limit: 3, sort: 'relevance' })).items.map(
            (h) => h.id
          )
          await press('ArrowDown', 'x', 'j', 'x', 'j', 'x')
          await s.page.getByRole('toolbar', { name: '已选 3 篇' }).waitFor()
          await press('c')
          // The collection menu opens with its first entry focused (here the only one: a new one).
          await poll(() =>
            s.page.evaluate(
              () =>
                `${document.activeElement?.getAttribute('role')} ${document.activeElement?.textContent?.trim()}`
            )
          ).toBe('menuitem 新建专题…')
          await press('Enter')
          await s.page.keyboard.type('键盘晨报')
          await press('Enter')
          await poll(async () => (await api().listCollections()).map((c) => c.name)).toContain(
            '键盘晨报'
          )
          collectionId = (await api().listCollections()).find((c) => c.name === '键盘晨报')!.id
          await poll(async () =>
            (await api().collectionItems(collectionId)).map((i) => i.articleId)
          ).toEqual(picked)
        }
      )

      await step(
        'opens the collection from the left pane, reorders with Alt+↓ and writes an item note with n',
        async () => {
          await press('Escape') // the picks
          await press('/')
          await s.page.keyboard.press('Control+a')
          await press('Backspace', 'Escape')
          await tabTo('键盘晨报')
          await press('Enter')
          await poll(order$).toEqual(picked)
          const cursor = () =>
            s.page
              .locator('.listbox [role="option"][aria-selected="true"]')
              .getAttribute('data-article-id')
          // Each key once its effect shows, as a user sees the cursor before pressing the next.
          await press('j')
          await poll(cursor).toBe(String(picked[0]))
          await press('Alt+ArrowDown')
          order = [picked[1]!, picked[0]!, picked[2]!]
          await poll(async () =>
            (await api().collectionItems(collectionId)).map((i) => i.articleId)
          ).toEqual(order)
          // The list shows the new order, the cursor moved with the article.
          await poll(order$).toEqual(order)
          await poll(cursor).toBe(String(picked[0]))
          await press('k')
          await poll(cursor).toBe(String(order[0]))
          await press('n')
          await poll(() => focusedElement(s.page)).toContain('TEXTAREA')
          await s.page.keyboard.type(itemNote)
          await press('Control+Enter')
          await poll(async () => (await api().collectionItems(collectionId))[0]?.note).toBe(
            itemNote
          )
        }
      )

      await step(
        'highlights a passage in two articles with H and a colour key, and notes them from the editor',
        async () => {
          for (const [n, articleId] of order.slice(0, 2).entries()) {
            // The collection, chosen again from the left pane, starts with no cursor: j moves to row 1.
            await tabTo('键盘晨报')
            await press('Enter')
            await poll(order$).toEqual(order)
            for (let i = 0; i <= n; i++) await press('j')
            await press('Enter')
            const detail = (await api().getArticle(articleId))!
            await poll(() => s.page.locator('#reader-title').innerText()).toBe(detail.title)
            await s.page.locator('.article-body').waitFor()
            const phrase = await phraseInBody(s.page, detail.cleanText)
            await press('h')
            await poll(() => focusedElement(s.page)).toContain('查找要高亮的文字')
            await s.page.keyboard.type(phrase)
            await press('Enter')
            await s.page.getByRole('toolbar', { name: '高亮' }).waitFor()
            await press('1')
            await poll(async () => (await api().listAnnotations(articleId)).length).toBe(1)
            const [created] = await api().listAnnotations(articleId)
            expect(created!.exact).toBe(phrase)
            // To the highlight through All notes (Shift+N; the newest is first), then Enter opens its
            // editor.
            await press('Shift+N')
            await poll(() =>
              s.page.getByRole('listbox', { name: '高亮与批注' }).getByRole('option').count()
            ).toBe(n + 1)
            await press('Home', 'Enter')
            await poll(() => focusedElement(s.page)).toBe(`MARK ${created!.id}`)
            await press('Enter')
            await poll(() => focusedElement(s.page)).toContain('批注')
            const note = `键盘第 ${n + 1} 篇`
            await s.page.keyboard.type(note)
            await tabTo('保存')
            await press('Enter')
            await poll(async () => (await api().listAnnotations(articleId))[0]?.note).toBe(note)
            highlights.set(articleId, { phrase, note })
          }
        }
      )

      await step(
        'undoes and redoes from the keyboard, then exports with Mod+E and the save dialog',
        async () => {
          const second = order[1]!
          await press('Control+z')
          await poll(async () => (await api().listAnnotations(second))[0]?.note).toBe('')
          await press('Control+Shift+z')
          await poll(async () => (await api().listAnnotations(second))[0]?.note).toBe(
            highlights.get(second)!.note
          )
          const out = join(s.library.dir, '键盘晨报.docx')
          // Back to the collection (Mod+E over the notes view would export the notes).
          await tabTo('键盘晨报')
          await press('Enter')
          await poll(order$).toEqual(order)
          await press('Control+e')
          const form = s.page.getByRole('form', { name: '导出“键盘晨报”' })
          await form.waitFor()
          await poll(() => focusedElement(s.page)).toContain('SELECT')
          for (let i = 0; i < 6 && (await form.getByRole('combobox').inputValue()) !== 'docx'; i++)
            await press('ArrowDown')
          s.bridge.saveAnswer = out
          await tabTo('选择…')
          await press('Enter')
          await poll(() => form.getByRole('textbox').inputValue()).toBe(out)
          await tabTo('导出')
          await press('Enter')
          await poll(() => form.getByRole('status').innerText()).toContain(out)
          const xml = execFileSync('unzip', ['-p', out, 'word/document.xml'], { encoding: 'utf8' })
          const text = xml.replace(/<[^>]+>/gu, '')
          const titles = await Promise.all(
            order.map(async (id) => (await api().getArticle(id))!.title)
          )
          const at = titles.map((t) => text.indexOf(t))
          expect(at.every((i) => i >= 0)).toBe(true)
          expect([...at].sort((a, b) => a - b)).toEqual(at)
          expect(text).toContain(itemNote)
          for (const { phrase } of highlights.values()) expect(text).toContain(phrase)
          expect(s.errors).toEqual([])
        }
      )
    },
    JOURNEY_MS
  )
})
