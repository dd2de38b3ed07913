// `gleaner collections` and `gleaner export` driven as the CLI runs them, on a real library.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseCsv } from 'csv-parse/sync'
import type { CliContext } from '../../src/cli/command'
import { printable } from '../../src/cli/terminal'
import { collectionsCommand } from '../../src/cli/commands/collections'
import { exportCommand } from '../../src/cli/commands/export'
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
    const rows = parseCsv(readFileSync(out), { bom: true, columns: true }) as unknown[]
    expect(rows).toHaveLength(fx.annotationCount)
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
    ).rejects.toThrow(/--format must be one of markdown, html, pdf, docx, json, csv/)
    const out = join(fx.dir, 'cli', 'none.csv')
    expect(
      await run(exportCommand, ['--query', 'zzzqqqxxx', '--format', 'csv', '--out', out])
    ).toBe(1)
    expect(errors).toEqual(['Nothing to export: no articles matched.'])
    expect(existsSync(out)).toBe(false)
  })
})
