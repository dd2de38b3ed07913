// Feed subscriptions on the real parts: the service on a real library file, feeds made from the
// corpus's RSSHub posts served over HTTP by a loopback server, with the faults real feeds have.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import type { FeedSummary } from '../../src/shared/capture-types'
import { tempDir } from '../helpers/corpus'
import { atom, jsonFeed, posts, postPage, rss2, type Post } from '../helpers/feed-docs'
import { documentRoute, startWebServer, type WebServer } from '../helpers/web-server'

const HEAD = { title: 'RSSHub 测试源', site: 'https://rsshub.example/' }
let t: { dir: string; cleanup: () => void }
let server: WebServer
let svc: GleanerService

function open(extra: { perHostLimit?: number; pollConcurrency?: number } = {}): GleanerService {
  return createGleanerService({
    libraryPath: join(t.dir, 'lib.db'),
    capture: { allowPrivateAddresses: true, ...extra }
  })
}

beforeEach(async () => {
  t = tempDir('gleaner-feeds-')
  server = await startWebServer()
  svc = open()
})
afterEach(async () => {
  svc.close()
  await server.close()
  t.cleanup()
})

/** Subscribes without the background first poll getting in the way: the feed 404s until served. */
async function subscribe(path: string, options = {}): Promise<FeedSummary> {
  return svc.addFeed(server.url(path), options)
}

/** Subscribes and waits for the first poll addFeed starts in the background. */
async function subscribeAndSettle(path: string, options = {}): Promise<FeedSummary> {
  const polled = new Promise<void>((resolve) => {
    const off = svc.on('libraryChanged', (c) => {
      if (c.op !== 'pollFeeds') return
      off()
      resolve()
    })
  })
  const feed = await subscribe(path, options)
  await polled
  return feed
}

async function pollOne(feed: FeedSummary) {
  const [r] = await svc.pollFeeds([feed.id])
  return r!
}

const feedOf = async (id: number): Promise<FeedSummary> =>
  (await svc.listFeeds()).find((f) => f.id === id)!

describe('polling RSS 2.0, Atom and JSON Feed made from the corpus', () => {
  for (const [name, make, type] of [
    ['RSS 2.0', rss2, 'application/rss+xml; charset=utf-8'],
    ['Atom', atom, 'application/atom+xml'],
    ['JSON Feed', jsonFeed, 'application/feed+json']
  ] as const) {
    it(`${name}: every item becomes an article in the feed's category with its tags; the next poll is a 304`, async () => {
      const items = posts(8, server.origin)
      server.route('/feed', documentRoute({ body: make(HEAD, items), type }))
      const feed = await subscribe('/feed', { categoryPath: ['订阅', 'RSSHub'], tags: ['rsshub'] })
      const first = await pollOne(feed)
      // The background first poll may have taken them already: both polls together import 8.
      const all = await svc.listArticles({ feedId: feed.id, limit: 100 })
      expect(all.total).toBe(8)
      expect(first.status === 'fetched' || first.status === 'not-modified').toBe(true)
      const titles = all.items.map((a) => a.title).sort()
      expect(titles).toEqual(items.map((p) => p.title).sort())
      for (const a of all.items) {
        expect(a.categoryPath).toEqual(['订阅', 'RSSHub'])
        const detail = await svc.getArticle(a.id)
        expect(detail?.tags).toContain('rsshub')
        expect(detail?.source).toBe(HEAD.title)
        expect(detail?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/post-\d+\.html$/)
      }
      const summary = await feedOf(feed.id)
      expect(summary).toMatchObject({
        title: HEAD.title,
        siteUrl: HEAD.site,
        articleCount: 8,
        unread: 8,
        failures: 0,
        lastError: null
      })
      const again = await pollOne(feed)
      expect(again.status).toBe('not-modified')
      const last = server.requests.filter((r) => r.path === '/feed').at(-1)!
      expect(last.headers['if-none-match']).toMatch(/^"/)
      expect(last.headers['if-modified-since']).toBe('Tue, 01 Jun 2021 00:00:00 GMT')
      // Searching within the feed finds its articles only.
      const word = items[0]!.title
      const hits = await svc.search(word, { scope: { feedId: feed.id }, limit: 50 })
      expect(hits.items.map((h) => h.title)).toContain(items[0]!.title)
      const elsewhere = await svc.search(word, { scope: { feedId: feed.id + 1 }, limit: 50 })
      expect(elsewhere.total).toBe(0)
    })
  }

  it('a feed that changes between polls: new items arrive, an edited item updates in place, removed ones stay', async () => {
    const items = posts(5, server.origin)
    server.route('/feed', documentRoute({ body: rss2(HEAD, items), type: 'application/rss+xml' }))
    const feed = await subscribe('/feed')
    await pollOne(feed)
    const before = await svc.listArticles({ feedId: feed.id, limit: 100 })
    expect(before.total).toBe(5)
    const editedId = before.items.find((a) => a.title === items[1]!.title)!.id

    const edited: Post = { ...items[1]!, html: `${items[1]!.html}<p>更正：本文已于次日更新。</p>` }
    const next = [...posts(2, server.origin, 5), items[0]!, edited]
    server.route('/feed', documentRoute({ body: rss2(HEAD, next), type: 'application/rss+xml' }))
    const r = await pollOne(feed)
    expect(r.status).toBe('fetched')
    expect(r.counts).toMatchObject({ imported: 2, updated: 1 })
    expect(r.results.find((x) => x.status === 'updated')?.articleId).toBe(editedId)
    const after = await svc.listArticles({ feedId: feed.id, limit: 100 })
    expect(after.total).toBe(7)
    expect((await svc.getArticle(editedId))?.cleanText).toContain('更正：本文已于次日更新。')
    // The same items again (another ETag, same content): nothing is imported.
    server.route(
      '/feed',
      documentRoute({ body: rss2(HEAD, next) + '\n', type: 'application/rss+xml' })
    )
    const same = await pollOne(feed)
    expect(same).toMatchObject({ status: 'fetched', runId: null })
  })

  it('an article purged from the trash keeps its item known: the next poll does not bring it back', async () => {
    const items = posts(3, server.origin)
    server.route('/feed', documentRoute({ body: atom(HEAD, items), type: 'application/atom+xml' }))
    const feed = await subscribe('/feed')
    await pollOne(feed)
    const list = await svc.listArticles({ feedId: feed.id, limit: 10 })
    const gone = list.items[0]!.id
    await svc.deleteArticles([gone])
    await svc.emptyTrash(null)
    expect((await feedOf(feed.id)).articleCount).toBe(2)
    const row = svc.db
      .prepare('SELECT article_id FROM feed_items WHERE feed_id = ? AND article_id IS NULL')
      .all(feed.id)
    expect(row).toHaveLength(1)
    // The feed is served anew (no 304): its items are read and the purged one is still known.
    server.route(
      '/feed',
      documentRoute({ body: atom(HEAD, items), type: 'application/atom+xml', conditional: false })
    )
    const r = await pollOne(feed)
    expect(r).toMatchObject({ status: 'fetched', runId: null })
    expect((await svc.listArticles({ feedId: feed.id, limit: 10 })).total).toBe(2)
  })

  it('the same article from two feeds is one article (content dedupe through the import core)', async () => {
    const items = posts(2, server.origin)
    server.route('/a', documentRoute({ body: rss2(HEAD, items), type: 'application/rss+xml' }))
    server.route('/b', documentRoute({ body: jsonFeed(HEAD, items), type: 'application/json' }))
    const a = await subscribe('/a')
    const b = await subscribe('/b')
    await svc.pollFeeds([a.id, b.id])
    expect((await svc.listArticles({ limit: 50 })).total).toBe(2)
    // Each feed still lists the articles it delivered.
    expect((await feedOf(a.id)).articleCount).toBe(2)
    expect((await feedOf(b.id)).articleCount).toBe(2)
  })
})

describe('faults', () => {
  it('404 and 500: the error is kept and shown, the next poll backs off exponentially', async () => {
    server.route('/feed', (_q, res) => void res.writeHead(500).end('boom'))
    const feed = await subscribe('/feed', { intervalMinutes: 30 })
    const r1 = await pollOne(feed)
    expect(r1).toMatchObject({ status: 'failed', error: { code: 'http', status: 500 } })
    const f1 = await feedOf(feed.id)
    const failuresAfterFirst = f1.failures
    expect(f1.lastError).toMatchObject({ code: 'http', status: 500 })
    expect(f1.lastError?.message).toMatch(/answered 500/)
    await pollOne(feed)
    const f2 = await feedOf(feed.id)
    expect(f2.failures).toBe(failuresAfterFirst + 1)
    const wait = Date.parse(f2.nextPollAt) - Date.parse(f2.lastPollAt!)
    expect(wait).toBe(30 * 2 ** f2.failures * 60_000)
    server.route('/feed', (_q, res) => void res.writeHead(404).end('missing'))
    expect(await pollOne(feed)).toMatchObject({ error: { code: 'http', status: 404 } })
    // A success clears the error and the backoff.
    server.route(
      '/feed',
      documentRoute({ body: rss2(HEAD, posts(1, server.origin)), type: 'text/xml' })
    )
    await pollOne(feed)
    const ok = await feedOf(feed.id)
    expect(ok).toMatchObject({ failures: 0, lastError: null, articleCount: 1 })
    expect(Date.parse(ok.nextPollAt) - Date.parse(ok.lastPollAt!)).toBe(30 * 60_000)
  })

  it('410 Gone pauses the feed; 429 with Retry-After sets the next poll to when the server said', async () => {
    server.route('/gone', (_q, res) => void res.writeHead(410).end())
    server.route('/busy', (_q, res) => void res.writeHead(429, { 'retry-after': '7200' }).end())
    const gone = await subscribe('/gone')
    const busy = await subscribe('/busy', { intervalMinutes: 5 })
    await svc.pollFeeds([gone.id, busy.id])
    const g = await feedOf(gone.id)
    expect(g).toMatchObject({ paused: true, lastError: { code: 'gone', status: 410 } })
    const b = await feedOf(busy.id)
    expect(b.lastError).toMatchObject({ code: 'rate-limited', status: 429 })
    const wait = Date.parse(b.nextPollAt) - Date.parse(b.lastPollAt!)
    // Retry-After (2 h) wins over the backoff (5 min × 2^failures).
    expect(wait).toBeGreaterThan(7190_000)
    expect(wait).toBeLessThan(7210_000)
    // A paused feed is not polled by "poll all".
    const before = server.requests.filter((r) => r.path === '/gone').length
    await svc.pollFeeds()
    expect(server.requests.filter((r) => r.path === '/gone').length).toBe(before)
  })

  it('redirects: a 301 of the feed moves the subscription; file:// and ftp:// targets and loops are refused', async () => {
    const body = rss2(HEAD, posts(2, server.origin))
    server.route('/new-home', documentRoute({ body, type: 'application/rss+xml' }))
    server.route('/old', (_q, res) => void res.writeHead(301, { location: '/new-home' }).end())
    server.route(
      '/to-file',
      (_q, res) => void res.writeHead(302, { location: 'file:///etc/passwd' }).end()
    )
    server.route(
      '/to-ftp',
      (_q, res) => void res.writeHead(307, { location: 'ftp://127.0.0.1/x' }).end()
    )
    server.route('/loop', (_q, res) => void res.writeHead(302, { location: '/loop' }).end())
    const moved = await subscribe('/old')
    const r = await pollOne(moved)
    expect(r.status === 'fetched' || r.status === 'not-modified').toBe(true)
    expect((await feedOf(moved.id)).url).toBe(server.url('/new-home'))
    expect((await feedOf(moved.id)).articleCount).toBe(2)
    for (const path of ['/to-file', '/to-ftp', '/loop']) {
      const f = await subscribe(path)
      const out = await pollOne(f)
      expect(out.error?.code).toBe('bad-redirect')
      expect((await feedOf(f.id)).url).toBe(server.url(path))
    }
    // Six hops at most (the first and five redirects).
    expect(server.requests.filter((q) => q.path === '/loop').length).toBeLessThanOrEqual(12)
  })

  it('gzip, and GBK feeds with the charset in the XML declaration, only in Content-Type, nowhere, or wrong', async () => {
    const items = posts(3, server.origin)
    const xml = rss2(HEAD, items)
    server.route('/gz', documentRoute({ body: xml, type: 'application/rss+xml', gzip: true }))
    const gbkDeclared = iconv.encode(xml.replace('encoding="UTF-8"', 'encoding="GBK"'), 'gbk')
    server.route('/gbk-decl', documentRoute({ body: gbkDeclared, type: 'text/xml' }))
    const gbkHeader = iconv.encode(
      xml.replace('<?xml version="1.0" encoding="UTF-8"?>\n', ''),
      'gbk'
    )
    server.route(
      '/gbk-header',
      documentRoute({ body: gbkHeader, type: 'application/rss+xml; charset=gbk' })
    )
    // Declared nowhere, and declared wrongly (the XML says UTF-8, the bytes are GBK).
    const gbkBare = iconv.encode(xml.replace('<?xml version="1.0" encoding="UTF-8"?>\n', ''), 'gbk')
    server.route('/gbk-bare', documentRoute({ body: gbkBare, type: 'application/rss+xml' }))
    server.route(
      '/gbk-wrong',
      documentRoute({ body: iconv.encode(xml, 'gbk'), type: 'application/rss+xml' })
    )
    for (const path of ['/gz', '/gbk-decl', '/gbk-header', '/gbk-bare', '/gbk-wrong']) {
      const f = await subscribe(path)
      await pollOne(f)
      expect((await feedOf(f.id)).lastError).toBeNull()
    }
    // The feeds carry the same items: three articles, each title read right.
    const all = await svc.listArticles({ limit: 50 })
    expect(all.items.map((a) => a.title).sort()).toEqual(items.map((p) => p.title).sort())
    expect(server.requests.find((r) => r.path === '/gz')?.headers['accept-encoding']).toMatch(
      /gzip/
    )
  })

  it('a huge response is cut off at the cap while it is read (too-large), and nothing else is lost', async () => {
    server.route('/huge', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' })
      const chunk = Buffer.alloc(1024 * 1024, 'a')
      let sent = 0
      // Streams far more than the cap, with no Content-Length: only reading can stop it.
      const more = (): void => {
        while (sent < 40 && res.write(chunk)) sent++
        if (sent >= 40) res.end()
        else res.once('drain', more)
      }
      res.write('<?xml version="1.0"?><rss><channel><title>x</title><item><description>')
      more()
    })
    server.route(
      '/ok',
      documentRoute({ body: rss2(HEAD, posts(2, server.origin)), type: 'text/xml' })
    )
    const huge = await subscribe('/huge')
    const ok = await subscribe('/ok')
    const [a, b] = await svc.pollFeeds([huge.id, ok.id])
    expect(a?.error).toMatchObject({ code: 'too-large' })
    expect(a?.error?.message).toMatch(/over 10485760 bytes/)
    expect(b?.status === 'fetched' || b?.status === 'not-modified').toBe(true)
    expect((await feedOf(ok.id)).articleCount).toBe(2)
  })

  it('at most perHostLimit requests to one host at once, across feeds', async () => {
    svc.close()
    svc = open({ perHostLimit: 2, pollConcurrency: 8 })
    const ids: number[] = []
    for (let i = 0; i < 8; i++) {
      server.route(
        `/f${i}`,
        documentRoute({
          body: rss2(HEAD, posts(1, server.origin, i)),
          type: 'text/xml',
          delayMs: 150
        })
      )
      ids.push((await svc.addFeed(server.url(`/f${i}`))).id)
    }
    await svc.pollFeeds(ids)
    expect(server.requests.filter((r) => r.path.startsWith('/f')).length).toBeGreaterThanOrEqual(8)
    expect(server.maxInFlight).toBe(2)
  })
})

describe('full text', () => {
  it('summary-only items get their page fetched and extracted; a page that fails keeps the summary with a warning', async () => {
    // Posts with a few paragraphs of text (many corpus posts are mostly pictures).
    const items = posts(80, server.origin)
      .filter((p) => p.html.replace(/<[^>]*>/g, '').trim().length > 1500)
      .slice(0, 3)
    expect(items).toHaveLength(3)
    // Subscribed before anything is served: its first poll fails, so this poll takes the items.
    const feed = await subscribeAndSettle('/feed', { fullText: true })
    for (const p of items.slice(0, 2))
      server.route(
        new URL(p.link).pathname,
        documentRoute({ body: postPage(p), type: 'text/html; charset=utf-8' })
      )
    // items[2]'s page is missing (404).
    server.route(
      '/feed',
      documentRoute({
        body: atom(HEAD, items, { summaryOnly: true }),
        type: 'application/atom+xml'
      })
    )
    const r = await pollOne(feed)
    expect(r.counts.imported).toBe(3)
    const kept = r.results.filter((x) => x.warnings?.some((w) => /full text not fetched/.test(w)))
    expect(kept).toHaveLength(1)
    expect(kept[0]?.warnings?.join(' ')).toMatch(/answered 404/)
    const list = await svc.listArticles({ feedId: feed.id, limit: 10 })
    expect(list.total).toBe(3)
    for (const p of items.slice(0, 2)) {
      const a = list.items.find((x) => x.title === p.title)!
      const detail = (await svc.getArticle(a.id))!
      // The whole post, not the 60-character summary; the page's nav and footer left out.
      const lastWords = p.html
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(-30, -5)
        .trim()
      expect(detail.cleanText.length).toBeGreaterThan(200)
      expect(detail.cleanText.replace(/\s+/g, ' ')).toContain(lastWords.split(' ').at(-1)!)
      expect(detail.cleanText).not.toContain('首页')
      expect(detail.url).toBe(p.link)
    }
    const third = list.items.find((x) => x.title === items[2]!.title)!
    expect((await svc.getArticle(third.id))!.cleanText.endsWith('…')).toBe(true)
    expect(server.requests.some((r) => r.path === new URL(items[2]!.link).pathname)).toBe(true)
  })

  it('feeds without full text never fetch pages', async () => {
    const items = posts(2, server.origin)
    server.route(
      '/feed',
      documentRoute({
        body: atom(HEAD, items, { summaryOnly: true }),
        type: 'application/atom+xml'
      })
    )
    const feed = await subscribe('/feed')
    await pollOne(feed)
    expect(server.requests.filter((r) => r.path.startsWith('/post-'))).toHaveLength(0)
  })
})

describe('subscriptions as undoable changes', () => {
  it('add, edit, remove and undo: the feed comes back with the items it had seen', async () => {
    server.route(
      '/feed',
      documentRoute({ body: rss2(HEAD, posts(2, server.origin)), type: 'text/xml' })
    )
    const feed = await subscribe('/feed')
    await pollOne(feed)
    await expect(svc.addFeed(server.url('/feed'))).rejects.toMatchObject({ code: 'feed-exists' })
    const edited = await svc.updateFeed(feed.id, { title: '我的源', paused: true, tags: ['x'] })
    expect(edited).toMatchObject({ title: '我的源', paused: true, tags: ['x'] })
    const removed = await svc.removeFeed(feed.id)
    expect(removed.items).toHaveLength(2)
    expect(await svc.listFeeds()).toHaveLength(0)
    // The articles stay.
    expect((await svc.listArticles({ limit: 10 })).total).toBe(2)
    await svc.undo()
    const back = await svc.listFeeds()
    expect(back).toHaveLength(1)
    expect(back[0]).toMatchObject({ id: feed.id, title: '我的源', articleCount: 2 })
    await svc.undo()
    expect((await svc.listFeeds())[0]).toMatchObject({ title: HEAD.title, paused: false, tags: [] })
    const history = await svc.history({})
    expect(history.map((c) => c.op)).toEqual(
      expect.arrayContaining(['addFeed', 'updateFeed', 'removeFeed'])
    )
  })

  it("a poll does not come between the user and their undo: Undo takes back the user's edit, not the feed's new items", async () => {
    server.route(
      '/feed',
      documentRoute({ body: rss2(HEAD, posts(2, server.origin)), type: 'text/xml' })
    )
    const feed = await subscribe('/feed')
    await pollOne(feed)
    const [first] = (await svc.listArticles({ feedId: feed.id, limit: 10 })).items
    await svc.addTag([first!.id], '待读')
    // New items arrive on the feed's schedule after the user's edit.
    server.route(
      '/feed',
      documentRoute({ body: rss2(HEAD, posts(4, server.origin)), type: 'text/xml' })
    )
    const r = await pollOne(feed)
    expect(r.counts.imported).toBe(2)
    const undone = await svc.undo()
    expect(undone?.op).toBe('removeTag')
    expect((await svc.getArticle(first!.id))?.tags).not.toContain('待读')
    // The poll's articles stay.
    expect((await svc.listArticles({ feedId: feed.id, limit: 10 })).total).toBe(4)
  })

  it('a poll the core runs by itself is seen by every window: polling in listFeeds, and poll task events', async () => {
    server.route(
      '/feed',
      documentRoute({ body: rss2(HEAD, posts(2, server.origin)), type: 'text/xml', delayMs: 400 })
    )
    const heard: { done: number; total: number; finished: boolean }[] = []
    const off = svc.on('taskProgress', (p) => {
      if (p.kind === 'poll') heard.push({ done: p.done, total: p.total, finished: p.finished })
    })
    // addFeed polls in the background: the feed is in flight before anyone asked to poll it.
    const feed = await subscribe('/feed')
    expect((await svc.listFeeds())[0]).toMatchObject({ id: feed.id, polling: true })
    await expect.poll(() => heard.some((h) => h.finished), { timeout: 10_000 }).toBe(true)
    off()
    expect(heard[0]).toMatchObject({ done: 0, total: 1, finished: false })
    expect(heard.at(-1)).toMatchObject({ done: 1, total: 1, finished: true })
    expect((await svc.listFeeds())[0]).toMatchObject({ polling: false, articleCount: 2 })
  })

  it('refuses addresses that are not http(s)', async () => {
    await expect(svc.addFeed('file:///etc/passwd')).rejects.toThrow()
    await expect(svc.addFeed('ftp://example.com/feed')).rejects.toThrow()
  })
})
