// The annotation loop in Chromium against the real core, with the mouse and then with the
// keyboard alone: highlight passages in two articles, give them notes and tags (and the article
// tags of its own), open All notes & highlights, filter by tag and colour, jump to a passage,
// and export the filtered notes to Markdown, then read the file. Screenshots of the notes view
// and of the reader with tags, in zh and en, light and dark, go to test-results/.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Annotation } from '../../src/shared/annotation-types'
import { RSSHUB, SEED_DIR } from '../helpers/corpus'
import {
  bridgePage,
  closeAppSession,
  ensureRendererBuilt,
  launchChromium,
  openAppSession,
  serveRenderer,
  tempLibrary,
  waitForApp,
  type AppSession,
  type StaticServer,
  type TempLibrary,
  step,
  JOURNEY_MS
} from './harness'
import { checkedScreenshot } from './screen'
import { dragOver, focusedElement, markedText } from './reading'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 })

const SEED_TITLE = '第四届进博会：提升城市软实力与服务保障进博会双促进'
const SEED_PHRASE = '国家会展中心（上海）'
const OTHER_TITLE = '"贷款发歌"，不止蔡徐坤一个'
const OTHER_PHRASE = '专辑卖了8000万'

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

/** The seed and four 虎嗅 articles; one of those already tagged 进博会 (a tag to complete). */
async function library(): Promise<{ library: TempLibrary; seed: number; other: number }> {
  const lib = tempLibrary()
  await lib.service.importPaths([SEED_DIR, join(RSSHUB, '新媒体/虎嗅')])
  const all = (await lib.service.listArticles({ limit: 100 })).items
  const seed = all.find((a) => a.title === SEED_TITLE)!.id
  const other = all.find((a) => a.title === OTHER_TITLE)!.id
  const third = all.find((a) => a.id !== seed && a.id !== other)!.id
  await lib.service.addTag([third], '进博会')
  return { library: lib, seed, other }
}

const annotationsOf = async (lib: TempLibrary, id: number): Promise<Annotation[]> =>
  lib.service.listAnnotations(id)

/** Saves a screenshot once the screen shows what it should (./screen.ts). */
const shoot = checkedScreenshot

describe('notes and highlights with the mouse (en, light)', () => {
  let s: AppSession
  let seed: number
  let other: number

  beforeAll(async () => {
    const made = await library()
    seed = made.seed
    other = made.other
    // Paths typed as in the web preview (inside the library's folder): the export writes there.
    s = await openAppSession(browser, server, {
      locale: 'en-US',
      library: made.library,
      typedPaths: [made.library.dir]
    })
  })
  afterAll(async () => closeAppSession(s))

  async function open(title: string): Promise<void> {
    await s.page
      .getByRole('listbox', { name: 'Articles' })
      .getByRole('option')
      .filter({ hasText: title })
      .click()
    await poll(() => s.page.locator('#reader-title').innerText()).toBe(title)
    await s.page.locator('.article-body').waitFor()
  }

  /** Highlights a phrase in a colour and gives it a note and a tag in its editor. */
  async function annotate(
    articleId: number,
    phrase: string,
    color: string,
    note: string,
    tag: string
  ): Promise<Annotation> {
    await dragOver(s.page, phrase)
    await s.page
      .getByRole('toolbar', { name: 'Highlight' })
      .getByRole('button', { name: new RegExp(`in ${color}`) })
      .click()
    await poll(async () => (await annotationsOf(s.library, articleId)).length).toBe(1)
    const [a] = await annotationsOf(s.library, articleId)
    await s.page.locator(`.article-body mark[data-ids~="${a!.id}"]`).first().click()
    const editor = s.page.getByRole('dialog', { name: 'Edit highlight' })
    await editor.getByRole('textbox', { name: 'Note' }).fill(note)
    const tags = editor.getByRole('combobox', { name: 'Tags of this highlight' })
    await tags.fill(tag)
    await tags.press('Enter')
    await editor.getByText('#' + tag).waitFor()
    await editor.getByRole('button', { name: 'Save' }).click()
    await poll(async () => (await annotationsOf(s.library, articleId))[0]?.tags).toEqual([tag])
    const saved = (await annotationsOf(s.library, articleId))[0]!
    expect(saved).toMatchObject({ exact: phrase, color, note, tags: [tag] })
    return saved
  }

  it(
    'tags, highlights two articles, lists, filters, jumps, exports and follows another window, with the mouse',
    async () => {
      await step(
        'shows the article’s editor and tags in the reader; tags are added with completion, removed, undone',
        async () => {
          await open(SEED_TITLE)
          const header = s.page.locator('.reader header')
          expect(await header.innerText()).toContain('Editor: 王翔')
          const field = s.page.getByRole('combobox', { name: 'Tags of this article' })
          await field.fill('进')
          await s.page.getByRole('option', { name: '#进博会' }).click()
          await poll(async () => (await s.library.service.getArticle(seed))!.tags).toEqual([
            '进博会'
          ])
          await poll(() => header.innerText()).toContain('#进博会')
          await s.page.getByRole('button', { name: 'Remove tag “进博会”' }).click()
          await poll(async () => (await s.library.service.getArticle(seed))!.tags).toEqual([])
          await poll(() => header.innerText()).not.toContain('#进博会')
          // The toast's Undo brings it back (a change like any other, announced to the window).
          await s.page.getByRole('status').getByRole('button', { name: 'Undo' }).click()
          await poll(async () => (await s.library.service.getArticle(seed))!.tags).toEqual([
            '进博会'
          ])
          await poll(() => header.innerText()).toContain('#进博会')
        }
      )

      await step('highlights a passage in two articles with notes and tags', async () => {
        await annotate(seed, SEED_PHRASE, 'green', '城市服务保障的场馆', '场馆')
        await shoot(s.page, 'reader-tags-en-light.png', {
          lang: 'en',
          scheme: 'light',
          texts: [SEED_TITLE, '#进博会', SEED_PHRASE]
        })
        await open(OTHER_TITLE)
        await annotate(other, OTHER_PHRASE, 'blue', 'Album sales figure', 'music')
      })

      await step(
        'lists both in All notes & highlights, newest first, with article titles',
        async () => {
          await s.page
            .getByRole('region', { name: 'Views' })
            .getByRole('button', { name: 'All notes & highlights' })
            .click()
          const list = s.page.getByRole('listbox', { name: 'Highlights and notes' })
          await poll(() => list.getByRole('option').count()).toBe(2)
          const rows = await list.getByRole('option').allInnerTexts()
          expect(rows[0]).toContain(OTHER_PHRASE)
          expect(rows[0]).toContain('Album sales figure')
          expect(rows[0]).toContain('#music')
          expect(rows[0]).toContain(OTHER_TITLE)
          expect(rows[1]).toContain(SEED_PHRASE)
          expect(rows[1]).toContain(SEED_TITLE)
        }
      )

      await step('filters by tag and by colour', async () => {
        const list = s.page.getByRole('listbox', { name: 'Highlights and notes' })
        const filters = s.page.getByRole('search', { name: 'Filter notes' })
        await filters.getByRole('combobox', { name: 'Tag' }).selectOption('场馆')
        await poll(() => list.getByRole('option').count()).toBe(1)
        await filters.getByRole('button', { name: 'Only blue' }).click()
        await poll(() =>
          s.page.getByRole('status').filter({ hasText: 'No highlights or notes match' }).count()
        ).toBe(1)
        await filters.getByRole('button', { name: 'Only blue' }).click()
        await filters.getByRole('button', { name: 'Only green' }).click()
        await poll(() => list.getByRole('option').count()).toBe(1)
        expect(await list.getByRole('option').innerText()).toContain(SEED_PHRASE)
        await shoot(s.page, 'notes-en-light.png', {
          lang: 'en',
          scheme: 'light',
          texts: [SEED_PHRASE, '城市服务保障的场馆', SEED_TITLE]
        })
      })

      await step(
        'jumps to the passage: the article opens with the highlight in view and focused',
        async () => {
          const [a] = await annotationsOf(s.library, seed)
          await s.page
            .getByRole('listbox', { name: 'Highlights and notes' })
            .getByRole('option')
            .click()
          await poll(() => s.page.locator('#reader-title').innerText()).toBe(SEED_TITLE)
          await poll(() => focusedElement(s.page)).toBe(`MARK ${a!.id}`)
          expect(await markedText(s.page, a!.id)).toBe(SEED_PHRASE)
          const inView = await s.page
            .locator(`.article-body mark[data-ids~="${a!.id}"]`)
            .first()
            .evaluate((m) => {
              const box = m.getBoundingClientRect()
              return box.top >= 0 && box.bottom <= window.innerHeight
            })
          expect(inView).toBe(true)
        }
      )

      await step('exports the filtered notes to Markdown', async () => {
        await s.page.getByRole('button', { name: 'Export…', exact: true }).click()
        const form = s.page.getByRole('form', { name: /^Export “Notes and highlights”/ })
        const out = join(s.library.dir, 'notes.md')
        await form.getByRole('textbox', { name: 'Save to (absolute path)' }).fill(out)
        await form.getByRole('button', { name: 'Export', exact: true }).click()
        await poll(() => form.getByRole('status').innerText()).toContain(
          'Exported 1 highlights and notes'
        )
        const md = readFileSync(out, 'utf8')
        expect(md).toContain('# Notes and highlights')
        expect(md).toContain(SEED_TITLE)
        expect(md).toContain(SEED_PHRASE)
        expect(md).toContain('城市服务保障的场馆')
        expect(md).toContain('#场馆')
        expect(md).not.toContain(OTHER_PHRASE)
        expect(md).not.toContain('Album sales figure')
      })

      await step(
        'shows a note made elsewhere (another window, the CLI) as soon as it is announced',
        async () => {
          await s.page
            .getByRole('region', { name: 'Views' })
            .getByRole('button', { name: 'All notes & highlights' })
            .click()
          await s.page.getByRole('button', { name: 'Clear filters' }).click()
          const list = s.page.getByRole('listbox', { name: 'Highlights and notes' })
          await poll(() => list.getByRole('option').count()).toBe(2)
          const third = (await s.library.service.listArticles({ limit: 1 })).items[0]!.id
          await s.library.service.createAnnotation({ articleId: third, note: 'From elsewhere' })
          await poll(() => list.getByRole('option').count()).toBe(3)
          expect(await list.getByRole('option').first().innerText()).toContain('From elsewhere')
          expect(s.errors).toEqual([])
        }
      )
    },
    JOURNEY_MS
  )
})

describe('notes and highlights from the keyboard alone (zh, dark)', () => {
  let s: AppSession
  let seed: number
  let other: number

  beforeAll(async () => {
    const made = await library()
    seed = made.seed
    other = made.other
    s = await openAppSession(browser, server, {
      locale: 'zh-CN',
      colorScheme: 'dark',
      library: made.library,
      typedPaths: [made.library.dir]
    })
  })
  afterAll(async () => closeAppSession(s))

  const press = async (...keys: string[]): Promise<void> => {
    for (const key of keys) await s.page.keyboard.press(key)
  }

  /** Tab (or Shift+Tab) until the focused element's description includes `wanted`. */
  async function tabTo(wanted: string, key = 'Tab'): Promise<void> {
    for (let i = 0; i < 40; i++) {
      if ((await focusedElement(s.page)).includes(wanted)) return
      await s.page.keyboard.press(key)
    }
    throw new Error(`no focus on ${wanted}; last on ${await focusedElement(s.page)}`)
  }

  /** Highlights a phrase of the open article: H, the words, Enter selects them, a colour key. */
  async function highlightByKeys(articleId: number, phrase: string, key: string): Promise<void> {
    await press('h')
    await poll(() => focusedElement(s.page)).toContain('查找要高亮的文字')
    await s.page.keyboard.type(phrase)
    await press('Enter')
    await s.page.getByRole('toolbar', { name: '高亮' }).waitFor()
    await press(key)
    await poll(async () => (await annotationsOf(s.library, articleId)).length).toBe(1)
    expect((await annotationsOf(s.library, articleId))[0]!.exact).toBe(phrase)
  }

  it(
    'highlights two articles, notes and tags them, filters, jumps and exports, from the keyboard alone',
    async () => {
      await step(
        'opens two articles with j/k and Enter and highlights a passage in each',
        async () => {
          const order = (await s.library.service.listArticles({ limit: 100 })).items.map(
            (a) => a.id
          )
          for (let i = 0; i <= order.indexOf(seed); i++) await press('j')
          await press('Enter')
          await poll(() => s.page.locator('#reader-title').innerText()).toBe(SEED_TITLE)
          await highlightByKeys(seed, SEED_PHRASE, '2')
          for (let i = order.indexOf(seed); i > order.indexOf(other); i--) await press('k')
          await press('Enter')
          await poll(() => s.page.locator('#reader-title').innerText()).toBe(OTHER_TITLE)
          await highlightByKeys(other, OTHER_PHRASE, '3')
          const [blue] = await annotationsOf(s.library, other)
          expect(blue!.color).toBe('blue')
        }
      )

      await step(
        'goes to each highlight from All notes (Shift+N, j, Enter) and gives it a note and a tag',
        async () => {
          const edit = async (row: number, note: string, tag: string): Promise<void> => {
            await press('Shift+N')
            await poll(() => focusedElement(s.page)).toContain('高亮与批注')
            // Rows on screen before keys move among them.
            await poll(() =>
              s.page.getByRole('listbox', { name: '高亮与批注' }).getByRole('option').count()
            ).toBe(2)
            await press('Home')
            for (let i = 0; i < row; i++) await press('j')
            await press('Enter')
            await poll(() => focusedElement(s.page)).toMatch(/^MARK \d+/)
            await press('Enter')
            await poll(() => focusedElement(s.page)).toContain('批注')
            await s.page.keyboard.type(note)
            await press('Tab')
            await poll(() => focusedElement(s.page)).toContain('此高亮的标签')
            await s.page.keyboard.type(tag)
            await press('Enter')
            await tabTo('保存')
            await press('Enter')
          }
          await edit(0, '专辑销量', '音乐')
          await poll(async () => (await annotationsOf(s.library, other))[0]?.tags).toEqual(['音乐'])
          expect((await annotationsOf(s.library, other))[0]!.note).toBe('专辑销量')
          await edit(1, '城市服务保障的场馆', '场馆')
          await poll(async () => (await annotationsOf(s.library, seed))[0]?.tags).toEqual(['场馆'])
          expect((await annotationsOf(s.library, seed))[0]!.note).toBe('城市服务保障的场馆')
        }
      )

      await step(
        'filters by tag and colour, jumps to the passage and exports the notes to Markdown',
        async () => {
          await press('Shift+N')
          const list = s.page.getByRole('listbox', { name: '高亮与批注' })
          await poll(() => list.getByRole('option').count()).toBe(2)
          await tabTo('标签', 'Shift+Tab')
          // The tag select: its first choice after "any tag" is the most used, then by name.
          const tagSelect = s.page
            .getByRole('search', { name: '筛选笔记' })
            .getByRole('combobox', { name: '标签' })
          for (let i = 0; i < 5 && (await tagSelect.inputValue()) !== '场馆'; i++)
            await press('ArrowDown')
          expect(await tagSelect.inputValue()).toBe('场馆')
          await poll(() => list.getByRole('option').count()).toBe(1)
          await tabTo('只看绿色', 'Shift+Tab')
          await press('Space')
          await poll(() => list.getByRole('option').count()).toBe(1)
          expect(await list.getByRole('option').innerText()).toContain(SEED_PHRASE)
          await press('Shift+N', 'j', 'Enter')
          const [a] = await annotationsOf(s.library, seed)
          await poll(() => s.page.locator('#reader-title').innerText()).toBe(SEED_TITLE)
          await poll(() => focusedElement(s.page)).toBe(`MARK ${a!.id}`)
          await shoot(s.page, 'notes-zh-dark.png', {
            lang: 'zh',
            scheme: 'dark',
            texts: [SEED_TITLE, SEED_PHRASE]
          })

          await press('Shift+N', 'Control+e')
          await poll(() => focusedElement(s.page)).toContain('SELECT')
          const out = join(s.library.dir, '笔记.md')
          await tabTo('INPUT')
          await s.page.keyboard.type(out)
          await press('Enter')
          await poll(() =>
            s.page.getByRole('status').filter({ hasText: '已将 1 条高亮与批注导出到' }).count()
          ).toBe(1)
          const md = readFileSync(out, 'utf8')
          expect(md).toContain('# 笔记与高亮')
          expect(md).toContain(SEED_PHRASE)
          expect(md).toContain('城市服务保障的场馆')
          expect(md).toContain('#场馆')
          expect(md).not.toContain(OTHER_PHRASE)
          expect(s.errors).toEqual([])
        }
      )
    },
    JOURNEY_MS
  )
})

describe('screenshots of the notes view and the reader with tags', () => {
  let made: Awaited<ReturnType<typeof library>>

  beforeAll(async () => {
    made = await library()
    const { service } = made.library
    await service.addTag([made.seed], '进博会')
    await service.addTag([made.seed], '上海')
    const text = (await service.getArticle(made.seed))!.cleanText
    const at = text.indexOf(SEED_PHRASE)
    await service.createAnnotation({
      articleId: made.seed,
      start: at,
      end: at + SEED_PHRASE.length,
      color: 'green',
      note: '城市服务保障的场馆',
      tags: ['场馆']
    })
    const other = (await service.getArticle(made.other))!.cleanText
    const o = other.indexOf(OTHER_PHRASE)
    await service.createAnnotation({
      articleId: made.other,
      start: o,
      end: o + OTHER_PHRASE.length,
      color: 'blue',
      note: '专辑销量',
      tags: ['音乐', '数据']
    })
  })
  afterAll(() => made.library.dispose())

  for (const [locale, lang] of [
    ['en-US', 'en'],
    ['zh-CN', 'zh']
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`${lang} ${scheme}`, async () => {
        const context = await browser.newContext({
          locale,
          colorScheme: scheme,
          viewport: { width: 1400, height: 860 }
        })
        try {
          const page = await context.newPage()
          await bridgePage(page, made.library.service)
          server.serve(made.library.service, locale, 860)
          await page.goto(server.origin + '/')
          await waitForApp(page)
          await page.keyboard.press('Shift+N')
          await page
            .locator('[role="listbox"] [role="option"][data-annotation-id]')
            .first()
            .waitFor()
          await page.keyboard.press('End')
          await page.keyboard.press('Enter')
          await poll(() => page.locator('#reader-title').innerText()).toBe(SEED_TITLE)
          await page.locator('.reader header .chip').first().waitFor()
          await shoot(page, `notes-reader-${lang}-${scheme}.png`, {
            lang,
            scheme,
            texts: [SEED_TITLE, SEED_PHRASE, '#进博会', '#上海']
          })
        } finally {
          await context.close()
        }
      })
    }
  }
})

describe('highlights needing review and fuzzy ones, in the reader (en)', () => {
  let s: AppSession
  let seed: number
  let review: Annotation
  let fuzzy: Annotation
  const SECOND = '上海市政府副秘书长'

  beforeAll(async () => {
    const made = await library()
    seed = made.seed
    const { service } = made.library
    const text = (await service.getArticle(seed))!.cleanText
    const at = (q: string): { start: number; end: number } => ({
      start: text.indexOf(q),
      end: text.indexOf(q) + q.length
    })
    review = await service.createAnnotation({ articleId: seed, ...at(SEED_PHRASE), note: '场馆' })
    fuzzy = await service.createAnnotation({ articleId: seed, ...at(SECOND), color: 'pink' })
    // What a re-clean leaves when the text changed: one highlight not found, one found nearly.
    service.db
      .prepare(`UPDATE annotations SET anchor_status = 'needs-review' WHERE id = ?`)
      .run(review.id)
    service.db.prepare(`UPDATE annotations SET anchor_status = 'fuzzy' WHERE id = ?`).run(fuzzy.id)
    s = await openAppSession(browser, server, { locale: 'en-US', library: made.library })
  })
  afterAll(async () => closeAppSession(s))

  it(
    'opens a review ready to re-attach, re-attaches by selection and confirms a fuzzy one',
    async () => {
      await step(
        'lists the review in the left pane and opens the article ready to re-attach (keyboard)',
        async () => {
          const entry = s.page
            .getByRole('region', { name: 'Views' })
            .getByRole('button', { name: /^Needs review/ })
          await poll(() => entry.innerText()).toContain('1')
          await s.page.keyboard.press('Shift+R')
          const list = s.page.getByRole('listbox', { name: 'Highlights needing review' })
          await poll(() => list.getByRole('option').count()).toBe(1)
          expect(await list.getByRole('option').innerText()).toContain(`Was: “${SEED_PHRASE}”`)
          await s.page.keyboard.press('j')
          await s.page.keyboard.press('Enter')
          await poll(() => s.page.locator('#reader-title').innerText()).toBe(SEED_TITLE)
          await poll(() => focusedElement(s.page)).toBe('BUTTON Re-attach to selection')
          // The fuzzy one is drawn apart, the one to review not at all.
          expect(
            await s.page.locator(`mark[data-ids~="${fuzzy.id}"][data-status="fuzzy"]`).count()
          ).toBeGreaterThan(0)
          expect(await s.page.locator(`mark[data-ids~="${review.id}"]`).count()).toBe(0)
          await shoot(s.page, 'review-reader-en-light.png', {
            lang: 'en',
            scheme: 'light',
            texts: [SEED_TITLE, 'Re-attach to selection', `Was: “${SEED_PHRASE}”`]
          })
          // H finds the words, Enter selects them; the bar offers Attach here first, Enter attaches.
          await s.page.keyboard.press('h')
          await s.page.keyboard.type(SEED_PHRASE)
          await s.page.keyboard.press('Enter')
          const bar = s.page.getByRole('toolbar', { name: 'Highlight' })
          await poll(() => focusedElement(s.page)).toContain('Attach')
          expect(await bar.innerText()).toContain(`Attach “${SEED_PHRASE}” here`)
          await s.page.keyboard.press('Enter')
          await poll(
            async () =>
              (await s.library.service.listAnnotations(seed)).find((a) => a.id === review.id)
                ?.anchorStatus
          ).toBe('anchored')
          await poll(() => markedText(s.page, review.id)).toBe(SEED_PHRASE)
          await poll(() => entry.count()).toBe(0)
        }
      )

      /** Opens the seed article with the mouse (from All articles). */
      async function openSeed(): Promise<void> {
        await s.page
          .getByRole('region', { name: 'Views' })
          .getByRole('button', { name: 'All', exact: true })
          .click()
        await s.page
          .getByRole('listbox', { name: 'Articles' })
          .getByRole('option')
          .filter({ hasText: SEED_TITLE })
          .click()
        await poll(() => s.page.locator('#reader-title').innerText()).toBe(SEED_TITLE)
      }

      await step(
        're-attaches a highlight needing review to a selection made with the mouse',
        async () => {
          // Its own highlight, lost the way a re-clean loses one, on words that are still there.
          const words = '顾洪辉'
          const text = (await s.library.service.getArticle(seed))!.cleanText
          const lost = await s.library.service.createAnnotation({
            articleId: seed,
            start: text.indexOf(words),
            end: text.indexOf(words) + words.length,
            color: 'purple'
          })
          s.library.service.db
            .prepare(`UPDATE annotations SET anchor_status = 'needs-review' WHERE id = ?`)
            .run(lost.id)
          await s.page.reload()
          await waitForApp(s.page)
          await openSeed()
          const section = s.page.getByRole('region', { name: /^Needs review/ })
          await section.getByText(`Was: “${words}”`).waitFor()
          await dragOver(s.page, words)
          await s.page.getByRole('toolbar', { name: 'Highlight' }).waitFor()
          await section
            .locator(`[data-annotation-id="${lost.id}"]`)
            .getByRole('button', { name: 'Re-attach to selection' })
            .click()
          await poll(async () =>
            (await s.library.service.listAnnotations(seed)).find((a) => a.id === lost.id)
          ).toMatchObject({ anchorStatus: 'anchored', exact: words })
          await poll(() => markedText(s.page, lost.id)).toBe(words)
          await poll(() => section.getByText(`Was: “${words}”`).count()).toBe(0)
        }
      )

      await step('confirms the fuzzy one from its editor', async () => {
        await openSeed()
        await s.page.locator(`mark[data-ids~="${fuzzy.id}"]`).first().click()
        const editor = s.page.getByRole('dialog', { name: 'Edit highlight' })
        expect(await editor.innerText()).toContain('Gleaner found a close match')
        await shoot(s.page, 'fuzzy-editor-en-light.png', {
          lang: 'en',
          scheme: 'light',
          texts: ['Gleaner found a close match', SEED_TITLE]
        })
        await editor.getByRole('button', { name: 'Confirm place' }).click()
        await poll(
          async () =>
            (await s.library.service.listAnnotations(seed)).find((a) => a.id === fuzzy.id)
              ?.anchorStatus
        ).toBe('anchored')
        await poll(() => s.page.locator('mark[data-status="fuzzy"]').count()).toBe(0)
        expect(s.errors).toEqual([])
      })
    },
    JOURNEY_MS
  )
})
