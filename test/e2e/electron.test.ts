// The real Electron shell through Playwright's _electron: runs wherever an Electron binary
// exists. None can be downloaded on the build machines, so there it is skipped, saying why.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createGleanerService } from '../../src/core/service'
import { CORPUS, ROOT, ensureRendererBuilt, resultsDir } from './harness'

/** The Electron binary, found without triggering the package's download-on-require. */
function findElectron(): { path: string } | { reason: string } {
  if (process.env.ELECTRON_EXEC_PATH) {
    return existsSync(process.env.ELECTRON_EXEC_PATH)
      ? { path: process.env.ELECTRON_EXEC_PATH }
      : { reason: `ELECTRON_EXEC_PATH=${process.env.ELECTRON_EXEC_PATH} does not exist` }
  }
  const pkg = join(ROOT, 'node_modules/electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) {
    return { reason: `${pathFile} is missing (the binary was never downloaded)` }
  }
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? { path: binary } : { reason: `${binary} does not exist` }
}

const found = findElectron()
const skipReason =
  'reason' in found ? `Electron binary not downloadable on this machine: ${found.reason}` : ''
if (skipReason) console.warn(`[e2e/electron] skipped — ${skipReason}`)

describe('Electron shell', () => {
  it.skipIf(skipReason !== '')(
    skipReason || 'opens the window, exposes only window.gleaner, imports and shows the seed',
    async () => {
      if (!('path' in found)) return
      ensureRendererBuilt()
      const dir = mkdtempSync(join(tmpdir(), 'gleaner-electron-'))
      const app = await electron.launch({
        executablePath: found.path,
        args: [join(ROOT, 'out/main/index.js'), '--no-sandbox'],
        env: { ...process.env, GLEANER_LIBRARY: join(dir, 'library.db') }
      })
      try {
        const page = await app.firstWindow()
        // The app's root is aria-busy until its code has taken the window over.
        await page.locator('.app:not([aria-busy])').waitFor()
        // Sandboxed renderer: the preload's bridge is there, Node is not.
        const globals = await page.evaluate(() => ({
          bridge: typeof window.gleaner?.api.importPaths,
          require: typeof (window as unknown as { require?: unknown }).require,
          process: typeof (window as unknown as { process?: unknown }).process
        }))
        expect(globals).toEqual({ bridge: 'function', require: 'undefined', process: 'undefined' })
        // The window names only paths main granted it (a dialog, a drop): a typed one is refused.
        const refused = await page.evaluate(
          (path) =>
            window.gleaner!.api.importPaths([path]).then(
              () => 'imported',
              (err: { code?: string }) => err.code
            ),
          join(CORPUS, 'seed')
        )
        expect(refused).toBe('path-not-granted')
        // Imported as the CLI would (trusted, through the core); the window hears of it.
        const core = createGleanerService({ libraryPath: join(dir, 'library.db') })
        await core.importPaths([join(CORPUS, 'seed')])
        core.close()
        await page.reload()
        await page.locator('.app:not([aria-busy])').waitFor()
        const leaf = page.getByRole('treeitem').filter({ hasText: '新浪财经－国內' })
        await leaf.click()
        await page.getByRole('listbox').getByRole('option').first().click()
        await expect
          .poll(() => page.locator('.article-body').innerText(), { timeout: 20_000 })
          .toContain('7月26日上午')
        await page.screenshot({ path: join(resultsDir(), 'electron-seed.png') })
        // Reopened with a library, the page comes from gleaner://app/ with its first frame drawn.
        await page.reload()
        expect(page.url()).toBe('gleaner://app/index.html')
        expect(await page.locator('#gleaner-first-paint').count()).toBe(1)
        await page
          .locator('.app:not([aria-busy]) [role="option"][data-article-id]')
          .first()
          .waitFor()
      } finally {
        await app.close()
        rmSync(dir, { recursive: true, force: true })
      }
    }
  )
})
