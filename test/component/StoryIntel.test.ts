// Issue 17 in the window, over a real library (the rsshub corpus plus three syndicated copies of
// one of its posts, written as portals republish it) and the real core in a child process:
// the folded copy group's badge, the reader's insight line and Copies section with its
// paragraph diff, the Collapse copies toggle, the Entities facets, and a story's timeline with
// its header's rename, follow, split and merge (undoable, and heard from another process).
import { configure, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  onTestFinished,
  vi
} from 'vitest'
import type { GleanerApi, GleanerBridge } from '../../src/shared/api'
import type { ArticleSummary } from '../../src/shared/types'
import type { StorySummary } from '../../src/shared/story-types'
import App from '../../src/renderer/src/App.svelte'
import ArticleRow from '../../src/renderer/src/components/ArticleRow.svelte'
import Reader from '../../src/renderer/src/components/Reader.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { remoteImagePath } from '../../src/shared/remote-image-route'
import { childBridge, type ChildBridge } from '../helpers/childBridge'
import { RSSHUB } from '../helpers/corpus'
import { corpusParagraphs, writeSyndicated } from '../helpers/syndicate'
import { IMPORT_TIMEOUT_MS, openRealLibrary, type RealLibrary } from './realLibrary'

/** A long real post (新浪财经) and three portals' copies of it, each leaving out a paragraph. */
const POST = '金融/新浪财经/新浪财经－国內/1049元_斤！天价荔枝什么来头？.md'
const COPY_OUTLETS = ['南方快讯', '岭南日报网', '荔城在线'] as const
const DROPPED = [8, 12, 16]
/** The paragraph each copy leaves out. */
const dropped = (k: number): string => corpusParagraphs(POST).paragraphs[DROPPED[k]!]!

// Every answer comes from the core in a child process, on a machine shared with other work.
configure({ asyncUtilTimeout: 10_000 })

let library: RealLibrary
let copiesDir: string
/** The core, in a child process, for reading what the window should show. */
let core: ChildBridge
let api: GleanerApi
/** The folded row standing for the copy group. */
let groupRow: ArticleSummary
/** The article ids of the copies, in COPY_OUTLETS order. */
let copyIds: number[]

beforeAll(async () => {
  i18n.set('en')
  copiesDir = mkdtempSync(join(tmpdir(), 'gleaner-copies-'))
  COPY_OUTLETS.forEach((source, k) =>
    writeSyndicated(copiesDir, POST, {
      source,
      date: `2022-07-18 2${k}:00:00`,
      head: [`${source}讯 本网转载`],
      tail: [`（本文来源：${source}）`],
      drop: DROPPED[k]!,
      name: `copy-${k + 1}.md`
    })
  )
  library = openRealLibrary([RSSHUB, copiesDir])
  core = childBridge(library.path)
  await core.ready
  api = core.bridge.api
  const folded = await api.listArticles({ collapseCopies: true, limit: 1000 })
  groupRow = folded.items.find((row) => row.copies !== undefined)!
  const all = await api.listArticles({ limit: 1000 })
  copyIds = COPY_OUTLETS.map((outlet) => all.items.find((row) => row.source === outlet)!.id)
}, IMPORT_TIMEOUT_MS)
afterAll(async () => {
  await core?.close()
  library?.dispose()
  rmSync(copiesDir, { recursive: true, force: true })
})
beforeEach(() => i18n.set('en'))

describe('a folded copy group in the list', { timeout: 30_000 }, () => {
  it('stands as one row saying how many copies and outlets it holds, in English and Chinese', async () => {
    expect(groupRow, 'a folded row with a copies badge').toBeDefined()
    expect(groupRow.copies!.count).toBe(3)
    // The original's outlet and the three portals.
    expect(groupRow.copies!.outlets).toBe(4)
    const props = {
      row: groupRow,
      index: 0,
      total: 1,
      selected: false,
      open: false,
      onclick: () => {},
      ontogglestar: () => {}
    }
    const { container, unmount } = render(ArticleRow, props)
    expect(container.querySelector('.copies')?.textContent).toBe('+3 copies · 4 outlets')
    i18n.set('zh')
    await waitFor(() =>
      expect(container.querySelector('.copies')?.textContent).toBe('另有 3 篇转载 · 4 家媒体')
    )
    unmount()
    // Unfolded, no row carries a badge.
    const unfolded = await api.listArticles({ limit: 1000 })
    expect(unfolded.items.some((row) => row.copies !== undefined)).toBe(false)
    const plain = render(ArticleRow, { ...props, row: unfolded.items[0]! })
    expect(plain.container.querySelector('.copies')).toBeNull()
  })
})

function renderReader(articleId: number, overrides: Record<string, unknown> = {}) {
  return api.getArticle(articleId).then((article) =>
    render(Reader, {
      article,
      loading: false,
      imagePolicy: null,
      remoteImageUrl: remoteImagePath,
      fontSize: 17,
      readingWidth: 46,
      ontogglestar: () => {},
      ontoggleread: () => {},
      onsetremoteimages: () => {},
      onfontsize: () => {},
      onreadingwidth: () => {},
      loadinsight: (id: number) => api.articleInsight(id),
      loadcopies: (id: number) => api.getCopies(id),
      ...overrides
    })
  )
}

describe('the reader', { timeout: 30_000 }, () => {
  it('shows the keywords and entities as chips with their kind, and a chip or the story filters', async () => {
    const onterm = vi.fn()
    const onstory = vi.fn()
    const insight = await api.articleInsight(groupRow.id)
    expect(insight.entities.length + insight.keywords.length).toBeGreaterThan(0)
    await renderReader(groupRow.id, { onterm, onstory })
    const line = await screen.findByRole('group', { name: 'Keywords, entities and story' })
    if (insight.entities.length > 0) {
      const entity = insight.entities[0]!
      const kind = { person: 'Person', org: 'Organisation', place: 'Place', keyword: 'Keyword' }[
        entity.kind
      ]
      const chips = within(within(line).getByRole('list', { name: 'Entities' })).getAllByRole(
        'button'
      )
      expect(chips.map((c) => c.textContent?.replace(/\s+/gu, ' ').trim())).toEqual(
        insight.entities.map(
          (e) =>
            `${{ person: 'Person', org: 'Organisation', place: 'Place', keyword: 'Keyword' }[e.kind]} ${e.term}`
        )
      )
      await fireEvent.click(chips[0]!)
      expect(onterm).toHaveBeenLastCalledWith(entity.kind, entity.term)
      expect(chips[0]!.textContent).toContain(kind)
    }
    if (insight.keywords.length > 0) {
      const keywords = within(line).getByRole('list', { name: 'Keywords' })
      await fireEvent.click(within(keywords).getAllByRole('button')[0]!)
      expect(onterm).toHaveBeenLastCalledWith('keyword', insight.keywords[0])
    }
    if (insight.story) {
      await fireEvent.click(within(line).getByRole('button', { name: /^Story: / }))
      expect(onstory).toHaveBeenCalledWith(insight.story.id, insight.story.name)
    }
  })

  it('lists the copies with the first report marked, and marks what a copy dropped and added, in words', async () => {
    const onopenarticle = vi.fn()
    const first = copyIds[0]!
    const { rerender } = await renderReader(first, { onopenarticle })
    const toggle = await screen.findByRole('button', { name: 'Show the 3 copies' })
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    await fireEvent.click(toggle)
    const members = await screen.findByRole('list', {
      name: 'The first report and its copies, oldest first'
    })
    const items = await within(members).findAllByRole('listitem')
    expect(items).toHaveLength(4)
    // The original, published first, heads the group and is marked.
    expect(items[0]!.textContent).toContain('first report')
    expect(items[0]!.textContent).toContain('新浪财经')
    expect(members.querySelectorAll('.badge')).toHaveLength(1)
    expect(items[0]!.querySelector('.badge')?.textContent).toBe('first report')
    // The open copy is marked as this article; its changes show at once.
    const self = items.find((li) => li.textContent?.includes('(this article)'))!
    expect(self.textContent).toContain(COPY_OUTLETS[0])
    const diff = await screen.findByRole('region', {
      name: /What .* changed against the first report/u
    })
    const removed = [...diff.querySelectorAll('del')]
    expect(removed.map((d) => d.textContent)).toContainEqual(
      expect.stringContaining(dropped(0).slice(0, 20))
    )
    // Not by colour alone: each changed paragraph says what happened to it.
    for (const d of removed) expect(d.textContent).toMatch(/^−Removed/u)
    for (const a of diff.querySelectorAll('ins')) expect(a.textContent).toMatch(/^\+Added/u)
    expect(diff.textContent).toMatch(/\d+ paragraphs unchanged/u)
    // Another copy's changes, on request.
    const second = items.find((li) => li.textContent?.includes(COPY_OUTLETS[1]))!
    await fireEvent.click(
      within(second).getByRole('button', { name: 'Compare with the first report' })
    )
    await waitFor(() =>
      expect(
        [...diff.ownerDocument.querySelectorAll('.diff del')].map((d) => d.textContent)
      ).toContainEqual(expect.stringContaining(dropped(1).slice(0, 20)))
    )
    // Choosing a member opens it.
    await fireEvent.click(within(items[0]!).getByRole('button', { name: /天价荔枝/u }))
    expect(onopenarticle).toHaveBeenCalledWith(groupRow.id)
    // Another copy opened in the reader: the section stays open and shows that copy's changes.
    await rerender({ article: await api.getArticle(copyIds[2]!) })
    await waitFor(() =>
      expect([...document.querySelectorAll('.diff del')].map((d) => d.textContent)).toContainEqual(
        expect.stringContaining(dropped(2).slice(0, 20))
      )
    )
  })
})

describe('in the window', { timeout: 30_000 }, () => {
  // jsdom has no layout: the article list's virtualizer only needs the observer to exist.
  beforeEach(() => {
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe(): void {}
        unobserve(): void {}
        disconnect(): void {}
      }
    )
  })
  afterEach(() => vi.unstubAllGlobals())
  // Nor does it scroll: a list going back to its top has nothing to do.
  // Nor modal dialogs: opening one only has to show it.
  beforeAll(() => {
    Element.prototype.scrollTo ??= () => {}
    HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
      this.open = true
    }
  })
  /** The app over the real service (in a child process) on the test library. */
  const bridge = (): GleanerBridge => {
    const child = childBridge(library.path)
    onTestFinished(() => child.close())
    return child.bridge
  }
  const count = (): string => document.querySelector('.toolbar .count')?.textContent ?? ''

  it('folds copies by default; the toggle unfolds them and is remembered', async () => {
    localStorage.removeItem('gleaner.list')
    const folded = (await api.listArticles({ collapseCopies: true, limit: 1 })).total
    const unfolded = (await api.listArticles({ limit: 1 })).total
    expect(unfolded - folded).toBe(3)
    render(App, { bridge: bridge(), bridgeKind: 'http' })
    await waitFor(() => expect(count()).toBe(`${folded} articles`), { timeout: 10_000 })
    const toggle = screen.getByRole('button', { name: 'Collapse copies' })
    expect(toggle.getAttribute('aria-pressed')).toBe('true')
    await fireEvent.click(toggle)
    await waitFor(() => expect(count()).toBe(`${unfolded} articles`))
    expect(toggle.getAttribute('aria-pressed')).toBe('false')
    expect(JSON.parse(localStorage.getItem('gleaner.list')!)).toEqual({ collapseCopies: false })
    await fireEvent.click(toggle)
    await waitFor(() => expect(count()).toBe(`${folded} articles`))
  })

  it('lists entities per kind with counts; choosing one lists the articles naming it', async () => {
    localStorage.removeItem('gleaner.list')
    const facets = {
      People: await api.termFacets('person', 60),
      Organisations: await api.termFacets('org', 60),
      Places: await api.termFacets('place', 60)
    }
    render(App, { bridge: bridge(), bridgeKind: 'http' })
    const pane = await screen.findByRole('region', { name: 'Entities' }, { timeout: 10_000 })
    let chosen: { term: string; count: number } | undefined
    for (const [title, items] of Object.entries(facets)) {
      if (items.length === 0) {
        expect(within(pane).queryByRole('region', { name: title })).toBeNull()
        continue
      }
      const section = within(pane).getByRole('region', { name: title })
      const first = within(section).getAllByRole('button')[0]!
      expect(first.querySelector('.name')?.textContent).toBe(items[0]!.term)
      expect(first.querySelector('.count')?.textContent).toBe(String(items[0]!.count))
      chosen ??= items[0]
    }
    expect(chosen, 'some entity found in the corpus').toBeDefined()
    const button = within(pane)
      .getAllByRole('button')
      .find((b) => b.querySelector('.name')?.textContent === chosen!.term)!
    await fireEvent.click(button)
    const expected = await api.listArticles({
      entity: chosen!.term,
      sort: 'date-desc',
      collapseCopies: true,
      limit: 1
    })
    await waitFor(() =>
      expect(count()).toBe(expected.total === 1 ? '1 article' : `${expected.total} articles`)
    )
    expect(button.getAttribute('aria-current')).toBe('true')
  })

  /** A story with at least two entries on its timeline (the corpus has some). */
  /** A story of two or more reports (a copy group alone is one entry of its timeline). */
  async function storyWithTimeline(): Promise<StorySummary> {
    const page = await api.listStories({ limit: 100 })
    for (const s of page.items)
      if (((await api.getStory(s.id))?.timeline.length ?? 0) >= 2) return s
    throw new Error('no story of two or more reports in the test library')
  }

  it("opens a story's timeline with its header; renames it (undoable) and follows it, heard from another process too", async () => {
    localStorage.removeItem('gleaner.list')
    const story = await storyWithTimeline()
    render(App, { bridge: bridge(), bridgeKind: 'http' })
    const pane = await screen.findByRole('region', { name: 'Stories' }, { timeout: 10_000 })
    const item = within(pane)
      .getAllByRole('button')
      .find((b) => b.dataset.key === String(story.id))!
    await fireEvent.click(item)
    const header = await screen.findByRole('region', { name: story.name })
    expect(header.textContent).toContain(
      `${story.articleCount} articles · ${story.outletCount === 1 ? '1 outlet' : `${story.outletCount} outlets`}`
    )
    const detail = (await api.getStory(story.id))!
    const first = detail.timeline.find((e) => e.articleId === detail.firstArticleId)!
    within(header).getByRole('button', { name: `First report: ${first.title}` })
    // The list is the story's timeline, oldest first.
    screen.getByRole('listbox', { name: `Timeline of ${story.name}` })
    const folded = await api.listArticles({
      storyId: story.id,
      sort: 'date-asc',
      collapseCopies: true,
      limit: 1
    })
    await waitFor(() =>
      expect(count()).toBe(folded.total === 1 ? '1 article' : `${folded.total} articles`)
    )

    // Rename: F2 (the command while the story is shown), type, Enter.
    await fireEvent.keyDown(document.body, { key: 'F2' })
    const field = await within(header).findByRole('textbox', {
      name: `New name for story ${story.name}`
    })
    await fireEvent.input(field, { target: { value: '天价荔枝风波' } })
    await fireEvent.keyDown(field, { key: 'Enter' })
    await waitFor(async () => expect((await api.getStory(story.id))!.name).toBe('天价荔枝风波'))
    await screen.findByRole('region', { name: '天价荔枝风波' })
    await within(pane).findByRole('button', { name: /天价荔枝风波/u })
    await fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true })
    await waitFor(async () => expect((await api.getStory(story.id))!.name).toBe(story.name))
    await screen.findByRole('region', { name: story.name })

    // Follow: the f key; it heads the Stories list, marked, and fills the Following view.
    await fireEvent.keyDown(document.body, { key: 'f' })
    await waitFor(async () => expect((await api.getStory(story.id))!.followed).toBe(true))
    const follow = await within(header).findByRole('button', { name: /Unfollow/u })
    expect(follow.getAttribute('aria-pressed')).toBe('true')
    await waitFor(() =>
      // The first story (the section's title is a button too: it folds the section).
      expect(pane.querySelector('button.nav-item')!.textContent).toContain('followed')
    )
    await fireEvent.click(
      within(screen.getByRole('region', { name: 'Views' })).getByRole('button', {
        name: 'Following'
      })
    )
    const following = await api.listArticles({ view: 'following', collapseCopies: true, limit: 1 })
    expect(following.total).toBe(folded.total)
    await waitFor(() =>
      expect(count()).toBe(following.total === 1 ? '1 article' : `${following.total} articles`)
    )

    // Another process renames it: the pane hears it through the change log.
    const other = childBridge(library.path)
    onTestFinished(() => other.close())
    await other.bridge.api.renameStory(story.id, '另一进程的名字')
    await within(pane).findByRole('button', { name: /另一进程的名字/u }, { timeout: 10_000 })
    await other.bridge.api.renameStory(story.id, null)
    await api.followStory(story.id, false)
  })

  it('splits the picked articles of a story into a new one (Shift+S) and merges it back from the dialog (Shift+M)', async () => {
    localStorage.removeItem('gleaner.list')
    const story = await storyWithTimeline()
    render(App, { bridge: bridge(), bridgeKind: 'http' })
    const pane = await screen.findByRole('region', { name: 'Stories' }, { timeout: 10_000 })
    await fireEvent.click(
      within(pane)
        .getAllByRole('button')
        .find((b) => b.dataset.key === String(story.id))!
    )
    const header = await screen.findByRole('region', { name: story.name })
    const split = within(header).getByRole('button', { name: 'Split selected into a new story' })
    expect(split).toHaveProperty('disabled', true)
    // The first article of the timeline, picked from the keyboard (once the timeline is shown).
    const timeline = await api.listArticles({
      storyId: story.id,
      sort: 'date-asc',
      collapseCopies: true,
      limit: 1
    })
    await waitFor(() =>
      expect(count()).toBe(timeline.total === 1 ? '1 article' : `${timeline.total} articles`)
    )
    await fireEvent.keyDown(document.body, { key: 'j' })
    await fireEvent.keyDown(document.body, { key: 'x' })
    await within(header).findByRole('button', { name: 'Split 1 selected into a new story' })
    await fireEvent.keyDown(document.body, { key: 'S', shiftKey: true })
    // The new story is shown, with the one article.
    await waitFor(
      () => {
        const made = document.querySelector('.story-header')
        expect(made?.getAttribute('data-story-id')).not.toBe(String(story.id))
        expect(made?.textContent).toContain('1 article · ')
      },
      { timeout: 10_000 }
    )
    const before = (await api.getStory(story.id))!
    expect(before.articleCount).toBe(story.articleCount - 1)

    // Merge it back: Shift+M, then the story in the dialog.
    await fireEvent.keyDown(document.body, { key: 'M', shiftKey: true })
    const dialog = await screen.findByRole('dialog')
    // (Its name may have changed: a story without a name of the user's is named after its
    // first report, which the split took.)
    const left = (await api.getStory(story.id))!
    const choices = await within(dialog).findAllByRole('button', {
      name: `Merge into ${left.name}`
    })
    await fireEvent.click(choices.find((b) => b.dataset.id === String(story.id))!)
    await waitFor(() =>
      expect(document.querySelector('.story-header')?.getAttribute('data-story-id')).toBe(
        String(story.id)
      )
    )
    await waitFor(async () =>
      expect((await api.getStory(story.id))!.articleCount).toBe(story.articleCount)
    )
  })
})
