// Images kept in the library (issue 18): allowed for an article, its source or the whole
// library, an article's images are fetched once from a real loopback server, checked by their
// bytes and stored by content; the reader's route and the exports then have them with no
// network (link rot), undo takes the allowance back, and a page imported from disk brings the
// images beside it. The articles are real corpus posts (RSSHub's 9To5 Mac) with their image
// addresses pointed at the test server; the images are real JPEG/PNG/WebP files drawn with
// Chromium's canvas (test/fixtures/images).
import {
  readFileSync,
  readdirSync,
  mkdirSync,
  symlinkSync,
  writeFileSync,
  copyFileSync
} from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { MAX_REMOTE_IMAGE_BYTES } from '../../src/core/images/remote'
import { sha256Of } from '../../src/core/images/store'
import { sniffImageType } from '../../src/core/images/sniff'
import { remoteImagePath } from '../../src/shared/remote-image-route'
import { changeSentence } from '../../src/shared/change-labels'
import { RSSHUB, tempDir } from '../helpers/corpus'
import { bytesRoute, endlessRoute, startWebServer, type WebServer } from '../helpers/web-server'
import { unzipBytes } from './export-read'

const FIXTURES = join(import.meta.dirname, '../fixtures/images')
const PHOTO = readFileSync(join(FIXTURES, 'photo.jpg'))
const CHART = readFileSync(join(FIXTURES, 'chart.png'))
const TILE = readFileSync(join(FIXTURES, 'tile.webp'))
const NINE_TO_FIVE = join(RSSHUB, '新媒体/9To5/9To5 分站')
const POST_A = 'Apple Fortune 500 ranking now 3, but 188 for diversity.md'
const POST_B =
  'AAPL hits $3 trillion market cap, Apple now first company to reach milestone valuation.md'

interface Setup {
  dir: string
  server: WebServer
  service: GleanerService
  /** Article ids by post. */
  a: number
  b: number
  cleanup(): Promise<void>
}

const open: Setup[] = []
afterEach(async () => {
  for (const s of open.splice(0)) await s.cleanup()
})

/**
 * A real corpus post with its images pointed at the server: every <img> of the post becomes
 * `paths[i]` (the last one repeated), plus `extra` images after its text.
 */
function postWithImages(
  file: string,
  origin: string,
  paths: string[],
  extra: string[] = []
): string {
  const text = readFileSync(join(NINE_TO_FIVE, file), 'utf8')
  let i = 0
  const body = text.replace(/<img\b[^>]*>/gu, () => {
    const path = paths[Math.min(i++, paths.length - 1)]!
    return `<img src="${origin}${path}" alt="图${i}">`
  })
  return body + '\n' + extra.map((p) => `<p><img src="${origin}${p}"></p>`).join('\n') + '\n'
}

async function setup(): Promise<Setup> {
  const { dir, cleanup } = tempDir('gleaner-images-')
  const server = await startWebServer({
    '/img/photo.jpg': bytesRoute(PHOTO, 'image/jpeg'),
    '/img/chart.png': bytesRoute(CHART, 'image/png'),
    // The same bytes at another address, and a WebP served under a JPEG's type.
    '/img/photo-copy.jpg': bytesRoute(PHOTO, 'image/jpeg'),
    '/img/tile.jpg': bytesRoute(TILE, 'image/jpeg'),
    // A page that says it is a PNG.
    '/img/fake.png': bytesRoute('<html><script>alert(1)</script></html>', 'image/png'),
    '/img/vector.svg': bytesRoute(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      'image/svg+xml'
    ),
    '/img/huge.jpg': endlessRoute('image/jpeg', MAX_REMOTE_IMAGE_BYTES + 2 * 1024 * 1024)
  })
  writeFileSync(
    join(dir, 'a.md'),
    postWithImages(
      POST_A,
      server.origin,
      ['/img/photo.jpg', '/img/chart.png'],
      [
        '/img/photo.jpg',
        '/img/fake.png',
        '/img/missing.png',
        '/img/huge.jpg',
        '/img/vector.svg',
        '/img/tile.jpg'
      ]
    )
  )
  writeFileSync(join(dir, 'b.md'), postWithImages(POST_B, server.origin, ['/img/photo-copy.jpg']))
  const service = createGleanerService({
    libraryPath: join(dir, 'library.db'),
    capture: { allowPrivateAddresses: true }
  })
  const run = await service.importPaths([join(dir, 'a.md'), join(dir, 'b.md')])
  expect(run.counts.imported).toBe(2)
  const ids = new Map(run.results.map((r) => [r.path, r.articleId!]))
  const s: Setup = {
    dir,
    server,
    service,
    a: ids.get(join(dir, 'a.md'))!,
    b: ids.get(join(dir, 'b.md'))!,
    async cleanup() {
      service.close()
      await server.close()
      cleanup()
    }
  }
  open.push(s)
  return s
}

const rows = (s: Setup, articleId: number) =>
  s.service.db
    .prepare(
      'SELECT url, sha256, caption, error FROM article_images WHERE article_id = ? ORDER BY url'
    )
    .all(articleId) as {
    url: string
    sha256: string | null
    caption: string | null
    error: string | null
  }[]

const imageCount = (s: Setup): number =>
  s.service.db.prepare('SELECT count(*) FROM images').pluck().get() as number

const asked = (s: Setup, path: string): number =>
  s.server.requests.filter((r) => r.path === path).length

async function routeGet(s: Setup, articleId: number, path: string): Promise<Response> {
  const query = new URL(remoteImagePath(articleId, s.server.origin + path), 'http://x').searchParams
  return s.service.images.route(query)
}

describe('sniffing image types by their bytes', () => {
  it('knows the fixtures and refuses markup and SVG', () => {
    expect(sniffImageType(PHOTO)).toBe('image/jpeg')
    expect(sniffImageType(CHART)).toBe('image/png')
    expect(sniffImageType(TILE)).toBe('image/webp')
    expect(sniffImageType(Buffer.from('<html><body>not an image</body></html>'))).toBeNull()
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBeNull()
  })
})

describe('images allowed for an article', () => {
  it('are fetched once in the background and kept by content; bad ones refused with the reason', async () => {
    const s = await setup()
    const before = await s.service.remoteImagePolicy(s.a)
    expect(before).toMatchObject({ allowedBy: null, stored: 0, missing: 7 })
    expect(s.server.requests).toEqual([])

    const tasks: { kind: string; done: number; total: number; finished: boolean }[] = []
    const off = s.service.on('taskProgress', (p) => tasks.push(p))
    const policy = await s.service.setRemoteImages('article', s.a, true)
    expect(policy.allowedBy).toBe('article')
    await s.service.images.idle()
    off()

    const kept = rows(s, s.a)
    const by = (path: string) => kept.find((r) => r.url === s.server.origin + path)!
    expect(by('/img/photo.jpg').sha256).toBe(sha256Of(PHOTO))
    expect(by('/img/chart.png').sha256).toBe(sha256Of(CHART))
    // Its real type, whatever the server said.
    expect(by('/img/tile.jpg').sha256).toBe(sha256Of(TILE))
    expect(
      s.service.db
        .prepare('SELECT content_type FROM images WHERE sha256 = ?')
        .pluck()
        .get(sha256Of(TILE))
    ).toBe('image/webp')
    expect(by('/img/fake.png')).toMatchObject({
      sha256: null,
      error: expect.stringMatching(/not an image/u)
    })
    expect(by('/img/vector.svg')).toMatchObject({
      sha256: null,
      error: expect.stringMatching(/SVG|svg/u)
    })
    expect(by('/img/missing.png')).toMatchObject({
      sha256: null,
      error: expect.stringMatching(/404/u)
    })
    expect(by('/img/huge.jpg')).toMatchObject({
      sha256: null,
      error: expect.stringMatching(/too large/u)
    })
    expect(by('/img/photo.jpg').caption).toBe('图1')
    expect(imageCount(s)).toBe(3)
    // Each address asked once, although the photo is in the post twice.
    for (const path of ['/img/photo.jpg', '/img/chart.png', '/img/fake.png', '/img/huge.jpg'])
      expect(asked(s, path), path).toBe(1)
    // The other article of the source was not allowed: nothing of it was asked for.
    expect(asked(s, '/img/photo-copy.jpg')).toBe(0)
    expect(tasks.at(-1)).toMatchObject({ kind: 'images', finished: true, done: 7, total: 7 })

    expect(await s.service.remoteImagePolicy(s.a)).toMatchObject({
      allowedBy: 'article',
      stored: 3,
      missing: 4
    })
    // Served from the library now: no new request.
    const count = s.server.requests.length
    const response = await routeGet(s, s.a, '/img/chart.png')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await response.arrayBuffer()).equals(CHART)).toBe(true)
    expect(s.server.requests.length).toBe(count)
  }, 60_000)
})

describe('images allowed for a source', () => {
  it('reach the source’s other articles, the same picture stored once; undo takes the allowance back', async () => {
    const s = await setup()
    const a = (await s.service.getArticle(s.a))!
    const b = (await s.service.getArticle(s.b))!
    expect(a.source).not.toBeNull()
    expect(b.source).toBe(a.source)

    const changes: string[] = []
    const off = s.service.on('libraryChanged', (c) => changes.push(changeSentence(c, 'en')))
    await s.service.setRemoteImages('source', s.a, true)
    await s.service.images.idle()
    expect(await s.service.remoteImagePolicy(s.b)).toMatchObject({ allowedBy: 'source', stored: 1 })
    // The copy at another address is the same bytes: one row of images.
    expect(rows(s, s.b).map((r) => r.sha256)).toEqual([sha256Of(PHOTO)])
    expect(imageCount(s)).toBe(3)
    expect(changes).toEqual([`Allowed images from “${a.source}”`])

    const undone = await s.service.undo()
    off()
    expect(undone?.subjectOp).toBe('allowRemoteImages')
    expect(changeSentence(undone!, 'zh')).toBe('撤销：允许加载图片')
    expect(await s.service.remoteImagePolicy(s.b)).toMatchObject({ allowedBy: null, stored: 1 })
    // Kept images stay the library's own; an image not kept is no longer fetched.
    expect((await routeGet(s, s.b, '/img/photo-copy.jpg')).status).toBe(200)
    const count = s.server.requests.length
    s.service.db.prepare('DELETE FROM article_images WHERE article_id = ?').run(s.a)
    expect((await routeGet(s, s.a, '/img/chart.png')).status).toBe(403)
    expect(s.server.requests.length).toBe(count)

    // Redo: allowed again, and the route fetches and keeps what it is asked for.
    await s.service.redo()
    expect((await s.service.remoteImagePolicy(s.a)).allowedBy).toBe('source')
    expect((await routeGet(s, s.a, '/img/chart.png')).status).toBe(200)
    expect(asked(s, '/img/chart.png')).toBeGreaterThanOrEqual(1)
  }, 60_000)

  it('the whole library: an article keeps its images when it is next looked at', async () => {
    const s = await setup()
    await s.service.setRemoteImages('library', s.a, true)
    await s.service.images.idle()
    expect((await s.service.remoteImagePolicy(s.b)).allowedBy).toBe('library')
    await s.service.images.idle()
    expect(await s.service.remoteImagePolicy(s.b)).toMatchObject({ stored: 1, missing: 0 })
  }, 60_000)
})

describe('link rot', () => {
  it('once kept, the reader’s route and the exports have the images with the server gone', async () => {
    const s = await setup()
    await s.service.setRemoteImages('article', s.a, true)
    await s.service.images.idle()
    await s.server.close()

    const photo = await routeGet(s, s.a, '/img/photo.jpg')
    expect(photo.status).toBe(200)
    expect(Buffer.from(await photo.arrayBuffer()).equals(PHOTO)).toBe(true)
    // Not kept and the server gone: refused, not hung.
    expect((await routeGet(s, s.a, '/img/missing.png')).status).toBe(502)

    const out = join(s.dir, 'out')
    mkdirSync(out)
    const html = join(out, 'briefing.html')
    await s.service.exportArticles({ source: { articleIds: [s.a] }, format: 'html', outPath: html })
    const briefing = readFileSync(html, 'utf8')
    expect(briefing).toContain(`data:image/jpeg;base64,${PHOTO.toString('base64')}`)
    expect(briefing).toContain(`data:image/png;base64,${CHART.toString('base64')}`)
    // Each kept picture once (the photo is shown twice in the post), nothing referenced outside.
    expect(briefing.match(/<img src="data:image\/jpeg/gu)?.length).toBe(1)
    expect(briefing).not.toContain(s.server.origin)

    const md = join(out, 'notes')
    const written = await s.service.exportArticles({
      source: { articleIds: [s.a] },
      format: 'markdown',
      outPath: md
    })
    const images = readdirSync(join(md, 'images')).sort()
    expect(
      images.map(
        (f) =>
          readFileSync(join(md, 'images', f)).equals(PHOTO) ||
          readFileSync(join(md, 'images', f)).equals(CHART) ||
          readFileSync(join(md, 'images', f)).equals(TILE)
      )
    ).toEqual([true, true, true])
    const note = written.files
      .filter((f) => dirname(f) === md && f.endsWith('.md'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n')
    const photoFile = images.find((f) => f.endsWith('.jpg'))!
    expect(note).toContain(`](images/${photoFile})`)
    // Not kept: left as its link.
    expect(note).toContain(`](${s.server.origin}/img/missing.png)`)

    const docx = join(out, 'briefing.docx')
    await s.service.exportArticles({ source: { articleIds: [s.a] }, format: 'docx', outPath: docx })
    const media = [...(await unzipBytes(docx)).entries()].filter(([name]) =>
      name.startsWith('word/media/')
    )
    expect(media.some(([, bytes]) => bytes.equals(PHOTO))).toBe(true)
    expect(media.some(([, bytes]) => bytes.equals(CHART))).toBe(true)
  }, 60_000)

  it('a Markdown export never replaces a file of the user’s in images/', async () => {
    const s = await setup()
    await s.service.setRemoteImages('article', s.a, true)
    await s.service.images.idle()
    const out = join(s.dir, 'single')
    mkdirSync(join(out, 'images'), { recursive: true })
    const md = join(out, 'briefing.md')
    const first = await s.service.exportArticles({
      source: { articleIds: [s.a] },
      format: 'markdown',
      outPath: md
    })
    const photoPath = first.files.find((f) => f.endsWith('.jpg'))!
    expect(readFileSync(photoPath).equals(PHOTO)).toBe(true)
    // The same export again (the notes replaced on request) leaves the same image alone...
    await s.service.exportArticles({
      source: { articleIds: [s.a] },
      format: 'markdown',
      outPath: md,
      overwrite: true
    })
    // ...but a different file under that name is the user's: refused, and kept as it was.
    writeFileSync(photoPath, 'my own file')
    await expect(
      s.service.exportArticles({
        source: { articleIds: [s.a] },
        format: 'markdown',
        outPath: md,
        overwrite: true
      })
    ).rejects.toMatchObject({ code: 'file-exists' })
    expect(readFileSync(photoPath, 'utf8')).toBe('my own file')
  }, 60_000)
})

describe('images beside an imported page', () => {
  it('are read from its folder and kept with it; the files it used are not reported, others are', async () => {
    const { dir, cleanup } = tempDir('gleaner-beside-')
    try {
      // A real corpus post saved as a page on disk, with its pictures in images/.
      const post = readFileSync(join(NINE_TO_FIVE, POST_A), 'utf8')
      const paragraphs = [...post.matchAll(/<p>(.*?)<\/p>/gsu)].map((m) => m[1]!).slice(0, 6)
      const page = join(dir, 'saved')
      mkdirSync(join(page, 'images'), { recursive: true })
      writeFileSync(join(dir, 'secret.png'), CHART)
      copyFileSync(join(FIXTURES, 'photo.jpg'), join(page, 'images/photo.jpg'))
      copyFileSync(join(FIXTURES, 'chart.png'), join(page, 'images/chart.png'))
      copyFileSync(join(FIXTURES, 'tile.webp'), join(page, 'images/unused.webp'))
      writeFileSync(join(page, 'images/fake.png'), '<html>not a picture</html>')
      symlinkSync(join(dir, 'secret.png'), join(page, 'images/link.png'))
      writeFileSync(
        join(page, 'story.html'),
        `<!doctype html><html><head><meta charset="utf-8"><title>Apple Fortune 500 ranking</title></head><body><article><h1>Apple Fortune 500 ranking</h1>` +
          `<p>${paragraphs[0]}</p><figure><img src="images/photo.jpg" alt="Fortune"><figcaption>Apple’s place in the Fortune 500, year by year.</figcaption></figure>` +
          paragraphs
            .slice(1)
            .map((p) => `<p>${p}</p>`)
            .join('') +
          `<p><img src="images/chart.png"></p><p><img src="images/fake.png"></p><p><img src="images/link.png"></p>` +
          `<p><img src="../secret.png"></p></article></body></html>`
      )
      const service = createGleanerService({ libraryPath: join(dir, 'library.db') })
      try {
        const run = await service.importPaths([page])
        const byPath = new Map(run.results.map((r) => [r.path.slice(page.length + 1), r]))
        expect(byPath.get('story.html')?.status).toBe('imported')
        // Used by the page: not items of the run. Not used, or not an image: reported as before.
        expect(byPath.has('images/photo.jpg')).toBe(false)
        expect(byPath.has('images/chart.png')).toBe(false)
        expect(byPath.get('images/unused.webp')?.status).toBe('failed')
        expect(byPath.get('images/fake.png')).toBeDefined()
        expect(byPath.get('images/link.png')?.status).toBe('failed')

        const id = byPath.get('story.html')!.articleId!
        const detail = (await service.getArticle(id))!
        // The caption is kept with its picture.
        expect(detail.cleanHtml).toMatch(
          /<figure><img [^>]*src="https:\/\/local\.gleaner\.invalid\/images\/photo\.jpg"[^>]*\/><figcaption>Apple’s place in the Fortune 500, year by year\.<\/figcaption><\/figure>/u
        )
        const kept = service.db
          .prepare(
            'SELECT url, sha256, caption, error FROM article_images WHERE article_id = ? ORDER BY url'
          )
          .all(id) as {
          url: string
          sha256: string | null
          caption: string | null
          error: string | null
        }[]
        const of = (u: string) => kept.find((r) => r.url === `https://local.gleaner.invalid/${u}`)
        expect(of('images/photo.jpg')).toMatchObject({
          sha256: sha256Of(PHOTO),
          caption: 'Apple’s place in the Fortune 500, year by year.'
        })
        expect(of('images/chart.png')?.sha256).toBe(sha256Of(CHART))
        expect(of('images/fake.png')).toMatchObject({
          sha256: null,
          error: expect.stringMatching(/not an image/u)
        })
        // A link out of the folder, and a path above it, are not read.
        expect(of('images/link.png')).toMatchObject({
          sha256: null,
          error: expect.stringMatching(/outside/u)
        })
        expect(of('secret.png')).toMatchObject({ sha256: null })

        // Shown by the route with no allowance (they are the file's own), never fetched.
        const route = (u: string) =>
          service.images.route(
            new URL(remoteImagePath(id, `https://local.gleaner.invalid/${u}`), 'http://x')
              .searchParams
          )
        const shown = await route('images/photo.jpg')
        expect(shown.status).toBe(200)
        expect(Buffer.from(await shown.arrayBuffer()).equals(PHOTO)).toBe(true)
        await service.setRemoteImages('article', id, true)
        expect((await route('secret.png')).status).toBe(502)
        expect(await service.remoteImagePolicy(id)).toMatchObject({ stored: 2 })
      } finally {
        service.close()
      }
    } finally {
      cleanup()
    }
  }, 60_000)
})
