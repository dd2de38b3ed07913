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
import { pathToFileURL } from 'node:url'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportFileResult, ImportRun } from '../../src/shared/types'
import { importPaths } from '../../src/core/importer/run'
import { createParsePool, type ParsePool } from '../../src/core/importer/pool'
import { openLibraryDb, type Db } from '../../src/core/library/open'
import { filesUnder, RSSHUB, SEED_FILE, tempDir } from '../helpers/corpus'
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
  run = await importPaths(db, [src])
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

  it('refuses a zip bomb by its ratio, a lying header by what it inflates to, and deep nesting', () => {
    expect(by('bomb.zip!/zeros.md')).toMatchObject({ status: 'failed', code: 'too-large' })
    expect(by('bomb.zip!/zeros.md')?.reason).toMatch(/zip bomb/u)
    expect(by('liar.zip!/liar.md')).toMatchObject({ status: 'failed', code: 'unreadable' })
    expect(by('liar.zip!/after.md')?.status).toBe('imported')
    expect(by('level1.zip!/level2.zip')).toMatchObject({ status: 'failed', code: 'unsupported' })
    expect(by('level1.zip!/level2.zip')?.reason).toMatch(/nested 2 deep/u)
    expect(
      run.results.filter((r) => r.path.includes('many.zip!/') && r.status === 'imported')
    ).toHaveLength(30)
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

// ---------------------------------------------------------------------------------------------
// The run's resource budget (budget.ts), each limit met where the data is read.

const TSX_LOADER = pathToFileURL(join(__dirname, '../../node_modules/tsx/dist/loader.mjs')).href
const CHILD = join(__dirname, 'import-child.ts')

interface ChildReport {
  run: ImportRun
  maxRssMb: number
}

/** Runs an import in a process of its own (import-child.ts), for its peak RSS. */
function importInChild(args: string[], env: Record<string, string> = {}): ChildReport {
  const out = execFileSync(process.execPath, ['--import', TSX_LOADER, CHILD, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000
  })
  return JSON.parse(out.trim().split('\n').pop() ?? '') as ChildReport
}

const fresh = (name: string): { dir: string; db: Db } => {
  const dir = join(t.dir, name)
  mkdirSync(dir)
  return { dir, db: openLibraryDb(join(t.dir, `${name}.db`)) }
}

/** An ordinary article of about `bytes` bytes (paragraphs of varied words). */
function longArticle(title: string, bytes: number): string {
  const words = ['market', 'policy', 'harbour', 'report', 'shares', 'council', 'river', 'trade']
  const paragraphs: string[] = []
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const p = `<p>${Array.from({ length: 40 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' ')} ${i}.</p>`
    paragraphs.push(p)
    size += p.length + 1
  }
  return `---\ntitle: '${title}'\ndate: 2021-04-11 00:30:33\n---\n\n${paragraphs.join('\n')}\n`
}

describe('a file that changes during the import', () => {
  // The walk once took the size and the read took whatever was there later: a file swapped for
  // a 1.2 GB one between the two grew the importer to 24 GB. The file is now opened once, judged
  // on its handle and read to at most that size (+1 byte, to notice growth).
  for (const scenario of ['swap', 'grow'] as const) {
    it(`${scenario === 'swap' ? 'swapped for a 600 MB file' : 'grown by 600 MB'} between the walk and the read: memory stays bounded (child process RSS)`, () => {
      const dir = join(t.dir, `changing-${scenario}`)
      const folder = join(dir, 'in')
      mkdirSync(folder, { recursive: true })
      writeFileSync(join(folder, 'a.md'), GOOD(500))
      // Over 256 KB, so its read is asynchronous: it waits behind the blocked thread pool.
      const original = longArticle('The original b', 300 * 1024)
      writeFileSync(join(folder, 'b.md'), original)
      // Sparse: 600 MB that cost no disk.
      const big = join(dir, 'big.md')
      writeFileSync(big, '')
      truncateSync(big, 600 * 1024 * 1024)
      const fifo = join(dir, 'fifo')
      execFileSync('mkfifo', [fifo])
      const { run, maxRssMb } = importInChild(
        [scenario, join(dir, 'library.db'), folder, big, fifo],
        { UV_THREADPOOL_SIZE: '1' }
      )
      const b = run.results.find((r) => r.path.endsWith('/b.md'))
      if (scenario === 'swap') {
        // The handle was opened on the original file: that is what was read.
        expect(b?.status).toBe('imported')
        const db = openLibraryDb(join(dir, 'library.db'))
        const row = db
          .prepare<[number], { title: string }>('SELECT title FROM articles WHERE id = ?')
          .get(b?.articleId as number)
        db.close()
        expect(row?.title).toBe('The original b')
      } else {
        expect(b).toMatchObject({ status: 'failed', code: 'unreadable' })
        expect(b?.reason).toMatch(/grew past the 0\.3 MB it had when opened/u)
      }
      expect(run.results.find((r) => r.path.endsWith('/a.md'))?.status).toBe('imported')
      // Reading the 600 MB would need at least that much.
      expect(maxRssMb).toBeLessThan(450)
    }, 120_000)
  }
})

describe('symbolic links do not lead out of the folder being imported', () => {
  it('refuses links to a private key, /etc/passwd and an outside folder, and follows links inside', async () => {
    const { dir, db } = fresh('links')
    const outside = join(dir, 'outside')
    mkdirSync(join(outside, 'articles'), { recursive: true })
    const KEY =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n'
    writeFileSync(join(outside, 'id_ed25519'), KEY)
    writeFileSync(join(outside, 'articles', 'far.md'), GOOD(601))
    const folder = join(dir, 'in')
    mkdirSync(join(folder, 'sub'), { recursive: true })
    writeFileSync(join(folder, 'sub', 'near.md'), GOOD(602))
    symlinkSync(join(outside, 'id_ed25519'), join(folder, 'key.md'))
    symlinkSync('/etc/passwd', join(folder, 'passwd.txt'))
    symlinkSync(join(outside, 'articles'), join(folder, 'elsewhere'))
    // Relative links that climb out are refused too; links that stay inside are followed.
    symlinkSync('../outside/articles/far.md', join(folder, 'climb.md'))
    symlinkSync('sub', join(folder, 'z-inside-dir'))
    symlinkSync(join(folder, 'sub', 'near.md'), join(folder, 'z-inside-file.md'))
    try {
      const r = await importPaths(db, [folder])
      const at = (name: string): ImportFileResult | undefined =>
        r.results.find((x) => x.path === join(folder, name))
      for (const name of ['key.md', 'passwd.txt', 'elsewhere', 'climb.md']) {
        expect(at(name), name).toMatchObject({ status: 'failed', code: 'outside-folder' })
        expect(at(name)?.reason).toMatch(
          /symbolic link to .*, outside the folder being imported; not followed/u
        )
      }
      expect(at('sub/near.md')?.status).toBe('imported')
      // A link to a file inside is followed (the same bytes again: a duplicate); a link to a
      // folder inside leads where the walk has been already (walked once, nothing refused).
      expect(at('z-inside-file.md')?.status).toBe('duplicate')
      expect(r.results.filter((x) => x.path.includes('z-inside-dir'))).toEqual([])
      expect(r.results.filter((x) => x.code === 'outside-folder')).toHaveLength(4)
      const texts = db
        .prepare<[], { t: string }>("SELECT clean_text || ' ' || meta_json AS t FROM articles")
        .all()
        .map((x) => x.t)
        .join('\n')
      expect(texts).not.toMatch(/PRIVATE KEY|root:x:0:0|Good article 601/u)
      // A link the user chose as the thing to import is their choice: followed.
      const chosen = await importPaths(db, [join(folder, 'elsewhere')])
      expect(chosen.results[0]).toMatchObject({ status: 'imported' })
    } finally {
      db.close()
    }
  })
})

describe('zip archives: one budget for the whole run', () => {
  it('many small entries cannot add up to a bomb: the ratio holds over the whole archive', async () => {
    const { dir, db } = fresh('zip-ratio')
    // 12 entries of 1 MiB, ~1 KB each deflated (~1000:1): under the old per-entry floor each.
    const MiB = 1024 * 1024
    writeFileSync(
      join(dir, 'small-bombs.zip'),
      makeZip(Array.from({ length: 12 }, (_, i) => ({ name: `s${i}.txt`, data: 'a'.repeat(MiB) })))
    )
    try {
      const r = await importPaths(db, [join(dir, 'small-bombs.zip')])
      const refusal = r.results.find((x) => /expands more than 200:1 overall/u.test(x.reason ?? ''))
      expect(refusal).toMatchObject({ status: 'failed', code: 'too-large' })
      // At most the first MiB (the floor) and one read chunk were inflated: no more entries.
      expect(r.results.length).toBeLessThanOrEqual(2)
    } finally {
      db.close()
    }
  })

  it('entries and inflated bytes are counted for the run, not per archive', async () => {
    const { dir, db } = fresh('zip-run-budget')
    const archive = (n: number): Buffer =>
      makeZip(
        Array.from({ length: 4 }, (_, i) => ({
          name: `a${n}-${i}.md`,
          data: longArticle(`Archive ${n} entry ${i}`, 600 * 1024)
        }))
      )
    writeFileSync(join(dir, 'one.zip'), archive(1))
    writeFileSync(join(dir, 'two.zip'), archive(2))
    try {
      const MiB = 1024 * 1024
      const byBytes = await importPaths(db, [dir], { budget: { inflatedBytes: 3 * MiB } })
      const imported = (run: ImportRun): string[] =>
        run.results.filter((x) => x.status === 'imported').map((x) => x.path.split('/').pop() ?? '')
      // 4 × 0.6 MB from the first archive, then the run's 3 MB are spent in the second.
      expect(imported(byBytes)).toEqual(['a1-0.md', 'a1-1.md', 'a1-2.md', 'a1-3.md', 'a2-0.md'])
      const spent = byBytes.results.find((x) => x.code === 'over-budget')
      expect(spent?.path).toMatch(/two\.zip/u)
      expect(spent?.reason).toMatch(/budget of 3\.0 MB inflated from archives is spent/u)

      const { db: db2 } = fresh('zip-run-entries')
      try {
        const byEntries = await importPaths(db2, [dir], { budget: { archiveEntries: 5 } })
        expect(imported(byEntries)).toHaveLength(5)
        const refused = byEntries.results.find((x) => x.code === 'over-budget')
        expect(refused?.path).toBe(join(dir, 'two.zip'))
        expect(refused?.reason).toMatch(/budget of 5 archive entries is spent/u)
      } finally {
        db2.close()
      }
    } finally {
      db.close()
    }
  })
})

describe('names that are not UTF-8', () => {
  const gbk = (text: string): Buffer => iconv.encode(text, 'gbk')

  it('reads GBK entry names from a Windows zip (no UTF-8 flag), and UTF-8 ones without the flag', async () => {
    const { dir, db } = fresh('gbk-zip')
    writeFileSync(
      join(dir, 'windows.zip'),
      makeZip([
        { name: gbk('新闻/进博会.md'), data: GOOD(701) },
        { name: Buffer.from('报道.md', 'utf8'), data: GOOD(702) },
        { name: Buffer.from('plain.md'), data: GOOD(703) }
      ])
    )
    try {
      const r = await importPaths(db, [dir])
      const names = r.results.map((x) => x.path.split('windows.zip!/')[1])
      expect(names).toEqual(['新闻/进博会.md', '报道.md', 'plain.md'])
      for (const x of r.results) expect(x.status).toBe('imported')
    } finally {
      db.close()
    }
  })

  it('imports files and folders whose names on disk are GBK bytes, under a readable name', async () => {
    const { dir, db } = fresh('gbk-disk')
    const folder = Buffer.from(join(dir, 'in'))
    mkdirSync(folder)
    const sub = Buffer.concat([folder, Buffer.from('/'), gbk('财经')])
    mkdirSync(sub)
    writeFileSync(Buffer.concat([folder, Buffer.from('/'), gbk('进博会.md')]), GOOD(711))
    writeFileSync(Buffer.concat([sub, Buffer.from('/'), gbk('新闻.txt')]), GOOD(712))
    try {
      const r = await importPaths(db, [join(dir, 'in')])
      expect(r.results.map((x) => [x.path, x.status])).toEqual([
        [join(dir, 'in', '财经', '新闻.txt'), 'imported'],
        [join(dir, 'in', '进博会.md'), 'imported']
      ])
      const row = db
        .prepare<[string], { title: string }>('SELECT title FROM articles WHERE source_path = ?')
        .get(join(dir, 'in', '进博会.md'))
      expect(row?.title).toBe('Good article 711')
    } finally {
      db.close()
    }
  })
})

describe('parse limits: HTML nodes and nesting depth', () => {
  it('refuses HTML nested deeper than the budget, or building more nodes, and imports the next file', async () => {
    const { dir, db } = fresh('html-limits')
    const folder = join(dir, 'in')
    mkdirSync(folder)
    // `<b>` repeated: 2 million elements, each inside the last.
    writeFileSync(join(folder, 'a-bold.html'), `<p>start ${'<b>'.repeat(2_000_000)}end</p>`)
    writeFileSync(
      join(folder, 'b-deep.html'),
      `${'<div>'.repeat(600)}<p>deep text</p>${'</div>'.repeat(600)}`
    )
    writeFileSync(
      join(folder, 'c-wide.html'),
      Array.from({ length: 6000 }, (_, i) => `<p>paragraph ${i}</p>`).join('\n')
    )
    writeFileSync(join(folder, 'd-good.md'), GOOD(801))
    try {
      const r = await importPaths(db, [folder], { budget: { htmlNodes: 10_000 } })
      const at = (name: string): ImportFileResult | undefined =>
        r.results.find((x) => x.path.endsWith(name))
      expect(at('a-bold.html')).toMatchObject({ status: 'failed', code: 'too-large' })
      expect(at('a-bold.html')?.reason).toMatch(/HTML elements nest deeper than 512 levels/u)
      expect(at('b-deep.html')).toMatchObject({ status: 'failed', code: 'too-large' })
      expect(at('b-deep.html')?.reason).toMatch(/nest deeper than 512/u)
      expect(at('c-wide.html')).toMatchObject({ status: 'failed', code: 'too-large' })
      expect(at('c-wide.html')?.reason).toMatch(/more than 10,000 nodes/u)
      expect(at('d-good.md')?.status).toBe('imported')
    } finally {
      db.close()
    }
  })

  it('a whole page (the extractor parses with htmlparser2) meets the same limits', async () => {
    const { dir, db } = fresh('page-limits')
    const page = (body: string): string =>
      `<!doctype html><html><head><title>Deep page</title></head><body>${body}</body></html>`
    writeFileSync(join(dir, 'deep.html'), page(`${'<span>'.repeat(3000)}text`))
    try {
      const r = await importPaths(db, [join(dir, 'deep.html')])
      expect(r.results[0]).toMatchObject({ status: 'failed', code: 'too-large' })
      expect(r.results[0]?.reason).toMatch(/nest deeper than 512/u)
    } finally {
      db.close()
    }
  })
})

describe('long plain text imports, within the budget', () => {
  it('a 49 MB Chinese text imports as one article through the parse workers (child process RSS)', () => {
    const dir = join(t.dir, 'long-text')
    mkdirSync(dir)
    const file = join(dir, '长篇小说.txt')
    writeFileSync(file, chineseText(49 * 1024 * 1024))
    const { run, maxRssMb } = importInChild(['service', join(dir, 'library.db'), '{}', file])
    expect(run.results).toHaveLength(1)
    expect(run.results[0]).toMatchObject({ status: 'imported' })
    const db = openLibraryDb(join(dir, 'library.db'))
    const row = db
      .prepare<[number], { title: string; n: number; format: string }>(
        'SELECT title, length(clean_text) AS n, format FROM articles WHERE id = ?'
      )
      .get(run.results[0]?.articleId as number)
    db.close()
    expect(row).toMatchObject({ title: '长篇小说', format: 'text' })
    expect(row?.n).toBeGreaterThan(15_000_000)
    // Worker heap (capped at 1.5 GB) and main thread together.
    expect(maxRssMb).toBeLessThan(3000)
  }, 180_000)
})

describe('a text of more lines than the node budget allows one by one', () => {
  it('imports with its lines run into fewer paragraphs, every word kept, and says so', async () => {
    const { dir, db } = fresh('many-lines')
    const lines = Array.from({ length: 5000 }, (_, i) => `第${i}行：短句。`)
    writeFileSync(join(dir, 'lines.txt'), lines.join('\n'))
    try {
      const r = await importPaths(db, [join(dir, 'lines.txt')], { budget: { htmlNodes: 3000 } })
      expect(r.results[0]?.status).toBe('imported')
      expect(r.results[0]?.warnings?.join(' ')).toMatch(
        /text has 5,000 lines, more than 3,000 nodes allow one by one: read as 1,000 longer paragraphs/u
      )
      const row = db
        .prepare<[number], { clean_text: string }>('SELECT clean_text FROM articles WHERE id = ?')
        .get(r.results[0]?.articleId as number)
      const text = row?.clean_text ?? ''
      expect(text.split('\n\n')).toHaveLength(1000)
      for (const line of [lines[0], lines[2500], lines[4999]]) expect(text).toContain(line)
    } finally {
      db.close()
    }
  })
})

/** Chinese prose of `bytes` UTF-8 bytes: the corpus's paragraphs, one per line, over and over. */
function chineseText(bytes: number): string {
  const lines: string[] = []
  for (const f of filesUnder(RSSHUB).filter((x) => x.endsWith('.md'))) {
    const text = readFileSync(f, 'utf8').replace(/<[^>]*>/gu, '\n')
    for (const l of text.split('\n')) {
      const line = l.trim()
      if (/^[\u4e00-\u9fff]/u.test(line) && /[\u4e00-\u9fff]{10}/u.test(line)) lines.push(line)
    }
  }
  const out: string[] = []
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const line = lines[i % lines.length] as string
    out.push(line)
    size += Buffer.byteLength(line) + 1
  }
  return out.join('\n')
}
