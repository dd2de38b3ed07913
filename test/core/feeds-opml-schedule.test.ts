// OPML import and export (a round trip through a second library), and the schedule: next poll
// times live in the library, so a feed that fell due while the app was closed is polled when it
// opens again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { readOpml } from '../../src/core/feeds/opml'
import { tempDir } from '../helpers/corpus'
import { posts, rss2 } from '../helpers/feed-docs'
import { documentRoute, startWebServer, type WebServer } from '../helpers/web-server'

const HEAD = { title: '排程测试', site: 'https://rsshub.example/' }
let t: { dir: string; cleanup: () => void }
let server: WebServer
const open: GleanerService[] = []

function service(name: string, scheduleFeeds = false): GleanerService {
  const svc = createGleanerService({
    libraryPath: join(t.dir, name),
    capture: { allowPrivateAddresses: true, scheduleFeeds }
  })
  open.push(svc)
  return svc
}

function nextChange(svc: GleanerService, op: string): Promise<void> {
  return new Promise((resolve) => {
    const off = svc.on('libraryChanged', (c) => {
      if (c.op !== op) return
      off()
      resolve()
    })
  })
}

beforeEach(async () => {
  t = tempDir('gleaner-feeds-opml-')
  server = await startWebServer()
})
afterEach(async () => {
  for (const s of open.splice(0)) s.close()
  await server.close()
  t.cleanup()
})

describe('OPML', () => {
  it('imports folders as categories, skips duplicates and non-http outlines, and round-trips through export', async () => {
    const svc = service('a.db')
    await svc.addFeed(server.url('/already'))
    const opml = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="新闻" title="新闻">
    <outline text="财经" title="财经">
      <outline type="rss" text="新浪财经" xmlUrl="${server.url('/sina')}"/>
    </outline>
    <outline type="rss" text="澎湃 &amp; 新闻" xmlUrl="${server.url('/thepaper')}"/>
  </outline>
  <outline type="rss" text="Top level" xmlUrl="${server.url('/top')}" htmlUrl="https://top.example/"/>
  <outline type="rss" text="Again" xmlUrl="${server.url('/top')}"/>
  <outline type="rss" text="Already" xmlUrl="${server.url('/already')}"/>
  <outline type="rss" text="Local file" xmlUrl="file:///etc/passwd"/>
  <outline type="rss" text="FTP" xmlUrl="ftp://example.com/feed.xml"/>
</body></opml>`
    const result = await svc.importOpml(opml)
    expect(result.added.map((f) => [f.url, f.title, f.categoryPath])).toEqual([
      [server.url('/sina'), '新浪财经', ['新闻', '财经']],
      [server.url('/thepaper'), '澎湃 & 新闻', ['新闻']],
      [server.url('/top'), 'Top level', []]
    ])
    expect(result.skipped.map((s) => s.url)).toEqual([
      server.url('/top'),
      server.url('/already'),
      'file:///etc/passwd',
      'ftp://example.com/feed.xml'
    ])
    expect(result.skipped[0]?.reason).toBe('already subscribed')
    expect(result.skipped[2]?.reason).toMatch(/http or https/)

    const exported = await svc.exportOpml()
    expect(exported).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0">/)
    const entries = readOpml(exported)
    const mine = (await svc.listFeeds()).map((f) => ({ url: f.url, path: f.categoryPath }))
    expect(entries.map((e) => ({ url: e.url, path: e.categoryPath }))).toEqual(
      expect.arrayContaining(mine)
    )
    expect(entries).toHaveLength(mine.length)

    // Another library takes the export and ends up with the same subscriptions.
    const other = service('b.db')
    const again = await other.importOpml(exported)
    expect(again.skipped).toEqual([])
    const theirs = (await other.listFeeds()).map((f) => ({ url: f.url, path: f.categoryPath }))
    expect(theirs).toEqual(expect.arrayContaining(mine))
    expect(theirs).toHaveLength(mine.length)
    // One undo takes the whole OPML import back.
    await other.undo()
    expect(await other.listFeeds()).toEqual([])
  })

  it('refuses a file that is not OPML, or expands entities without bound, with a clear error', async () => {
    const svc = service('c.db')
    await expect(svc.importOpml('<html><body>no</body></html>')).rejects.toMatchObject({
      code: 'opml-invalid'
    })
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE opml [
${Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i} "${i === 0 ? 'lol' : `&l${i - 1};`.repeat(10)}">`).join('\n')}
]>
<opml version="2.0"><body><outline text="&l9;" xmlUrl="${server.url('/x')}"/></body></opml>`
    // Entities do not nest into a billion copies: the title stays small (or the file is refused).
    const got = await svc.importOpml(laughs).catch((e: unknown) => e)
    if (got instanceof Error) expect(got).toMatchObject({ code: 'opml-invalid' })
    else expect(JSON.stringify(got).length).toBeLessThan(20_000)
  })

  it('an OPML file over the size cap is refused before it is parsed', async () => {
    const svc = service('e.db')
    const big = `<opml version="2.0"><body>${'<outline text="x"/>'.repeat(300_000)}</body></opml>`
    await expect(svc.importOpml(big)).rejects.toMatchObject({ code: 'opml-invalid' })
    expect(await svc.listFeeds()).toEqual([])
  })
})

describe('schedule', () => {
  it('survives a restart: a feed that fell due while the library was closed is polled when it opens', async () => {
    server.route(
      '/feed',
      documentRoute({ body: rss2(HEAD, posts(2, server.origin)), type: 'application/rss+xml' })
    )
    const first = service('s.db', true)
    const polled = nextChange(first, 'pollFeeds')
    const feed = await first.addFeed(server.url('/feed'), { intervalMinutes: 60 })
    await polled
    const before = (await first.listFeeds())[0]!
    expect(before.articleCount).toBe(2)
    // Not due for an hour: the schedule leaves it alone.
    expect(Date.parse(before.nextPollAt) - Date.parse(before.lastPollAt!)).toBe(3_600_000)
    first.close()
    open.splice(open.indexOf(first), 1)

    // The feed gets a new item; the machine sleeps past the feed's next poll (its time is in
    // the library file).
    server.route(
      '/feed',
      documentRoute({ body: rss2(HEAD, posts(3, server.origin)), type: 'application/rss+xml' })
    )
    const raw = new Database(join(t.dir, 's.db'))
    raw
      .prepare('UPDATE feeds SET next_poll_at = ? WHERE id = ?')
      .run(new Date(Date.now() - 60_000).toISOString(), feed.id)
    raw.close()

    const reopened = service('s.db', true)
    await nextChange(reopened, 'pollFeeds')
    const after = (await reopened.listFeeds())[0]!
    expect(after.articleCount).toBe(3)
    expect(Date.parse(after.nextPollAt)).toBeGreaterThan(Date.now() + 59 * 60_000)
  })

  it('a feed added while the schedule runs is polled at once and not again before it is due', async () => {
    server.route(
      '/feed',
      documentRoute({ body: rss2(HEAD, posts(1, server.origin)), type: 'application/rss+xml' })
    )
    const svc = service('d.db', true)
    const polled = nextChange(svc, 'pollFeeds')
    await svc.addFeed(server.url('/feed'))
    await polled
    expect(server.requests.filter((r) => r.path === '/feed')).toHaveLength(1)
    expect((await svc.listFeeds())[0]?.articleCount).toBe(1)
  })
})
