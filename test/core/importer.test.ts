import { afterEach, describe, expect, it } from 'vitest'
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
  chmodSync,
  symlinkSync
} from 'node:fs'
import { join } from 'node:path'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { CORPUS, SEED_FILE, filesUnder, tempDir } from '../helpers/corpus'

let service: GleanerService | undefined
let cleanup: (() => void) | undefined
afterEach(() => {
  service?.close()
  service = undefined
  cleanup?.()
})

function open(): { svc: GleanerService; dir: string } {
  const t = tempDir()
  cleanup = t.cleanup
  service = createGleanerService({ libraryPath: join(t.dir, 'library.db') })
  return { svc: service, dir: t.dir }
}

/** The seed's body paragraphs as the file has them, stripped of markup and indentation. */
function seedParagraphs(): string[] {
  const body = readFileSync(SEED_FILE, 'utf8').split(/^---\s*$/mu)[2] ?? ''
  return [...body.matchAll(/<p cms-style="font-L">([\s\S]*?)<\/p>/gu)]
    .map((m) =>
      (m[1] ?? '')
        .replace(/<[^>]+>/gu, '')
        .replace(/^[\s\u3000]+/u, '')
        .trim()
    )
    .filter(Boolean)
}

describe('importing the seed', () => {
  it('lands with its metadata, category path, editor and clean body', async () => {
    const { svc } = open()
    const run = await svc.importPaths([SEED_FILE])
    expect(run.counts).toMatchObject({ total: 1, imported: 1, failed: 0 })
    const id = run.results[0]?.articleId
    expect(id).toBeTypeOf('number')
    const a = await svc.getArticle(id as number)
    expect(a).not.toBeNull()
    if (!a) return
    expect(a.title).toBe('第四届进博会：提升城市软实力与服务保障进博会双促进')
    expect(a.author).toBe('新浪财经')
    expect(a.publishedAt).toBe('2021-07-26T04:03:03.000Z')
    expect(a.categoryPath).toEqual(['金融', '新浪财经', '新浪财经－国內'])
    expect(a.editor).toBe('王翔')
    expect(a.originalTitle).toBe('第四届进博会：提升城市软实力与服务保障进博会双促进')
    const paragraphs = seedParagraphs()
    expect(paragraphs).toHaveLength(7)
    expect(paragraphs[0]).toMatch(/^7月26日上午/u)
    expect(paragraphs[6]).toMatch(/确保第四届进博会办出新气象、新水平、新成效。?$/u)
    for (const p of paragraphs) expect(a.cleanText).toContain(p)
    for (const bad of ['原标题', '责任编辑', '新浪财经APP', 'appendQr', '&#123;', '<!--'])
      expect(a.cleanText).not.toContain(bad)
    for (const para of a.cleanText.split(/\n+/u)) expect(para.startsWith('\u3000')).toBe(false)
    expect(a.meta).toMatchObject({ author: '新浪财经', comments: false })
    // Nothing lost: the original bytes are kept verbatim.
    const orig = svc.db
      .prepare(
        'SELECT o.bytes FROM originals o JOIN articles a ON a.original_id = o.id WHERE a.id = ?'
      )
      .get(a.id) as { bytes: Buffer }
    expect(Buffer.compare(orig.bytes, readFileSync(SEED_FILE))).toBe(0)
    const tree = await svc.categories()
    expect(tree[0]).toMatchObject({ name: '金融', count: 1 })
    expect(tree[0]?.children[0]?.children[0]).toMatchObject({ name: '新浪财经－国內', count: 1 })
  })

  it('skips the same bytes and the same article from another file, and reports why', async () => {
    const { svc, dir } = open()
    await svc.importPaths([SEED_FILE])
    const again = await svc.importPaths([SEED_FILE])
    expect(again.counts).toMatchObject({ imported: 0, duplicates: 1 })
    expect(again.results[0]?.reason).toMatch(/same bytes as article #1/u)
    // Same article, different bytes (trailing whitespace) at another path.
    const other = join(dir, 'copy.md')
    writeFileSync(other, readFileSync(SEED_FILE, 'utf8') + '\n\n\n')
    const copy = await svc.importPaths([other])
    expect(copy.results[0]).toMatchObject({ status: 'duplicate', articleId: 1 })
    expect(copy.results[0]?.reason).toMatch(/same title, date and text/u)
    expect((await svc.libraryInfo()).articleCount).toBe(1)
  })

  it('keeps a story and its /slides/4 page apart although their text is the same; a tracking query or another site is the same article', async () => {
    const { svc, dir } = open()
    const md = (url: string): string =>
      `---\ntitle: Pier repairs\ndate: 2024-03-05\nurl: ${url}\n---\n\nRepairs to the old pier will take three more months, the harbour authority said.\n`
    const files = [
      ['story.md', 'https://news.example/2024/pier-repairs'],
      ['slide.md', 'https://news.example/2024/pier-repairs/slides/4'],
      ['shared.md', 'https://www.news.example/2024/pier-repairs/?utm_source=feed'],
      // The same story republished by another site is a duplicate, as it always was.
      ['wire.md', 'https://portal.example/news/pier-repairs.html']
    ].map(([name, url]) => {
      const f = join(dir, name!)
      writeFileSync(f, md(url!))
      return f
    })
    const run = await svc.importPaths(files)
    expect(run.results.map((r) => r.status)).toEqual([
      'imported',
      'imported',
      'duplicate',
      'duplicate'
    ])
    expect(run.results[2]).toMatchObject({ articleId: run.results[0]!.articleId })
    expect(run.results[3]).toMatchObject({ articleId: run.results[0]!.articleId })
    expect((await svc.libraryInfo()).articleCount).toBe(2)
  })

  it('updates the article in place when a file imported before has changed, keeping user state', async () => {
    const { svc, dir } = open()
    const file = join(dir, 'post.txt')
    copyFileSync(SEED_FILE, file)
    const first = await svc.importPaths([file])
    const id = first.results[0]?.articleId as number
    await svc.setStarred([id], true)
    writeFileSync(file, readFileSync(SEED_FILE, 'utf8').replace('7月26日上午', '7月26日下午'))
    const second = await svc.importPaths([file])
    expect(second.results[0]).toMatchObject({ status: 'updated', articleId: id })
    const a = await svc.getArticle(id)
    expect(a?.cleanText).toContain('7月26日下午')
    expect(a?.starred).toBe(true)
    expect((await svc.libraryInfo()).articleCount).toBe(1)
  })
})

describe('a deleted article stays deleted', () => {
  // findBySourcePath ignored deleted_at and the update cleared it: importing an unchanged file
  // again (every start of `gleaner watch`) brought a deleted article back as "file changed".
  it('re-importing its file, unchanged or changed, at its path or another, leaves it in the trash', async () => {
    const { svc, dir } = open()
    const file = join(dir, 'post.txt')
    copyFileSync(SEED_FILE, file)
    const id = (await svc.importPaths([file])).results[0]?.articleId as number
    expect(await svc.deleteArticles([id])).toEqual([id])

    const unchanged = await svc.importPaths([file])
    expect(unchanged.results[0]).toMatchObject({ status: 'in-trash', articleId: id })
    expect(unchanged.results[0]?.reason).toMatch(/in the trash; not imported again/u)
    expect(unchanged.counts).toMatchObject({ inTrash: 1, imported: 0, updated: 0 })

    writeFileSync(file, readFileSync(SEED_FILE, 'utf8').replace('7月26日上午', '7月26日下午'))
    const changed = await svc.importPaths([file])
    expect(changed.results[0]).toMatchObject({ status: 'in-trash', articleId: id })

    // The same bytes at another path, and the same article in other bytes at a third.
    const copy = join(dir, 'copy.txt')
    copyFileSync(SEED_FILE, copy)
    expect((await svc.importPaths([copy])).results[0]).toMatchObject({
      status: 'in-trash',
      articleId: id
    })
    const respaced = join(dir, 'respaced.md')
    writeFileSync(respaced, readFileSync(SEED_FILE, 'utf8') + '\n\n\n')
    const other = await svc.importPaths([respaced])
    expect(other.results[0]).toMatchObject({ status: 'in-trash', articleId: id })
    expect(other.results[0]?.reason).toMatch(
      /same title, date and text as article #\d+, which is in the trash/u
    )

    expect(await svc.getArticle(id)).toBeNull()
    expect((await svc.libraryInfo()).articleCount).toBe(0)
    // The saved run says the same as the returned one.
    expect((await svc.getImportRun(other.id))?.counts.inTrash).toBe(1)

    // Restored by the user, it is the article these files are duplicates of again.
    await svc.restoreArticles([id])
    expect((await svc.importPaths([copy])).results[0]).toMatchObject({
      status: 'duplicate',
      articleId: id
    })
  })
})

describe('import paths must be absolute', () => {
  it('refuses an empty or relative path in the core, before reading anything', async () => {
    const { svc } = open()
    for (const path of ['', 'test/fixtures', './x.md'])
      await expect(svc.importPaths([path])).rejects.toMatchObject({
        code: 'import-path-not-absolute',
        params: { path }
      })
    expect((await svc.listImportRuns(10)).length).toBe(0)
  })
})

describe('bad files never stop a run', () => {
  it('gives each bad file a specific one-line reason and imports the rest', async () => {
    const { dir } = open()
    const src = join(dir, 'in')
    mkdirSync(join(src, 'deep', 'er'), { recursive: true })
    copyFileSync(SEED_FILE, join(src, 'deep', 'er', 'seed.txt'))
    writeFileSync(join(src, 'empty.md'), '')
    writeFileSync(
      join(src, 'image.txt'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3])
    )
    writeFileSync(join(src, 'big.md'), Buffer.alloc(200_000, 0x61))
    writeFileSync(join(src, 'locked.md'), '# x\n\nbody')
    chmodSync(join(src, 'locked.md'), 0o000)
    symlinkSync(src, join(src, 'deep', 'loop'))
    service?.close()
    service = createGleanerService({
      libraryPath: join(dir, 'library.db'),
      importOptions: { budget: { fileBytes: 100_000 } }
    })
    const run = await service.importPaths([src, join(dir, 'missing-folder')])
    const by = (name: string) => run.results.find((r) => r.path.endsWith(name))
    expect(by('seed.txt')?.status).toBe('imported')
    expect(by('empty.md')).toMatchObject({ status: 'failed', code: 'empty' })
    expect(by('image.txt')).toMatchObject({ status: 'failed', code: 'binary' })
    expect(by('big.md')).toMatchObject({ status: 'failed', code: 'too-large' })
    expect(by('big.md')?.reason).toMatch(/0\.2 MB, over the 0\.1 MB limit/u)
    expect(by('missing-folder')).toMatchObject({ status: 'failed', code: 'unreadable' })
    expect(by('missing-folder')?.reason).toMatch(/no such file/u)
    // Root can read anything, so an unreadable file is only unreadable for other users.
    if (process.getuid?.() !== 0)
      expect(by('locked.md')).toMatchObject({ status: 'failed', code: 'unreadable' })
    // The symlink loop is walked once: the seed is not seen twice.
    expect(run.results.filter((r) => r.path.endsWith('seed.txt'))).toHaveLength(1)
    for (const r of run.results.filter((r) => r.status === 'failed')) {
      expect(r.reason).toBeTruthy()
      expect(r.reason).not.toMatch(/\n/u)
    }
    const saved = await service.getImportRun(run.id)
    expect(saved?.results).toHaveLength(run.results.length)
    expect(saved?.counts).toEqual(run.counts)
  })
})

describe('importing the whole corpus', () => {
  it('imports or explains every file, and a second run adds nothing', async () => {
    const { svc } = open()
    const files = filesUnder(CORPUS).filter(
      (f) => !f.endsWith('MANIFEST.tsv') && !f.endsWith('README.md')
    )
    const run = await svc.importPaths(files)
    expect(run.results.length).toBeGreaterThanOrEqual(files.length)
    for (const r of run.results) {
      expect(['imported', 'duplicate', 'failed']).toContain(r.status)
      if (r.status === 'failed') expect(r.reason && r.code).toBeTruthy()
    }
    expect(run.counts.imported).toBeGreaterThan(files.length * 0.9)
    const articles = (await svc.libraryInfo()).articleCount
    const again = await svc.importPaths(files)
    expect(again.counts.imported).toBe(0)
    expect(again.counts.updated).toBe(0)
    expect((await svc.libraryInfo()).articleCount).toBe(articles)
    // The tree mirrors the Hexo category lists; every imported article sits in it.
    const tree = await svc.categories()
    expect(tree.reduce((n, c) => n + c.count, 0)).toBeGreaterThan(0)
    const all = await svc.listArticles({ limit: 1000 })
    expect(all.total).toBe(articles)
  })
})
