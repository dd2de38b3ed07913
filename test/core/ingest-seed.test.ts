import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseArticleFile } from '../../src/core/ingest/parse'
import type { ParsedArticle } from '../../src/core/model/parsed-article'
import { SHARED } from '../helpers/corpus'

const SEED = `${SHARED}/corpus/seed/000_f63c91c8bd308f54.txt`
const source = readFileSync(SEED, 'utf8')

/** The body paragraphs as written in the source: text of each <p cms-style> without indentation. */
function sourceParagraphs(): string[] {
  const found = [...source.matchAll(/<p cms-style="font-L">([^<]+)<\/p>/g)].map((m) =>
    m[1]!.replace(/^[\u3000\s]+/, '').trim()
  )
  return found
}

function parseSeed(): ParsedArticle {
  const outcome = parseArticleFile(readFileSync(SEED), SEED)
  if (!outcome.ok) throw new Error(`seed failed: ${outcome.code} ${outcome.reason}`)
  expect(outcome.articles).toHaveLength(1)
  return outcome.articles[0]!
}

describe('parseArticleFile on the seed article', () => {
  it('reads the front matter fields', () => {
    const a = parseSeed()
    expect(a.format).toBe('hexo')
    expect(a.encoding).toBe('UTF-8')
    expect(a.title).toBe('第四届进博会：提升城市软实力与服务保障进博会双促进')
    expect(a.author).toBe('新浪财经')
    expect(a.source).toBe('新浪财经')
    expect(a.publishedAt).toBe('2021-07-26T04:03:03.000Z')
    expect(a.categoryPath).toEqual(['金融', '新浪财经', '新浪财经－国內'])
    expect(a.meta.headimg).toBe('https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png')
    expect(a.meta.comments).toBe(false)
    expect(a.warnings).toEqual([])
  })

  it('takes the editor and original-title lines out of the body into fields', () => {
    const a = parseSeed()
    expect(a.editor).toBe('王翔')
    expect(a.originalTitle).toBe('第四届进博会：提升城市软实力与服务保障进博会双促进')
    const rules = new Set(a.removed.map((r) => r.rule))
    for (const rule of ['html-comment', 'style', 'qr-promotion', 'original-title', 'editor-line'])
      expect(rules).toContain(rule)
  })

  it('keeps exactly the seven body paragraphs, in order, unindented', () => {
    const a = parseSeed()
    const expected = sourceParagraphs()
    expect(expected).toHaveLength(7)
    expect(expected[0]!.startsWith('7月26日上午')).toBe(true)
    expect(expected[6]!.endsWith('确保第四届进博会办出新气象、新水平、新成效。')).toBe(true)
    expect(a.cleanText.split('\n\n')).toEqual(expected)
  })

  it('leaves no boilerplate in text or HTML', () => {
    const a = parseSeed()
    for (const junk of [
      '原标题',
      '责任编辑',
      '新浪财经APP',
      'appendQr',
      '&#123;',
      '<!--',
      'cms-style',
      '<style'
    ])
      expect(a.cleanText + a.cleanHtml).not.toContain(junk)
    for (const p of a.cleanText.split('\n\n')) expect(p.startsWith('\u3000')).toBe(false)
    expect(a.cleanHtml).not.toMatch(/<p>\s*[\u3000\u00a0]/)
  })
})
