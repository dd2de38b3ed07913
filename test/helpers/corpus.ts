import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

// This folder, in every runner: vitest (node and DOM environments) and tsx-run benchmarks,
// where __dirname does not exist. Runs start at the repository root when dirname is missing.
const HERE: string = import.meta.dirname ?? resolve(process.cwd(), 'test/helpers')

/** ../shared beside the checkout, as laid out on developer machines and in CI. */
export const SHARED = process.env.GLEANER_SHARED ?? resolve(HERE, '../../../shared')
export const CORPUS = join(SHARED, 'corpus')
export const SEED_DIR = join(CORPUS, 'seed')
export const SEED_FILE = join(SEED_DIR, '000_f63c91c8bd308f54.txt')
export const RSSHUB = join(CORPUS, 'rsshub')

/** Every regular file below a folder (what an import of that folder walks). */
export function filesUnder(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    const s = statSync(p)
    if (s.isDirectory()) out.push(...filesUnder(p))
    else if (s.isFile()) out.push(p)
  }
  return out
}

export function tempDir(prefix = 'gleaner-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}
