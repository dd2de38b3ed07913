// Learning each source's boilerplate from the library: real corpus bodies filed under one feed
// source with that source's header and footer lines (as portals add them), imported into a real
// library file. What repeats at the edges of several articles goes; what occurs once never does.
import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { tempDir } from '../helpers/corpus'
import { SOURCE_FOOTER, SOURCE_HEAD, sourceBody, writeSourcePost } from '../helpers/source-posts'

let svc: GleanerService | undefined
let cleanup: (() => void) | undefined
afterEach(() => {
  svc?.close()
  svc = undefined
  cleanup?.()
})

const HEAD = SOURCE_HEAD
const FOOTER = SOURCE_FOOTER
const post = writeSourcePost

/** A new library holding three of the source's posts (its lines learned); their ids. */
async function threePosts(): Promise<{ s: GleanerService; dir: string; ids: number[] }> {
  const t = tempDir()
  cleanup = t.cleanup
  svc = createGleanerService({ libraryPath: join(t.dir, 'lib.db') })
  const run = await svc.importPaths([0, 1, 2].map((i) => post(t.dir, i)))
  await svc.idle()
  return { s: svc, dir: t.dir, ids: run.results.map((r) => r.articleId!) }
}

async function textOf(id: number): Promise<string> {
  return (await svc!.getArticle(id))!.cleanText
}

describe('a source’s boilerplate learned from the library', () => {
  it('takes out lines repeated at the edges of three articles, from the older ones too, and reports them', async () => {
    const t = tempDir()
    cleanup = t.cleanup
    svc = createGleanerService({ libraryPath: join(t.dir, 'lib.db') })
    const files = [0, 1, 2, 3].map((i) => post(t.dir, i))
    // One at a time, as a feed brings them: the third makes the lines learned.
    const ids: number[] = []
    for (const f of files) ids.push((await svc.importPaths([f])).results[0]!.articleId!)
    await svc.idle()
    for (const id of ids) {
      const text = await textOf(id)
      expect(text).not.toContain('早八点更新')
      expect(text).not.toContain('读懂一天的财经')
      expect(text).not.toContain(HEAD)
      const removed = (await svc.getArticleSource(id))!.removed.filter(
        (b) => b.rule === 'source-boilerplate'
      )
      expect(removed.map((b) => b.text).sort()).toEqual([...FOOTER, HEAD].sort())
      expect(removed.every((b) => b.source === '快报' && (b.repeats ?? 0) >= 3)).toBe(true)
    }
    // The bodies are whole: every paragraph of the first post's own text is there.
    expect(await textOf(ids[0]!)).toContain('南京疫情传播链延伸得有多广')
    expect(await textOf(ids[3]!)).toContain('1%')
    const lines = await svc.sourceBoilerplate('快报')
    expect(lines.map((l) => [l.edge, l.text, l.on]).sort()).toEqual(
      [['head', HEAD, true], ...FOOTER.map((f) => ['tail', f, true])].sort()
    )
  })

  it('never takes text that occurs in one or two articles, copies of one article, or mid-text', async () => {
    const t = tempDir()
    cleanup = t.cleanup
    svc = createGleanerService({ libraryPath: join(t.dir, 'lib.db') })
    // Two articles share a line: not enough. Three copies of one body share another: one body.
    const a = post(t.dir, 0, { head: [], tail: ['只在两篇出现的结尾一句。'], name: 'a.md' })
    const b = post(t.dir, 1, { head: [], tail: ['只在两篇出现的结尾一句。'], name: 'b.md' })
    await svc.importPaths([a, b])
    const copies: string[] = []
    for (const n of [1, 2, 3]) {
      const f = post(t.dir, 2, {
        head: [],
        tail: ['三个副本共有的结尾。', `副本 ${n}`],
        name: 'c.md'
      })
      const copy = join(t.dir, `copy-${n}.md`)
      writeFileSync(
        copy,
        readFileSync(f, 'utf8').replace("title: '快报第3篇'", `title: '副本${n}'`)
      )
      copies.push(copy)
    }
    await svc.importPaths(copies)
    await svc.idle()
    expect(await svc.sourceBoilerplate(null)).toEqual([])
    const all = (await svc.listArticles({ limit: 50 })).items
    for (const row of all) {
      const text = await textOf(row.id)
      expect(text.includes('只在两篇出现的结尾一句') || text.includes('三个副本共有的结尾')).toBe(
        true
      )
    }
    // A learned line quoted inside the text stays where it is.
    const c = post(t.dir, 3)
    const d = post(t.dir, 4)
    const e = join(t.dir, 'e.md')
    writeFileSync(
      e,
      readFileSync(post(t.dir, 0, { name: 'e0.md' }), 'utf8').replace(
        '<p>2020年',
        `<p>${FOOTER[1]}</p><p>2020年`
      )
    )
    await svc.importPaths([c, d, post(t.dir, 1)])
    await svc.idle()
    expect((await svc.sourceBoilerplate('快报')).length).toBeGreaterThan(0)
    const mid = (await svc.importPaths([e])).results[0]!
    await svc.idle()
    const midText = await textOf(mid.articleId!)
    expect(midText).toContain(FOOTER[1])
    expect(midText).not.toContain(FOOTER[0])
  })

  it('a line switched off for its source comes back in its articles, and undo takes it out again', async () => {
    const { s, dir, ids } = await threePosts()
    const line = (await s.sourceBoilerplate('快报')).find((l) => l.text === FOOTER[1])!
    expect(line.on).toBe(true)
    for (const id of ids) expect(await textOf(id)).not.toContain('读懂一天的财经')
    await s.setSourceBoilerplate('快报', line.edge, line.hash, false)
    await s.idle()
    for (const id of ids) {
      expect(await textOf(id)).toContain('读懂一天的财经')
      expect(await textOf(id)).not.toContain('早八点更新')
    }
    expect((await s.sourceBoilerplate('快报')).find((l) => l.hash === line.hash)?.on).toBe(false)
    // A new article of the source keeps the line too.
    const later = (await s.importPaths([post(dir, 3)])).results[0]!.articleId!
    await s.idle()
    expect(await textOf(later)).toContain('读懂一天的财经')
    // Undo the import, then the switch: the line is taken out again.
    await s.undo()
    await s.undo()
    await s.idle()
    for (const id of ids) expect(await textOf(id)).not.toContain('读懂一天的财经')
    expect((await s.sourceBoilerplate('快报')).find((l) => l.hash === line.hash)?.on).toBe(true)
    await expect(
      s.setSourceBoilerplate('快报', 'tail', '0123456789abcdef', false)
    ).rejects.toMatchObject({
      code: 'boilerplate-line-unknown'
    })
  })
})

describe('saved web pages', () => {
  it('learn per site, by the host of their address, whatever name or author each page gives', async () => {
    const t = tempDir()
    cleanup = t.cleanup
    svc = createGleanerService({ libraryPath: join(t.dir, 'lib.db') })
    // Each page's paragraphs (a real post's), then the site's own closing line, in one <article>.
    const bodies = [0, 1, 2].map((i) =>
      [...sourceBody(i).matchAll(/<p>(.*?)<\/p>/gu)].map((m) => `<p>${m[1]}</p>`).join('')
    )
    const files = bodies.map((body, i) => {
      const f = join(t.dir, `page-${i}.html`)
      writeFileSync(
        f,
        `<!doctype html><html><head><meta charset="utf-8"><title>第${i}篇</title>` +
          `<link rel="canonical" href="https://www.harbour.example/news/${i}.html">` +
          `<meta name="author" content="记者${i}"></head><body><article>${body}` +
          `<p>港城日报 · 每天读懂一座城</p></article></body></html>`
      )
      return f
    })
    const run = await svc.importPaths(files)
    await svc.idle()
    for (const r of run.results) expect(await textOf(r.articleId!)).not.toContain('每天读懂一座城')
    expect((await svc.sourceBoilerplate('harbour.example')).map((l) => l.text)).toEqual([
      '港城日报 · 每天读懂一座城'
    ])
  })
})

describe('a library from before learning', () => {
  it('learns its sources’ boilerplate when it is re-cleaned with the new cleaner', async () => {
    const { s, ids } = await threePosts()
    // As an older Gleaner left it: the footers in the text, nothing learned, an older cleaner.
    const db = s.db
    db.exec('DELETE FROM source_lines; DELETE FROM source_lines_counted; DELETE FROM source_counts')
    for (const id of ids) {
      const a = (await s.getArticle(id))!
      db.prepare('UPDATE articles SET clean_text = ?, cleaning_version = 1 WHERE id = ?').run(
        `${a.cleanText}\n\n${FOOTER.join('\n\n')}`,
        id
      )
    }
    expect(await s.recleanNeeded()).toBe(3)
    await s.reclean(null, false)
    await s.idle()
    for (const id of ids) expect(await textOf(id)).not.toContain('读懂一天的财经')
    expect((await s.sourceBoilerplate('快报')).length).toBe(3)
  })
})

describe('gleaner boilerplate', () => {
  const ROOT = resolve(import.meta.dirname, '../..')
  const cli = (lib: string, ...args: string[]): { code: number; out: string; err: string } => {
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        join(ROOT, 'src/cli/main.ts'),
        ...args,
        '--library',
        lib
      ],
      { encoding: 'utf8', env: { ...process.env, GLEANER_LIBRARY: '' } }
    )
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
  }

  it('imports learn from the terminal too, lists what was learned, and keeps a line for its source', () => {
    const t = tempDir()
    cleanup = t.cleanup
    const lib = join(t.dir, 'lib.db')
    const files = [0, 1, 2].map((i) => post(t.dir, i))
    expect(cli(lib, 'import', ...files).code).toBe(0)
    const listed = JSON.parse(cli(lib, 'boilerplate', '--json').out) as {
      source: string
      edge: string
      hash: string
      text: string
      on: boolean
    }[]
    expect(listed.map((l) => l.text).sort()).toEqual([...FOOTER, HEAD].sort())
    const line = listed.find((l) => l.text === FOOTER[1])!
    expect(cli(lib, 'boilerplate', 'keep', line.source, line.edge, line.hash).code).toBe(0)
    expect(cli(lib, 'show', '1').out).toContain('读懂一天的财经')
    expect(cli(lib, 'boilerplate', '--source', '快报').out).toMatch(
      /tail\t[0-9a-f]{16}\tkept\t3 articles\t快报 · 用五分钟读懂一天的财经/u
    )
    expect(cli(lib, 'boilerplate', 'keep', '快报').code).toBe(2)
  })
})
