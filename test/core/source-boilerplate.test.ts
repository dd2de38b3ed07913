// Learning each source's boilerplate from the library: real corpus bodies filed under one feed
// source with that source's header and footer lines (as portals add them), imported into a real
// library file. What repeats at the edges of several articles goes; what occurs once never does.
import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { RSSHUB, tempDir } from '../helpers/corpus'

let svc: GleanerService | undefined
let cleanup: (() => void) | undefined
afterEach(() => {
  svc?.close()
  svc = undefined
  cleanup?.()
})

/** Long real posts of different sources (their bodies become one source's articles). */
const BODIES = [
  '金融/财联社/深度/10天23地，南京疫情是如何扩散全国的.md',
  '金融/财联社/深度/102家券商经营排行榜：4家营收超200亿，5家净利超100亿.md',
  '金融/格隆汇/主题文章/2021年两融余额如何变化？.md',
  '新媒体/虎嗅/首页资讯/1%名单.md',
  '金融/新浪财经/新浪财经－国內/1049元_斤！天价荔枝什么来头？.md'
]

const HEAD = '快报讯 关注我们获取更多资讯'
const FOOTER = ['如需转载请与快报编辑部联系，未经授权不得转载。', '线索投递：tips@kuaibao.example']

/** A real post re-filed under the source 快报 with its header and footer lines added. */
function post(
  dir: string,
  i: number,
  extra: { head?: string[]; tail?: string[]; name?: string } = {}
): string {
  const text = readFileSync(join(RSSHUB, BODIES[i]!), 'utf8')
  const end = text.indexOf('\n---', 4)
  const front = text
    .slice(0, end)
    .replace(/^author:.*$/m, 'author: 快报')
    .replace(/^title:.*$/m, `title: '快报第${i + 1}篇'`)
  const body = text.slice(end + 4)
  const p = (s: string): string => `<p>${s}</p>`
  const html =
    front +
    '\n---\n' +
    (extra.head ?? [HEAD]).map(p).join('') +
    body +
    (extra.tail ?? FOOTER).map(p).join('\n')
  const file = join(dir, extra.name ?? `post-${i}.md`)
  writeFileSync(file, html)
  return file
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
      expect(text).not.toContain('未经授权不得转载')
      expect(text).not.toContain('线索投递')
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
    const t = tempDir()
    cleanup = t.cleanup
    svc = createGleanerService({ libraryPath: join(t.dir, 'lib.db') })
    const run = await svc.importPaths([0, 1, 2].map((i) => post(t.dir, i)))
    await svc.idle()
    const ids = run.results.map((r) => r.articleId!)
    const line = (await svc.sourceBoilerplate('快报')).find((l) => l.text === FOOTER[1])!
    expect(line.on).toBe(true)
    for (const id of ids) expect(await textOf(id)).not.toContain('线索投递')
    await svc.setSourceBoilerplate('快报', line.edge, line.hash, false)
    await svc.idle()
    for (const id of ids) {
      expect(await textOf(id)).toContain('线索投递')
      expect(await textOf(id)).not.toContain('未经授权不得转载')
    }
    expect((await svc.sourceBoilerplate('快报')).find((l) => l.hash === line.hash)?.on).toBe(false)
    // A new article of the source keeps the line too.
    const later = (await svc.importPaths([post(t.dir, 3)])).results[0]!.articleId!
    await svc.idle()
    expect(await textOf(later)).toContain('线索投递')
    // Undo the import, then the switch: the line is taken out again.
    await svc.undo()
    await svc.undo()
    await svc.idle()
    for (const id of ids) expect(await textOf(id)).not.toContain('线索投递')
    expect((await svc.sourceBoilerplate('快报')).find((l) => l.hash === line.hash)?.on).toBe(true)
    await expect(
      svc.setSourceBoilerplate('快报', 'tail', '0123456789abcdef', false)
    ).rejects.toMatchObject({
      code: 'boilerplate-line-unknown'
    })
  })
})
