import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  AnnotationError,
  confirmAnchor,
  createAnnotationFromQuote,
  createArticleNote,
  createHighlight,
  deleteAnnotation,
  listAllAnnotations,
  listAnnotations,
  listNeedsReview,
  reanchorArticle,
  reattachAnnotation,
  restoreAnnotation,
  toW3CAnnotation,
  toW3CCollection,
  updateAnnotation
} from '../../src/core/annotations'
import { parseArticleFile } from '../../src/core/ingest/parse'
import { insertArticle, sha256, storeOriginal } from '../../src/core/library/articles'
import { openLibraryDb, type Db } from '../../src/core/library/open'
import { searchArticles } from '../../src/core/search'
import { annotateCommand } from '../../src/cli/commands/annotate'
import { annotationsCommand } from '../../src/cli/commands/annotations'
import type { CliContext } from '../../src/cli/command'
import { printable } from '../../src/cli/terminal'
import { SEED_FILE, tempDir } from '../helpers/corpus'

const tmp = tempDir('gleaner-annotations-')
afterAll(() => tmp.cleanup())

let db: Db
let articleId: number
let text: string
let n = 0

beforeEach(() => {
  db = openLibraryDb(join(tmp.dir, `lib-${n++}.db`))
  const bytes = readFileSync(SEED_FILE)
  const parsed = parseArticleFile(bytes, SEED_FILE)
  if (!parsed.ok) throw new Error(parsed.reason)
  const article = parsed.articles[0]
  if (!article) throw new Error('no article')
  const originalId = storeOriginal(db, bytes, sha256(bytes))
  articleId = insertArticle(
    db,
    { originalId, itemIndex: 0, sourcePath: SEED_FILE, cleaningVersion: 1, parsed: article },
    new Date().toISOString()
  )
  text = article.cleanText
})

function codeOf(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    return e instanceof AnnotationError ? e.code : `not an AnnotationError: ${String(e)}`
  }
  return undefined
}

describe('annotation repository', () => {
  it('creates a highlight from a CJK quote at its exact UTF-16 offsets', () => {
    const quote = '城市服务保障工作进展情况'
    const a = createAnnotationFromQuote(db, articleId, quote, {
      note: '关注',
      color: 'green',
      tags: ['进博会', ' 进博会 ']
    })
    const start = text.indexOf(quote)
    expect(a.selectors?.position).toEqual({
      type: 'TextPositionSelector',
      start,
      end: start + quote.length
    })
    expect(text.slice(a.selectors?.position.start, a.selectors?.position.end)).toBe(quote)
    expect(a).toMatchObject({
      exact: quote,
      color: 'green',
      note: '关注',
      tags: ['进博会'],
      anchorStatus: 'anchored',
      cleaningVersion: 1
    })
    const row = db.prepare('SELECT selectors_json FROM annotations WHERE id = ?').get(a.id) as {
      selectors_json: string
    }
    const stored = JSON.parse(row.selectors_json) as { type: string }[]
    // The W3C pair first, then Gleaner's extended context as an element of its own type.
    expect(stored.map((s) => s.type)).toEqual([
      'TextQuoteSelector',
      'TextPositionSelector',
      'GleanerContextSelector'
    ])
    const ctx = a.selectors?.context
    expect(ctx?.prefix.endsWith(a.selectors?.quote.prefix ?? '?')).toBe(true)
    expect(ctx?.suffix.startsWith(a.selectors?.quote.suffix ?? '?')).toBe(true)
    expect(ctx?.prefix).toBe(text.slice(Math.max(0, start - 128), start))
    expect(ctx?.suffix).toBe(text.slice(start + quote.length, start + quote.length + 128))
  })

  it('refuses an absent quote, and an ambiguous one unless told which', () => {
    expect(codeOf(() => createAnnotationFromQuote(db, articleId, '不存在的句子'))).toBe(
      'quote-not-found'
    )
    expect(codeOf(() => createAnnotationFromQuote(db, articleId, '软实力'))).toBe('quote-ambiguous')
    const second = text.indexOf('软实力', text.indexOf('软实力') + 1)
    const a = createAnnotationFromQuote(db, articleId, '软实力', { near: second + 1 })
    expect(a.selectors?.position.start).toBe(second)
    expect(codeOf(() => createAnnotationFromQuote(db, 99999, '软实力'))).toBe('no-article')
  })

  it('updates note, colour and tags, and refuses an unknown colour', () => {
    const a = createHighlight(db, { articleId, start: 0, end: 4 })
    expect(a.color).toBe('yellow')
    const b = updateAnnotation(db, a.id, { note: 'n', color: 'purple', tags: ['x'] })
    expect(b).toMatchObject({ note: 'n', color: 'purple', tags: ['x'] })
    expect(codeOf(() => updateAnnotation(db, a.id, { color: 'red' as 'pink' }))).toBe(
      'invalid-color'
    )
    expect(codeOf(() => createHighlight(db, { articleId, start: 5, end: 5 }))).toBe('invalid-range')
  })

  it('deletes returning the row, and restores it under the same id', () => {
    const a = createAnnotationFromQuote(db, articleId, '城市服务保障工作进展情况', { note: '备注' })
    const gone = deleteAnnotation(db, a.id)
    expect(gone).toEqual(a)
    expect(listAnnotations(db, articleId)).toEqual([])
    const back = restoreAnnotation(db, gone)
    expect(back).toMatchObject({
      id: a.id,
      note: '备注',
      selectors: a.selectors,
      createdAt: a.createdAt
    })
    expect(codeOf(() => restoreAnnotation(db, gone))).toBe('id-taken')
    // Through an API that passes only the W3C fields, the extended context comes back from the text.
    deleteAnnotation(db, a.id)
    const { context: _dropped, ...w3cOnly } = a.selectors ?? { context: undefined }
    void _dropped
    const again = restoreAnnotation(db, { ...gone, selectors: w3cOnly as typeof a.selectors })
    expect(again.selectors).toEqual(a.selectors)
  })

  it('lists in text order: article notes, highlights by position, then those needing review', () => {
    const later = createAnnotationFromQuote(db, articleId, '城市服务保障工作进展情况')
    const earlier = createHighlight(db, { articleId, start: 2, end: 6 })
    const note = createArticleNote(db, { articleId, note: '整篇文章的笔记' })
    expect(listAnnotations(db, articleId).map((a) => a.id)).toEqual([note.id, earlier.id, later.id])
    expect(listAllAnnotations(db).map((a) => a.id)).toEqual([note.id, earlier.id, later.id])
    expect(note).toMatchObject({ selectors: null, color: null, exact: null })
  })

  it('makes notes and highlighted text searchable', () => {
    createArticleNote(db, { articleId, note: 'zebraword' })
    expect(searchArticles(db, 'zebraword').total).toBe(1)
  })
})

describe('reanchorArticle', () => {
  it('keeps, moves, fuzzes or flags each highlight, and never moves one silently', () => {
    const paras = text.split('\n\n')
    const keep = createAnnotationFromQuote(db, articleId, '城市服务保障工作进展情况')
    const lastPara = paras[paras.length - 1] as string
    const dropped = createHighlight(db, {
      articleId,
      start: text.length - lastPara.length,
      end: text.length
    })
    const fuzzyQuote = '上海将充分发挥软实力'
    const edited = createAnnotationFromQuote(db, articleId, fuzzyQuote)
    const note = createArticleNote(db, { articleId, note: 'n' })

    // A re-clean that adds a lead paragraph, drops the last one and edits a word.
    const newText = ['新的导语段落。', ...paras.slice(0, -1)]
      .join('\n\n')
      .replace('充分发挥', '充份发挥')
    const counts = reanchorArticle(db, articleId, newText, 2)
    // What the re-cleaner does next, in the same transaction: write the new text.
    db.prepare('UPDATE articles SET clean_text = ?, cleaning_version = 2 WHERE id = ?').run(
      newText,
      articleId
    )
    expect(counts).toEqual({ total: 3, unchanged: 0, moved: 1, fuzzy: 1, needsReview: 1 })

    const byId = new Map(listAnnotations(db, articleId).map((a) => [a.id, a]))
    const k = byId.get(keep.id)
    expect(k?.anchorStatus).toBe('anchored')
    expect(k?.cleaningVersion).toBe(2)
    expect(newText.slice(k?.selectors?.position.start, k?.selectors?.position.end)).toBe(
      '城市服务保障工作进展情况'
    )
    const f = byId.get(edited.id)
    expect(f?.anchorStatus).toBe('fuzzy')
    expect(f?.exact).toBe('上海将充份发挥软实力')
    const d = byId.get(dropped.id)
    expect(d?.anchorStatus).toBe('needs-review')
    expect(d?.selectors).toEqual(dropped.selectors)
    expect(d?.cleaningVersion).toBe(1)
    expect(byId.get(note.id)?.anchorStatus).toBe('anchored')
    expect(listNeedsReview(db).map((a) => a.id)).toEqual([dropped.id])

    expect(confirmAnchor(db, edited.id).anchorStatus).toBe('anchored')
    const fixed = reattachAnnotation(db, dropped.id, 0, 7)
    expect(fixed).toMatchObject({ anchorStatus: 'anchored', exact: newText.slice(0, 7) })
  })
})

describe('W3C JSON-LD', () => {
  it('shapes a highlight and a collection per the Web Annotation model', () => {
    const a = createAnnotationFromQuote(db, articleId, '城市服务保障工作进展情况', {
      note: '备注',
      tags: ['t']
    })
    const w = toW3CAnnotation(a, 'https://example.org/a')
    expect(w['@context']).toContain('http://www.w3.org/ns/anno.jsonld')
    expect(w.type).toBe('Annotation')
    expect(w.body).toEqual([
      { type: 'TextualBody', value: '备注', format: 'text/plain', purpose: 'commenting' },
      { type: 'TextualBody', value: 't', purpose: 'tagging' }
    ])
    expect(w.target).toEqual({
      source: 'https://example.org/a',
      selector: [
        {
          type: 'TextQuoteSelector',
          exact: a.exact,
          prefix: a.selectors?.quote.prefix,
          suffix: a.selectors?.quote.suffix
        },
        {
          type: 'TextPositionSelector',
          start: a.selectors?.position.start,
          end: a.selectors?.position.end
        }
      ]
    })
    const c = toW3CCollection([a], () => 'urn:x')
    expect(c).toMatchObject({
      type: 'AnnotationCollection',
      total: 1,
      first: { type: 'AnnotationPage' }
    })
    expect(c.first?.items[0]).not.toHaveProperty('@context')
  })
})

describe('CLI: annotate and annotations', () => {
  function ctx(): CliContext & { lines: string[] } {
    const lines: string[] = []
    return {
      lines,
      libraryPath: ':memory:',
      service: () => {
        throw new Error('not used')
      },
      db: () => db,
      out: (l) => lines.push(printable(l, false)),
      err: (l) => lines.push(l),
      isTTY: false
    }
  }

  it('highlights a quote, lists it, and exports JSON-LD', async () => {
    const c = ctx()
    const args = [
      String(articleId),
      '--quote',
      '城市服务保障工作进展情况',
      '--note',
      '看这里',
      '--color',
      'blue',
      '--tag',
      'a',
      '--tag',
      'b'
    ]
    expect(await annotateCommand.run(args, c)).toBe(0)
    expect(c.lines[0]).toMatch(/^Annotation #\d+ on article \d+ at \d+–\d+ \(blue\)$/)
    const l = ctx()
    expect(await annotationsCommand.run([String(articleId)], l)).toBe(0)
    expect(l.lines[0]).toContain('“城市服务保障工作进展情况” — 看这里 [a, b]')
    const j = ctx()
    expect(await annotationsCommand.run(['--json'], j)).toBe(0)
    const doc = JSON.parse(j.lines.join('\n')) as { type: string; total: number }
    expect(doc).toMatchObject({ type: 'AnnotationCollection', total: 1 })
    const r = ctx()
    await annotationsCommand.run(['--needs-review'], r)
    expect(r.lines).toEqual(['No annotations need review.'])
  })

  it('explains an ambiguous quote and a bad colour', async () => {
    await expect(
      annotateCommand.run([String(articleId), '--quote', '软实力'], ctx())
    ).rejects.toThrow(/occurs \d+ times/)
    await expect(
      annotateCommand.run([String(articleId), '--quote', '上海', '--color', 'red'], ctx())
    ).rejects.toThrow(/colour must be one of/)
  })
})
