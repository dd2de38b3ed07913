// The web preview: the same renderer in a browser, the real core behind it over loopback HTTP.
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { startWebPreview, type WebPreview } from '../../src/web/serve'
import { backupLibrary, defaultBackupPath } from '../../src/core/backup/backup'
import { createGleanerService } from '../../src/core/service'
import {
  CORPUS,
  collectPageErrors,
  ensureRendererBuilt,
  launchChromium,
  waitForApp,
  step,
  JOURNEY_MS
} from './harness'
import { checkedScreenshot } from './screen'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 })

let preview: WebPreview
let browser: Browser
let dir: string

beforeAll(async () => {
  ensureRendererBuilt()
  dir = mkdtempSync(join(tmpdir(), 'gleaner-web-'))
  preview = await startWebPreview({
    libraryPath: join(dir, 'library.db'),
    allowedRoots: [CORPUS, dir],
    // Any free port: the app (or another test) may hold the clipper's default one.
    clipPort: 0
  })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await preview?.close()
  rmSync(dir, { recursive: true, force: true })
})

function invoke(
  body: unknown,
  headers: Record<string, string> = { 'x-gleaner-token': preview.token }
): Promise<Response> {
  return fetch(preview.origin + '/api/invoke', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
}

/** fetch() will not forge a Host header, so DNS-rebinding requests go through node:http. */
function withHost(host: string): Promise<number> {
  const url = new URL(preview.origin)
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: '/', headers: { host } },
      (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      }
    )
    req.on('error', reject)
    req.end()
  })
}

describe('web preview server', () => {
  it(
    'answers only with its token, serves and imports, and keeps to its folders, in order on one server',
    async () => {
      await step(
        'listens on loopback and prints a URL carrying the token in the fragment',
        async () => {
          expect(preview.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
          expect(preview.url).toBe(`${preview.origin}/#token=${preview.token}`)
          expect(preview.token.length).toBeGreaterThanOrEqual(32)
        }
      )

      await step('runs the browser clipper endpoint beside it, on loopback', async () => {
        expect(preview.clipEndpoint?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u)
        const pairing = await invoke({ method: 'startClipperPairing', args: [] })
        expect(pairing.status).toBe(200)
        expect((await pairing.json()).result.endpoint).toBe(preview.clipEndpoint!.url)
      })

      await step('refuses calls without the token or with a wrong one (401)', async () => {
        expect((await invoke({ method: 'libraryInfo', args: [] }, {})).status).toBe(401)
        const wrong = await invoke(
          { method: 'libraryInfo', args: [] },
          { 'x-gleaner-token': 'nope' }
        )
        expect(wrong.status).toBe(401)
        const events = await fetch(preview.origin + '/api/events?token=nope')
        expect(events.status).toBe(401)
      })

      await step(
        'refuses foreign Host headers, non-JSON bodies, unknown methods and non-array args',
        async () => {
          expect(await withHost('evil.example:80')).toBe(421)
          expect(await withHost(new URL(preview.origin).host)).toBe(200)
          expect((await invoke('not json')).status).toBe(400)
          const plain = await fetch(preview.origin + '/api/invoke', {
            method: 'POST',
            headers: { 'content-type': 'text/plain', 'x-gleaner-token': preview.token },
            body: '{}'
          })
          expect(plain.status).toBe(415)
          expect((await invoke({ method: 'constructor', args: [] })).status).toBe(400)
          expect((await invoke({ method: 'libraryInfo', args: {} })).status).toBe(400)
          expect((await invoke({ method: 'getArticle', args: ['1; DROP TABLE'] })).status).toBe(400)
        }
      )

      await step('answers calls about missing things with 404 and the code, not 500', async () => {
        const made = await invoke({ method: 'createCollection', args: ['404 check', null] })
        const collection = ((await made.json()) as { result: { id: number } }).result.id
        const missing: [string, unknown[], string][] = [
          ['renameCollection', [99_999, 'x'], 'not-found'],
          ['addToCollection', [collection, [99_999]], 'no-article'],
          ['setCollectionItemNote', [collection, 99_999, 'x'], 'no-collection-item'],
          ['moveInCollection', [collection, 99_999, null], 'no-collection-item'],
          ['updateAnnotation', [99_999, { note: 'x' }], 'no-annotation'],
          ['createAnnotation', [{ articleId: 99_999, note: 'x' }], 'no-article'],
          ['renameCategory', [99_999, 'x'], 'not-found']
        ]
        for (const [method, args, code] of missing) {
          const r = await invoke({ method, args })
          expect(r.status, method).toBe(404)
          expect(((await r.json()) as { error: { code: string } }).error.code, method).toBe(code)
        }
        await invoke({ method: 'deleteCollection', args: [collection] })
      })

      await step('makes the scheduled backups the library’s setting asks for', async () => {
        const tick = await preview.backups.tick()
        expect(tick.decision).toEqual({ backup: true })
        expect(tick.made?.path).toMatch(/backups\/gleaner-auto-[\d-]+\.db$/u)
        expect((await preview.backups.tick()).decision).toEqual({ backup: false, why: 'not-due' })
      })

      await step('serves the renderer with a strict CSP and no directory escapes', async () => {
        const page = await fetch(preview.origin + '/')
        expect(page.status).toBe(200)
        expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
        expect((await fetch(preview.origin + '/..%2f..%2fpackage.json')).status).toBe(404)
      })

      await step('shows an article imported over the API in Chromium', async () => {
        const imported = await invoke({ method: 'importPaths', args: [[join(CORPUS, 'seed')]] })
        expect(imported.status).toBe(200)
        const run = (await imported.json()) as { result: { counts: { imported: number } } }
        expect(run.result.counts.imported).toBe(1)

        const context = await browser.newContext({ locale: 'en-US' })
        const page = await context.newPage()
        const errors = collectPageErrors(page)
        await page.goto(preview.url)
        await waitForApp(page)
        // The token moves from the address bar into sessionStorage.
        await poll(() => page.evaluate(() => location.hash)).toBe('')
        const row = page
          .getByRole('listbox')
          .getByRole('option')
          .filter({ hasText: '第四届进博会' })
        await row.click()
        await poll(() => page.locator('.article-body').innerText()).toContain('7月26日上午')
        // The browser cannot see dropped files' paths, so the preview offers a typed path.
        await page.getByRole('textbox', { name: 'Import path…' }).waitFor()
        await page.reload()
        await waitForApp(page)
        await row.waitFor()
        await checkedScreenshot(page, 'web-preview.png', {
          lang: 'en',
          scheme: 'light',
          texts: ['第四届进博会', '7月26日上午', 'All articles']
        })
        expect(errors).toEqual([])
        await context.close()
      })

      await step(
        'sends none of the library without the token: no title in any answer',
        async () => {
          const info = await invoke({ method: 'libraryInfo', args: [] })
          expect(
            ((await info.json()) as { result: { articleCount: number } }).result.articleCount
          ).toBe(1)
          const titles = (
            (await (await invoke({ method: 'listArticles', args: [{ limit: 100 }] })).json()) as {
              result: { items: { id: number; title: string; author: string | null }[] }
            }
          ).result.items
          const secrets = titles.flatMap((a) => [a.title, a.title.slice(0, 8), a.author ?? ''])
          const id = titles[0]!.id
          const page = await (await fetch(preview.origin + '/')).text()
          const assets = [...page.matchAll(/(?:src|href)="\.?(\/assets\/[^"]+)"/gu)].map(
            (m) => m[1]!
          )
          const answers: { what: string; body: string }[] = [{ what: '/', body: page }]
          for (const path of [
            '/index.html',
            '/api/first-frame',
            '/api/first-frame?height=900',
            `/api/events?token=nope`,
            `/remote-image?article=${id}&url=${encodeURIComponent('https://n.sinaimg.cn/x.png')}`,
            '/api/invoke',
            ...assets
          ]) {
            const response = await fetch(preview.origin + path)
            answers.push({ what: path, body: await response.text() })
            if (path.startsWith('/api/') || path.startsWith('/remote-image'))
              expect(response.status, path).toBe(path === '/api/invoke' ? 405 : 401)
          }
          expect(assets.length).toBeGreaterThan(0)
          for (const { what, body } of answers)
            for (const secret of secrets.filter((x) => x.length >= 4))
              expect(body.includes(secret), `${what} leaks "${secret}"`).toBe(false)
          // With the token, the page gets its first frame: the same rows, drawn by the server.
          const frame = await fetch(preview.origin + '/api/first-frame', {
            headers: { 'x-gleaner-token': preview.token }
          })
          expect(frame.status).toBe(200)
          expect(await frame.text()).toContain(titles[0]!.title)
        }
      )

      await step(
        'draws the fetched first frame before the app runs, then hydrates it',
        async () => {
          const context = await browser.newContext({ locale: 'en-US' })
          const page = await context.newPage()
          const errors = collectPageErrors(page)
          await page.goto(preview.url)
          await page.locator('#gleaner-first-paint').waitFor({ state: 'attached' })
          await waitForApp(page)
          await page
            .getByRole('listbox')
            .getByRole('option')
            .filter({ hasText: '第四届进博会' })
            .waitFor()
          expect(errors).toEqual([])
          await context.close()
        }
      )

      await step(
        'reads and writes typed paths only inside the folders it was started with',
        async () => {
          const refused = { ok: false, error: { code: 'path-outside-preview' } }
          for (const paths of [
            ['/etc/passwd'],
            ['/etc'],
            [join(dir, '..')],
            [join(dir, 'library.db')]
          ]) {
            const response = await invoke({ method: 'importPaths', args: [paths] })
            expect(response.status, paths.join()).toBe(403)
            expect(await response.json()).toMatchObject(refused)
          }
          for (const outPath of [join(dir, '.bashrc'), '/tmp/x.html', join(dir, 'library.db')]) {
            const response = await invoke({
              method: 'exportArticles',
              args: [{ source: { articleIds: [1] }, format: 'html', outPath }]
            })
            expect(response.status, outPath).toBe(403)
            expect(existsSync(join(dir, '.bashrc'))).toBe(false)
          }
          const inside = await invoke({
            method: 'exportArticles',
            args: [
              { source: { articleIds: [1] }, format: 'html', outPath: join(dir, 'brief.html') }
            ]
          })
          expect(inside.status).toBe(200)
          expect(existsSync(join(dir, 'brief.html'))).toBe(true)
        }
      )

      await step('imports a typed path from the page and streams progress events', async () => {
        const context = await browser.newContext({ locale: 'en-US' })
        const page = await context.newPage()
        const errors = collectPageErrors(page)
        await page.goto(preview.url)
        await waitForApp(page)
        // Listen to the same event stream the page uses.
        const abort = new AbortController()
        const stream = await fetch(`${preview.origin}/api/events?token=${preview.token}`, {
          signal: abort.signal
        })
        expect(stream.headers.get('content-type')).toContain('text/event-stream')
        let received = ''
        const reading = (async () => {
          const decoder = new TextDecoder()
          const reader = stream.body!.getReader()
          try {
            for (;;) {
              const { value, done } = await reader.read()
              if (done) break
              received += decoder.decode(value, { stream: true })
            }
          } catch {
            // aborted below
          }
        })()
        await page.getByRole('textbox', { name: 'Import path…' }).fill(join(CORPUS, 'rsshub'))
        await page.getByRole('button', { name: 'Import', exact: true }).click()
        await page.locator('[data-count="imported"]').waitFor({ timeout: 90_000 })
        const info = await invoke({ method: 'libraryInfo', args: [] })
        const { result } = (await info.json()) as { result: { articleCount: number } }
        expect(result.articleCount).toBeGreaterThan(100)
        await poll(() => page.locator('.count[aria-live]').innerText()).toBe(
          `${result.articleCount} articles`
        )
        await poll(() => received).toContain('event: libraryChanged')
        expect(received).toContain('event: importProgress')
        abort.abort()
        await reading
        expect(errors).toEqual([])
        await context.close()
      })
    },
    JOURNEY_MS
  )
})

describe('web preview of a damaged library', () => {
  let damaged: WebPreview
  let damagedDir: string
  beforeAll(async () => {
    damagedDir = mkdtempSync(join(tmpdir(), 'gleaner-web-damaged-'))
    const path = join(damagedDir, 'library.db')
    const sound = createGleanerService({ libraryPath: path })
    await sound.importPaths([join(CORPUS, 'seed')])
    backupLibrary(sound.db, defaultBackupPath(path))
    sound.close()
    // Garbage over the b-tree header of the articles table's first leaf page.
    const db = new Database(path, { readonly: true })
    const page = db
      .prepare("SELECT pageno FROM dbstat WHERE name = 'articles' AND pagetype = 'leaf'")
      .pluck()
      .get() as number
    db.close()
    const fd = openSync(path, 'r+')
    writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, (page - 1) * 4096)
    closeSync(fd)
    damaged = await startWebPreview({ libraryPath: path })
  })
  afterAll(async () => {
    await damaged?.close()
    rmSync(damagedDir, { recursive: true, force: true })
  })

  it('shows the banner with the backup in English and Chinese, and refuses writes with 409 and the code', async () => {
    for (const [locale, heading] of [
      ['en-US', 'This library is damaged'],
      ['zh-CN', '资料库已损坏']
    ] as const) {
      const context = await browser.newContext({ locale })
      const page = await context.newPage()
      await page.goto(damaged.url)
      await waitForApp(page)
      const banner = page.getByRole('alert').filter({ hasText: heading })
      await banner.waitFor()
      expect(await banner.locator('code').innerText()).toMatch(
        /^gleaner restore '.*backups\/gleaner-backup-[\d-]+\.db'$/u
      )
      await checkedScreenshot(page, `web-preview-damaged-${locale}.png`, {
        lang: locale === 'zh-CN' ? 'zh' : 'en',
        scheme: 'light',
        texts: [heading]
      })
      await context.close()
    }
    const r = await fetch(damaged.origin + '/api/invoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gleaner-token': damaged.token },
      body: JSON.stringify({ method: 'createCollection', args: ['after the damage', null] })
    })
    expect(r.status).toBe(409)
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('library-corrupt')
  })
})
