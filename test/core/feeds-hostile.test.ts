// Hostile input over HTTP: the hostile-input suite's pages and posts, and feeds built to hurt
// (entity bombs, binary noise, HTML nested past the parse limits, a million items), served by a
// loopback server. Each fails with a clear error for its feed or item; nothing else is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import type { FeedPollResult } from '../../src/shared/capture-types'
import { tempDir } from '../helpers/corpus'
import { posts, rss2 } from '../helpers/feed-docs'
import { documentRoute, startWebServer, type WebServer } from '../helpers/web-server'

const FIXTURES = join(__dirname, '../fixtures/hostile')
const HEAD = { title: '敌意输入', site: 'https://rsshub.example/' }
let t: { dir: string; cleanup: () => void }
let server: WebServer
let svc: GleanerService
const byPath = new Map<string, FeedPollResult>()

function laughs(): string {
  const defs = Array.from(
    { length: 10 },
    (_, i) => `<!ENTITY l${i} "${i === 0 ? 'lol' : `&l${i - 1};`.repeat(10)}">`
  )
  return `<?xml version="1.0"?>\n<!DOCTYPE rss [\n${defs.join('\n')}\n]>\n<rss version="2.0"><channel><title>&l9;</title><item><title>t</title><description>&l9;</description></item></channel></rss>`
}

beforeAll(async () => {
  t = tempDir('gleaner-feeds-hostile-')
  server = await startWebServer()
  svc = createGleanerService({
    libraryPath: join(t.dir, 'lib.db'),
    capture: { allowPrivateAddresses: true }
  })
  const good = posts(2, server.origin)
  const hostilePost = readFileSync(join(FIXTURES, 'hostile-post.md'), 'utf8')
  const hostileBody = hostilePost.slice(hostilePost.indexOf('\n---', 4) + 4)
  const deep = `<p>start ${'<b>'.repeat(3000)}deep</p>`
  const docs: Record<string, { body: string | Uint8Array; type: string }> = {
    '/page-as-feed': {
      body: readFileSync(join(FIXTURES, 'hostile-page.html')),
      type: 'application/rss+xml'
    },
    '/noise': {
      body: new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
      type: 'application/rss+xml'
    },
    '/laughs': { body: laughs(), type: 'application/rss+xml' },
    '/json-garbage': {
      body: '{"version": "https://jsonfeed.org/version/1.1", "items": [',
      type: 'application/json'
    },
    '/mixed': {
      // A hostile post's body, an item nested past the parse limits, and two good items.
      body: rss2(HEAD, [
        { ...good[0]!, id: 'hostile', title: 'Hostile post', html: hostileBody },
        { ...good[0]!, id: 'deep', title: 'Deep item', html: deep },
        ...good
      ]),
      type: 'application/rss+xml'
    },
    '/many': {
      body: `<rss version="2.0"><channel><title>many</title>${Array.from(
        { length: 1500 },
        (_, i) =>
          `<item><guid>g${i}</guid><title>Item ${i}</title><description>Text of item ${i}.</description></item>`
      ).join('')}</channel></rss>`,
      type: 'application/rss+xml'
    }
  }
  for (const [path, doc] of Object.entries(docs)) server.route(path, documentRoute(doc))
  const ids: number[] = []
  for (const path of Object.keys(docs)) ids.push((await svc.addFeed(server.url(path))).id)
  const results = await svc.pollFeeds(ids)
  for (const r of results) byPath.set(new URL(r.url).pathname, r)
}, 120_000)
afterAll(async () => {
  svc.close()
  await server.close()
  t.cleanup()
})

describe('hostile feeds over HTTP', () => {
  it('a web page, binary noise and broken JSON each fail as not-a-feed, for that feed only', async () => {
    const feeds = await svc.listFeeds()
    for (const path of ['/page-as-feed', '/noise', '/json-garbage']) {
      const f = feeds.find((x) => x.url === server.url(path))!
      expect(f.lastError?.code, path).toBe('not-a-feed')
      expect(f.lastError?.message, path).toContain(server.url(path))
      expect(f.articleCount).toBe(0)
    }
    expect(feeds.find((x) => x.url === server.url('/noise'))?.lastError?.message).toMatch(/binary/)
  })

  it('an entity bomb expands to nothing big: refused, or a small article', async () => {
    const f = (await svc.listFeeds()).find((x) => x.url === server.url('/laughs'))!
    if (f.lastError) expect(f.lastError.code).toBe('not-a-feed')
    const list = await svc.listArticles({ feedId: f.id, limit: 10 })
    for (const a of list.items)
      expect((await svc.getArticle(a.id))!.cleanText.length).toBeLessThan(20_000)
  })

  it('in a feed with good and hostile items, the deep item fails alone, the hostile post is cleaned, the good ones import', async () => {
    const mixed = (await svc.listFeeds()).find((x) => x.url === server.url('/mixed'))!
    expect(mixed.lastError).toBeNull()
    const list = await svc.listArticles({ feedId: mixed.id, limit: 10 })
    const titles = list.items.map((a) => a.title)
    expect(titles).toContain('Hostile post')
    expect(titles).not.toContain('Deep item')
    expect(list.total).toBe(3)
    const hostile = await svc.getArticle(list.items.find((a) => a.title === 'Hostile post')!.id)
    expect(hostile?.cleanText).toContain('The first paragraph must survive.')
    expect(hostile?.cleanHtml).not.toMatch(/<script|onclick|onmouseover/i)
    // The deep item's failure is in the poll's results with its reason.
    const polls = [...byPath.values()].find((r) => r.feedId === mixed.id)
    const failed = polls?.results.filter((r) => r.status === 'failed') ?? []
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ code: 'too-large' })
    expect(failed[0]?.reason).toMatch(/nest deeper than 512/)
  })

  it('a feed of 1,500 items takes the first 1,000 and says so', async () => {
    const many = (await svc.listFeeds()).find((x) => x.url === server.url('/many'))!
    expect(many.articleCount).toBe(1000)
    const r = [...byPath.values()].find((x) => x.feedId === many.id)
    expect(r?.results.at(-1)).toMatchObject({ status: 'failed', code: 'over-budget' })
    expect(r?.results.at(-1)?.reason).toMatch(/lists 1500 items; only the first 1000 are read/)
  })
})
