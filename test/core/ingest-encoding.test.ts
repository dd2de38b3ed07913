import { readFileSync, readdirSync } from 'node:fs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { parseArticleFile } from '../../src/core/ingest/parse'
import type { ParsedArticle } from '../../src/core/model/parsed-article'
import { SHARED } from '../helpers/corpus'

const SEED = `${SHARED}/corpus/seed/000_f63c91c8bd308f54.txt`
const TRADITIONAL_DIR = `${SHARED}/corpus/rsshub/二次元/Animen 动漫平台/news/`
const TRADITIONAL = TRADITIONAL_DIR + readdirSync(TRADITIONAL_DIR).find((n) => n.endsWith('.md'))!

function article(bytes: Uint8Array, path: string): { encoding: string; a: ParsedArticle } {
  const outcome = parseArticleFile(bytes, path)
  if (!outcome.ok) throw new Error(`${path}: ${outcome.code} ${outcome.reason}`)
  expect(outcome.articles[0]!.encoding).toBe(outcome.encoding)
  return { encoding: outcome.encoding, a: outcome.articles[0]! }
}

/** Characters of the text that the encoding can hold (Big5 has no ・ or ©). */
function encodable(text: string, encoding: string): string {
  return [...text].filter((c) => iconv.decode(iconv.encode(c, encoding), encoding) === c).join('')
}

function expectSameArticle(actual: ParsedArticle, original: ParsedArticle): void {
  expect(actual.title).toBe(original.title)
  expect(actual.cleanText).toBe(original.cleanText)
  expect(actual.categoryPath).toEqual(original.categoryPath)
  expect(actual.publishedAt).toBe(original.publishedAt)
}

const seedText = readFileSync(SEED, 'utf8')
const seedOriginal = article(Buffer.from(seedText, 'utf8'), SEED).a

describe('decoding real articles in other encodings', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['gbk', 'GBK', /^(GBK|GB18030|GB2312)$/],
    ['gb18030', 'GB18030', /^(GBK|GB18030|GB2312)$/],
    ['utf-16le', 'UTF-16LE with BOM', /^UTF-16LE$/],
    ['utf-16be', 'UTF-16BE with BOM', /^UTF-16BE$/]
  ]
  for (const [encoding, label, reported] of cases) {
    it(`reads the seed as ${label}`, () => {
      let bytes: Uint8Array = iconv.encode(seedText, encoding)
      if (encoding.startsWith('utf-16')) bytes = iconv.encode(seedText, encoding, { addBOM: true })
      const { encoding: detected, a } = article(bytes, SEED)
      expect(detected).toMatch(reported)
      expectSameArticle(a, seedOriginal)
    })
  }

  for (const encoding of ['utf-16le', 'utf-16be']) {
    it(`reads the seed as ${encoding} without a BOM`, () => {
      const bytes = iconv.encode(seedText, encoding, { addBOM: false })
      expect(bytes[0] === 0xff || bytes[0] === 0xfe).toBe(false)
      const { encoding: detected, a } = article(bytes, SEED)
      expect(detected.toLowerCase()).toBe(encoding)
      expectSameArticle(a, seedOriginal)
    })
  }

  it('reads UTF-16 without a BOM even when the text is almost all Chinese', () => {
    const body = seedText.slice(seedText.indexOf('7月26日'))
    const chinese = body.replace(/<[^>]+>/g, '').replace(/[ -~\s]/g, '')
    for (const encoding of ['utf-16le', 'utf-16be']) {
      const outcome = parseArticleFile(iconv.encode(chinese, encoding), '/tmp/x.txt')
      expect(outcome.ok && outcome.encoding.toLowerCase()).toBe(encoding)
    }
  })

  it('reads the seed as UTF-8 with a BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(seedText, 'utf8')])
    const { encoding, a } = article(bytes, SEED)
    expect(encoding).toBe('UTF-8 (BOM)')
    expectSameArticle(a, seedOriginal)
  })

  it('reads a Traditional Chinese article as Big5', () => {
    const text = encodable(readFileSync(TRADITIONAL, 'utf8'), 'big5')
    const original = article(Buffer.from(text, 'utf8'), TRADITIONAL).a
    expect(original.cleanText.length).toBeGreaterThan(100)
    const { encoding, a } = article(iconv.encode(text, 'big5'), TRADITIONAL)
    expect(encoding).toBe('Big5')
    expectSameArticle(a, original)
  })

  it('uses a <meta charset> hint on a GBK web page', () => {
    const page = `<!doctype html><html><head><meta charset="gbk"><title>上海进博会</title></head><body><article><p>${seedOriginal.cleanText.split('\n\n')[0]}</p></article></body></html>`
    const { encoding, a } = article(iconv.encode(page, 'gbk'), '/tmp/page.html')
    expect(encoding).toMatch(/^(GBK|GB18030)$/)
    expect(a.format).toBe('html-page')
    expect(a.title).toBe('上海进博会')
    expect(a.cleanText).toBe(seedOriginal.cleanText.split('\n\n')[0])
  })
})

describe('files that are not text', () => {
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
    Buffer.from('IHDR')
  ])

  it('rejects a PNG by its signature', () => {
    expect(parseArticleFile(png, '/tmp/a.md')).toEqual({
      ok: false,
      code: 'binary',
      reason: 'binary content (PNG image signature)'
    })
  })

  it('rejects a ZIP archive, a PDF, a JPEG and an ELF binary by signature', () => {
    const cases: Array<[number[], string]> = [
      [[0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0], 'ZIP archive'],
      [[0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37], 'PDF document'],
      [[0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JPEG image'],
      [[0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 'ELF executable']
    ]
    for (const [bytes, name] of cases) {
      const outcome = parseArticleFile(
        Buffer.concat([Buffer.from(bytes), Buffer.from('---\ntitle: x\n---\nbody')]),
        '/tmp/a.txt'
      )
      expect(outcome).toMatchObject({ ok: false, code: 'binary' })
      expect(!outcome.ok && outcome.reason).toContain(name)
    }
  })

  it('rejects random bytes as binary', () => {
    // A fixed pseudo-random sequence (LCG), so the test is the same every run.
    const bytes = new Uint8Array(4096)
    let x = 12345
    for (let i = 0; i < bytes.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0
      bytes[i] = x >>> 24
    }
    expect(parseArticleFile(bytes, '/tmp/r.md')).toMatchObject({ ok: false, code: 'binary' })
  })

  it('rejects random bytes without NULs as binary or undecodable', () => {
    const bytes = new Uint8Array(4096)
    let x = 777
    for (let i = 0; i < bytes.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0
      bytes[i] = (x >>> 24) | 1
    }
    const outcome = parseArticleFile(bytes, '/tmp/r.md')
    expect(outcome.ok).toBe(false)
    expect(!outcome.ok && ['binary', 'undecodable']).toContain(!outcome.ok && outcome.code)
  })

  it('rejects text with NUL bytes that is not UTF-16', () => {
    const bytes = Buffer.from(
      '---\ntitle: a\n---\nhello\u0000\u0000\u0000 world, more text here',
      'utf8'
    )
    const outcome = parseArticleFile(bytes, '/tmp/n.md')
    expect(outcome).toMatchObject({ ok: false, code: 'binary' })
    expect(!outcome.ok && outcome.reason).toMatch(/NUL byte at offset 22/)
  })

  it('rejects empty and whitespace-only files as empty', () => {
    expect(parseArticleFile(new Uint8Array(0), '/tmp/e.md')).toMatchObject({
      ok: false,
      code: 'empty'
    })
    for (const ws of [' ', '\n\n\t  \r\n', '\u3000\u3000\n', '\uFEFF  \n'])
      expect(parseArticleFile(Buffer.from(ws, 'utf8'), '/tmp/w.md')).toMatchObject({
        ok: false,
        code: 'empty'
      })
  })

  it('names the first bad byte when nothing decodes', () => {
    const bytes = Buffer.from([0x41, 0x42, 0xff, 0xfe, 0xfd, 0x43, 0x44, 0xff, 0x80, 0x80])
    const outcome = parseArticleFile(bytes, '/tmp/u.txt')
    expect(outcome).toMatchObject({ ok: false, code: 'undecodable' })
    expect(!outcome.ok && outcome.reason).toMatch(
      /^not valid UTF-8 \(byte 2\) and no other encoding fits/
    )
  })

  it('reads Latin-1 text as windows-1252', () => {
    const bytes = Buffer.from('Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade.', 'latin1')
    const { encoding, a } = article(bytes, '/tmp/menu.txt')
    expect(encoding).toBe('windows-1252')
    expect(a.cleanText).toBe('Café crème brûlée, naïve façade.')
  })

  it('reports a UTF-8 BOM followed by invalid UTF-8 with the byte offset', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('abc', 'utf8'),
      Buffer.from([0xc3, 0x28])
    ])
    expect(parseArticleFile(bytes, '/tmp/b.txt')).toEqual({
      ok: false,
      code: 'undecodable',
      reason: 'starts with a UTF-8 byte order mark but is not valid UTF-8 (byte 6)'
    })
  })
})
