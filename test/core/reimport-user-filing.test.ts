// Re-importing a changed file updates its article in place (the same source path and item, as
// the importer recognises it). The user's own filing must win over the file's front matter: a
// category renamed, merged or deleted, or tags edited, stay as the user left them, while an
// article the user never re-filed still follows its file (a source can recategorise). On the
// real seed and corpus articles, through the API as the app calls it (dispatchCall).
import { afterEach, describe, expect, it } from 'vitest'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { dispatchCall } from '../../src/shared/validate'
import type { SearchResult } from '../../src/shared/search-types'
import type { DeletedCategory } from '../../src/shared/taxonomy-types'
import type { ArticleDetail, CategoryNode, ImportRun } from '../../src/shared/types'
import { RSSHUB, SEED_FILE, tempDir } from '../helpers/corpus'

/** A second article, in another branch of 金融 (金融 › 财联社 › 深度). */
const CLS_FILE = join(RSSHUB, '金融', '财联社', '深度', '10天23地，南京疫情是如何扩散全国的.md')
const SEED_TEXT = readFileSync(SEED_FILE, 'utf8')
const SEED_CATEGORIES = ' - 金融\n - 新浪财经\n - 新浪财经－国內\n'

let svc: GleanerService | undefined
let cleanup: (() => void) | undefined
afterEach(() => {
  svc?.close()
  svc = undefined
  cleanup?.()
  cleanup = undefined
})

function open(): { service: GleanerService; dir: string } {
  const t = tempDir('gleaner-refile-')
  cleanup = t.cleanup
  svc = createGleanerService({ libraryPath: join(t.dir, 'library.db') })
  return { service: svc, dir: t.dir }
}

const call = <T>(method: string, ...args: unknown[]): Promise<T> =>
  dispatchCall(svc!, method, args) as Promise<T>

/**
 * The seed as a source would rewrite it: its first paragraph and title changed, optionally its
 * category list (YAML list lines) and tags.
 */
function seedVariant(edit: string, opts: { categories?: string[]; tags?: string[] } = {}): string {
  if (!SEED_TEXT.includes(SEED_CATEGORIES)) throw new Error('the seed’s front matter changed')
  let text = SEED_TEXT.replace('7月26日上午', `7月26日${edit}`).replace(
    "title: '第四届进博会：提升城市软实力与服务保障进博会双促进'",
    `title: '第四届进博会：提升城市软实力与服务保障进博会双促进（${edit}）'`
  )
  if (opts.categories)
    text = text.replace(SEED_CATEGORIES, opts.categories.map((c) => ` - ${c}\n`).join(''))
  if (opts.tags)
    text = text.replace('author: 新浪财经\n', `author: 新浪财经\ntags: [${opts.tags.join(', ')}]\n`)
  return text
}

function flatten(nodes: CategoryNode[]): CategoryNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)])
}
async function paths(): Promise<string[]> {
  return flatten(await call<CategoryNode[]>('categories')).map((n) => n.path.join('/'))
}
async function node(path: string): Promise<CategoryNode> {
  const found = flatten(await call<CategoryNode[]>('categories')).find(
    (n) => n.path.join('/') === path
  )
  if (!found) throw new Error(`no category ${path}`)
  return found
}
async function searchIds(query: string): Promise<number[]> {
  const r = await call<SearchResult>('search', query, { limit: 100 })
  if (r.error) throw new Error(r.error)
  return r.items.map((h) => h.id).sort((a, b) => a - b)
}
async function searchError(query: string): Promise<string | undefined> {
  return (await call<SearchResult>('search', query, {})).error
}
const article = (id: number): Promise<ArticleDetail> => call<ArticleDetail>('getArticle', id)

/** Imports the seed from `dir/post.txt` (the path that identifies it for later updates). */
async function importSeed(dir: string, text = SEED_TEXT): Promise<{ file: string; id: number }> {
  const file = join(dir, 'post.txt')
  writeFileSync(file, text)
  const run = await call<ImportRun>('importPaths', [file])
  expect(run.results[0]?.status).toBe('imported')
  return { file, id: run.results[0]?.articleId as number }
}

/** Rewrites the file and imports it again: the article must be updated in place. */
async function reimport(file: string, id: number, text: string): Promise<void> {
  writeFileSync(file, text)
  const run = await call<ImportRun>('importPaths', [file])
  expect(run.results[0]).toMatchObject({ status: 'updated', articleId: id })
}

/** The update itself (text, title, full-text index) happened. */
async function expectUpdated(id: number, edit: string): Promise<void> {
  const a = await article(id)
  expect(a.cleanText).toContain(`7月26日${edit}`)
  expect(a.cleanText).not.toContain('7月26日上午')
  expect(a.title).toMatch(new RegExp(`（${edit}）$`, 'u'))
  expect(await searchIds(edit)).toContain(id)
}

describe('re-importing a changed file after the user re-filed its article', () => {
  it('keeps a renamed category: no old path comes back, the text still updates', async () => {
    const { dir } = open()
    const { file, id } = await importSeed(dir)
    const top = await node('金融')
    expect(await call<string[]>('renameCategory', top.id, '宏观观察')).toEqual(['宏观观察'])

    await reimport(file, id, seedVariant('傍晚'))
    expect((await article(id)).categoryPath).toEqual(['宏观观察', '新浪财经', '新浪财经－国內'])
    expect((await paths()).filter((p) => p.startsWith('金融'))).toEqual([])
    expect((await node('宏观观察')).id).toBe(top.id)
    await expectUpdated(id, '傍晚')
    // Search: the category filter and the category words in the full-text document.
    expect(await searchIds('category:宏观观察')).toEqual([id])
    expect(await searchIds('category:"宏观观察/新浪财经/新浪财经－国內"')).toEqual([id])
    expect(await searchError('category:金融')).toMatch(/no category/u)
    expect(await searchIds('宏观观察')).toEqual([id])

    // The file recategorised by its source later: the user's filing still wins.
    await reimport(file, id, seedVariant('深夜', { categories: ['科技', '新浪科技'] }))
    expect((await article(id)).categoryPath).toEqual(['宏观观察', '新浪财经', '新浪财经－国內'])
    expect(await paths()).not.toContain('科技')
    await expectUpdated(id, '深夜')
  })

  it('keeps a merge: the article stays in the target, the source path is not re-created', async () => {
    const { dir } = open()
    const { file, id } = await importSeed(dir)
    const cls = await call<ImportRun>('importPaths', [CLS_FILE])
    const clsId = cls.results[0]?.articleId as number
    const source = await node('金融/新浪财经')
    const target = await node('金融/财联社')
    expect(await call<string[]>('mergeCategory', source.id, target.id)).toEqual(['金融', '财联社'])
    const merged = ['金融', '财联社', '新浪财经－国內']
    expect((await article(id)).categoryPath).toEqual(merged)

    await reimport(file, id, seedVariant('傍晚'))
    expect((await article(id)).categoryPath).toEqual(merged)
    expect(
      (await paths()).filter((p) => p.includes('新浪财经/') || p.endsWith('新浪财经'))
    ).toEqual([])
    await expectUpdated(id, '傍晚')
    expect(await searchIds('category:财联社')).toEqual([id, clsId].sort((a, b) => a - b))
    expect(await searchIds('category:"金融/财联社/新浪财经－国內"')).toEqual([id])
    expect(await searchError('category:"金融/新浪财经"')).toMatch(/no category/u)
    expect(await searchIds('财联社')).toContain(id)
  })

  it('keeps a deleted category deleted: the article stays uncategorised', async () => {
    const { dir } = open()
    const { file, id } = await importSeed(dir)
    const snapshot = await call<DeletedCategory>('deleteCategory', (await node('金融')).id)
    expect((await article(id)).categoryPath).toEqual([])

    await reimport(file, id, seedVariant('傍晚'))
    expect((await article(id)).categoryPath).toEqual([])
    expect(await paths()).toEqual([])
    await expectUpdated(id, '傍晚')
    expect(await searchError('category:金融')).toMatch(/no category/u)
    expect(await searchError('category:新浪财经－国內')).toMatch(/no category/u)
    // Still listed under All articles.
    expect((await call<{ total: number }>('listArticles', {})).total).toBe(1)
    expect(snapshot.userFiled).toEqual([])
  })
})

describe('undoing a category delete restores the mark as it was', () => {
  it('an article filed only by its front matter follows its file again after the undo', async () => {
    const { dir } = open()
    const { file, id } = await importSeed(dir)
    const snapshot = await call<DeletedCategory>('deleteCategory', (await node('金融')).id)
    // The snapshot as the window holds it (it crossed the IPC boundary as JSON).
    await call('restoreCategory', JSON.parse(JSON.stringify(snapshot)))
    expect((await article(id)).categoryPath).toEqual(['金融', '新浪财经', '新浪财经－国內'])

    await reimport(file, id, seedVariant('傍晚', { categories: ['科技', '新浪科技'] }))
    expect((await article(id)).categoryPath).toEqual(['科技', '新浪科技'])
    expect(await searchIds('category:新浪科技')).toEqual([id])
  })

  it('an article the user had re-filed before the delete stays user-filed after the undo', async () => {
    const { dir } = open()
    const { file, id } = await importSeed(dir)
    await call('renameCategory', (await node('金融/新浪财经')).id, '新浪')
    const snapshot = await call<DeletedCategory>('deleteCategory', (await node('金融')).id)
    expect(snapshot.userFiled).toEqual([id])
    await call('restoreCategory', JSON.parse(JSON.stringify(snapshot)))
    expect((await article(id)).categoryPath).toEqual(['金融', '新浪', '新浪财经－国內'])

    await reimport(file, id, seedVariant('傍晚', { categories: ['科技', '新浪科技'] }))
    expect((await article(id)).categoryPath).toEqual(['金融', '新浪', '新浪财经－国內'])
    expect(await paths()).not.toContain('科技')
    await expectUpdated(id, '傍晚')
  })

  it('validates the mark list in a snapshot', async () => {
    open()
    const snapshot = {
      categories: [{ id: 1, parentId: null, name: 'x', path: ['x'] }],
      links: []
    }
    await expect(call('restoreCategory', { ...snapshot, userFiled: 'all' })).rejects.toThrow(
      /userFiled must be an array/u
    )
    await expect(call('restoreCategory', { ...snapshot, userFiled: [0] })).rejects.toThrow(
      /snapshot\.userFiled\[0\] must be a positive integer/u
    )
    // Without the list (a snapshot from before it existed) the restore still works.
    expect(await call<string[]>('restoreCategory', snapshot)).toEqual(['x'])
  })
})

describe('an article the user never re-filed (control)', () => {
  it('moves to the front matter’s new category on re-import, even beside a renamed one', async () => {
    const { dir } = open()
    const { file, id } = await importSeed(dir)
    // Another article's category is renamed by the user; this one is not touched.
    const cls = await call<ImportRun>('importPaths', [CLS_FILE])
    const clsId = cls.results[0]?.articleId as number
    await call('renameCategory', (await node('金融/财联社')).id, '财联社精选')

    await reimport(file, id, seedVariant('傍晚', { categories: ['科技', '新浪科技'] }))
    expect((await article(id)).categoryPath).toEqual(['科技', '新浪科技'])
    expect(await searchIds('category:科技')).toEqual([id])
    expect(await searchIds('category:"科技/新浪科技"')).toEqual([id])
    expect(await searchIds('category:新浪财经')).toEqual([])
    expect(await searchIds('新浪科技')).toContain(id)
    await expectUpdated(id, '傍晚')
    expect((await article(clsId)).categoryPath).toEqual(['金融', '财联社精选', '深度'])
  })
})

describe('tags on re-import', () => {
  it('keeps the tags of an article whose tags the user edited, and follows the file otherwise', async () => {
    const { dir } = open()
    const { file, id } = await importSeed(dir, seedVariant('上午', { tags: ['进博会', '上海'] }))
    const other = join(dir, 'other.md')
    copyFileSync(CLS_FILE, other)
    const otherRun = await call<ImportRun>('importPaths', [other])
    const otherId = otherRun.results[0]?.articleId as number
    expect((await article(id)).tags).toEqual(['上海', '进博会'])

    // Without user edits, a re-import replaces the tags with the file's (as before).
    await reimport(file, id, seedVariant('中午', { tags: ['进博会', '城市软实力'] }))
    expect((await article(id)).tags).toEqual(['城市软实力', '进博会'])

    // The user tags it and renames one of its tags.
    expect(await call<number[]>('addTag', [id, otherId], '待跟进')).toEqual([id, otherId])
    await call('renameTag', '城市软实力', '软实力')
    await reimport(file, id, seedVariant('傍晚', { tags: ['进博会', '城市软实力', '会展'] }))
    expect((await article(id)).tags).toEqual(['待跟进', '软实力', '进博会'])
    const tagNames = (await call<{ tag: string }[]>('tags')).map((t) => t.tag)
    expect(tagNames).not.toContain('城市软实力')
    expect(tagNames).not.toContain('会展')
    expect(await searchIds('tag:待跟进')).toEqual([id, otherId].sort((a, b) => a - b))
    expect(await searchIds('tag:软实力')).toEqual([id])
    await expectUpdated(id, '傍晚')
    // The category was not edited by the user, so it still follows the file.
    await reimport(file, id, seedVariant('深夜', { categories: ['科技'], tags: ['会展'] }))
    expect((await article(id)).categoryPath).toEqual(['科技'])
    expect((await article(id)).tags).toEqual(['待跟进', '软实力', '进博会'])
  })

  it('a category edit leaves tags following the file, and deleting a tag keeps it deleted', async () => {
    const { dir } = open()
    const { file, id } = await importSeed(dir, seedVariant('上午', { tags: ['进博会', '上海'] }))
    await call('renameCategory', (await node('金融')).id, '宏观观察')
    await reimport(file, id, seedVariant('中午', { tags: ['进博会', '浦东'] }))
    expect((await article(id)).tags).toEqual(['浦东', '进博会'])
    expect((await article(id)).categoryPath[0]).toBe('宏观观察')

    expect(await call<number[]>('deleteTag', '浦东')).toEqual([id])
    await reimport(file, id, seedVariant('傍晚', { tags: ['进博会', '浦东'] }))
    expect((await article(id)).tags).toEqual(['进博会'])
    expect(await searchError('tag:浦东')).toMatch(/no tag/u)
  })
})
