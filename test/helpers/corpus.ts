import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** ../shared beside the checkout, as laid out on developer machines and in CI. */
export const SHARED = resolve(__dirname, '../../../shared')
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
