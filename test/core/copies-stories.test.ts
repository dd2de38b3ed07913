// Copies, stories, keywords and entities on real corpus posts and syndicated copies of one of
// them as portals make them (test/helpers/syndicate.ts): one library, imported through the
// service as the app does.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { reclusterStories } from '../../src/core/analysis'
import { writeSyndicated } from '../helpers/syndicate'
import { SOURCE_BODIES } from '../helpers/source-posts'
import { cpSync } from 'node:fs'
import { RSSHUB } from '../helpers/corpus'

const WIRE = SOURCE_BODIES[0]! // 财联社: 10天23地，南京疫情是如何扩散全国的

let dir: string
let svc: GleanerService
let wireId: number
const ids: Record<string, number> = {}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gleaner-copies-'))
  const files = join(dir, 'in')
  mkdirSync(files)
  // The hard negatives: other real posts of the same feeds (财联社 深度, 新浪财经 …).
  cpSync(join(RSSHUB, '金融'), join(files, '金融'), { recursive: true })
  writeSyndicated(files, WIRE, {
    source: '网易新闻',
    date: '2021-08-02 10:00:00',
    head: ['来源：财联社'],
    tail: ['责任编辑：王五', '点击进入专题：南京疫情'],
    drop: 3,
    name: 'netease.md'
  })
  writeSyndicated(files, WIRE, {
    source: '搜狐',
    date: '2021-08-02 12:00:00',
    traditional: true,
    tail: ['（編輯 李四）'],
    name: 'sohu.md'
  })
  writeSyndicated(files, WIRE, {
    source: '凤凰网',
    date: '2021-08-03 09:00:00',
    trimLead: true,
    title: '南京疫情扩散全国：10天23地',
    name: 'ifeng.md'
  })
  svc = createGleanerService({ libraryPath: join(dir, 'lib.db') })
  const run = await svc.importPaths([files])
  await svc.idle()
  for (const r of run.results) if (r.articleId) ids[r.path.split('/').pop()!] = r.articleId
  wireId = ids['10天23地，南京疫情是如何扩散全国的.md']!
}, 120_000)

afterAll(() => {
  svc.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('copies', () => {
  it('groups the syndicated copies with the first report, and nothing else', async () => {
    const copies = await svc.getCopies(ids['sohu.md']!)
    expect(copies).not.toBeNull()
    const members = copies!.members
    expect(members.map((m) => m.id).sort()).toEqual(
      [wireId, ids['netease.md'], ids['sohu.md'], ids['ifeng.md']].sort()
    )
    // The first report: the earliest date (财联社 00:57 GMT before the portals' copies).
    expect(members[0]).toMatchObject({ id: wireId, first: true, source: '财联社' })
    expect(copies!.origin).toBe('财联社')
    // No other article of the library is anyone's copy.
    const grouped = svc.db
      .prepare('SELECT COUNT(*) AS n FROM article_analysis WHERE copy_group IS NOT NULL')
      .get() as { n: number }
    expect(grouped.n).toBe(4)
    expect(await svc.getCopies(ids['ifeng.md']!)).toMatchObject({ groupId: copies!.groupId })
  })

  it('names what each copy changed, paragraph by paragraph', async () => {
    const copies = (await svc.getCopies(wireId))!
    const netease = copies.members.find((m) => m.source === '网易新闻')!
    // Its credit line says where it came from; its own lines are added, one paragraph left out.
    expect(netease.outlet).toBe('财联社')
    const added = netease.diff.filter((d) => d.kind === 'added').map((d) => d.text)
    expect(added).toEqual(expect.arrayContaining(['来源：财联社', '点击进入专题：南京疫情']))
    expect(netease.diff.filter((d) => d.kind === 'removed')).toHaveLength(1)
    // Traditional script and full-width digits are not differences.
    const sohu = copies.members.find((m) => m.source === '搜狐')!
    expect(sohu.diff.filter((d) => d.kind === 'removed')).toHaveLength(0)
    expect(sohu.similarity).toBeGreaterThan(0.95)
  })

  it('collapses a copy group to its first report in the list, with a badge', async () => {
    const all = await svc.listArticles({ limit: 1000 })
    const collapsed = await svc.listArticles({ limit: 1000, collapseCopies: true })
    expect(collapsed.total).toBe(all.total - 3)
    expect(collapsed.items).toHaveLength(collapsed.total)
    const row = collapsed.items.find((i) => i.id === wireId)!
    expect(row.copies).toEqual({ count: 3, outlets: 4 })
    expect(collapsed.items.some((i) => i.id === ids['sohu.md'])).toBe(false)
    // Trashing the first report hands the group to the next-earliest copy.
    await svc.deleteArticles([wireId])
    const after = await svc.listArticles({ limit: 1000, collapseCopies: true })
    expect(after.items.find((i) => i.id === ids['netease.md'])?.copies).toEqual({
      count: 2,
      outlets: 3
    })
    await svc.undo()
  })
})

describe('stories, keywords and entities', () => {
  it('puts the copies in one story, with its entities', async () => {
    const insight = await svc.articleInsight(wireId)
    expect(insight.copyCount).toBe(3)
    expect(insight.keywords).toEqual(expect.arrayContaining(['疫情', '南京']))
    expect(insight.entities).toContainEqual({ kind: 'place', term: '南京' })
    expect(insight.story).not.toBeNull()
    const story = (await svc.getStory(insight.story!.id))!
    const members = new Set(
      (await svc.listArticles({ storyId: story.id, limit: 100 })).items.map((i) => i.id)
    )
    for (const name of ['netease.md', 'sohu.md', 'ifeng.md']) expect(members).toContain(ids[name])
    // The timeline folds copies into the first report's entry.
    expect(story.timeline[0]).toMatchObject({ articleId: wireId, copyCount: 3 })
    expect(story.outletCount).toBe(4)
    expect(story.firstArticleId).toBe(wireId)
  })

  it('filters by entity, keyword and story in the list and in search', async () => {
    const byEntity = await svc.listArticles({ entity: '南京', limit: 100 })
    expect(byEntity.items.map((i) => i.id)).toContain(wireId)
    expect(byEntity.total).toBeLessThan((await svc.listArticles({})).total)
    const hits = await svc.search('entity:南京', { limit: 100 })
    expect(new Set(hits.items.map((h) => h.id))).toEqual(new Set(byEntity.items.map((i) => i.id)))
    // Typed in Traditional, the filter finds the same articles.
    const simplified = await svc.search('keyword:机场', { limit: 100 })
    expect(simplified.items.map((h) => h.id)).toContain(wireId)
    expect((await svc.search('keyword:機場', { limit: 100 })).items).toEqual(simplified.items)
    const storyId = (await svc.articleInsight(wireId)).story!.id
    expect((await svc.search(`story:${storyId}`, { limit: 100 })).total).toBe(4)
    expect((await svc.search('entity:不存在的名字', {})).queryError?.code).toBe(
      'query-unknown-name'
    )
    const facets = await svc.termFacets('place', 20)
    expect(facets.find((f) => f.term === '南京')?.count).toBe(byEntity.total)
  })

  it('keeps the user’s story edits through re-clustering, and undoes them', async () => {
    const storyId = (await svc.articleInsight(wireId)).story!.id
    await svc.renameStory(storyId, '南京疫情')
    await svc.followStory(storyId, true)
    const split = await svc.splitStory(storyId, [ids['ifeng.md']!])
    expect(split.articleCount).toBe(1)
    reclusterStories(svc.db)
    const kept = (await svc.getStory(storyId))!
    expect(kept).toMatchObject({ name: '南京疫情', named: true, followed: true, articleCount: 3 })
    expect((await svc.articleInsight(ids['ifeng.md']!)).story).toBeNull()
    const following = await svc.listArticles({ view: 'following', limit: 100 })
    expect(following.total).toBe(3)
    // Merge the split-off article back, then undo the merge, the split and the rest.
    await svc.mergeStories(storyId, split.id)
    expect((await svc.getStory(storyId))!.articleCount).toBe(4)
    await svc.undo()
    expect((await svc.getStory(storyId))!.articleCount).toBe(3)
    await svc.redo()
    expect((await svc.getStory(storyId))!.articleCount).toBe(4)
    await svc.undo()
    expect((await svc.getStory(storyId))!.articleCount).toBe(3)
    await svc.undo()
    expect((await svc.getStory(storyId))!.articleCount).toBe(4)
    await svc.undo()
    await svc.undo()
    expect((await svc.getStory(storyId))!).toMatchObject({ named: false, followed: false })
    await expect(svc.splitStory(storyId, [999_999])).rejects.toMatchObject({
      code: 'story-split-outside'
    })
  })
})

describe('a library from before the analysis', () => {
  it('is analysed at open, in the background, then copies and stories are there', async () => {
    const d = mkdtempSync(join(tmpdir(), 'gleaner-backlog-'))
    try {
      const files = join(d, 'in')
      mkdirSync(files)
      cpSync(join(RSSHUB, SOURCE_BODIES[0]!), join(files, 'wire.md'))
      writeSyndicated(files, WIRE, {
        source: '网易新闻',
        date: '2021-08-02 10:00:00',
        drop: 2,
        name: 'copy.md'
      })
      const lib = join(d, 'lib.db')
      const old = createGleanerService({ libraryPath: lib, importOptions: { analysis: false } })
      const run = await old.importPaths([files])
      const [a, b] = run.results.map((r) => r.articleId!)
      expect(await old.getCopies(a!)).toBeNull()
      old.close()

      const progress: string[] = []
      const fresh = createGleanerService({ libraryPath: lib })
      fresh.on('taskProgress', (p) => progress.push(`${p.kind} ${p.done}/${p.total}`))
      await fresh.idle()
      expect(progress).toContain('analyse 2/2')
      expect((await fresh.getCopies(b!))?.members.map((m) => m.id).sort()).toEqual([a, b].sort())
      expect((await fresh.articleInsight(a!)).story).not.toBeNull()
      // Emptying the trash removes what was read of the articles with them.
      await fresh.deleteArticles([b!])
      await fresh.emptyTrash(null)
      expect(await fresh.getCopies(a!)).toBeNull()
      const left = fresh.db
        .prepare('SELECT COUNT(*) AS n FROM copy_keys WHERE article_id = ?')
        .get(b) as { n: number }
      expect(left.n).toBe(0)
      fresh.close()
    } finally {
      rmSync(d, { recursive: true, force: true })
    }
  })
})
