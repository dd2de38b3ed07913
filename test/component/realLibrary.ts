// Component tests take their data from a real import: a temp SQLite library fed the seed
// article through the real service, so the panes are tested on what the core really returns.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { GleanerBridge } from '../../src/shared/api'
import { createGleanerService, type GleanerService } from '../../src/main/core/service'

export const SEED = '/work/shared/corpus/seed'
/** beforeAll hooks import a real library in a child process; on a busy machine that is slow. */
export const IMPORT_TIMEOUT_MS = 180_000

export interface RealLibrary {
  service: GleanerService
  /** The service as the renderer sees it (what preload or the test bridge would expose). */
  bridge: GleanerBridge
  dispose(): void
}

const ROOT = resolve(import.meta.dirname, '../..')

/** A temp library with `paths` imported by the real service (in a Node child process). */
export function openRealLibrary(paths: string[] = [SEED]): RealLibrary {
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-component-'))
  const libraryPath = join(dir, 'library.db')
  execFileSync(
    join(ROOT, 'node_modules/.bin/tsx'),
    [join(ROOT, 'test/component/seedLibrary.ts'), libraryPath, ...paths],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }
  )
  const service = createGleanerService({ libraryPath })
  return {
    service,
    bridge: {
      api: service,
      on: (event, listener) => service.on(event, listener),
      pathForFile: () => null
    },
    dispose() {
      service.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
