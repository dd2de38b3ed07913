// Users add their own site rules in a file beside the library; the service loads it at open.
import { afterEach, describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createGleanerService, USER_RULES_FILE, type GleanerService } from '../../src/core/service'
import { tempDir } from '../helpers/corpus'

let svc: GleanerService | undefined
let cleanup: (() => void) | undefined
afterEach(() => {
  svc?.close()
  svc = undefined
  cleanup?.()
})

const page = `<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>内部通讯 - 示例站</title>
<link rel="canonical" href="https://news.example.org/a/1.html"></head><body>
<div class="masthead">示例站首页 | 登录</div>
<div class="story"><h1>内部通讯</h1>
<p>第一段：本周市场情况稳定，成交量较上周略有上升，主要指数小幅收涨。</p>
<p>第二段：分析人士认为，政策预期仍是影响走势的主要因素，后续需关注数据发布。</p>
<p class="club-note">示例站读者俱乐部本周六在会议中心举行线下交流活动，欢迎报名参加。</p>
<p>第三段：多家机构发布报告，对下半年经济增长保持谨慎乐观的态度。</p></div>
</body></html>`

describe('user site rules', () => {
  it('apply to imports, and a broken file is reported with file and line while shipped rules stay', async () => {
    const t = tempDir()
    cleanup = t.cleanup
    const rulesFile = join(t.dir, USER_RULES_FILE)
    writeFileSync(
      rulesFile,
      `version: 1\nsites:\n  - name: example-org\n    match:\n      hosts: [news.example.org]\n    content: ['.story']\n    drop: ['.club-note']\n`
    )
    writeFileSync(join(t.dir, 'page.html'), page)
    svc = createGleanerService({ libraryPath: join(t.dir, 'library.db') })
    expect((await svc.libraryInfo()).problems).toEqual([])
    const run = await svc.importPaths([join(t.dir, 'page.html')])
    const a = await svc.getArticle(run.results[0]?.articleId as number)
    expect(a?.cleanText).toContain('第三段')
    expect(a?.cleanText).not.toContain('读者俱乐部')
    expect(a?.sourcePath).toBe(join(t.dir, 'page.html'))
    svc.close()
    // Without the user's rule the same paragraph stays: it is the rule that removed it.
    const plain = createGleanerService({ libraryPath: join(t.dir, 'other', 'library.db') })
    const plainRun = await plain.importPaths([join(t.dir, 'page.html')])
    expect((await plain.getArticle(plainRun.results[0]?.articleId as number))?.cleanText).toContain(
      '读者俱乐部'
    )
    plain.close()

    writeFileSync(
      rulesFile,
      `version: 1\nsites:\n  - name: broken\n    match: {hosts: [x.org]\n    content: ['.a']\n`
    )
    svc = createGleanerService({ libraryPath: join(t.dir, 'library.db') })
    const info = await svc.libraryInfo()
    expect(info.problems).toHaveLength(1)
    expect(info.problems[0]).toMatch(new RegExp(`${USER_RULES_FILE}:\\d+: `, 'u'))
    // Shipped rules still clean the seed-format boilerplate and whole pages.
    const again = await svc.importPaths([join(t.dir, 'page.html')])
    expect(again.results[0]?.status).toMatch(/duplicate|unchanged/u)
  })

  it('belong to their library: a second service in the same process does not replace them', async () => {
    const t = tempDir()
    cleanup = t.cleanup
    const withRules = join(t.dir, 'with-rules')
    const without = join(t.dir, 'without')
    mkdirSync(withRules)
    mkdirSync(without)
    writeFileSync(
      join(withRules, USER_RULES_FILE),
      `version: 1\nsites:\n  - name: example-org\n    match:\n      hosts: [news.example.org]\n    content: ['.story']\n    drop: ['.club-note']\n`
    )
    writeFileSync(join(t.dir, 'page.html'), page)
    svc = createGleanerService({ libraryPath: join(withRules, 'library.db') })
    // Opened after the first, in the same process, with no rules file of its own.
    const other = createGleanerService({ libraryPath: join(without, 'library.db') })
    try {
      const otherRun = await other.importPaths([join(t.dir, 'page.html')])
      const run = await svc.importPaths([join(t.dir, 'page.html')])
      const mine = await svc.getArticle(run.results[0]?.articleId as number)
      expect(mine?.cleanText).toContain('第三段')
      expect(mine?.cleanText).not.toContain('读者俱乐部')
      const theirs = await other.getArticle(otherRun.results[0]?.articleId as number)
      expect(theirs?.cleanText).toContain('读者俱乐部')
      // Re-cleaning uses the library's rules too.
      await svc.reclean(null, true)
      expect((await svc.getArticle(mine!.id))?.cleanText).not.toContain('读者俱乐部')
    } finally {
      other.close()
    }
  })

  it('a rules file over 1 MB is reported and not read (it was read whole, whatever its size)', async () => {
    const t = tempDir()
    cleanup = t.cleanup
    const rule = (i: number): string =>
      `  - name: s${i}\n    match:\n      hosts: [s${i}.example.org]\n    content: ['.story']\n`
    writeFileSync(
      join(t.dir, USER_RULES_FILE),
      `version: 1\nsites:\n${Array.from({ length: 20_000 }, (_, i) => rule(i)).join('')}`
    )
    svc = createGleanerService({ libraryPath: join(t.dir, 'library.db') })
    const { problems } = await svc.libraryInfo()
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/MB is over the 1 MB a rules file may be; not read/u)
  })
})
