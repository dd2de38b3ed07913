// The Feeds section over the real core (in a child process) subscribed to feeds a loopback
// server serves: a gone feed (410) and a page that is not a feed read as their errors in
// Chinese and English, never as the core's English line; the edit dialog renames a feed and
// an empty name gives the feed's own title back; a folded section stays folded.
import { configure, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GleanerApi } from '../../src/shared/api'
import type { FeedSummary } from '../../src/shared/capture-types'
import FeedsSection from '../../src/renderer/src/components/feeds/FeedsSection.svelte'
import { FeedData } from '../../src/renderer/src/lib/feedData.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { childBridge, type ChildBridge } from '../helpers/childBridge'
import { posts, rss2 } from '../helpers/feed-docs'
import { startWebServer, type WebServer } from '../helpers/web-server'
import { openRealLibrary, type RealLibrary } from './realLibrary'

configure({ asyncUtilTimeout: 10_000 })

let web: WebServer
let library: RealLibrary
let core: ChildBridge
let api: GleanerApi
let gone: FeedSummary
let notFeed: FeedSummary
let good: FeedSummary

beforeAll(async () => {
  // jsdom has no modal dialogs: opening one only has to show it.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true
  }
  web = await startWebServer({
    '/gone': (_req, res) => void res.writeHead(410).end(),
    '/page': (_req, res) =>
      void res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          '<!doctype html><html><head><title>首页</title></head><body><p>不是订阅源</p></body></html>'
        ),
    '/rss': (_req, res) =>
      void res
        .writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' })
        .end(
          rss2(
            { title: '虎嗅 - 首页资讯', site: 'http://127.0.0.1/' },
            posts(2, 'http://127.0.0.1/p', 40)
          )
        )
  })
  library = openRealLibrary()
  core = childBridge(library.path, { allowPrivateAddresses: true })
  await core.ready
  api = core.bridge.api
  gone = await api.addFeed(web.url('/gone'))
  notFeed = await api.addFeed(web.url('/page'))
  good = await api.addFeed(web.url('/rss'))
  // Polled now (the first poll also started in the background when each was added).
  await api.pollFeeds([gone.id, notFeed.id, good.id])
}, 180_000)

afterAll(async () => {
  await core?.close()
  library?.dispose()
  await web?.close()
})

function renderSection(data: FeedData) {
  return render(FeedsSection, {
    api,
    data,
    selectedId: null,
    onselect: () => {},
    categories: [['新媒体', '虎嗅']],
    tagSuggestions: [],
    onchanged: () => {},
    onremoved: () => {}
  })
}

const row = (id: number): HTMLElement =>
  document.querySelector<HTMLElement>(`button.feed[data-id="${id}"]`)!
const stateLine = (id: number): string =>
  document.getElementById(row(id).getAttribute('aria-describedby')!)!.textContent ?? ''

describe('the Feeds section', () => {
  it('says why a feed failed in the window’s language, by the error’s code', async () => {
    const data = new FeedData(api)
    await data.load()
    i18n.set('zh')
    const view = renderSection(data)
    await waitFor(() => expect(row(good.id).textContent).toContain('虎嗅 - 首页资讯'))
    // A 410 pauses the feed; the row says so and why.
    expect(row(gone.id).dataset.state).toBe('paused')
    expect(stateLine(gone.id)).toBe('已暂停 · 订阅源已不存在（HTTP 410）')
    expect(row(notFeed.id).dataset.state).toBe('error')
    expect(stateLine(notFeed.id)).toMatch(
      /^(\d{4}-\d\d-\d\d )?\d\d:\d\d 获取失败：不是 RSS、Atom 或 JSON 订阅源$/u
    )
    // The unread count, named for assistive technology.
    expect(within(row(good.id)).getByText('2 篇未读')).toBeTruthy()
    i18n.set('en')
    await waitFor(() => expect(stateLine(gone.id)).toBe('Paused · the feed is gone (HTTP 410)'))
    expect(stateLine(notFeed.id)).toMatch(/Failed .*: not an RSS, Atom or JSON feed$/u)
    // The core's English line is not what the window shows.
    const core = (await api.listFeeds()).find((f) => f.id === notFeed.id)!.lastError!
    expect(stateLine(notFeed.id)).not.toContain(core.message)
    view.unmount()
  })

  it('renames a feed in its dialog (F2); an empty name gives the feed’s own title back', async () => {
    i18n.set('en')
    const data = new FeedData(api)
    await data.load()
    const view = renderSection(data)
    row(good.id).focus()
    await fireEvent.keyDown(row(good.id), { key: 'F2' })
    const dialog = await screen.findByRole('dialog', { name: 'Edit feed' })
    const name = within(dialog).getByRole('textbox', { name: /Name/u }) as HTMLInputElement
    expect(name.value).toBe('虎嗅 - 首页资讯')
    await fireEvent.input(name, { target: { value: '虎嗅早报' } })
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(async () =>
      expect((await api.listFeeds()).find((f) => f.id === good.id)!.title).toBe('虎嗅早报')
    )
    await waitFor(() => expect(row(good.id).textContent).toContain('虎嗅早报'))
    // Cleared, the name is the feed's own title again.
    await fireEvent.keyDown(row(good.id), { key: 'F2' })
    const again = await screen.findByRole('dialog', { name: 'Edit feed' })
    const field = within(again).getByRole('textbox', { name: /Name/u }) as HTMLInputElement
    await fireEvent.input(field, { target: { value: '' } })
    await fireEvent.click(within(again).getByRole('button', { name: 'Save' }))
    await waitFor(async () =>
      expect((await api.listFeeds()).find((f) => f.id === good.id)!.title).toBe('虎嗅 - 首页资讯')
    )
    view.unmount()
  })

  it('folds away under its title, and stays folded when shown again', async () => {
    i18n.set('en')
    localStorage.clear()
    const data = new FeedData(api)
    await data.load()
    const first = renderSection(data)
    const toggle = screen.getByRole('button', { name: 'Feeds' })
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    await fireEvent.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    expect(document.getElementById('feeds-body')!.hidden).toBe(true)
    first.unmount()
    renderSection(data)
    const shown = screen.getByRole('button', { name: 'Feeds' })
    expect(shown.getAttribute('aria-expanded')).toBe('false')
    expect(document.getElementById('feeds-body')!.hidden).toBe(true)
    // Add feed… stays in reach while folded.
    expect(screen.getByRole('button', { name: 'Add feed…' })).toBeTruthy()
    await fireEvent.click(shown)
    expect(document.getElementById('feeds-body')!.hidden).toBe(false)
  })
})
