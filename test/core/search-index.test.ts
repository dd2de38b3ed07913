// Indexing and searching rows written directly to a real SQLite library in a temp dir.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { insertArticleRow } from '../../bench/lib/generate-library'
import type { ArticleRowInput } from '../../bench/lib/generate-library'
import { openLibraryDb } from '../../src/core/library/open'
import type { Db } from '../../src/core/library/open'
import {
  addSynonym,
  ensureSearchIndexCurrent,
  listSynonyms,
  rebuildSearchIndex,
  removeSynonym,
  searchArticleIds,
  searchArticles,
  syncSearchIndex
} from '../../src/core/search'

let dir: string
let db: Db

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gleaner-search-index-'))
  db = openLibraryDb(join(dir, 'library.db'))
})
afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

function add(a: Partial<ArticleRowInput> & { cleanText: string }): number {
  const id = insertArticleRow(db, { title: 'untitled', ...a })
  syncSearchIndex(db, [id])
  return id
}
const find = (q: string): number[] => searchArticleIds(db, q).sort((x, y) => x - y)

describe('Chinese matching', () => {
  it('finds literal substrings however the text would be segmented into words', () => {
    const a = add({ cleanText: '他马上海边散步。' }) // words: 马上 | 海边
    const b = add({ cleanText: '上海市的软实力' })
    expect(find('上海')).toEqual([a, b])
    expect(find('海边')).toEqual([a])
    expect(find('上海市')).toEqual([b])
    expect(find('上')).toEqual([a, b])
    expect(find('步')).toEqual([a]) // last character of a run
    expect(find('实力')).toEqual([b])
    expect(find('力的')).toEqual([])
  })

  it('characters outside the BMP are single characters too', () => {
    const a = add({ cleanText: '𠀀𠀁字' })
    expect(find('𠀁字')).toEqual([a])
    expect(find('𠀀')).toEqual([a])
  })
})

describe('other languages', () => {
  it('ignores case and accents and matches word prefixes', () => {
    const a = add({ title: 'Café Économie', cleanText: 'The economy of Zürich.' })
    const b = add({ cleanText: 'coffee and cafes' })
    expect(find('cafe')).toEqual([a, b])
    expect(find('CAFÉ')).toEqual([a, b])
    expect(find('zurich')).toEqual([a])
    expect(find('econom')).toEqual([a])
    expect(find('"cafe economie"')).toEqual([a])
    // Word semantics: a string inside a word is not a match (unlike Chinese).
    expect(find('conomy')).toEqual([])
  })
})

describe('syncSearchIndex', () => {
  it('follows edits, deletions, tags, categories and annotations', () => {
    const id = add({ cleanText: '原来的正文' })
    expect(find('原来')).toEqual([id])

    db.prepare('UPDATE articles SET clean_text = ? WHERE id = ?').run('新的正文', id)
    syncSearchIndex(db, [id])
    expect(find('原来')).toEqual([])
    expect(find('新的')).toEqual([id])

    const tagId = Number(
      db.prepare("INSERT INTO tags(name) VALUES ('重点关注')").run().lastInsertRowid
    )
    db.prepare('INSERT INTO article_tags VALUES (?, ?)').run(id, tagId)
    db.prepare(
      "INSERT INTO annotations(article_id, exact, note, created_at, updated_at) VALUES (?, '正文', '回头再看 follow-up', 'x', 'x')"
    ).run(id)
    expect(find('回头')).toEqual([])
    syncSearchIndex(db, [id])
    expect(find('重点')).toEqual([id])
    expect(find('回头再看')).toEqual([id])
    expect(find('has:annotation')).toEqual([id])
    expect(find('tag:重点关注')).toEqual([id])

    db.prepare('UPDATE articles SET deleted_at = ? WHERE id = ?').run('2024-01-01', id)
    syncSearchIndex(db, [id])
    expect(find('新的')).toEqual([])
    expect(find('-不存在的词')).toEqual([])

    syncSearchIndex(db, [999_999]) // an id that never existed is simply not indexed
    expect(() => syncSearchIndex(db, [1.5])).toThrow(
      'syncSearchIndex: article id 1.5 is not an integer'
    )
  })

  it('indexes every level of the category path', () => {
    const a = add({ cleanText: '正文', categoryPath: ['金融', '新浪财经', '新浪财经－国內'] })
    const b = add({ cleanText: '正文', categoryPath: ['科技'] })
    expect(find('新浪财经')).toEqual([a])
    expect(find('category:金融')).toEqual([a])
    expect(find('category:金融/新浪财经')).toEqual([a])
    expect(find('-category:金融 正文')).toEqual([b])
  })
})

describe('index identity', () => {
  it('rebuilds when the stored identity differs or the table is missing, and not otherwise', () => {
    const id = insertArticleRow(db, { title: '标题', cleanText: '未同步的文章' })
    expect(ensureSearchIndexCurrent(db)).toEqual({ rebuilt: true })
    expect(ensureSearchIndexCurrent(db)).toEqual({ rebuilt: false })
    expect(find('同步')).toEqual([id])

    db.prepare(
      "UPDATE settings SET value = 'built by another tokenizer' WHERE key = 'search.indexIdentity'"
    ).run()
    const progress: [number, number][] = []
    expect(ensureSearchIndexCurrent(db)).toEqual({ rebuilt: true })
    rebuildSearchIndex(db, (d, t) => progress.push([d, t]))
    expect(progress.at(-1)).toEqual([1, 1])

    db.exec('DROP TABLE search_index')
    expect(ensureSearchIndexCurrent(db)).toEqual({ rebuilt: true })
    expect(find('文章')).toEqual([id])
  })
})

describe('searchArticles', () => {
  it('escapes the text of snippets and titles; only <mark> is markup', () => {
    add({
      title: '<b>上海</b> & co',
      cleanText: '<script>alert(1)</script> 上海 "quoted" & \'single\''
    })
    const [hit] = searchArticles(db, '上海').items
    expect(hit?.titleHtml).toBe('&lt;b&gt;<mark>上海</mark>&lt;/b&gt; &amp; co')
    expect(hit?.snippetHtml).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; <mark>上海</mark> &quot;quoted&quot; &amp; &#39;single&#39;'
    )
  })

  it('filters, sorts by date, pages, and counts all hits', () => {
    const old = add({ cleanText: '市场 报道', publishedAt: '2020-05-01T00:00:00.000Z', read: true })
    const mid = add({
      cleanText: '市场 市场 市场',
      publishedAt: '2021-07-01T00:00:00.000Z',
      starred: true
    })
    const recent = add({ cleanText: '市场', publishedAt: '2022-01-01T08:00:00.000Z' })
    const undated = add({ cleanText: '市场' })
    expect(searchArticles(db, '市场', { sort: 'date-desc' }).items.map((h) => h.id)).toEqual([
      recent,
      mid,
      old,
      undated
    ])
    expect(searchArticles(db, '市场', { sort: 'date-asc' }).items.map((h) => h.id)).toEqual([
      old,
      mid,
      recent,
      undated
    ])
    const page = searchArticles(db, '市场', { sort: 'date-desc', limit: 2, offset: 1 })
    expect(page.total).toBe(4)
    expect(page.items.map((h) => h.id)).toEqual([mid, old])
    expect(searchArticles(db, '市场').items[0]?.id).toBe(mid) // most occurrences ranks first
    expect(find('市场 after:2021-07-01')).toEqual([mid, recent])
    expect(find('市场 before:2021-07-01')).toEqual([old])
    expect(find('is:starred')).toEqual([mid])
    expect(find('is:unread 市场')).toEqual([mid, recent, undated])
    expect(find('is:read OR is:starred')).toEqual([old, mid])
    expect(find('-市场')).toEqual([])
    expect(find('报道 OR after:2022')).toEqual([old, recent])
    // Filters alone sort newest first, even when relevance was asked for.
    expect(searchArticles(db, 'is:unread').sort).toBe('date-desc')
  })

  it('reports bad queries and unknown names as a message, never an exception', () => {
    add({ cleanText: '正文' })
    expect(searchArticles(db, 'after:soon').error).toBe(
      "after: wants a date like 2021-07-01, 2021-07 or 2021; 'soon' is not one."
    )
    expect(searchArticles(db, 'category:不存在').error).toBe(
      "There is no category named '不存在' in this library."
    )
    expect(searchArticles(db, '。').error).toBe(
      "Nothing to search for in '。': it has no letters or numbers."
    )
    expect(searchArticles(db, '  ')).toMatchObject({ total: 0, items: [] })
    expect(searchArticles(db, 'NEAR( AND " OR').error).toBeDefined()
    expect(searchArticles(db, 'NEAR( AND *').error).toBeUndefined()
    expect(() => searchArticles(db, '正文', { limit: 0 })).toThrow(
      'limit must be an integer from 1 to 500'
    )
  })
})

describe('synonyms', () => {
  it('expands shipped and user pairs both ways, unless the term is quoted', () => {
    const full = add({ cleanText: '中国国际进口博览会开幕' })
    const abbr = add({ cleanText: '进博会开幕' })
    const gmt = add({ cleanText: '格林尼治时间' })
    expect(find('进博会')).toEqual([full, abbr])
    expect(find('中国国际进口博览会')).toEqual([full, abbr])
    expect(find('"进博会"')).toEqual([abbr])

    expect(find('GMT')).toEqual([])
    addSynonym(db, 'GMT', '格林尼治')
    addSynonym(db, '格林尼治', 'gmt') // the same pair: no duplicate
    expect(find('gmt')).toEqual([gmt])
    expect(listSynonyms(db).filter((s) => s.origin === 'user')).toEqual([
      { a: 'gmt', b: '格林尼治', origin: 'user' }
    ])
    expect(listSynonyms(db)).toContainEqual({
      a: '进博会',
      b: '中国国际进口博览会',
      origin: 'default'
    })
    expect(removeSynonym(db, '格林尼治', 'GMT')).toBe(true)
    expect(find('gmt')).toEqual([])

    expect(() => addSynonym(db, ' ', 'x')).toThrow('Synonym a is empty.')
    expect(() => addSynonym(db, 'Abc', 'abc')).toThrow("'Abc' and 'abc' are the same word")
  })
})
