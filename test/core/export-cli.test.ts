// `gleaner collections` and `gleaner export` driven as the CLI runs them, on a real library.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseCsv } from 'csv-parse/sync'
import type { CliContext } from '../../src/cli/command'
import { printable } from '../../src/cli/terminal'
import { collectionsCommand } from '../../src/cli/commands/collections'
import { exportCommand } from '../../src/cli/commands/export'
import type { GleanerError } from '../../src/shared/errors'
import { annotatedCollection, type AnnotatedCollection } from './export-fixture'

let fx: AnnotatedCollection
let lines: string[]
let errors: string[]

function ctx(): CliContext {
  return {
    libraryPath: join(fx.dir, 'library.sqlite'),
    service: () => {
      throw new Error('these commands work on the database directly')
    },
    db: () => fx.db,
    out: (l) => lines.push(printable(l, false)),
    err: (l) => errors.push(l),
    isTTY: false
  }
}

async function run(cmd: typeof exportCommand, args: string[]): Promise<number> {
  lines = []
  errors = []
  return cmd.run(args, ctx())
}

beforeAll(async () => {
  fx = await annotatedCollection()
})
afterAll(() => {
  fx.db.close()
  rmSync(fx.dir, { recursive: true, force: true })
})

describe('gleaner collections', () => {
  it('creates, fills, lists, renames and deletes', async () => {
    const [a, b] = fx.articleIds as [number, number]
    expect(await run(collectionsCommand, ['create', '早报'])).toBe(0)
    expect(lines[0]).toMatch(/^Created collection “早报” \(id \d+\)\.$/)
    expect(await run(collectionsCommand, ['add', '早报', String(b), `${a},${b}`])).toBe(0)
    expect(lines[0]).toBe(`Added 2 article(s) to “早报”; already in it: ${b}.`)
    expect(await run(collectionsCommand, ['create', 'Apple watch', '--query', 'Apple'])).toBe(0)
    expect(await run(collectionsCommand, ['list', '--json'])).toBe(0)
    const listed = JSON.parse(lines.join('\n')) as { name: string; itemCount: number | null }[]
    expect(listed.map((c) => [c.name, c.itemCount])).toEqual([
      ['Apple watch', 1],
      ['周报 / Weekly #12', 4],
      ['早报', 2]
    ])
    expect(await run(collectionsCommand, ['remove', '早报', String(a)])).toBe(0)
    expect(await run(collectionsCommand, ['rename', '早报', '晚报'])).toBe(0)
    expect(lines[0]).toBe('Renamed “早报” to “晚报”.')
    await expect(run(collectionsCommand, ['add', '早报', '1'])).rejects.toThrow(
      /No collection named “早报”/
    )
    await expect(run(collectionsCommand, ['create', '晚报'])).rejects.toThrow(/already exists/)
    expect(await run(collectionsCommand, ['delete', '晚报'])).toBe(0)
    expect(lines[0]).toBe('Deleted collection “晚报” (1 items; the articles stay).')
  })
})

describe('gleaner export', () => {
  it('exports a collection by name', async () => {
    const out = join(fx.dir, 'cli', 'brief.csv')
    expect(
      await run(exportCommand, ['--collection', fx.collectionName, '--format', 'csv', '--out', out])
    ).toBe(0)
    expect(lines[0]).toBe(
      `Exported 4 article(s) and ${fx.annotationCount} annotation(s) as csv to ${out}`
    )
    const rows = parseCsv(readFileSync(out), { bom: true, columns: true }) as {
      row_type: string
    }[]
    expect(rows.filter((r) => r.row_type === 'article')).toHaveLength(4)
    expect(rows.filter((r) => r.row_type === 'annotation')).toHaveLength(fx.annotationCount)
  })

  it('exports ids in the order given, and search results', async () => {
    const [a, b] = fx.articleIds as [number, number]
    const out = join(fx.dir, 'cli', 'ids.json')
    expect(
      await run(exportCommand, ['--ids', `${b},${a},999`, '--format', 'json', '--out', out])
    ).toBe(0)
    expect(errors).toEqual(['1 id(s) were skipped: no such article.'])
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      'gleaner:articles': { articleId: number }[]
    }
    expect(doc['gleaner:articles'].map((x) => x.articleId)).toEqual([b, a])

    const md = join(fx.dir, 'cli', 'md')
    expect(
      await run(exportCommand, ['--query', '进博会', '--format', 'markdown', '--out', md])
    ).toBe(0)
    const files = readdirSync(md)
    expect(files).toContain('Search 进博会 - index.md')
    expect(files).toContain('第四届进博会：提升城市软实力与服务保障进博会双促进.md')
  })

  it('refuses unclear requests with the reason', async () => {
    await expect(run(exportCommand, ['--format', 'csv', '--out', 'x.csv'])).rejects.toThrow(
      /exactly one of/
    )
    await expect(
      run(exportCommand, ['--ids', '1', '--format', 'rtf', '--out', 'x.rtf'])
    ).rejects.toThrow(/--format must be one of markdown, html, pdf, docx, json, csv, md/)
    await expect(
      run(exportCommand, ['--ids', '1', '--format', 'csv', '--out', 'x.csv', '--lang', 'fr'])
    ).rejects.toThrow(/--lang must be one of en, zh/)
    const out = join(fx.dir, 'cli', 'none.csv')
    expect(
      await run(exportCommand, ['--query', 'zzzqqqxxx', '--format', 'csv', '--out', out])
    ).toBe(1)
    expect(errors).toEqual(['Nothing to export: no articles matched.'])
    expect(existsSync(out)).toBe(false)
  })
})

describe('gleaner export never replaces a file unless --force', () => {
  it('refuses an existing --out and leaves it as it was; --force replaces it', async () => {
    const dir = join(fx.dir, 'force')
    mkdirSync(dir)
    const out = join(dir, 'brief.html')
    writeFileSync(out, 'my own briefing')
    const args = ['--collection', fx.collectionName, '--format', 'html', '--out', out]
    const refused = await run(exportCommand, args).then(
      () => null,
      (e: unknown) => e as GleanerError
    )
    expect(refused?.code).toBe('file-exists')
    expect(refused?.message).toBe(
      `${out} already exists; nothing was written. Add --force to replace it.`
    )
    expect(readFileSync(out, 'utf8')).toBe('my own briefing')
    expect(readdirSync(dir)).toEqual(['brief.html'])

    expect(await run(exportCommand, [...args, '--force'])).toBe(0)
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/)
  })

  it('refuses a Markdown folder that holds files unless --force', async () => {
    const dir = join(fx.dir, 'force-md')
    mkdirSync(dir)
    writeFileSync(join(dir, 'mine.md'), 'mine')
    const args = ['--collection', fx.collectionName, '--format', 'md', '--out', dir]
    await expect(run(exportCommand, args)).rejects.toThrow(/Add --force/)
    expect(readdirSync(dir)).toEqual(['mine.md'])
    expect(await run(exportCommand, [...args, '--force'])).toBe(0)
    expect(readFileSync(join(dir, 'mine.md'), 'utf8')).toBe('mine')
  })
})

describe('gleaner export --format', () => {
  // Every name the usage and README give, any case, and where each writes.
  const names: [string, string][] = [
    ['markdown', 'folder'],
    ['md', 'folder'],
    ['MD', 'notes.md'],
    ['html', 'b.html'],
    ['htm', 'b.htm'],
    ['HTML', 'c.html'],
    ['docx', 'b.docx'],
    ['json', 'b.json'],
    ['csv', 'b.csv']
  ]
  for (const [name, target] of names) {
    it(`accepts ${name}`, async () => {
      const out = join(fx.dir, 'formats', name, target)
      expect(
        await run(exportCommand, [
          '--ids',
          String(fx.articleIds[0]),
          '--format',
          name,
          '--out',
          out
        ])
      ).toBe(0)
      expect(existsSync(out)).toBe(true)
    })
  }

  it('refuses a path whose extension does not fit the format', async () => {
    const out = join(fx.dir, 'formats', 'wrong.csv')
    const e = await run(exportCommand, ['--ids', '1', '--format', 'html', '--out', out]).then(
      () => null,
      (err: unknown) => err as GleanerError
    )
    expect(e?.code).toBe('wrong-extension')
    expect(e?.params).toEqual({ path: out, expected: '.html', format: 'html' })
    expect(existsSync(out)).toBe(false)
    // PDF's name too (refused here for its path, so no browser has to print).
    await expect(
      run(exportCommand, ['--ids', '1', '--format', 'PDF', '--out', out])
    ).rejects.toMatchObject({ code: 'wrong-extension', params: { expected: '.pdf' } })
  })
})

describe('gleaner export --lang', () => {
  it('writes headings and default titles in English unless --lang zh', async () => {
    const en = join(fx.dir, 'lang', 'en.html')
    const zh = join(fx.dir, 'lang', 'zh.html')
    expect(await run(exportCommand, ['--query', '进博会', '--format', 'html', '--out', en])).toBe(0)
    expect(
      await run(exportCommand, [
        '--query',
        '进博会',
        '--format',
        'html',
        '--out',
        zh,
        '--lang',
        'zh'
      ])
    ).toBe(0)
    const enHtml = readFileSync(en, 'utf8')
    const zhHtml = readFileSync(zh, 'utf8')
    expect(enHtml).toContain('<title>Search: 进博会</title>')
    expect(enHtml).toContain('>Contents</h2>')
    expect(zhHtml).toContain('<title>搜索：进博会</title>')
    expect(zhHtml).toContain('>目录</h2>')
    expect(zhHtml).not.toContain('Contents')
  })
})
