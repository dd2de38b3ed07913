// Export never destroys: an existing file, a folder that is not empty, a link to somebody
// else's file are kept unless the request says to replace them; a path whose extension does
// not fit the format, a folder where a file goes, a file where a folder goes are refused with
// their own codes. On a real library (corpus articles, annotations, a collection), through the
// exporter and through the API as the window calls it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import matter from 'gray-matter'
import {
  exportBundle,
  loadCollectionBundle,
  loadExportBundle,
  type ExportError
} from '../../src/core/export'
import { createGleanerService, type GleanerService } from '../../src/core/service'
import { dispatchSettled } from '../../src/shared/validate'
import {
  EXPORT_EXTENSIONS,
  EXPORT_FORMATS,
  type ExportBundle,
  type ExportFormat
} from '../../src/shared/export-types'
import { annotatedCollection, type AnnotatedCollection } from './export-fixture'

let fx: AnnotatedCollection
let bundle: ExportBundle
let n = 0
/** A fresh folder per case, so no case depends on another's files. */
const fresh = (): string => {
  const dir = join(fx.dir, `case-${++n}`)
  mkdirSync(dir)
  return dir
}

beforeAll(async () => {
  fx = await annotatedCollection()
  bundle = loadCollectionBundle(fx.db, fx.collectionId)
})
afterAll(() => {
  fx.db.close()
  rmSync(fx.dir, { recursive: true, force: true })
})

async function refusal(p: Promise<unknown>): Promise<ExportError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err
  )
  expect(e, 'the export should have been refused').toBeInstanceOf(Error)
  return e as ExportError
}

describe('an existing file', () => {
  it('is kept, byte for byte, unless the request says to replace it', async () => {
    const dir = fresh()
    const path = join(dir, 'hosts.html')
    writeFileSync(path, '127.0.0.1 localhost\n')
    const e = await refusal(exportBundle(bundle, 'html', path))
    expect(e.code).toBe('file-exists')
    expect(e.params).toEqual({ path })
    expect(readFileSync(path, 'utf8')).toBe('127.0.0.1 localhost\n')
    expect(readdirSync(dir)).toEqual(['hosts.html'])

    const result = await exportBundle(bundle, 'html', path, { overwrite: true })
    expect(result.files).toEqual([path])
    expect(readFileSync(path, 'utf8')).toMatch(/^<!doctype html>/)
    expect(readdirSync(dir)).toEqual(['hosts.html'])
  })

  it('keeps its permissions when replaced', async () => {
    const path = join(fresh(), 'private.docx')
    writeFileSync(path, 'old')
    chmodSync(path, 0o600)
    await exportBundle(bundle, 'docx', path, { overwrite: true })
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('behind a link is never written through: replacing replaces the link', async () => {
    const dir = fresh()
    const victim = join(dir, 'system-file.csv')
    writeFileSync(victim, 'keep me\n')
    const link = join(dir, 'export.csv')
    symlinkSync(victim, link)
    expect((await refusal(exportBundle(bundle, 'csv', link))).code).toBe('file-exists')
    await exportBundle(bundle, 'csv', link, { overwrite: true })
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n')
    expect(readFileSync(link, 'utf8')).toMatch(/^\uFEFFrow_type,/)
  })
})

describe('Markdown into a folder', () => {
  it('writes into a new or empty folder, refuses one that holds files unless told to', async () => {
    const empty = fresh()
    const first = await exportBundle(bundle, 'markdown', empty)
    expect(first.files).toHaveLength(bundle.articles.length + 1)

    const mine = join(fresh(), 'notes')
    mkdirSync(mine)
    writeFileSync(join(mine, 'my own note.md'), '# mine\n')
    const e = await refusal(exportBundle(bundle, 'markdown', mine))
    expect(e.code).toBe('file-exists')
    expect(e.params).toEqual({ path: mine })
    expect(readdirSync(mine)).toEqual(['my own note.md'])

    await exportBundle(bundle, 'markdown', mine, { overwrite: true })
    // Files of other names stay: replacing never deletes.
    expect(readFileSync(join(mine, 'my own note.md'), 'utf8')).toBe('# mine\n')
    expect(readdirSync(mine)).toHaveLength(bundle.articles.length + 2)
  })

  it('to a path ending in .md writes the whole briefing as one file', async () => {
    const path = join(fresh(), 'brief.md')
    const result = await exportBundle(bundle, 'markdown', path)
    expect(result.files).toEqual([path])
    const parsed = matter(readFileSync(path, 'utf8'))
    expect(parsed.data.title).toBe(bundle.title)
    for (const [i, e] of bundle.articles.entries())
      expect(parsed.content).toContain(`## ${i + 1}. ${e.article.title.replace(/#/g, '\\#')}`)
    expect(parsed.content).toContain('关键句：软实力')
    expect((await refusal(exportBundle(bundle, 'markdown', path))).code).toBe('file-exists')
  })
})

describe('paths that cannot hold the export', () => {
  it('a folder where a file goes is refused, even when told to replace', async () => {
    const dir = join(fresh(), 'report.pdf')
    mkdirSync(dir)
    for (const overwrite of [false, true]) {
      const e = await refusal(exportBundle(bundle, 'pdf', dir, { overwrite }))
      expect(e.code).toBe('is-a-folder')
      expect(e.params).toEqual({ path: dir })
    }
  })

  it('a file where a folder goes (the Markdown folder or one on the way) is refused', async () => {
    const dir = fresh()
    const file = join(dir, 'notes')
    writeFileSync(file, 'a file')
    const asFolder = await refusal(exportBundle(bundle, 'markdown', file, { overwrite: true }))
    expect(asFolder.code).toBe('not-a-folder')
    expect(asFolder.params).toEqual({ path: file })
    const below = await refusal(exportBundle(bundle, 'json', join(file, 'deeper', 'x.json')))
    expect(below.code).toBe('not-a-folder')
    expect(below.params).toEqual({ path: file })
    expect(readFileSync(file, 'utf8')).toBe('a file')
  })

  it('an extension that does not fit the format is refused, for every format', async () => {
    const dir = fresh()
    for (const format of EXPORT_FORMATS) {
      for (const other of EXPORT_FORMATS) {
        if (other === format) continue
        const path = join(dir, `brief${EXPORT_EXTENSIONS[other][0] as string}`)
        const e = await refusal(exportBundle(bundle, format, path))
        expect(e.code, `${format} to ${path}`).toBe('wrong-extension')
        expect(e.params).toEqual({
          path,
          expected: EXPORT_EXTENSIONS[format][0],
          format
        })
      }
      if (format !== 'markdown') {
        const bare = await refusal(exportBundle(bundle, format, join(dir, 'brief')))
        expect(bare.code).toBe('wrong-extension')
      }
    }
    expect(readdirSync(dir)).toEqual([])
    // Any case, and the other spellings, fit.
    const formats: [ExportFormat, string][] = [
      ['html', 'BRIEF.HTML'],
      ['html', 'brief.htm'],
      ['json', 'data.Json'],
      ['markdown', 'brief.markdown']
    ]
    for (const [format, name] of formats) await exportBundle(bundle, format, join(dir, name))
    expect(readdirSync(dir).sort()).toEqual([
      'BRIEF.HTML',
      'brief.htm',
      'brief.markdown',
      'data.Json'
    ])
  })

  it('nothing to export writes nothing', async () => {
    const path = join(fresh(), 'empty.html')
    const empty = loadExportBundle(fx.db, [999_999], 'none')
    expect((await refusal(exportBundle(empty, 'html', path))).code).toBe('nothing-to-export')
    expect(existsSync(path)).toBe(false)
  })
})

describe('through the API, as the window calls it', () => {
  let svc: GleanerService
  beforeAll(() => {
    svc = createGleanerService({ libraryPath: join(fx.dir, 'library.sqlite') })
  })
  afterAll(() => svc.close())

  it('refuses with file-exists as data, then replaces when asked, in the asked language', async () => {
    const path = join(fresh(), '周报.html')
    writeFileSync(path, 'earlier briefing')
    const request = {
      source: { collectionId: fx.collectionId },
      format: 'html',
      outPath: path,
      locale: 'zh'
    }
    const refused = await dispatchSettled(svc, 'exportArticles', [request])
    expect(refused).toEqual({
      ok: false,
      error: { code: 'file-exists', message: expect.any(String), params: { path } }
    })
    expect(readFileSync(path, 'utf8')).toBe('earlier briefing')
    const done = await dispatchSettled(svc, 'exportArticles', [{ ...request, overwrite: true }])
    expect(done.ok).toBe(true)
    const html = readFileSync(path, 'utf8')
    expect(html).toContain('<h2 lang="zh">目录</h2>')
    expect(html).not.toContain('Contents')
  })

  it('validates overwrite and locale', async () => {
    const base = {
      source: { collectionId: fx.collectionId },
      format: 'csv',
      outPath: join(fx.dir, 'x.csv')
    }
    for (const bad of [{ overwrite: 'yes' }, { overwrite: 1 }, { locale: 'fr' }, { locale: 7 }]) {
      const outcome = await dispatchSettled(svc, 'exportArticles', [{ ...base, ...bad }])
      expect(outcome.ok, JSON.stringify(bad)).toBe(false)
      if (!outcome.ok) expect(outcome.error.code).toBe('invalid-arguments')
    }
    expect(existsSync(base.outPath)).toBe(false)
  })
})
