// `gleaner feeds …` in a child process against feeds on a loopback server in this one (so the
// child is spawned asynchronously: this process must keep answering its requests).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { tempDir } from '../helpers/corpus'
import { posts, rss2 } from '../helpers/feed-docs'
import { documentRoute, startWebServer, type WebServer } from '../helpers/web-server'

const ROOT = resolve(__dirname, '../..')
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
const t = tempDir('gleaner-feeds-cli-')
let server: WebServer

function cli(lib: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [TSX, join(ROOT, 'src/cli/main.ts'), ...args, '--library', lib],
      { encoding: 'utf8', env: { ...process.env, GLEANER_LIBRARY: '' }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, out: stdout, err: stderr })
    )
  })
}

const HEAD = { title: 'CLI 测试源', site: 'https://rsshub.example/' }

beforeAll(async () => {
  server = await startWebServer()
})
afterAll(async () => {
  await server.close()
  t.cleanup()
})

describe('gleaner feeds', () => {
  it('add polls once and says what arrived; list shows it; poll --json has the import results shape', async () => {
    const LIB = join(t.dir, 'a.db')
    server.route(
      '/feed',
      documentRoute({ body: rss2(HEAD, posts(3, server.origin)), type: 'application/rss+xml' })
    )
    const add = await cli(
      LIB,
      'feeds',
      'add',
      server.url('/feed'),
      '--category',
      '订阅/测试',
      '--tag',
      'cli'
    )
    expect(add.err).toBe('')
    expect(add.code).toBe(0)
    expect(add.out).toContain(`Subscribed to ${server.url('/feed')}`)
    expect(add.out).toMatch(/3 new|not modified/)

    const list = JSON.parse((await cli(LIB, 'feeds', 'list', '--json')).out) as {
      url: string
      title: string
      categoryPath: string[]
      tags: string[]
      articleCount: number
    }[]
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({
      url: server.url('/feed'),
      title: HEAD.title,
      categoryPath: ['订阅', '测试'],
      tags: ['cli'],
      articleCount: 3
    })
    const human = await cli(LIB, 'feeds', 'list')
    expect(human.out).toContain(HEAD.title)
    expect(human.out).toMatch(/\b3\b/)

    // A new item arrives; `poll --json` reports it as `import --json` reports a file.
    server.route(
      '/feed',
      documentRoute({ body: rss2(HEAD, posts(4, server.origin)), type: 'application/rss+xml' })
    )
    const poll = await cli(LIB, 'feeds', 'poll', server.url('/feed'), '--json')
    expect(poll.code).toBe(0)
    const results = JSON.parse(poll.out) as {
      url: string
      status: string
      counts: { imported: number }
      results: { path: string; status: string; articleId?: number }[]
    }[]
    expect(results).toHaveLength(1)
    expect(results[0]).toMatchObject({ status: 'fetched', counts: { imported: 1 } })
    expect(results[0]?.results).toEqual([
      expect.objectContaining({ status: 'imported', articleId: expect.any(Number) as number })
    ])
    const again = await cli(LIB, 'feeds', 'poll')
    expect(again.out).toContain('not modified')
  })

  it('export-opml never replaces a file without --force; import-opml subscribes; remove unsubscribes', async () => {
    const LIB = join(t.dir, 'b.db')
    server.route(
      '/other',
      documentRoute({ body: rss2(HEAD, posts(4, server.origin, 10)), type: 'application/rss+xml' })
    )
    expect(
      (await cli(LIB, 'feeds', 'add', server.url('/other'), '--category', '订阅/测试')).code
    ).toBe(0)
    const out = join(t.dir, 'feeds.opml')
    writeFileSync(out, 'mine')
    const refused = await cli(LIB, 'feeds', 'export-opml', out)
    expect(refused.code).toBe(1)
    expect(refused.err).toMatch(/already exists; nothing was written\. Add --force/)
    expect(readFileSync(out, 'utf8')).toBe('mine')
    expect((await cli(LIB, 'feeds', 'export-opml', out, '--force')).code).toBe(0)
    expect(readFileSync(out, 'utf8')).toContain(`xmlUrl="${server.url('/other')}"`)
    expect(readFileSync(out, 'utf8')).toMatch(/<outline text="订阅"/)

    const fresh = join(t.dir, 'new.opml')
    expect((await cli(LIB, 'feeds', 'export-opml', fresh)).code).toBe(0)
    expect(existsSync(fresh)).toBe(true)

    const remove = await cli(LIB, 'feeds', 'remove', server.url('/other'))
    expect(remove.out).toMatch(/its 4 article\(s\) stay/)
    expect(JSON.parse((await cli(LIB, 'feeds', 'list', '--json')).out)).toEqual([])

    const imported = await cli(LIB, 'feeds', 'import-opml', out)
    expect(imported.out).toContain('Subscribed to 1 feed(s); skipped 0')
    const list = JSON.parse((await cli(LIB, 'feeds', 'list', '--json')).out) as {
      categoryPath: string[]
      articleCount: number
    }[]
    expect(list[0]?.categoryPath).toEqual(['订阅', '测试'])
  })

  it('refuses what is not a subcommand or not subscribed, with the reason', async () => {
    const LIB = join(t.dir, 'c.db')
    expect((await cli(LIB, 'feeds', 'frobnicate')).code).toBe(2)
    const missing = await cli(LIB, 'feeds', 'remove', 'http://127.0.0.1:1/none')
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/not subscribed to http:\/\/127\.0\.0\.1:1\/none/)
    const bad = await cli(LIB, 'feeds', 'add', 'ftp://example.com/x')
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/http or https/)
  })
})
