// A query the core refuses is shown in the search list in the window's language, from the code
// and values the real search returns (not its English sentence).
import { render, screen } from '@testing-library/svelte'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import ArticleList from '../../src/renderer/src/components/ArticleList.svelte'
import { ArticlePager } from '../../src/renderer/src/lib/articlePager.svelte'
import { searchSource } from '../../src/renderer/src/lib/searchSource'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { searchErrorText } from '../../src/renderer/src/lib/searchErrors'
import { searchArticles } from '../../src/core/search'
import { SearchTooBroadError } from '../../src/core/search/search-errors'
import { errorData, type ErrorData } from '../../src/shared/errors'
import { IMPORT_TIMEOUT_MS, openRealLibrary, type RealLibrary } from './realLibrary'

let library: RealLibrary

beforeAll(() => {
  library = openRealLibrary()
}, IMPORT_TIMEOUT_MS)
afterAll(() => library.dispose())
afterEach(() => i18n.set('en'))

// jsdom has no layout: the list's virtualizer only needs the observer to exist.
beforeEach(() => {
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe(): void {}
      unobserve(): void {}
      disconnect(): void {}
    }
  )
})
afterEach(() => vi.unstubAllGlobals())

/** What the search list says for a query, through the same pager and source as the window. */
async function shownFor(query: string): Promise<string> {
  const api = {
    search: async (q: string, o: Parameters<typeof searchArticles>[2]) =>
      searchArticles(library.db, q, o),
    listArticles: () => Promise.reject(new Error('not the library list'))
  }
  const pager = new ArticlePager(api)
  await pager.reset({}, searchSource(api, query, 'relevance', undefined))
  const { unmount } = render(ArticleList, {
    pager,
    selectedIndex: -1,
    picked: new Set<number>(),
    openId: null,
    onselect: () => {},
    onopen: () => {},
    onpick: () => {},
    ontogglestar: () => {}
  })
  const text = screen.getByRole('alert').textContent ?? ''
  unmount()
  return text
}

describe('the search list', () => {
  it('says a refused query in Chinese, with the values the core named', async () => {
    i18n.set('zh')
    expect(await shownFor('进博会 after:昨天')).toBe(
      'after: 需要日期，例如 2021-07-01、2021-07 或 2021；“昨天”不是日期。'
    )
    expect(await shownFor('tag:不存在')).toBe('本库中没有名为“不存在”的标签。')
    expect(await shownFor('category:不存在')).toBe('本库中没有名为“不存在”的分类。')
    expect(await shownFor('上海 OR')).toBe('OR 后面需要搜索词，例如 上海 OR 北京。')
    expect(await shownFor('"城市')).toBe('第 1 个字符处的引号没有闭合：请在短语后加上 "。')
  })

  it('says it in English as the core does', async () => {
    i18n.set('en')
    for (const q of ['进博会 after:昨天', 'tag:不存在', 'OR 上海', 'is:important', '。！']) {
      expect(await shownFor(q)).toBe(searchArticles(library.db, q).error)
    }
  })

  it('says every code the core can return in both languages', () => {
    const refusals: ErrorData[] = [
      'after:昨天',
      'before:2021-02-30',
      'is:important',
      'title: 上海',
      '"城市',
      'OR 上海',
      '上海 OR',
      '上海 OR -北京',
      'tag:不存在',
      'collection:不存在',
      '。！'
    ].map((q) => searchArticles(library.db, q).queryError!)
    refusals.push(errorData(new SearchTooBroadError('上', 120_000, 100_000)))
    for (const error of refusals) {
      i18n.set('en')
      expect(searchErrorText(error), error.code).toBe(error.message)
      i18n.set('zh')
      const zh = searchErrorText(error)
      expect(zh, error.code).not.toBe(error.message)
      expect(zh, error.code).not.toMatch(/\{\w+\}/u)
    }
  })
})
