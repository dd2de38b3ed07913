// Library › Re-clean articles… on a library of 400 generated articles, in Chromium against the
// real core: the dialog follows its run's progress and its Cancel stops the run, with what was
// done kept and the rest left for the next run, which the dialog then finishes. The core parses
// with the real parser behind a gate the test holds, so the run is certainly still going (at
// 100 articles) when Cancel is clicked.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLEANER_VERSION } from '../../src/core/clean/version'
import { parseArticleFile } from '../../src/core/ingest/parse'
import type { ParseOutcome } from '../../src/core/model/parsed-article'
import { createGleanerService } from '../../src/core/service'
import { generateCorpus } from '../core/import-corpus-gen'
import {
  closeAppSession,
  ensureRendererBuilt,
  launchChromium,
  openAppSession,
  serveRenderer,
  type AppSession,
  type StaticServer
} from './harness'

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 60_000 })
const ARTICLES = 400
const FIRST = 100

let browser: Browser
let server: StaticServer
let s: AppSession

/** Parses pass while fewer than `admit` have; the rest wait until `release`. */
let admit = Infinity
let passed = 0
let release: () => void = () => undefined
let released: Promise<void> = Promise.resolve()
async function gatedParse(bytes: Uint8Array, path: string): Promise<ParseOutcome> {
  if (passed++ >= admit) await released
  return parseArticleFile(bytes, path)
}

beforeAll(async () => {
  ensureRendererBuilt()
  server = await serveRenderer()
  browser = await launchChromium()
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-e2e-reclean-'))
  const service = createGleanerService({
    libraryPath: join(dir, 'library.db'),
    importOptions: { parse: gatedParse }
  })
  const library = {
    service,
    dir,
    dispose: () => {
      service.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const files = join(dir, 'files')
  generateCorpus(files, ARTICLES)
  expect((await service.importPaths([files])).counts.imported).toBe(ARTICLES)
  s = await openAppSession(browser, server, { locale: 'en-US', library })
}, 180_000)

afterAll(async () => {
  release()
  if (s) await closeAppSession(s)
  await browser?.close()
  await server?.close()
})

const outdated = (): number =>
  s.library.service.db
    .prepare('SELECT COUNT(*) FROM articles WHERE cleaning_version < ?')
    .pluck()
    .get(CLEANER_VERSION) as number

async function openDialog() {
  await s.page.getByRole('button', { name: 'Library ▾' }).click()
  await s.page
    .getByRole('menu', { name: 'Library' })
    .getByRole('menuitem', { name: 'Re-clean articles…' })
    .click()
  return s.page.getByRole('dialog', { name: 'Re-clean articles' })
}

describe('the Re-clean dialog', () => {
  it('shows the run’s progress, stops it with Cancel, and the next run finishes the rest', async () => {
    const db = s.library.service.db
    db.prepare('UPDATE articles SET cleaning_version = ?').run(CLEANER_VERSION - 1)
    // The first originals parse; the rest wait until the test lets them.
    passed = 0
    admit = FIRST
    released = new Promise((done) => (release = done))

    const dialog = await openDialog()
    await poll(() => dialog.innerText()).toContain(
      `${ARTICLES} articles were cleaned by an older version.`
    )
    await dialog.getByRole('button', { name: `Re-clean ${ARTICLES}` }).click()
    // The run's progress, up to where the parser waits.
    await poll(() => dialog.getByRole('status').innerText()).toBe(
      `Re-cleaned ${FIRST} of ${ARTICLES} articles…`
    )
    expect(await dialog.locator('progress').getAttribute('max')).toBe(String(ARTICLES))
    expect(await dialog.locator('progress').getAttribute('value')).toBe(String(FIRST))
    const cancel = dialog.getByRole('button', { name: 'Cancel' })
    await cancel.click()
    // It stops while the parser still holds the rest back…
    await poll(() => dialog.getByRole('status').innerText()).toBe(
      `Stopped after ${FIRST} of ${ARTICLES} articles (0 changed); the rest keep their old text.`
    )
    // …and what it held back is not written once it comes through.
    admit = Infinity
    release()
    expect(outdated()).toBe(ARTICLES - FIRST)
    await dialog.getByRole('button', { name: 'Close' }).click()

    // The next run takes what is left, to the end.
    const again = await openDialog()
    await again.getByRole('button', { name: `Re-clean ${ARTICLES - FIRST}` }).click()
    await poll(() => again.getByRole('status').innerText()).toContain(
      `0 of ${ARTICLES - FIRST} articles changed`
    )
    expect(outdated()).toBe(0)
    await again.getByRole('button', { name: 'Close' }).click()
    expect(s.errors).toEqual([])
  })
})
