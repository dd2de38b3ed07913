// A source's learned boilerplate in the reader, in Chromium against the real core (zh-CN): three
// real posts re-filed under one feed source, each ending with that source's footer, are imported;
// the footer is gone from every article, "Show removed" says it repeats in the source's
// articles, "Keep this text" (keyboard) brings it back in each of them, and Undo takes it out again.
import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import { step, JOURNEY_MS, windowForFile } from './harness'
import { checkedScreenshot } from './screen'
import { SOURCE_FOOTER, SOURCE_NAME, writeSourcePost } from '../helpers/source-posts'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 })

const s = windowForFile(async (library) => {
  const files = join(library.dir, 'files')
  mkdirSync(files)
  for (const i of [0, 1, 2]) writeSourcePost(files, i)
  expect((await library.service.importPaths([files])).counts.imported).toBe(3)
  return { locale: 'zh-CN' }
})

describe('learned source boilerplate in the reader', () => {
  it(
    'is reported as repeating in the source, and can be kept for the source and taken out again',
    async () => {
      const { page, library } = s()
      const reader = page.getByRole('article')
      const body = reader.locator('.article-body')
      const removed = reader.getByRole('region', { name: '清理时删除的内容' })
      const footer = removed.getByRole('listitem').filter({ hasText: SOURCE_FOOTER[1]! })

      await step('the footer is gone from the article and listed as learned', async () => {
        await page
          .getByRole('listbox', { name: '文章' })
          .getByRole('option')
          .filter({ hasText: `${SOURCE_NAME}第1篇` })
          .click()
        await poll(() => reader.locator('#reader-title').innerText()).toContain('快报第1篇')
        expect(await body.innerText()).not.toContain('读懂一天的财经')
        await reader
          .getByRole('group', { name: '阅读视图' })
          .getByRole('button', { name: '显示删除内容' })
          .click()
        await footer.waitFor()
        expect(await footer.innerText()).toContain(`在${SOURCE_NAME}的 3 篇文章中重复出现`)
        expect(await footer.locator('.rule').innerText()).toBe(`从${SOURCE_NAME}学到`)
        await footer.scrollIntoViewIfNeeded()
        await checkedScreenshot(page, 'learned-boilerplate-zh.png', {
          lang: 'zh',
          scheme: 'light',
          texts: ['保留这段文字', '清理时删除的内容']
        })
      })

      await step(
        'Keep this text, from the keyboard, brings the line back in every article of the source',
        async () => {
          const keep = footer.getByRole('button', { name: '保留这段文字' })
          await keep.focus()
          await page.keyboard.press('Enter')
          await poll(() => body.innerText()).toContain('读懂一天的财经')
          await poll(() => footer.count()).toBe(0)
          const ids = (await library.service.listArticles({ limit: 10 })).items.map((a) => a.id)
          for (const id of ids)
            expect((await library.service.getArticle(id))!.cleanText).toContain('读懂一天的财经')
          // The other footer line is still taken out.
          expect(await body.innerText()).not.toContain('早八点更新')
        }
      )

      await step('Undo takes it out again', async () => {
        await page.getByRole('status').getByRole('button', { name: '撤销' }).click()
        await poll(() => body.innerText()).not.toContain('读懂一天的财经')
        await footer.waitFor()
        expect(s().errors).toEqual([])
      })
    },
    JOURNEY_MS
  )
})
