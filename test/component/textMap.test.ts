// The DOM ⇄ cleanText alignment behind highlights, on the real seed article: the renderer's
// sanitised body against the core's own cleanText (the two differ in whitespace and blocks).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ArticleDetail } from '../../src/shared/types'
import { sanitizeArticleHtml } from '../../src/renderer/src/lib/sanitize'
import {
  applyMarks,
  buildTextMap,
  findInText,
  offsetsToRange,
  rangeToOffsets,
  textNodesOf
} from '../../src/renderer/src/lib/textMap'
import { IMPORT_TIMEOUT_MS, openRealLibrary, type RealLibrary } from './realLibrary'

let library: RealLibrary
let seed: ArticleDetail

beforeAll(async () => {
  library = openRealLibrary()
  const page = await library.service.listArticles({ limit: 1 })
  seed = (await library.service.getArticle(page.items[0]!.id))!
}, IMPORT_TIMEOUT_MS)
afterAll(() => library.dispose())

function body(): HTMLElement {
  const div = document.createElement('div')
  div.append(sanitizeArticleHtml(seed.cleanHtml, null).fragment)
  return div
}

describe('textMap', () => {
  it('maps a DOM range over a phrase to the phrase’s cleanText offsets', () => {
    const root = body()
    const map = buildTextMap(root, seed.cleanText)
    const phrase = '国家会展中心（上海）'
    const node = textNodesOf(root).find((n) => n.data.includes(phrase))!
    const at = node.data.indexOf(phrase)
    const offsets = rangeToOffsets(map, {
      startContainer: node,
      startOffset: at,
      endContainer: node,
      endOffset: at + phrase.length
    })
    expect(offsets).not.toBeNull()
    expect(seed.cleanText.slice(offsets!.start, offsets!.end)).toBe(phrase)
  })

  it('maps every non-space character of the body to the same character of cleanText', () => {
    const map = buildTextMap(body(), seed.cleanText)
    let mapped = 0
    for (const { node, positions } of map.nodes) {
      positions.forEach((p, i) => {
        if (p < 0) return
        mapped++
        expect(seed.cleanText[p]).toBe(node.data[i])
      })
    }
    expect(mapped).toBe(seed.cleanText.replace(/\s/g, '').length)
  })

  it('wraps overlapping, cross-paragraph spans per text node', () => {
    const root = body()
    const text = seed.cleanText
    const a = { start: text.indexOf('7月26日'), end: text.indexOf('举行') + 2, data: 1 }
    const b = { start: text.indexOf('举行') - 2, end: text.indexOf('顾洪辉') + 3, data: 2 }
    applyMarks(buildTextMap(root, text), [a, b], (mark, covering) => {
      mark.dataset['ids'] = covering.join(' ')
    })
    const under = (id: string): string =>
      [...root.querySelectorAll<HTMLElement>('mark')]
        .filter((m) => m.dataset['ids']!.split(' ').includes(id))
        .map((m) => m.textContent)
        .join('')
        .replace(/\s/g, '')
    expect(under('1')).toBe(text.slice(a.start, a.end).replace(/\s/g, ''))
    expect(under('2')).toBe(text.slice(b.start, b.end).replace(/\s/g, ''))
    expect(root.querySelectorAll('mark[data-ids="1 2"]').length).toBe(1)
    // Marks never contain block elements: each sits inside one paragraph.
    for (const mark of root.querySelectorAll('mark')) expect(mark.querySelector('p')).toBeNull()
  })

  it('finds typed words in cleanText, and draws the range a match covers', () => {
    const text = seed.cleanText
    const phrase = '国家会展中心（上海）'
    expect(findInText(text, phrase)).toEqual([
      { start: text.indexOf(phrase), end: text.indexOf(phrase) + phrase.length }
    ])
    // Every occurrence, in order.
    const all = findInText(text, '进博会')
    expect(all.length).toBeGreaterThan(3)
    expect(all.every((m) => text.slice(m.start, m.end) === '进博会')).toBe(true)
    // Spacing typed differently from the text (across the paragraph break) still matches.
    const end = text.indexOf('举行。') + 3
    const next = text.indexOf('上海市政府')
    const across = findInText(text, '举行。 上海市政府')
    expect(across).toEqual([{ start: end - 3, end: next + 5 }])
    expect(findInText(text, '  ')).toEqual([])
    expect(findInText(text, '不在文中的话')).toEqual([])
    // A regular expression's syntax typed is text.
    expect(findInText('a.b (c) a+b', '(c)')).toEqual([{ start: 4, end: 7 }])
    const root = body()
    const range = offsetsToRange(buildTextMap(root, text), across[0]!.start, across[0]!.end)!
    expect(range.toString().replace(/\s/g, '')).toBe('举行。上海市政府')
    expect(rangeToOffsets(buildTextMap(root, text), range)).toEqual(across[0])
    expect(offsetsToRange(buildTextMap(root, text), text.length + 5, text.length + 9)).toBeNull()
  })
})
