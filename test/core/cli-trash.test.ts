// `gleaner trash list|restore|empty` as a user runs them, on a real library file: deleted
// articles listed newest first, restored, and removed for good only when the user said so —
// asked on a terminal (a real pseudo-terminal through script(1)), refused without --yes where
// nobody can answer.
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGleanerService } from '../../src/core/service'
import { RSSHUB, SEED_DIR, tempDir } from '../helpers/corpus'

const ROOT = resolve(import.meta.dirname, '../..')
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
const t = tempDir('gleaner-cli-trash-')
const LIB = join(t.dir, 'g.db')
afterAll(() => t.cleanup())

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(
    process.execPath,
    [TSX, join(ROOT, 'src/cli/main.ts'), ...args, '--library', LIB],
    {
      encoding: 'utf8',
      env: { ...process.env, GLEANER_LIBRARY: '' }
    }
  )
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
}

/** The same command on a pseudo-terminal, with `input` typed at it. */
function onTerminal(input: string, ...args: string[]): { code: number; out: string } {
  const command = [process.execPath, TSX, join(ROOT, 'src/cli/main.ts'), ...args, '--library', LIB]
    .map((a) => `'${a.replace(/'/gu, `'\\''`)}'`)
    .join(' ')
  const r = spawnSync('script', ['-qec', command, '/dev/null'], {
    encoding: 'utf8',
    input,
    env: { ...process.env, GLEANER_LIBRARY: '' }
  })
  return { code: r.status ?? -1, out: r.stdout }
}

let ids: number[] = []

/** Deletes articles the way the window does (the CLI has no delete command). */
async function deleteArticles(list: number[]): Promise<void> {
  const svc = createGleanerService({ libraryPath: LIB, watchExternal: false })
  try {
    await svc.deleteArticles(list)
  } finally {
    svc.close()
  }
}

const trashIds = (): number[] =>
  (JSON.parse(cli('trash', 'list', '--json').out) as { id: number }[]).map((a) => a.id)

beforeAll(async () => {
  expect(cli('import', SEED_DIR, join(RSSHUB, '编程')).code).toBe(0)
  const svc = createGleanerService({ libraryPath: LIB, watchExternal: false })
  ids = (await svc.listArticles({ limit: 5, sort: 'date-desc' })).items.map((a) => a.id)
  svc.close()
}, 120_000)

describe('gleaner trash', () => {
  it('lists, restores and empties the trash; emptying asks first', async () => {
    expect(cli('trash').out).toBe('The trash is empty.\n')
    await deleteArticles([ids[0]!])
    await deleteArticles([ids[1]!, ids[2]!])
    const listed = cli('trash', 'list')
    expect(listed.code).toBe(0)
    expect(listed.out.trim().split('\n')).toHaveLength(3)
    // Newest deletion first.
    expect(trashIds()[2]).toBe(ids[0])

    expect(cli('trash', 'restore', String(ids[1])).out).toBe('Restored 1 article(s).\n')
    expect(trashIds().sort()).toEqual([ids[0], ids[2]].sort())
    // A restore is a change like any other: `gleaner undo` takes it back.
    expect(cli('undo').code).toBe(0)
    expect(trashIds()).toContain(ids[1])

    // Nobody to ask (not a terminal): refused, nothing removed.
    const refused = cli('trash', 'empty')
    expect(refused.code).toBe(1)
    expect(refused.err).toMatch(/cannot be undone.*--yes/u)
    expect(trashIds()).toHaveLength(3)

    // On a terminal: asked, and "no" removes nothing…
    const no = onTerminal('n\n', 'trash', 'empty', String(ids[2]))
    expect(no.out).toMatch(/Remove 1 article\(s\) for good\? This cannot be undone\. \[y\/N\]/u)
    expect(no.out).toContain('Nothing removed.')
    expect(trashIds()).toContain(ids[2])
    // …"y" removes what was named, and only that.
    const yes = onTerminal('y\n', 'trash', 'empty', String(ids[2]))
    expect(yes.code).toBe(0)
    expect(yes.out).toMatch(/Removed 1 article\(s\) for good, and 1 original file\(s\)/u)
    expect(trashIds().sort()).toEqual([ids[0], ids[1]].sort())

    // --yes empties it all without asking.
    const all = JSON.parse(cli('trash', 'empty', '--yes', '--json').out) as { ids: number[] }
    expect(all.ids.sort()).toEqual([ids[0], ids[1]].sort())
    expect(cli('trash').out).toBe('The trash is empty.\n')
    const db = new Database(LIB, { readonly: true })
    expect(
      db
        .prepare('SELECT COUNT(*) FROM articles WHERE id IN (?, ?, ?)')
        .pluck()
        .get(...ids.slice(0, 3))
    ).toBe(0)
    db.close()
    // Logged like every change, and not undoable.
    const history = JSON.parse(cli('history', '--json', '--limit', '1').out) as {
      op: string
      undoable: boolean
    }[]
    expect(history[0]).toMatchObject({ op: 'emptyTrash', undoable: false })
  }, 120_000)
})
