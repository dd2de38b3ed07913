// Hostile and broken input: every bad file gets its own specific result, the rest of the
// import goes on, nothing the files contain is executed, and nothing dangerous is stored.
import { execFileSync } from 'node:child_process'
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  truncateSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportFileResult, ImportRun } from '../../src/shared/types'
import { importPaths } from '../../src/main/core/importer/run'
import { createParsePool, type ParsePool } from '../../src/main/core/importer/pool'
import { openLibraryDb, type Db } from '../../src/main/core/library/open'
import { SEED_FILE, tempDir } from '../helpers/corpus'
import { makeZip } from '../fixtures/hostile/make-zip'

const FIXTURES = join(__dirname, '../fixtures/hostile')
const GOOD = (n: number): string =>
  `---\ntitle: 'Good article ${n}'\ndate: 2021-04-11 00:30:33\n---\n\n<p>Paragraph of article ${n}, with enough words to be an article.</p>\n`

let t: { dir: string; cleanup: () => void }
let db: Db
let run: ImportRun
let rcharRead = 0
const by = (suffix: string): ImportFileResult | undefined =>
  run.results.find((r) => r.path.endsWith(suffix))

function rchar(): number {
  // Bytes this process read through read(2) and friends (Linux): proves a file was not read.
  const m = /rchar:\s*(\d+)/u.exec(readFileSync('/proc/self/io', 'utf8'))
  return Number(m?.[1] ?? 0)
}

beforeAll(async () => {
  t = tempDir('gleaner-hostile-')
  const src = join(t.dir, 'in')
  mkdirSync(src)
  const w = (name: string, data: string | Uint8Array): void => {
    mkdirSync(join(src, name, '..'), { recursive: true })
    writeFileSync(join(src, name), data)
  }
  copyFileSync(SEED_FILE, join(src, 'seed.txt'))
  copyFileSync(join(FIXTURES, 'hostile-post.md'), join(src, 'hostile-post.md'))
  copyFileSync(join(FIXTURES, 'hostile-page.html'), join(src, 'hostile-page.html'))
  w('empty.md', '')
  // Binary content behind text extensions.
  w('png.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49]))
  w('elf.txt', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0]))
  w('noise.html', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)))
  // NUL bytes inside otherwise ordinary text.
  w(
    'nul-run.md',
    Buffer.concat([Buffer.from('# Title\n\nSome text '), Buffer.alloc(64), Buffer.from(' more')])
  )
  // One stray NUL in UTF-8 text (a corrupted download).
  w('stray-nul.md', '---\ntitle: a\n---\n\nhello\u0000world and more text here')
  // Invalid UTF-8 sequences in a file that is otherwise UTF-8.
  w(
    'bad-utf8.md',
    Buffer.concat([
      Buffer.from("---\ntitle: 'Invalid bytes'\n---\n\nBefore "),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]),
      Buffer.from(' after, and a sentence of text.\n')
    ])
  )
  // A 200 MB file, sparse so the test is fast: refused by its size, never opened.
  writeFileSync(join(src, 'huge.md'), '')
  truncateSync(join(src, 'huge.md'), 200 * 1024 * 1024)
  // Malformed YAML: the file still imports (front matter read line by line) or fails alone.
  w(
    'yaml-unterminated.md',
    '---\ntitle: "unterminated\ncategories: [a, b\n---\n\nBody text here.\n'
  )
  w('yaml-nothing.md', '---\n: : :\n- - [\n---\n\n')
  w('yaml-js.md', '---js\nrequire("child_process").execSync("touch PWNED")\n---\n\nbody\n')
  // Deep folder tree: 200 levels.
  const deep = join(src, ...Array.from({ length: 200 }, (_, i) => `d${i % 10}`))
  mkdirSync(deep, { recursive: true })
  writeFileSync(join(deep, 'deep.md'), GOOD(200))
  // Symlink loops and broken links.
  symlinkSync(src, join(src, 'loop-to-root'))
  symlinkSync(join(src, 'self-link.md'), join(src, 'self-link.md'))
  symlinkSync(join(t.dir, 'nowhere.md'), join(src, 'dangling.md'))
  // Not a regular file (a named pipe): reading it would block forever.
  execFileSync('mkfifo', [join(src, 'pipe.md')])
  // Zip archives: contents imported, hostile ones refused entry by entry.
  w(
    'good.zip',
    makeZip([
      { name: 'folder/', data: '', store: true },
      { name: 'folder/one.md', data: GOOD(1) },
      { name: 'two.md', data: GOOD(2), store: true },
      { name: 'nested.zip', data: makeZip([{ name: 'three.md', data: GOOD(3) }]) },
      { name: '__MACOSX/._two.md', data: 'junk' }
    ])
  )
  w(
    'evil.zip',
    makeZip([
      { name: '../escape.md', data: GOOD(4) },
      { name: '/etc/abs.md', data: GOOD(5) },
      { name: 'ok/../../up.md', data: GOOD(6) },
      { name: 'fine.md', data: GOOD(7) }
    ])
  )
  // A bomb: 20 MB of zeros deflates to ~20 KB.
  w('bomb.zip', makeZip([{ name: 'zeros.md', data: Buffer.alloc(20 * 1024 * 1024) }]))
  // Headers that lie: declared 10 bytes, inflates to far more.
  w(
    'liar.zip',
    makeZip([
      { name: 'liar.md', data: GOOD(8).repeat(2000), claimSize: 10 },
      { name: 'after.md', data: GOOD(9) }
    ])
  )
  // Three levels of archives.
  w(
    'matryoshka.zip',
    makeZip([
      {
        name: 'level1.zip',
        data: makeZip([
          { name: 'level2.zip', data: makeZip([{ name: 'deepest.md', data: GOOD(10) }]) }
        ])
      }
    ])
  )
  w(
    'many.zip',
    makeZip(Array.from({ length: 30 }, (_, i) => ({ name: `m${i}.md`, data: GOOD(100 + i) })))
  )
  w('broken.zip', Buffer.from('PK\u0003\u0004 this is not really a zip archive at all'))

  db = openLibraryDb(join(t.dir, 'library.db'))
  const before = rchar()
  run = await importPaths(db, [src], { zipLimits: { maxEntries: 20 } })
  rcharRead = rchar() - before
}, 120_000)

afterAll(() => {
  db?.close()
  t?.cleanup()
})

describe('hostile files each get a specific result and the import goes on', () => {
  it('imports the good files around them', () => {
    expect(by('/seed.txt')?.status).toBe('imported')
    expect(by('/deep.md')?.status).toBe('imported')
    expect(run.cancelled).toBe(false)
    for (const r of run.results) {
      expect(r.status).toMatch(/^(imported|duplicate|failed)$/u)
      if (r.status === 'failed') {
        expect(r.code, r.path).toBeTruthy()
        expect(r.reason, r.path).toBeTruthy()
        expect(r.reason, r.path).not.toMatch(/\n/u)
      }
    }
    // The saved run has exactly the same results.
    const saved = db
      .prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM import_results WHERE run_id = ?')
      .get(run.id)
    expect(saved?.n).toBe(run.results.length)
  })

  it('refuses empty, binary and 200 MB files by what they are, without reading the big one', () => {
    expect(by('/empty.md')).toMatchObject({ status: 'failed', code: 'empty' })
    for (const f of ['/png.md', '/elf.txt', '/noise.html', '/nul-run.md'])
      expect(by(f), f).toMatchObject({ status: 'failed', code: 'binary' })
    expect(by('/huge.md')).toMatchObject({ status: 'failed', code: 'too-large' })
    expect(by('/huge.md')?.reason).toMatch(/200\.0 MB, over the 50\.0 MB limit/u)
    // Everything else in the folder is well under 100 MB; the sparse file was never read.
    expect(rcharRead).toBeLessThan(100 * 1024 * 1024)
  })

  // One NUL in UTF-8 text once made the decoder pick UTF-16LE and store CJK-looking garbage.
  it('a stray NUL in UTF-8 text is refused as binary or imported with its real text', () => {
    const r = by('/stray-nul.md')
    if (r?.status === 'failed') {
      expect(r.reason).toMatch(/NUL byte at offset \d+ inside UTF-8 text/u)
      return expect(r.code).toBe('binary')
    }
    const row = db
      .prepare<[number], { clean_text: string }>('SELECT clean_text FROM articles WHERE id = ?')
      .get(r?.articleId as number)
    expect(row?.clean_text).toMatch(/hello.?world and more text here/u)
  })

  it('decodes invalid UTF-8 as a legacy encoding instead of failing, keeping the text', () => {
    const r = by('/bad-utf8.md')
    expect(r?.status).toBe('imported')
    const row = db
      .prepare<[number], { clean_text: string; encoding: string }>(
        'SELECT clean_text, encoding FROM articles WHERE id = ?'
      )
      .get(r?.articleId as number)
    expect(row?.clean_text).toMatch(/Before .* after, and a sentence of text\./u)
    expect(row?.encoding).not.toBe('UTF-8')
  })

  it('reads malformed YAML line by line or fails that file alone, and never runs front matter code', () => {
    expect(by('/yaml-unterminated.md')?.status).toBe('imported')
    const warn = db
      .prepare<[number], { warnings_json: string }>(
        "SELECT warnings_json FROM import_results WHERE run_id = ? AND path LIKE '%yaml-unterminated.md'"
      )
      .get(run.id)
    expect(warn?.warnings_json).toMatch(/YAML front matter not valid/u)
    expect(by('/yaml-nothing.md')).toMatchObject({ status: 'failed', code: 'no-content' })
    expect(by('/yaml-js.md')?.status).toMatch(/imported|failed/u)
    expect(() => readFileSync(join(t.dir, 'in', 'PWNED'))).toThrow()
    expect(() => readFileSync('PWNED')).toThrow()
  })

  it('walks a 200-level tree, ends symlink loops, and reports broken links and pipes', () => {
    expect(run.results.filter((r) => r.path.endsWith('/seed.txt'))).toHaveLength(1)
    expect(by('/self-link.md')).toMatchObject({ status: 'failed', code: 'unreadable' })
    expect(by('/self-link.md')?.reason).toMatch(/symbolic links/u)
    expect(by('/dangling.md')).toMatchObject({ status: 'failed', code: 'unreadable' })
    expect(by('/dangling.md')?.reason).toMatch(/no such file/u)
    expect(by('/pipe.md')).toMatchObject({ status: 'failed', code: 'unreadable' })
    expect(by('/pipe.md')?.reason).toMatch(/not a regular file/u)
  })

  it.skipIf(process.getuid?.() === 0)(
    'reports a file without read permission (skipped as root: root reads anything)',
    async () => {
      const { chmodSync } = await import('node:fs')
      const dir = join(t.dir, 'locked')
      mkdirSync(dir)
      writeFileSync(join(dir, 'locked.md'), GOOD(300))
      chmodSync(join(dir, 'locked.md'), 0o000)
      const r = await importPaths(db, [dir])
      expect(r.results[0]).toMatchObject({ status: 'failed', code: 'unreadable' })
      expect(r.results[0]?.reason).toMatch(/permission denied/u)
    }
  )
})

describe('zip archives', () => {
  it('imports entries (and one nested archive) under archive!/inner paths', () => {
    const zipped = run.results.filter((r) => r.path.includes('good.zip!/'))
    expect(zipped.map((r) => r.path.split('good.zip')[1]).sort()).toEqual([
      '!/folder/one.md',
      '!/nested.zip!/three.md',
      '!/two.md'
    ])
    for (const r of zipped) expect(r.status).toBe('imported')
    const row = db
      .prepare<[string], { title: string }>('SELECT title FROM articles WHERE source_path = ?')
      .get(join(t.dir, 'in', 'good.zip') + '!/nested.zip!/three.md')
    expect(row?.title).toBe('Good article 3')
  })

  it('refuses ../ and absolute entry names with a reason, and imports the safe entry', () => {
    for (const name of ['../escape.md', '/etc/abs.md', 'ok/../../up.md']) {
      const r = run.results.find((x) => x.path.endsWith(`evil.zip!/${name}`))
      expect(r, name).toMatchObject({ status: 'failed', code: 'unsupported' })
      expect(r?.reason).toMatch(/unsafe archive entry/u)
    }
    expect(by('evil.zip!/fine.md')?.status).toBe('imported')
    // Nothing was written next to the archive or above it.
    expect(() => readFileSync(join(t.dir, 'escape.md'))).toThrow()
    expect(() => readFileSync(join(t.dir, 'up.md'))).toThrow()
  })

  it('refuses a zip bomb by its ratio, a lying header by what it inflates to, deep nesting and entry floods', () => {
    expect(by('bomb.zip!/zeros.md')).toMatchObject({ status: 'failed', code: 'too-large' })
    expect(by('bomb.zip!/zeros.md')?.reason).toMatch(/zip bomb/u)
    expect(by('liar.zip!/liar.md')).toMatchObject({ status: 'failed', code: 'unreadable' })
    expect(by('liar.zip!/after.md')?.status).toBe('imported')
    expect(by('level1.zip!/level2.zip')).toMatchObject({ status: 'failed', code: 'unsupported' })
    expect(by('level1.zip!/level2.zip')?.reason).toMatch(/nested 2 deep/u)
    const flood = run.results.find((r) => r.path.endsWith('/many.zip'))
    expect(flood).toMatchObject({ status: 'failed', code: 'too-large' })
    expect(flood?.reason).toMatch(/more than 20 entries/u)
    expect(
      run.results.filter((r) => r.path.includes('many.zip!/') && r.status === 'imported')
    ).toHaveLength(20)
    expect(by('/broken.zip')).toMatchObject({ status: 'failed', code: 'parse-error' })
  })
})

describe('nothing executable or overlaying is stored', () => {
  const DANGEROUS: [string, RegExp][] = [
    ['script element', /<script/iu],
    ['event handler attribute', /\son[a-z]+\s*=/iu],
    ['javascript: URL', /javascript:/iu],
    ['vbscript: URL', /vbscript:/iu],
    ['data:text/html URL', /data:text\/html/iu],
    ['iframe', /<iframe/iu],
    ['form or input', /<(form|input|button)\b/iu],
    ['meta refresh', /<meta/iu],
    ['style element', /<style/iu],
    ['inline style', /\sstyle\s*=/iu],
    ['fixed positioning', /position\s*:\s*fixed/iu],
    ['object or embed', /<(object|embed)\b/iu],
    ['base or link', /<(base|link)\b/iu],
    ['svg', /<svg/iu],
    ['srcdoc', /srcdoc/iu]
  ]
  for (const file of ['hostile-post.md', 'hostile-page.html']) {
    it(`${file}: keeps the article text and drops every active construct`, () => {
      const r = by(`/${file}`)
      expect(r?.status).toBe('imported')
      const row = db
        .prepare<[number], { clean_html: string; clean_text: string }>(
          'SELECT clean_html, clean_text FROM articles WHERE id = ?'
        )
        .get(r?.articleId as number)
      expect(row).toBeDefined()
      for (const [what, re] of DANGEROUS) expect(row?.clean_html, what).not.toMatch(re)
      if (file === 'hostile-post.md') {
        expect(row?.clean_text).toContain('The first paragraph must survive.')
        expect(row?.clean_text).toContain('The last paragraph must survive too.')
        expect(row?.clean_text).not.toMatch(/__pwned|document\.cookie/u)
      } else {
        expect(row?.clean_text).toContain('real article paragraph')
      }
    })
  }
})

describe('the parse pool under hostile input', () => {
  let pool: ParsePool | undefined
  afterAll(async () => {
    await pool?.close()
  })

  // The front-matter reader stops expanding aliases past its value budget and reads the block
  // line by line instead; the importer's own metadata guard stays as a second line of defence.
  it('a YAML alias bomb is read without expanding it (warning), and the next file imports', async () => {
    const dir = join(t.dir, 'laughs')
    mkdirSync(dir)
    const lines = ['---', 'a: &a ["xxxxxxxx","xxxxxxxxx"]']
    const names = ['a', 'b', 'c', 'd', 'e']
    for (let i = 1; i < names.length; i++)
      lines.push(
        `${names[i]}: &${names[i]} [${Array(9)
          .fill(`*${names[i - 1]}`)
          .join(',')}]`
      )
    lines.push(`h: [${Array(9).fill('*e').join(',')}]`, 'title: billion laughs', '---', '', 'body')
    writeFileSync(join(dir, 'a-laughs.md'), lines.join('\n'))
    writeFileSync(join(dir, 'b-good.md'), GOOD(400))
    pool = createParsePool(1)
    const r = await importPaths(db, [dir], { parse: pool.parse })
    expect(r.results[0]).toMatchObject({ status: 'imported' })
    expect(r.results[0]?.warnings?.join(' ')).toMatch(/YAML aliases expanding/u)
    expect(r.results[1]?.status).toBe('imported')
    // Nothing huge was stored.
    const big = db
      .prepare<[], { n: number }>('SELECT MAX(length(meta_json)) AS n FROM articles')
      .get()
    expect(big?.n).toBeLessThan(1024 * 1024)
  }, 120_000)
})
