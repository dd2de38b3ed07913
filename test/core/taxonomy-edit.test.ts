// Editing categories and tags through the API (dispatchCall: the validation IPC and HTTP use)
// on the real corpus: the tree, the article list, the reader's article, the tag list and the
// search filters (`category:`, `tag:`, and the category/tag words in the full-text index) must
// all agree after each edit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { dispatchCall } from '../../src/shared/validate'
import type { SearchResult } from '../../src/shared/search-types'
import type { DeletedCategory } from '../../src/shared/taxonomy-types'
import type { ArticleDetail, CategoryNode, TagCount } from '../../src/shared/types'
import { CORPUS, tempDir } from '../helpers/corpus'

const t = tempDir('gleaner-taxonomy-')
let svc: GleanerService
const call = <T>(method: string, ...args: unknown[]): Promise<T> =>
  dispatchCall(svc, method, args) as Promise<T>

beforeAll(async () => {
  svc = createGleanerService({ libraryPath: join(t.dir, 'library.db') })
  await svc.importPaths([CORPUS])
}, 120_000)
afterAll(() => {
  svc.close()
  t.cleanup()
})

function flatten(nodes: CategoryNode[]): CategoryNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)])
}
async function node(path: string[]): Promise<CategoryNode | undefined> {
  return flatten(await svc.categories()).find((n) => n.path.join('/') === path.join('/'))
}
async function requireNode(path: string[]): Promise<CategoryNode> {
  const found = await node(path)
  if (!found) throw new Error(`no category ${path.join(' › ')} in the corpus`)
  return found
}
async function idsIn(path: string[]): Promise<number[]> {
  const page = await svc.listArticles({ categoryPath: path, limit: 1000 })
  return page.items.map((a) => a.id).sort((a, b) => a - b)
}
async function searchIds(query: string): Promise<number[]> {
  const r = await call<SearchResult>('search', query, { limit: 500 })
  if (r.error) throw new Error(r.error)
  return r.items.map((h) => h.id).sort((a, b) => a - b)
}
/** The tree as "path (count)" lines: a whole-tree fingerprint. */
async function treeLines(): Promise<string[]> {
  return flatten(await svc.categories()).map((n) => `${n.path.join('/')} (${n.count})`)
}

describe('renaming a category', () => {
  it('renames the node and every path below it, everywhere the path is read', async () => {
    const before = await requireNode(['金融', '新浪财经'])
    const ids = await idsIn(['金融', '新浪财经'])
    const leafIds = await idsIn(['金融', '新浪财经', '新浪财经－国內'])
    expect(leafIds.length).toBeGreaterThan(0)
    const renamed = await call<string[]>('renameCategory', before.id, '  新浪 财经频道 ')
    // Whitespace is tidied; the parent stays.
    expect(renamed).toEqual(['金融', '新浪 财经频道'])
    expect(await node(['金融', '新浪财经'])).toBeUndefined()
    const after = await requireNode(['金融', '新浪 财经频道'])
    expect(after.id).toBe(before.id)
    expect(after.count).toBe(before.count)
    expect(after.children.map((c) => c.path)).toEqual([['金融', '新浪 财经频道', '新浪财经－国內']])
    expect(await idsIn(['金融', '新浪 财经频道'])).toEqual(ids)
    expect(await idsIn(['金融', '新浪财经'])).toEqual([])
    expect(await idsIn(['金融', '新浪 财经频道', '新浪财经－国內'])).toEqual(leafIds)
    const article = await call<ArticleDetail>('getArticle', leafIds[0])
    expect(article.categoryPath).toEqual(['金融', '新浪 财经频道', '新浪财经－国內'])
    // Search: the category filter by new path and by name, the old name gone, and the
    // full-text index re-indexed with the new category words.
    expect(await searchIds('category:"金融/新浪 财经频道"')).toEqual(ids)
    expect(await searchIds('category:"新浪 财经频道"')).toEqual(ids)
    const old = await call<SearchResult>('search', 'category:新浪财经', {})
    expect(old.error).toMatch(/no category named/u)
    expect(await searchIds('财经频道')).toEqual(expect.arrayContaining(ids))
    // And back, so later tests see the corpus names.
    await call('renameCategory', before.id, '新浪财经')
    expect(await idsIn(['金融', '新浪财经'])).toEqual(ids)
  })

  it('refuses a name a sibling has, an empty name and control characters', async () => {
    const hn = await requireNode(['编程', 'Hacker News'])
    await expect(call('renameCategory', hn.id, '掘金')).rejects.toThrow(/already exists/u)
    await expect(call('renameCategory', hn.id, '   ')).rejects.toThrow(/needs a name/u)
    await expect(call('renameCategory', hn.id, 'a\u001fb')).rejects.toThrow(/control characters/u)
    await expect(call('renameCategory', 999_999, 'x')).rejects.toThrow(/No category with id/u)
    await expect(call('renameCategory', hn.id, 42)).rejects.toThrow(/name must be a string/u)
    expect((await requireNode(['编程', 'Hacker News'])).id).toBe(hn.id)
  })
})

describe('deleting a category', () => {
  it('removes the branch, leaves its articles uncategorised, and undoes exactly', async () => {
    const treeBefore = await treeLines()
    const total = (await svc.listArticles({})).total
    const branch = await requireNode(['社交媒体', '知乎'])
    expect(branch.children.length).toBe(2)
    const ids = await idsIn(['社交媒体', '知乎'])
    const parentCount = (await requireNode(['社交媒体'])).count
    const snapshot = await call<DeletedCategory>('deleteCategory', branch.id)
    expect(snapshot.categories.map((c) => c.path.join('/'))).toEqual([
      '社交媒体/知乎',
      '社交媒体/知乎/知乎日报',
      '社交媒体/知乎/知乎热榜'
    ])
    expect(await node(['社交媒体', '知乎'])).toBeUndefined()
    expect(await node(['社交媒体', '知乎', '知乎日报'])).toBeUndefined()
    expect((await requireNode(['社交媒体'])).count).toBe(parentCount - ids.length)
    // The articles stay in the library, with no category.
    expect((await svc.listArticles({})).total).toBe(total)
    for (const id of ids)
      expect((await call<ArticleDetail>('getArticle', id)).categoryPath).toEqual([])
    expect((await call<SearchResult>('search', 'category:知乎日报', {})).error).toMatch(
      /no category/u
    )
    // Undo through the API, with the snapshot as it crossed the boundary (JSON).
    const back = await call<string[]>('restoreCategory', JSON.parse(JSON.stringify(snapshot)))
    expect(back).toEqual(['社交媒体', '知乎'])
    expect(await treeLines()).toEqual(treeBefore)
    expect(await idsIn(['社交媒体', '知乎'])).toEqual(ids)
    expect((await requireNode(['社交媒体', '知乎'])).id).toBe(branch.id)
    expect(await searchIds('category:知乎')).toEqual(ids)
  })

  it('validates snapshots', async () => {
    await expect(call('restoreCategory', { categories: [], links: [] })).rejects.toThrow(
      /non-empty array/u
    )
    await expect(
      call('restoreCategory', {
        categories: [{ id: 1, parentId: null, name: 'x', path: 'x' }],
        links: []
      })
    ).rejects.toThrow(/snapshot\.categories\[0\]\.path must be an array/u)
  })
})

describe('merging categories', () => {
  it('moves articles and sub-categories, merging same-named children', async () => {
    const treeTotal = (await svc.categories()).reduce((n, c) => n + c.count, 0)
    const source = await requireNode(['编程', '掘金'])
    const target = await requireNode(['编程', 'Hacker News'])
    const sourceIds = await idsIn(['编程', '掘金'])
    const targetIds = await idsIn(['编程', 'Hacker News'])
    const sourceLeaf = await idsIn(['编程', '掘金', '分类'])
    const targetLeaf = await idsIn(['编程', 'Hacker News', '分类'])
    expect(sourceLeaf.length).toBeGreaterThan(0)
    expect(targetLeaf.length).toBeGreaterThan(0)
    const path = await call<string[]>('mergeCategory', source.id, target.id)
    expect(path).toEqual(['编程', 'Hacker News'])
    expect(await node(['编程', '掘金'])).toBeUndefined()
    const merged = await requireNode(['编程', 'Hacker News'])
    // One 分类 below the target, holding both.
    expect(merged.children.map((c) => c.name)).toEqual(['分类'])
    expect(await idsIn(['编程', 'Hacker News', '分类'])).toEqual(
      [...sourceLeaf, ...targetLeaf].sort((a, b) => a - b)
    )
    expect(await idsIn(['编程', 'Hacker News'])).toEqual(
      [...new Set([...sourceIds, ...targetIds])].sort((a, b) => a - b)
    )
    expect((await call<ArticleDetail>('getArticle', sourceLeaf[0])).categoryPath).toEqual([
      '编程',
      'Hacker News',
      '分类'
    ])
    // Nothing lost: the roots still count every categorised article once.
    expect((await svc.categories()).reduce((n, c) => n + c.count, 0)).toBe(treeTotal)
    expect((await call<SearchResult>('search', 'category:掘金', {})).error).toMatch(/no category/u)
    expect(await searchIds('category:"编程/Hacker News"')).toEqual(
      await idsIn(['编程', 'Hacker News'])
    )
  })

  it('merges into an ancestor, taking the source’s own path when a child shares its name', async () => {
    // 学习 › 知識分子 › — 创新 becomes 学习 › 知識分子 › 知識分子 (a child named like its parent),
    // then 学习 › 知識分子 merges into 学习: the child lands on 学习 › 知識分子 itself.
    const parent = await requireNode(['学习', '知識分子'])
    const child = parent.children[0]
    if (!child) throw new Error('corpus changed: 学习 › 知識分子 has no child')
    const ids = await idsIn(child.path)
    await call('renameCategory', child.id, '知識分子')
    const top = await requireNode(['学习'])
    await call('mergeCategory', parent.id, top.id)
    expect(await idsIn(['学习', '知識分子'])).toEqual(ids)
    expect((await requireNode(['学习', '知識分子'])).children).toEqual([])
    expect((await call<ArticleDetail>('getArticle', ids[0])).categoryPath).toEqual([
      '学习',
      '知識分子'
    ])
  })

  it('refuses merging into itself or into a category inside it', async () => {
    const top = await requireNode(['金融'])
    const inner = await requireNode(['金融', '新浪财经'])
    await expect(call('mergeCategory', top.id, top.id)).rejects.toThrow(/into itself/u)
    await expect(call('mergeCategory', top.id, inner.id)).rejects.toThrow(/inside it/u)
    await expect(call('mergeCategory', top.id, 'x')).rejects.toThrow(/targetId/u)
    expect(await node(['金融', '新浪财经'])).toBeDefined()
  })
})

describe('tags', () => {
  const tagCount = async (tag: string): Promise<number | undefined> =>
    (await call<TagCount[]>('tags')).find((x) => x.tag === tag)?.count

  it('bulk-tags and untags articles; the list, reader and search follow', async () => {
    const [a, b, c] = (await svc.listArticles({ limit: 3 })).items.map((x) => x.id)
    if (!a || !b || !c) throw new Error('corpus too small')
    expect(await call<number[]>('addTag', [a, b], ' 重点关注 ')).toEqual([a, b])
    // Adding again changes nothing; a different case reuses the same tag.
    expect(await call<number[]>('addTag', [a, b], '重点关注')).toEqual([])
    expect(await tagCount('重点关注')).toBe(2)
    expect((await call<ArticleDetail>('getArticle', a)).tags).toContain('重点关注')
    expect(
      (await svc.listArticles({ tag: '重点关注' })).items.map((x) => x.id).sort((x, y) => x - y)
    ).toEqual([a, b].sort((x, y) => x - y))
    expect(await searchIds('tag:重点关注')).toEqual([a, b].sort((x, y) => x - y))
    // The tag's words are in the full-text index too.
    expect(await searchIds('重点关注')).toEqual(expect.arrayContaining([a, b]))

    await call('addTag', [c], 'Briefing')
    expect(await call<number[]>('addTag', [a], 'briefing')).toEqual([a])
    expect(await tagCount('Briefing')).toBe(2)
    expect(await tagCount('briefing')).toBeUndefined()

    expect(await call<number[]>('removeTag', [a, c], '重点关注')).toEqual([a])
    expect(await searchIds('tag:重点关注')).toEqual([b])
    expect(await call<number[]>('removeTag', [b], '重点关注')).toEqual([b])
    // No article carries it: it leaves the tag list and the search language.
    expect(await tagCount('重点关注')).toBeUndefined()
    expect((await call<SearchResult>('search', 'tag:重点关注', {})).error).toMatch(/no tag/u)
    expect(await searchIds('重点关注')).not.toEqual(expect.arrayContaining([a]))
  })

  it('renames (merging onto an existing tag) and deletes a tag with undo', async () => {
    const [a, b] = (await svc.listArticles({ limit: 2, offset: 10 })).items.map((x) => x.id)
    if (!a || !b) throw new Error('corpus too small')
    await call('addTag', [a], '草稿')
    await call('addTag', [b], '待审')
    await call('renameTag', '草稿', '待审')
    expect(await tagCount('草稿')).toBeUndefined()
    expect(await tagCount('待审')).toBe(2)
    expect(await searchIds('tag:待审')).toEqual([a, b].sort((x, y) => x - y))
    await call('renameTag', '待审', '已审')
    expect(await searchIds('tag:已审')).toEqual([a, b].sort((x, y) => x - y))
    await expect(call('renameTag', '不存在的标签', 'x')).rejects.toThrow(/no tag named/u)

    const had = await call<number[]>('deleteTag', '已审')
    expect(had.sort((x, y) => x - y)).toEqual([a, b].sort((x, y) => x - y))
    expect(await tagCount('已审')).toBeUndefined()
    expect((await call<ArticleDetail>('getArticle', a)).tags).not.toContain('已审')
    await call('addTag', had, '已审')
    expect(await tagCount('已审')).toBe(2)
  })

  it('validates arguments', async () => {
    await expect(call('addTag', [1], '')).rejects.toThrow(/needs a name/u)
    await expect(call('addTag', 'x', 'tag')).rejects.toThrow(/addTag: articleIds must be an array/u)
    await expect(call('removeTag', [0], 'tag')).rejects.toThrow(/positive integer/u)
    await expect(call('deleteTag', null)).rejects.toThrow(/tag must be a string/u)
  })
})

describe('what other windows hear', () => {
  it('category and tag edits say the filing changed (every tree and tag list); a star patches its row', async () => {
    const heard: string[] = []
    const off = svc.on('libraryChanged', ({ op, touched }) =>
      heard.push(`${op}:${touched.filing ? 'filing' : touched.flags?.starred ? 'star' : '?'}`)
    )
    try {
      const [first] = (await svc.listArticles({ limit: 1 })).items
      await svc.addTag([first!.id], 'zqxheard')
      await svc.renameTag('zqxheard', 'zqxheard2')
      await svc.deleteTag('zqxheard2')
      const root = (await svc.categories())[0]!
      await svc.renameCategory(root.id, `${root.name}zqx`)
      await svc.renameCategory(root.id, root.name)
      expect(heard).toEqual([
        'addTag:filing',
        'renameTag:filing',
        'deleteTag:filing',
        'renameCategory:filing',
        'renameCategory:filing'
      ])
      await svc.setStarred([first!.id], true)
      expect(heard.at(-1)).toBe('setStarred:star')
    } finally {
      off()
    }
  })
})
