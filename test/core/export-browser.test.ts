// The HTML briefing opened in real Chromium: every highlight marked, notes beside them, and not a
// single request beyond the file itself. Then the same HTML printed to PDF and read back as text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { exportBundle, loadCollectionBundle } from '../../src/core/export'
import type { ExportBundle } from '../../src/shared/export-types'
import { annotatedCollection, type AnnotatedCollection } from './export-fixture'

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

let fx: AnnotatedCollection
let bundle: ExportBundle
let browser: Browser

beforeAll(async () => {
  fx = await annotatedCollection()
  bundle = loadCollectionBundle(fx.db, fx.collectionId, undefined, '2026-11-30T08:00:00.000Z')
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
})
afterAll(async () => {
  await browser?.close()
  fx.db.close()
  rmSync(fx.dir, { recursive: true, force: true })
})

/** Whitespace-free text, so line wrapping in a PDF does not matter. */
const squash = (s: string): string => s.replace(/\s+/g, '')

/** Matches `s` in squashed text, allowing the note reference numbers that follow nested highlights. */
function withRefs(s: string): RegExp {
  const chars = [...squash(s)].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(chars.join('\\d{0,2}'))
}

describe('HTML briefing in Chromium', () => {
  it('marks every highlight, shows its note, and makes no request', async () => {
    const path = join(fx.dir, 'briefing.html')
    await exportBundle(bundle, 'html', path)
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } })
    const requests: string[] = []
    const cspViolations: string[] = []
    page.on('request', (r) => requests.push(r.url()))
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text())
    })
    const url = pathToFileURL(path).href
    await page.goto(url, { waitUntil: 'load' })

    expect(requests).toEqual([url])
    expect(cspViolations).toEqual([])
    const found = await page.evaluate(() => ({
      resources: document.querySelectorAll('img, script, link, iframe, object, embed, video, audio')
        .length,
      title: document.querySelector('.cover h1')?.textContent,
      tocEntries: document.querySelectorAll('.toc li').length,
      csp: document
        .querySelector('meta[http-equiv="Content-Security-Policy"]')
        ?.getAttribute('content'),
      // Text of each annotation's marks, joined per annotation id.
      marks: (() => {
        const byId: Record<string, string> = {}
        for (const m of document.querySelectorAll('mark.hl')) {
          for (const id of (m.getAttribute('data-ann') ?? '').split(' '))
            byId[id] = (byId[id] ?? '') + m.textContent
        }
        return byId
      })(),
      notes: [...document.querySelectorAll('aside.notes li')].map((li) => li.textContent ?? ''),
      unplaced: [...document.querySelectorAll('.unplaced li')].map((li) => li.textContent ?? ''),
      itemNote: document.querySelector('.item-note')?.textContent,
      // Notes sit beside the text, not under it.
      asideRightOfText: (() => {
        const para = document.querySelector('.para.has-notes')
        const p = para?.querySelector('p')?.getBoundingClientRect()
        const aside = para?.querySelector('aside')?.getBoundingClientRect()
        return p && aside ? aside.left >= p.right : false
      })()
    }))
    expect(found.resources).toBe(0)
    expect(found.title).toBe('周报 / Weekly #12')
    expect(found.tocEntries).toBe(fx.articleIds.length)
    expect(found.csp).toContain("default-src 'none'")
    const markTexts = Object.values(found.marks)
    for (const h of fx.highlights) expect(markTexts, h.exact).toContain(h.exact)
    // The nested overlap is its own mark set, inside the first highlight.
    expect(markTexts).toContain('软实力的“加速器”')
    expect(markTexts).toHaveLength(fx.highlights.length + 1)
    for (const h of fx.highlights) {
      if (h.note)
        expect(found.notes.some((n) => n.includes(h.note.split('\n')[0] as string))).toBe(true)
    }
    expect(found.notes.some((n) => n.includes(fx.hostileNote))).toBe(true)
    expect(found.unplaced.some((n) => n.includes('只有标题的文章：需要找原文'))).toBe(true)
    expect(
      found.unplaced.some((n) => n.includes('纳斯达克') && n.includes('需要复核：原文已改'))
    ).toBe(true)
    expect(markTexts).not.toContain('纳斯达克')
    expect(found.itemNote).toContain('进博会：上海的服务保障')
    expect(found.asideRightOfText).toBe(true)

    mkdirSync(resolve('test-results'), { recursive: true })
    await page.locator('#article-1').scrollIntoViewIfNeeded()
    await page.screenshot({ path: resolve('test-results/export-briefing.png') })
    await page.goto(url + '#', { waitUntil: 'load' })
    await page.screenshot({ path: resolve('test-results/export-briefing-cover.png') })
    await page.close()
  })

  it('prints to a PDF whose text holds every highlight and note', async () => {
    const path = join(fx.dir, 'briefing.pdf')
    await exportBundle(bundle, 'pdf', path)
    const bytes = readFileSync(path)
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' })
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1])
    // Cover, contents, then one page or more per article.
    expect(pages).toBeGreaterThanOrEqual(2 + fx.articleIds.length)
    const text = squash(
      execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' })
    )
    for (const h of fx.highlights) {
      expect(text, h.exact).toMatch(withRefs(h.exact))
      if (h.note) expect(text).toContain(squash(h.note.split('\n')[0] as string))
    }
    expect(text).toContain(squash(bundle.title))
  })

  it('prints its headings in the UI language', async () => {
    const path = join(fx.dir, 'briefing-zh.pdf')
    await exportBundle(bundle, 'pdf', path, { locale: 'zh' })
    const text = squash(
      execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' })
    )
    for (const heading of ['简报', '目录', '收录理由：', '本文批注'])
      expect(text).toContain(heading)
    expect(text).not.toContain('Contents')
    expect(text).not.toContain('Whyitishere')
  })
})
