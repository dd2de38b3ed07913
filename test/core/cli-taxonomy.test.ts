// `gleaner categories rename|delete|merge` and `gleaner tag …` as a user runs them, on a real
// library file: each edit shows up in the tree, the tag list and the search language.
// Each command is a new process (a few seconds each on a busy machine): generous timeouts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { RSSHUB, SEED_DIR, tempDir } from '../helpers/corpus'

const ROOT = resolve(__dirname, '../..')
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
const t = tempDir('gleaner-cli-taxonomy-')
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
const json = <T>(...args: string[]): T => {
  const r = cli(...args, '--json')
  if (r.code !== 0) throw new Error(r.err)
  return JSON.parse(r.out) as T
}
const searchIds = (q: string): number[] =>
  json<{ items: { id: number }[] }>('search', q)
    .items.map((i) => i.id)
    .sort((a, b) => a - b)

beforeAll(() => {
  expect(cli('import', SEED_DIR, join(RSSHUB, '编程')).code).toBe(0)
}, 120_000)

describe('gleaner categories and gleaner tag', () => {
  it('renames, merges and deletes categories by path', () => {
    const before = cli('categories').out
    expect(before).toContain('新浪财经 (1)')
    expect(cli('categories', 'rename', '金融/新浪财经', '新浪').out).toBe(
      'Renamed to 金融 › 新浪.\n'
    )
    const tree = cli('categories').out
    expect(tree).toMatch(/^ {2}新浪 \(1\)$/mu)
    expect(tree).toMatch(/^ {4}新浪财经－国內 \(1\)$/mu)
    expect(searchIds('category:新浪')).toHaveLength(1)

    const hn = searchIds('category:"编程/Hacker News"')
    const juejin = searchIds('category:掘金')
    expect(hn.length).toBeGreaterThan(0)
    expect(juejin.length).toBeGreaterThan(0)
    expect(cli('categories', 'merge', '编程 › 掘金', '编程/Hacker News').code).toBe(0)
    expect(searchIds('category:"编程/Hacker News/分类"')).toEqual(
      [...hn, ...juejin].sort((a, b) => a - b)
    )
    expect(cli('categories').out).not.toContain('掘金')

    const gone = cli('categories', 'delete', '金融')
    expect(gone.out).toBe('Deleted 金融 (3 categories); 1 articles have no category now.\n')
    expect(cli('categories').out).not.toContain('金融')

    const missing = cli('categories', 'rename', '没有/这个', 'x')
    expect(missing.code).not.toBe(0)
    expect(missing.err).toContain('there is no category 没有 › 这个')
    const clash = cli('categories', 'rename', '编程/Hacker News', 'Kaggle')
    expect(clash.code).not.toBe(0)
    expect(clash.err).toContain('already exists')
  }, 300_000)

  it('adds, lists, removes, renames and deletes tags', () => {
    const [a, b] = searchIds('category:编程')
    if (!a || !b) throw new Error('corpus too small')
    expect(cli('tag', 'add', '读书会', `${a},${b}`).out).toBe('Tagged 2 article(s) “读书会”.\n')
    expect(json<{ tag: string; count: number }[]>('tag', 'list')).toContainEqual({
      tag: '读书会',
      count: 2
    })
    expect(searchIds('tag:读书会')).toEqual([a, b])
    expect(json<{ removed: number[] }>('tag', 'remove', '读书会', String(a)).removed).toEqual([a])
    expect(searchIds('tag:读书会')).toEqual([b])
    expect(cli('tag', 'rename', '读书会', '书单').code).toBe(0)
    expect(searchIds('tag:书单')).toEqual([b])
    expect(cli('tag', 'delete', '书单').out).toBe('Deleted tag “书单” from 1 article(s).\n')
    expect(cli('tag', 'list').out).not.toContain('书单')
    const bad = cli('tag', 'add', '读书会')
    expect(bad.code).not.toBe(0)
    expect(bad.err).toContain('no article ids given')
  }, 300_000)
})
