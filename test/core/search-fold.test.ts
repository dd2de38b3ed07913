// Search folds script and width (issue 17): a Traditional spelling and its Simplified one find
// the same articles, full-width letters and digits are the ASCII ones, and highlights still
// mark the characters the article has. Real corpus (seed + rsshub, which holds Traditional
// posts from 知識分子, Animen, 博客来 …) imported by the real importer; the Simplified forms are
// made by opencc-js's own phrase-aware converter, not by the search code's table.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as OpenCC from 'opencc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importPaths } from '../../src/core/importer/run'
import { openLibraryDb } from '../../src/core/library/open'
import type { Db } from '../../src/core/library/open'
import {
  ensureSearchIndexCurrent,
  indexImportedArticles,
  searchArticleIds,
  searchArticles
} from '../../src/core/search'
import { searchIndexCurrent } from '../../src/core/search/indexer'
import { currentIndexIdentity, storeIndexIdentity } from '../../src/core/search/schema'
import { RSSHUB, SEED_DIR } from '../helpers/corpus'

interface Row {
  id: number
  title: string
  text: string
  author: string
}

let dir: string
let db: Db
let rows: Row[]

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gleaner-search-fold-'))
  db = openLibraryDb(join(dir, 'library.db'))
  const run = await importPaths(db, [SEED_DIR, RSSHUB], {
    afterWrite: (d, ids, fresh) => indexImportedArticles(d, ids, fresh)
  })
  expect(run.counts.imported).toBeGreaterThan(100)
  rows = db
    .prepare(
      `SELECT id, title, clean_text AS text, coalesce(author, '') AS author
       FROM articles WHERE deleted_at IS NULL ORDER BY id`
    )
    .all() as Row[]
}, 120_000)

afterAll(() => {
  db?.close()
  rmSync(dir, { recursive: true, force: true })
})

const found = (query: string): number[] => searchArticleIds(db, query).sort((a, b) => a - b)
// OpenCC's standard Traditional: its Taiwan converter also turns the Simplified 么 into 幺,
// which the fold deliberately does not (see the 幺 case below).
const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' })

/**
 * Three-character Traditional words of the corpus's titles and texts (windows of Han runs
 * that opencc converts without changing their length), with an article each appears in.
 */
function traditionalWords(): Map<string, number> {
  const words = new Map<string, number>()
  for (const r of rows) {
    for (const run of `${r.title}\n${r.text}`.match(/\p{Script=Han}{3,}/gu) ?? []) {
      const c = Array.from(run)
      for (let i = 0; i + 3 <= c.length; i++) {
        const w = c.slice(i, i + 3).join('')
        if (words.has(w)) continue
        const s = toSimplified(w)
        if (s !== w && Array.from(s).length === 3) words.set(w, r.id)
      }
    }
  }
  return words
}

describe('Traditional and Simplified spellings find the same articles', () => {
  it('知識分子 and 知识分子 (the 知識分子 posts)', () => {
    const authored = rows.filter((r) => r.author === '知識分子').map((r) => r.id)
    expect(authored.length).toBeGreaterThan(0)
    const simplified = found('知识分子')
    expect(simplified).toEqual(found('知識分子'))
    for (const id of authored) expect(simplified).toContain(id)
  })

  it('博客來 and 博客来 (the 博客来 folder)', () => {
    const books = found('博客来')
    expect(books.length).toBeGreaterThan(0)
    expect(found('博客來')).toEqual(books)
  })

  it('進博會 finds what 进博会 finds, its shipped synonyms included', () => {
    // The seed article names the expo in full (中国国际进口博览会) as well as 进博会.
    const expo = found('进博会')
    expect(expo.length).toBeGreaterThan(0)
    expect(found('進博會')).toEqual(expo)
    // The Traditional spelling reaches the shipped group too: its other names are searched
    // and highlighted (in the corpus every article naming the expo also says 进博会, so the
    // hits alone would not show it).
    const result = searchArticles(db, '進博會')
    expect(result.highlightTerms).toEqual(
      expect.arrayContaining(['中国国际进口博览会', '进口博览会'])
    )
    expect(result.items[0]?.titleHtml).toContain('<mark>进博会</mark>')
  })

  it('a Traditional word whose characters are Simplified ones too finds its Simplified form', () => {
    // 瞭 (瞭望) and 藉 (狼藉) are Simplified characters as well, so no per-character fold moves
    // them; as words, 瞭解 is 了解 and 憑藉 is 凭借.
    for (const [trad, simp] of [
      ['瞭解', '了解'],
      ['憑藉', '凭借']
    ] as const) {
      const simplified = found(simp)
      expect(simplified.length, simp).toBeGreaterThan(0)
      expect(found(trad), trad).toEqual(simplified)
    }
  })

  it('a Simplified character stays itself (Taiwan writes 幺 as 么; 什么 is not 什幺)', () => {
    const plain = rows.filter((r) => `${r.title}${r.text}`.includes('什么')).map((r) => r.id)
    expect(plain.length).toBeGreaterThan(0)
    const yao = found('幺')
    for (const id of plain) expect(yao).not.toContain(id)
    expect(found('什么')).toEqual(expect.arrayContaining(plain))
  })

  it('every Traditional word of the corpus finds what its Simplified spelling finds', () => {
    const sample = [...traditionalWords()]
    expect(sample.length).toBeGreaterThan(500)
    const differ: string[] = []
    const phraseOnly: string[] = []
    for (const [word, articleId] of sample) {
      const trad = found(word)
      expect(trad, word).toContain(articleId)
      // The fold is per character (a highlight must mark the article's own characters, and a
      // query of one character must fold as it does inside a word), so it is held to opencc's
      // conversion of each character; a word opencc converts only as a phrase (彷彿 → 仿佛,
      // where 彷 and 彿 alone stay) is counted apart.
      const perChar = Array.from(word, (c) => toSimplified(c)).join('')
      if (JSON.stringify(found(perChar)) !== JSON.stringify(trad)) differ.push(`${word}→${perChar}`)
      const simp = toSimplified(word)
      if (simp !== perChar) {
        // Searched as its phrase's Simplified form too (search.ts, phraseFold).
        phraseOnly.push(`${word}→${simp}`)
        expect(trad, `${word}→${simp}`).toEqual(expect.arrayContaining(found(simp)))
      } else expect(found(simp), `${word}→${simp}`).toEqual(trad)
    }
    expect(differ).toEqual([])
    // Phrase-only conversions are rare: a handful among the corpus's words.
    expect(phraseOnly.length).toBeLessThan(sample.length / 20)
  })

  it('the highlight marks the article’s own Traditional characters', () => {
    const post = rows.find((r) => r.title.includes('鹿島 購物mode'))
    expect(post).toBeDefined()
    const hit = searchArticles(db, '鹿岛 购物').items.find((h) => h.id === post!.id)
    expect(hit?.titleHtml).toContain('「<mark>鹿島</mark> <mark>購物</mark>mode」')
    expect(hit?.snippetHtml).toContain('<mark>鹿島</mark>')
    expect(hit?.snippetHtml).not.toContain('鹿岛')
  })
})

describe('full-width letters and digits are the ASCII ones', () => {
  it('ＭＯＤＥ finds what mode finds, and marks the half-width text', () => {
    const post = rows.find((r) => r.title.includes('購物mode'))!
    const half = found('mode')
    expect(half).toContain(post.id)
    expect(found('ＭＯＤＥ')).toEqual(half)
    const hit = searchArticles(db, 'ＭＯＤＥ').items.find((h) => h.id === post.id)
    expect(hit?.titleHtml).toContain('購物<mark>mode</mark>」')
  })

  it('386 finds the full-width ３８６ in a text and marks those characters', () => {
    const post = rows.find((r) => r.text.includes('３８６'))
    expect(post, 'an article with full-width digits').toBeDefined()
    expect(found('386')).toContain(post!.id)
    expect(found('３８６')).toEqual(found('386'))
    const hit = searchArticles(db, '386').items.find((h) => h.id === post!.id)
    expect(hit?.snippetHtml).toContain('<mark>３８６</mark>')
  })
})

describe('a library indexed before folding', () => {
  it('is rebuilt when it opens, and then finds Traditional text by its Simplified spelling', () => {
    // The identity the code before folding stored: tokenization 1, no fold table.
    const now = JSON.parse(currentIndexIdentity(db)) as Record<string, unknown>
    const before = { tokenization: 1, ddl: now['ddl'], sqlite: now['sqlite'] }
    storeIndexIdentity(db, JSON.stringify(before))
    expect(searchIndexCurrent(db)).toBe(false)
    db.exec('DELETE FROM search_index')
    expect(found('知识分子')).toEqual([])
    expect(ensureSearchIndexCurrent(db)).toEqual({ rebuilt: true })
    expect(searchIndexCurrent(db)).toBe(true)
    expect(found('知识分子')).toEqual(found('知識分子'))
    expect(found('知识分子').length).toBeGreaterThan(0)
  })
})
