// `gleaner reclean` as a user runs it: on a terminal (a real pseudo-terminal through script(1))
// it draws its progress while it works; piped, it prints only its report.
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLEANER_VERSION } from '../../src/core/clean/version'
import { RSSHUB, SEED_DIR, tempDir } from '../helpers/corpus'

const ROOT = resolve(import.meta.dirname, '../..')
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
const t = tempDir('gleaner-cli-reclean-')
const LIB = join(t.dir, 'g.db')
afterAll(() => t.cleanup())

const argv = (...args: string[]): string[] => [
  process.execPath,
  TSX,
  join(ROOT, 'src/cli/main.ts'),
  ...args,
  '--library',
  LIB
]
const env = { ...process.env, GLEANER_LIBRARY: '' }

function cli(...args: string[]): { code: number; out: string; err: string } {
  const [node, ...rest] = argv(...args)
  const r = spawnSync(node!, rest, { encoding: 'utf8', env })
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
}

function onTerminal(...args: string[]): { code: number; out: string } {
  const command = argv(...args)
    .map((a) => `'${a.replace(/'/gu, `'\\''`)}'`)
    .join(' ')
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env })
  return { code: r.status ?? -1, out: r.stdout }
}

let total = 0
function markOutdated(): void {
  const db = new Database(LIB)
  total = db.prepare('UPDATE articles SET cleaning_version = ?').run(CLEANER_VERSION - 1).changes
  db.close()
}

beforeAll(() => {
  expect(cli('import', SEED_DIR, join(RSSHUB, '编程')).code).toBe(0)
}, 120_000)

describe('gleaner reclean', () => {
  it('shows its progress on a terminal and only its report when piped', () => {
    markOutdated()
    const shown = onTerminal('reclean')
    expect(shown.code).toBe(0)
    // The bar, drawn over itself, then cleared before the report.
    expect(shown.out).toMatch(new RegExp(`\\r\\[[#.]{24}\\] re-cleaned \\d+ of ${total}`, 'u'))
    expect(shown.out).toContain(`Re-cleaned ${total} articles: 0 changed, ${total} unchanged`)

    markOutdated()
    const piped = cli('reclean')
    expect(piped.code).toBe(0)
    expect(piped.out).toBe(
      `Re-cleaned ${total} articles: 0 changed, ${total} unchanged, 0 failed\n`
    )
    expect(piped.err).toBe('')
  }, 120_000)
})
