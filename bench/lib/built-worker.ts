// The parse worker as the app runs it (electron-vite's build of src/core/importer/parse-worker),
// for the benchmarks that measure imports and re-cleans through the real worker pool.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const BUILT_WORKER = join(ROOT, 'out/main/parse-worker.js')

/** Builds the app first unless `skipBuild`; fails when the worker is not there after. */
export function ensureBuiltWorker(skipBuild: boolean): void {
  if (!skipBuild) {
    console.log('building (electron-vite build) for the parse worker…')
    execFileSync(join(ROOT, 'node_modules/.bin/electron-vite'), ['build'], {
      cwd: ROOT,
      stdio: 'ignore'
    })
  }
  if (!existsSync(BUILT_WORKER)) throw new Error(`${BUILT_WORKER} is missing: run npm run build`)
}
