// Issue 17 as an analyst meets it, in Chromium against the real core and real files: drop the
// rsshub corpus and three portals' copies of one of its posts (another outlet, its own head and
// tail lines, a paragraph left out) → the copy group folds into one row with its badge → the
// reader's Copies section names the first report and marks what a copy changed → the story's
// timeline, followed from the keyboard → the Entities facets filter the list, from the
// keyboard and from a chip in the reader. Screenshots of the folded list, a story's timeline
// and the entity facets, checked (./screen.ts), in 简体中文 and English.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import type { StoryDetail } from '../../src/shared/story-types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RSSHUB } from '../helpers/corpus'
import { corpusParagraphs, writeSyndicated } from '../helpers/syndicate'
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

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 })

/** A long real post of 新浪财经 and three portals' copies of it. */
const POST = '金融/新浪财经/新浪财经－国內/1049元_斤！天价荔枝什么来头？.md'
const OUTLETS = ['南方快讯', '岭南日报网', '荔城在线'] as const
const DROPPED = [8, 12, 16]

let browser: Browser
let server: StaticServer
let copies: string

beforeAll(async () => {
  ensureRendererBuilt()
  server = await serveRenderer()
  browser = await launchChromium()
  copies = mkdtempSync(join(tmpdir(), 'gleaner-e2e-copies-'))
  OUTLETS.forEach((source, k) =>
    writeSyndicated(copies, POST, {
      source,
      date: `2022-07-18 2${k}:00:00`,
      head: [`${source}讯 本网转载`],
      tail: [`（本文来源：${source}）`],
      drop: DROPPED[k]!,
      name: `copy-${k + 1}.md`
    })
  )
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  if (copies) rmSync(copies, { recursive: true, force: true })
})

describe('copies, stories and entities in the window', () => {
  let s: AppSession

  afterAll(async () => {
    if (s) await closeAppSession(s)
  })

  it(
    'folds a copy group, shows its copies and what one changed, opens its story’s timeline and follows it, and filters by an entity',
    async () => {
      s = await openAppSession(browser, server, { locale: 'zh-CN' })
      const page = s.page
      const api = () => s.library.service
      const list = page.locator('.listbox')
      const rows = list.locator('[role="option"][data-article-id]')
      const count = async (): Promise<number> =>
        Number(/\d+/u.exec(await page.locator('.count[aria-live]').innerText())?.[0] ?? NaN)
      const left = page.locator('.left')
      const reader = page.locator('.reader-pane')
      /** The post's category (its copies kept it): the group's row among a few others. */
      const chooseCategory = async (): Promise<void> => {
        const item = (name: string) =>
          page
            .locator('[role="treeitem"]')
            .filter({ has: page.locator('.name', { hasText: new RegExp(`^${name}$`, 'u') }) })
        for (const branch of ['金融', '新浪财经']) {
          if ((await item(branch).getAttribute('aria-expanded')) !== 'true')
            await item(branch).locator('.twisty').click()
        }
        await item('新浪财经－国內').click()
      }
      let firstId = 0
      let storyId = 0
      let storyName = ''

      await step('imports the corpus and the copies, dropped on the window', async () => {
        await dropPaths(page, [RSSHUB, copies])
        await page.locator('[data-count="imported"]').waitFor({ timeout: 60_000 })
        await s.library.service.idle()
        // The Stories section fills in when clustering, after the run, announces itself.
        await left.getByRole('region', { name: '事件' }).waitFor({ timeout: 30_000 })
        await left.getByRole('region', { name: '实体' }).waitFor()
        await page
          .getByRole('complementary', { name: '导入报告' })
          .getByRole('button', { name: '关闭' })
          .click()
      })

      await step('folds the copy group into one row with its badge', async () => {
        const toggle = page.getByRole('button', { name: '合并转载' })
        expect(await toggle.getAttribute('aria-pressed')).toBe('true')
        const folded = await api().listArticles({ collapseCopies: true, limit: 1 })
        const all = await api().listArticles({ limit: 1 })
        expect(all.total - folded.total).toBe(3)
        await poll(count).toBe(folded.total)
        await chooseCategory()
        const group = rows.filter({ has: page.locator('.copies') })
        await poll(() => group.count()).toBe(1)
        expect(await group.locator('.copies').innerText()).toBe('另有 3 篇转载 · 4 家媒体')
        firstId = Number(await group.getAttribute('data-article-id'))
        expect((await api().getCopies(firstId))!.members[0]).toMatchObject({
          id: firstId,
          first: true
        })
        await checkedScreenshot(page, 'copies-folded-zh-CN.png', {
          lang: 'zh',
          scheme: 'light',
          texts: ['另有 3 篇转载 · 4 家媒体', '合并转载', '天价荔枝']
        })
        // Unfolded, the copies stand as rows of their own; folded again, the one row.
        const categoryPath = ['金融', '新浪财经', '新浪财经－国內']
        const inCategory = await api().listArticles({ categoryPath, limit: 1 })
        const foldedInCategory = await api().listArticles({
          categoryPath,
          collapseCopies: true,
          limit: 1
        })
        expect(inCategory.total - foldedInCategory.total).toBe(3)
        await poll(count).toBe(foldedInCategory.total)
        await toggle.click()
        await poll(count).toBe(inCategory.total)
        await poll(() => rows.filter({ hasText: '天价荔枝' }).count()).toBe(4)
        expect(await rows.filter({ has: page.locator('.copies') }).count()).toBe(0)
        await toggle.click()
        await poll(count).toBe(foldedInCategory.total)
      })

      await step(
        'lists the copies in the reader, the first report marked, and a copy’s diff',
        async () => {
          await rows.filter({ has: page.locator('.copies') }).click()
          await reader.locator('#reader-title').waitFor()
          const section = reader.getByRole('region', { name: '转载（3）' })
          await section.getByRole('button', { name: '显示 3 篇转载' }).click()
          const members = section.getByRole('list', { name: '首发报道及其转载，按时间先后' })
          await poll(() => members.getByRole('listitem').count()).toBe(4)
          await expect
            .poll(() => members.getByRole('listitem').first().locator('.badge').innerText())
            .toBe('首发')
          const copy = members.getByRole('listitem').filter({ hasText: OUTLETS[0] })
          await copy.getByRole('button', { name: '与首发对比' }).click()
          const diff = section.locator('.diff')
          const droppedText = corpusParagraphs(POST).paragraphs[DROPPED[0]!]!
          await poll(() => diff.locator('del').allInnerTexts()).toContainEqual(
            expect.stringContaining(droppedText.slice(0, 20))
          )
          expect(await diff.locator('del').first().innerText()).toMatch(/^−\s*删去/u)
          await diff.scrollIntoViewIfNeeded()
          await checkedScreenshot(page, 'copies-diff-zh-CN.png', {
            lang: 'zh',
            scheme: 'light',
            texts: ['删去', '新增', '段未改', '与首发对比']
          })
          // Choosing a copy opens it.
          await copy.getByRole('button', { name: /天价荔枝/u }).click()
          await poll(() => reader.locator('.meta .source').innerText()).toBe(OUTLETS[0])
        }
      )

      await step(
        'opens the story from the reader and shows its timeline with its header',
        async () => {
          const insight = await api().articleInsight(firstId)
          expect(insight.story).not.toBeNull()
          storyId = insight.story!.id
          storyName = insight.story!.name
          await reader.getByRole('button', { name: `事件：${storyName}` }).click()
          const header = page.locator('.story-header')
          await poll(() => header.getAttribute('data-story-id')).toBe(String(storyId))
          const story = (await api().getStory(storyId))!
          await poll(() => header.innerText()).toContain(
            `${story.articleCount} 篇文章 · ${story.outletCount} 家媒体`
          )
          await page.getByRole('listbox', { name: `${storyName} 的时间线` }).waitFor()
          // Oldest first: the first report heads the timeline.
          await poll(async () => Number(await rows.first().getAttribute('data-article-id'))).toBe(
            story.firstArticleId
          )
          // Its copies ride on the first report's row.
          expect(await rows.first().locator('.copies').innerText()).toBe('另有 3 篇转载 · 4 家媒体')
        }
      )

      await step(
        'shows a story of several reports as a timeline, and follows it from the keyboard',
        async () => {
          // A story told by several reports (not only copies): chosen in the Stories section.
          // The one naming most entities, for the header to show them.
          let found: StoryDetail | null = null
          for (const summary of (await api().listStories({ limit: 100 })).items) {
            const detail = await api().getStory(summary.id)
            if (
              detail &&
              detail.timeline.length >= 2 &&
              detail.entities.length > (found?.entities.length ?? -1)
            )
              found = detail
          }
          expect(found, 'a story of two or more reports in the corpus').not.toBeNull()
          const story = found!
          storyId = story.id
          storyName = story.name
          await left
            .getByRole('region', { name: '事件' })
            .locator(`button[data-key="${story.id}"]`)
            .click()
          const header = page.locator('.story-header')
          await poll(() => header.getAttribute('data-story-id')).toBe(String(story.id))
          const timeline = page.getByRole('listbox', { name: `${storyName} 的时间线` })
          await timeline.waitFor()
          const folded = await api().listArticles({
            storyId: story.id,
            sort: 'date-asc',
            collapseCopies: true,
            limit: 100
          })
          await poll(async () =>
            (
              await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-article-id')))
            ).map(Number)
          ).toEqual(folded.items.map((r) => r.id))
          // Followed from the keyboard (f): marked in the header and in the Stories section.
          await timeline.focus()
          await page.keyboard.press('f')
          await poll(async () => (await api().getStory(storyId))!.followed).toBe(true)
          await poll(() =>
            header.getByRole('button', { name: /取消关注/u }).getAttribute('aria-pressed')
          ).toBe('true')
          await checkedScreenshot(page, 'story-timeline-zh-CN.png', {
            lang: 'zh',
            scheme: 'light',
            texts: [storyName.slice(0, 8), '首发：', '取消关注', '合并到…']
          })
          await left
            .getByRole('region', { name: '视图' })
            .getByRole('button', { name: '关注的事件' })
            .click()
          const following = await api().listArticles({
            view: 'following',
            collapseCopies: true,
            limit: 1
          })
          await poll(count).toBe(following.total)
        }
      )

      await step('filters by an entity from the left pane, with the keyboard', async () => {
        const places = await api().termFacets('place', 60)
        const people = await api().termFacets('person', 60)
        const orgs = await api().termFacets('org', 60)
        const facet = places[0] ?? orgs[0] ?? people[0]
        expect(facet, 'an entity in the corpus').toBeDefined()
        const entities = left.getByRole('region', { name: '实体' })
        const button = entities.getByRole('button', {
          name: new RegExp(`^${facet!.term}\\s*${facet!.count}$`, 'u')
        })
        await button.scrollIntoViewIfNeeded()
        await button.focus()
        await page.keyboard.press('Enter')
        const expected = await api().listArticles({
          entity: facet!.term,
          collapseCopies: true,
          limit: 1
        })
        await poll(count).toBe(expected.total)
        expect(await button.getAttribute('aria-current')).toBe('true')
        await checkedScreenshot(page, 'entity-facets-zh-CN.png', {
          lang: 'zh',
          scheme: 'light',
          texts: ['实体', facet!.term]
        })
      })

      await step('filters by an entity chip in the reader, with the mouse', async () => {
        await rows.first().click()
        await reader.locator('#reader-title').waitFor()
        const id = Number(await rows.first().getAttribute('data-article-id'))
        const insight = await api().articleInsight(id)
        const entity = insight.entities.find((e) => e.kind !== 'keyword')
        expect(entity, 'the article names an entity').toBeDefined()
        await reader
          .getByRole('list', { name: '实体' })
          .getByRole('button', { name: new RegExp(entity!.term, 'u') })
          .first()
          .click()
        const expected = await api().listArticles({
          entity: entity!.term,
          collapseCopies: true,
          limit: 1
        })
        await poll(count).toBe(expected.total)
      })

      await step('shows the same screens in English', async () => {
        await page.getByRole('combobox', { name: '语言' }).selectOption('en')
        await chooseCategory()
        await poll(() =>
          rows
            .filter({ has: page.locator('.copies') })
            .locator('.copies')
            .innerText()
        ).toBe('+3 copies · 4 outlets')
        await checkedScreenshot(page, 'copies-folded-en.png', {
          lang: 'en',
          scheme: 'light',
          texts: ['+3 copies · 4 outlets', 'Collapse copies']
        })
        await left
          .getByRole('region', { name: 'Stories' })
          .locator(`button[data-key="${storyId}"]`)
          .click()
        const header = page.locator('.story-header')
        await poll(() => header.getAttribute('data-story-id')).toBe(String(storyId))
        await poll(() => header.innerText()).toContain('First report:')
        await checkedScreenshot(page, 'story-timeline-en.png', {
          lang: 'en',
          scheme: 'light',
          texts: [storyName, 'First report:', 'Unfollow', 'Merge into…']
        })
        const places = left
          .getByRole('region', { name: 'Entities' })
          .getByRole('region', { name: 'Places' })
        await places.scrollIntoViewIfNeeded()
        const place = (await api().termFacets('place', 1))[0]!
        await checkedScreenshot(page, 'entity-facets-en.png', {
          lang: 'en',
          scheme: 'light',
          texts: ['Places', place.term, 'Organisations']
        })
        expect(s.errors).toEqual([])
      })
    },
    JOURNEY_MS
  )
})
