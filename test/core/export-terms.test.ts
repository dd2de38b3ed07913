// Every export carries each article's keywords and named entities: JSON and CSV as data, the
// briefing, Markdown and Word as one line in the export's language. On a real library (the seed,
// the finance feeds, a syndicated copy, another outlet's report), exported through the service.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as cheerio from 'cheerio'
import { parse as parseCsv } from 'csv-parse/sync'
import { marked } from 'marked'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportFormat, ExportLocale } from '../../src/shared/export-types'
import type { ArticleInsight } from '../../src/shared/story-types'
import { storyLibrary, type StoryLibrary } from '../helpers/story-library'
import { unzip } from './export-read'

let lib: StoryLibrary
let ids: number[]
const insights = new Map<number, ArticleInsight>()
let n = 0

/** The line the spec asks for, written out here from the article's insight. */
function expectedLine(i: ArticleInsight, locale: ExportLocale): string {
  const names =
    locale === 'zh'
      ? { keyword: '关键词', person: '人物', org: '机构', place: '地点' }
      : { keyword: 'Keywords', person: 'People', org: 'Organisations', place: 'Places' }
  const of = (kind: string): string[] =>
    i.entities.filter((e) => e.kind === kind).map((e) => e.term)
  const groups: [string, string[]][] = [
    [names.keyword, i.keywords],
    [names.person, of('person')],
    [names.org, of('org')],
    [names.place, of('place')]
  ]
  return groups
    .filter(([, terms]) => terms.length > 0)
    .map(([label, terms]) =>
      locale === 'zh' ? `${label}：${terms.join('、')}` : `${label}: ${terms.join(', ')}`
    )
    .join(' · ')
}

async function exported(format: ExportFormat, ext: string, locale: ExportLocale): Promise<string> {
  const outPath = join(lib.dir, `export-${++n}${ext}`)
  await lib.service.exportArticles({ source: { articleIds: ids }, format, outPath, locale })
  return outPath
}

beforeAll(async () => {
  lib = await storyLibrary('gleaner-export-terms-')
  ids = [lib.seedId, lib.copyId, lib.followUpId]
  for (const id of ids) insights.set(id, await lib.service.articleInsight(id))
  // The library gave these articles terms: every check below can fail.
  for (const i of insights.values()) {
    expect(i.keywords.length).toBeGreaterThan(0)
    expect(i.entities.length).toBeGreaterThan(0)
  }
}, 120_000)
afterAll(async () => {
  await lib?.cleanup()
})

describe('keywords and entities in exports', () => {
  it('JSON: keywords and {kind, term} entities on each article', async () => {
    const doc = JSON.parse(readFileSync(await exported('json', '.json', 'en'), 'utf8')) as {
      'gleaner:articles': { articleId: number; keywords: unknown; entities: unknown }[]
    }
    const articles = doc['gleaner:articles']
    expect(articles.map((a) => a.articleId)).toEqual(ids)
    for (const a of articles) {
      const i = insights.get(a.articleId) as ArticleInsight
      expect(a.keywords).toEqual(i.keywords)
      expect(a.entities).toEqual(i.entities.map((e) => ({ kind: e.kind, term: e.term })))
    }
  })

  it('CSV: keywords and entities columns on article rows', async () => {
    const rows = parseCsv(readFileSync(await exported('csv', '.csv', 'en')), {
      bom: true,
      columns: true
    }) as Record<string, string>[]
    const articleRows = rows.filter((r) => r.row_type === 'article')
    expect(articleRows.map((r) => Number(r.article_id))).toEqual(ids)
    for (const r of articleRows) {
      const i = insights.get(Number(r.article_id)) as ArticleInsight
      expect(r.keywords?.split('; ')).toEqual(i.keywords)
      expect(r.entities?.split('; ')).toEqual(i.entities.map((e) => `${e.kind}:${e.term}`))
    }
  })

  it('HTML briefing: one line under each article’s details, in the export’s language', async () => {
    for (const locale of ['en', 'zh'] as const) {
      const $ = cheerio.load(readFileSync(await exported('html', '.html', locale), 'utf8'))
      const lines = $('main article')
        .map((_, el) => $(el).find('p.terms').text())
        .get()
      expect(lines).toEqual(ids.map((id) => expectedLine(insights.get(id)!, locale)))
      expect($('p.terms').first().attr('lang')).toBe(locale)
    }
  })

  it('Markdown: the line in the one-file briefing and in every note of a folder', async () => {
    const paragraphs = (md: string): string[] => {
      const $ = cheerio.load(
        marked.parse(md.replace(/^---\n[\s\S]*?\n---\n/u, ''), { async: false })
      )
      return $('p')
        .map((_, el) => $(el).text())
        .get()
    }
    const briefing = paragraphs(readFileSync(await exported('markdown', '.md', 'zh'), 'utf8'))
    for (const id of ids) expect(briefing).toContain(expectedLine(insights.get(id)!, 'zh'))

    const folder = await exported('markdown', '', 'en')
    const notes = readdirSync(folder).filter((f) => !f.endsWith(' - index.md'))
    expect(notes).toHaveLength(3)
    const lines = notes.map((f) => paragraphs(readFileSync(join(folder, f), 'utf8'))[0])
    expect(lines.sort()).toEqual(ids.map((id) => expectedLine(insights.get(id)!, 'en')).sort())
  })

  it('Word: the line as a paragraph of each article', async () => {
    const xml = (await unzip(await exported('docx', '.docx', 'zh'))).get(
      'word/document.xml'
    ) as string
    const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/gu)].map((m) =>
      [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/gu)]
        .map((t) => t[1])
        .join('')
        .replace(/&lt;/gu, '<')
        .replace(/&gt;/gu, '>')
        .replace(/&quot;/gu, '"')
        .replace(/&apos;/gu, "'")
        .replace(/&amp;/gu, '&')
    )
    for (const id of ids) expect(paragraphs).toContain(expectedLine(insights.get(id)!, 'zh'))
  })
})
