// Exporting from the window in Chromium, against the real core writing real files: the panel
// proposes the collection's name and the day in the folder last exported into, and an existing
// file is replaced only after the user answers the question (asked in the UI language), all of
// it done from the keyboard. The written briefing then opens in the browser, in that language.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { RSSHUB, SEED_DIR } from '../helpers/corpus'
import { step, JOURNEY_MS, windowForFile } from './harness'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 })

let briefs: string

const s = windowForFile(async (library) => {
  await library.service.importPaths([SEED_DIR, join(RSSHUB, '博客')])
  const ids = (await library.service.listArticles({ limit: 3 })).items.map((a) => a.id)
  const c = await library.service.createCollection('进博会周报', null)
  await library.service.addToCollection(c.id, ids)
  briefs = join(library.dir, 'Briefs')
  mkdirSync(briefs)
  // The web preview's way with paths: typed, inside the library's folder (no save dialog).
  return { locale: 'zh-CN', typedPaths: [library.dir] }
})

const focused = () =>
  s().page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    return el ? `${el.tagName.toLowerCase()}:${el.textContent?.trim() ?? ''}` : ''
  })

async function openPanel(): Promise<void> {
  await s().page.locator('.collections button[data-id]', { hasText: '进博会周报' }).click()
  await s().page.getByRole('button', { name: '导出…', exact: true }).click()
}

const pathField = () => s().page.getByRole('textbox', { name: '保存到（绝对路径）' })

describe('export from the window', () => {
  it(
    'asks before replacing, then proposes the next name in the last folder, in order on one window',
    async () => {
      await step(
        'asks before replacing an existing file, keyboard only, and keeps it on Escape',
        async () => {
          const path = join(briefs, 'weekly.html')
          writeFileSync(path, 'last week’s briefing')
          await openPanel()
          await pathField().focus()
          await s().page.keyboard.type(path)
          await s().page.keyboard.press('Enter')

          const question = s().page.getByRole('alertdialog')
          await poll(() => question.innerText()).toContain(`“${path}”已存在。要替换吗？`)
          // The safe answer has the focus; Escape keeps the file.
          await poll(focused).toBe('button:取消')
          await s().page.keyboard.press('Escape')
          await poll(() => question.count()).toBe(0)
          expect(readFileSync(path, 'utf8')).toBe('last week’s briefing')
          await poll(() => s().page.evaluate(() => document.activeElement?.tagName)).toBe('INPUT')

          // Asked again; Shift+Tab to Replace, Enter.
          await s().page.keyboard.press('Enter')
          await poll(focused).toBe('button:取消')
          await s().page.keyboard.press('Shift+Tab')
          await poll(focused).toBe('button:替换')
          await s().page.keyboard.press('Enter')
          await poll(() => s().page.getByRole('status').innerText()).toBe(
            `已导出 3 篇文章到 ${path}`
          )
          expect(await question.count()).toBe(0)
          const html = readFileSync(path, 'utf8')
          expect(html).toMatch(/^<!doctype html>/)

          // The briefing opens, its headings in the window's language.
          const page = await s().context.newPage()
          await page.goto(pathToFileURL(path).href)
          expect(await page.title()).toBe('进博会周报')
          expect(await page.locator('nav.toc h2').innerText()).toBe('目录')
          expect(await page.locator('main article').count()).toBe(3)
          await page.close()
        }
      )

      await step(
        'proposes the collection’s name and the day in the folder last exported into',
        async () => {
          await s().page.reload()
          await s().page.locator('.app:not([aria-busy])').waitFor()
          await openPanel()
          const today = await s().page.evaluate(() => {
            const d = new Date()
            const two = (n: number) => String(n).padStart(2, '0')
            return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`
          })
          const proposed = join(briefs, `进博会周报 ${today}.html`)
          await poll(() => pathField().inputValue()).toBe(proposed)
          await s().page.getByRole('combobox', { name: '格式' }).selectOption('docx')
          await poll(() => pathField().inputValue()).toBe(join(briefs, `进博会周报 ${today}.docx`))
          await s().page.getByRole('button', { name: '导出', exact: true }).click()
          await poll(() => s().page.getByRole('status').innerText()).toBe(
            `已导出 3 篇文章到 ${join(briefs, `进博会周报 ${today}.docx`)}`
          )
          expect(
            readFileSync(join(briefs, `进博会周报 ${today}.docx`))
              .subarray(0, 2)
              .toString()
          ).toBe('PK')
        }
      )
    },
    JOURNEY_MS
  )
})
