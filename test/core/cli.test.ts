import { afterAll, describe, expect, it } from 'vitest'
import { execFileSync, spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { CORPUS, filesUnder, tempDir } from '../helpers/corpus'

const ROOT = resolve(__dirname, '../..')
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')
const t = tempDir('gleaner-cli-')
afterAll(() => t.cleanup())
const LIB = join(t.dir, 'g.db')

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [TSX, join(ROOT, 'src/cli/main.ts'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, GLEANER_LIBRARY: '' },
    maxBuffer: 256 * 1024 * 1024
  })
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
}

interface RunJson {
  counts: { imported: number; duplicates: number; failed: number }
  results: { path: string; status: string; reason?: string; articleId?: number }[]
}

describe('gleaner CLI', () => {
  it('imports the whole corpus with --json, then imports nothing new the second time', () => {
    const first = cli('import', CORPUS, '--library', LIB, '--json')
    expect(first.code).toBe(0)
    const run = JSON.parse(first.out) as RunJson
    const files = filesUnder(CORPUS)
    // Every file is accounted for: imported, duplicate, or failed with a specific reason.
    for (const f of files) expect(run.results.some((r) => r.path.startsWith(f))).toBe(true)
    for (const r of run.results) {
      expect(['imported', 'duplicate', 'failed']).toContain(r.status)
      if (r.status === 'failed') expect(r.reason).toBeTruthy()
      if (r.status === 'imported') expect(r.articleId).toBeGreaterThan(0)
    }
    const second = JSON.parse(cli('import', CORPUS, '--library', LIB, '--json').out) as RunJson
    expect(second.counts.imported).toBe(0)
    expect(second.counts.duplicates).toBe(run.counts.imported + run.counts.duplicates)
  })

  it('shows the seed as JSON with the documented fields', () => {
    const list = JSON.parse(
      cli('list', '--category', '金融/新浪财经', '--json', '--library', LIB).out
    ) as {
      items: { id: number; title: string }[]
    }
    const seed = list.items.find((i) => i.title.startsWith('第四届进博会'))
    expect(seed).toBeDefined()
    const shown = JSON.parse(
      cli('show', String(seed?.id), '--json', '--library', LIB).out
    ) as Record<string, unknown>
    expect(shown).toMatchObject({
      title: '第四届进博会：提升城市软实力与服务保障进博会双促进',
      author: '新浪财经',
      publishedAt: '2021-07-26T04:03:03.000Z',
      categoryPath: ['金融', '新浪财经', '新浪财经－国內'],
      editor: '王翔'
    })
    for (const k of ['tags', 'originalTitle', 'url', 'cleanText', 'cleanHtml', 'meta'])
      expect(shown).toHaveProperty(k)
  })

  it('prints the category tree with counts, and clear errors for bad input', () => {
    const tree = cli('categories', '--library', LIB)
    expect(tree.code).toBe(0)
    expect(tree.out).toMatch(/^金融 \(\d+\)$/mu)
    expect(cli('show', 'abc', '--library', LIB)).toMatchObject({ code: 1 })
    expect(cli('show', 'abc', '--library', LIB).err).toMatch(/not a valid article id/u)
    expect(cli('show', '999999', '--library', LIB).err).toMatch(/no article with id 999999/u)
    expect(cli('frobnicate').code).toBe(2)
  })

  it('runs through the package bin on the project Node even when called by another node', () => {
    const out = execFileSync(join(ROOT, 'bin', 'gleaner.js'), ['categories', '--library', LIB], {
      encoding: 'utf8'
    })
    expect(out).toMatch(/金融/u)
  })
})
