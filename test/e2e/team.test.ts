// Team libraries in real Chromium: two web previews (each the running app's stand-in: the same
// renderer, the real core, continuous sync) on two library files that are copies of one team
// library on a real PostgreSQL server of this file's own — the administrator's (made by
// `gleaner team create`, in English) and an analyst's (`gleaner team join`, in Chinese). The
// passwords come from a pgpass file, as on an analyst's machine. Each window's Team section shows
// both members connected; a tag added in one window reaches the other by itself; screenshots of
// the Team section in both languages.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebPreview, type WebPreview } from '../../src/web/serve'
import { pgAvailable, startPgCluster, type PgCluster } from '../helpers/pg-cluster'
import { SEED_FILE } from '../helpers/corpus'
import {
  collectPageErrors,
  ensureRendererBuilt,
  launchChromium,
  ROOT,
  step,
  waitForApp,
  JOURNEY_MS
} from './harness'
import { checkedScreenshot } from './screen'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 })

const ADMIN_PW = 'desk-admin-pw'
const ANALYST_PW = 'analyst-pw'
let pg: PgCluster
let dir: string
let browser: Browser
const previews: WebPreview[] = []
const contexts: BrowserContext[] = []

function cli(lib: string, ...args: string[]): string {
  return execFileSync(
    join(ROOT, 'node_modules/.bin/tsx'),
    [join(ROOT, 'src/cli/main.ts'), ...args, '--library', lib],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GLEANER_LIBRARY: '' } }
  )
}

const describeWithPg = pgAvailable ? describe : describe.skip
if (!pgAvailable) console.warn('team e2e skipped: PostgreSQL 15 binaries are not installed')

beforeAll(async () => {
  if (!pgAvailable) return
  ensureRendererBuilt()
  pg = await startPgCluster()
  pg.psql(
    `CREATE ROLE desk_admin LOGIN CREATEROLE PASSWORD '${ADMIN_PW}';
     CREATE ROLE analyst1 LOGIN PASSWORD '${ANALYST_PW}';`
  )
  pg.psql(`CREATE DATABASE news OWNER desk_admin`)
  dir = mkdtempSync(join(tmpdir(), 'gleaner-e2e-team-'))
  // Where libpq (and pg) look for passwords when the URL and the keychain have none.
  const pgpass = join(dir, 'pgpass')
  writeFileSync(
    pgpass,
    `127.0.0.1:${pg.port}:news:desk_admin:${ADMIN_PW}\n127.0.0.1:${pg.port}:news:analyst1:${ANALYST_PW}\n`,
    { mode: 0o600 }
  )
  process.env.PGPASSFILE = pgpass
  delete process.env.PGPASSWORD
  const server = (user: string): string => `postgres://${user}@127.0.0.1:${pg.port}/news`
  cli(join(dir, 'desk.db'), 'import', SEED_FILE)
  cli(join(dir, 'desk.db'), 'team', 'create', 'desk', '--server', server('desk_admin'))
  cli(join(dir, 'desk.db'), 'team', 'members', 'desk', '--add', 'analyst1', '--write')
  cli(join(dir, 'analyst.db'), 'team', 'join', 'desk', '--server', server('analyst1'))
  browser = await launchChromium()
}, 240_000)

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined)
  await browser?.close()
  for (const p of previews) await p.close()
  pg?.destroy()
  if (dir) rmSync(dir, { recursive: true, force: true })
  delete process.env.PGPASSFILE
})

async function call(preview: WebPreview, method: string, args: unknown[]): Promise<unknown> {
  const res = await fetch(preview.origin + '/api/invoke', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gleaner-token': preview.token },
    body: JSON.stringify({ method, args })
  })
  const outcome = (await res.json()) as {
    ok: boolean
    result?: unknown
    error?: { message: string }
  }
  if (!outcome.ok) throw new Error(outcome.error?.message)
  return outcome.result
}

async function openWindow(
  library: string,
  locale: string
): Promise<{ page: Page; errors: string[]; preview: WebPreview }> {
  const preview = await startWebPreview({
    libraryPath: join(dir, library),
    allowedRoots: [dir],
    clipPort: 0
  })
  previews.push(preview)
  const context = await browser.newContext({ locale, viewport: { width: 1400, height: 860 } })
  contexts.push(context)
  const page = await context.newPage()
  const errors = collectPageErrors(page)
  await page.goto(preview.url)
  await waitForApp(page)
  return { page, errors, preview }
}

const teamSection = (page: Page): Locator => page.locator('section.team')

describeWithPg('team library in two windows', () => {
  it(
    'each window shows both members connected; a tag added in one reaches the other; screenshots',
    async () => {
      const desk = await openWindow('desk.db', 'en-US')
      const analyst = await openWindow('analyst.db', 'zh-CN')

      await step(
        'the analyst’s window has the administrator’s article, fetched by the join',
        async () => {
          await analyst.page
            .getByRole('listbox')
            .getByRole('option')
            .filter({ hasText: '第四届进博会' })
            .waitFor()
        }
      )

      await step(
        'a tag added in the administrator’s window reaches the analyst’s by itself',
        async () => {
          // Through the administrator's preview's API, as its window calls it.
          const ids = (await call(desk.preview, 'listArticles', [{ limit: 10 }])) as {
            items: { id: number }[]
          }
          await call(desk.preview, 'addTag', [ids.items.map((a) => a.id), '团队共享'])
          expect(ids.items.length).toBe(1)
          // The analyst's Tags section shows it, with no reload and no Sync now.
          await poll(() => analyst.page.getByText('团队共享').count()).toBeGreaterThan(0)
        }
      )

      await step(
        'after those syncs, each Team section says both are connected, in its language',
        async () => {
          const both = /analyst1[\s\S]*desk_admin|desk_admin[\s\S]*analyst1/
          await poll(() => teamSection(desk.page).getByRole('list').innerText()).toMatch(both)
          await poll(() => teamSection(analyst.page).getByRole('list').innerText()).toMatch(both)
          await poll(() => teamSection(desk.page).getByTestId('team-state').innerText()).toBe(
            'Synced just now'
          )
          await poll(() => teamSection(analyst.page).getByTestId('team-state').innerText()).toBe(
            '刚刚已同步'
          )
        }
      )

      await step('screenshots of the Team section in English and Chinese', async () => {
        await teamSection(desk.page).scrollIntoViewIfNeeded()
        await checkedScreenshot(desk.page, 'team-section-en.png', {
          lang: 'en',
          scheme: 'light',
          texts: ['Team', 'desk', 'Synced', 'Connected now', 'analyst1', 'Sync now']
        })
        await teamSection(analyst.page).scrollIntoViewIfNeeded()
        await checkedScreenshot(analyst.page, 'team-section-zh.png', {
          lang: 'zh',
          scheme: 'light',
          texts: ['团队', 'desk', '已同步', '当前在线', 'desk_admin', '立即同步']
        })
      })
      expect(desk.errors).toEqual([])
      expect(analyst.errors).toEqual([])
    },
    JOURNEY_MS
  )
})
