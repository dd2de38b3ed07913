// A write that fails half-way (here: the disk "fills up" — the exporting process runs under
// `ulimit -f`, so the system refuses to grow any file past a few KiB, as a full disk does)
// leaves the previous export whole: the briefing as it was, the Markdown index as it was and
// every note it links to complete, and no temporary file behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import matter from 'gray-matter'
import { exportBundle, loadCollectionBundle } from '../../src/core/export'
import type { ErrorData } from '../../src/shared/errors'
import type { ExportBundle, ExportFormat } from '../../src/shared/export-types'
import { annotatedCollection, type AnnotatedCollection } from './export-fixture'

const TSX_LOADER = pathToFileURL(resolve(__dirname, '../../node_modules/tsx/dist/loader.mjs')).href
const CHILD = resolve(__dirname, 'export-child.ts')
/** KiB a file may grow to in the child: above a one-article note, below a briefing. */
const LIMIT_KIB = 4

let fx: AnnotatedCollection
let bundle: ExportBundle

beforeAll(async () => {
  fx = await annotatedCollection()
  bundle = loadCollectionBundle(fx.db, fx.collectionId)
})
afterAll(() => {
  fx.db.close()
  rmSync(fx.dir, { recursive: true, force: true })
})

type Outcome = { ok: true; files: string[] } | { ok: false; error: ErrorData }

/** Exports `b` (replacing what is there) in a child process whose files cannot exceed LIMIT_KIB. */
function exportOnFullDisk(b: ExportBundle, format: ExportFormat, out: string): Promise<Outcome> {
  const input = join(fx.dir, `bundle-${Date.now()}-${Math.random()}.json`)
  writeFileSync(input, JSON.stringify(b))
  return new Promise((done, fail) => {
    execFile(
      'bash',
      [
        '-c',
        `ulimit -f ${LIMIT_KIB} && exec "$0" --import "$1" "$2" "$3" "$4" "$5"`,
        process.execPath,
        TSX_LOADER,
        CHILD,
        input,
        format,
        out
      ],
      (err, stdout, stderr) => {
        const line = stdout.trim().split('\n').pop() ?? ''
        if (!line.startsWith('{')) return fail(err ?? new Error(`child said: ${stdout}${stderr}`))
        done(JSON.parse(line) as Outcome)
      }
    )
  })
}

const temporaries = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'))

describe('a write that fails half-way', () => {
  it('leaves the previous briefing whole', async () => {
    const dir = join(fx.dir, 'html')
    mkdirSync(dir)
    const path = join(dir, 'brief.html')
    await exportBundle(bundle, 'html', path)
    const before = readFileSync(path)
    expect(before.length).toBeGreaterThan(LIMIT_KIB * 1024)

    const outcome = await exportOnFullDisk(bundle, 'html', path)
    expect(readFileSync(path).length).toBe(before.length)
    expect(readFileSync(path).equals(before)).toBe(true)
    expect(temporaries(dir)).toEqual([])
    expect(outcome.ok).toBe(false)
    if (!outcome.ok) {
      expect(outcome.error.code).toBe('write-failed')
      expect(outcome.error.params).toEqual({ path, reason: 'EFBIG' })
    }

    // The child itself works: a small export under the same limit is written.
    const small: ExportBundle = { ...bundle, articles: bundle.articles.slice(2, 3) }
    const smallPath = join(dir, 'small.md')
    const ok = await exportOnFullDisk(small, 'markdown', smallPath)
    expect(ok).toEqual({ ok: true, files: [smallPath] })
    expect(matter(readFileSync(smallPath, 'utf8')).data.title).toBe(bundle.title)
  })

  it('leaves the previous Markdown index, and every note it links to, whole', async () => {
    const dir = join(fx.dir, 'md')
    await exportBundle(bundle, 'markdown', dir)
    const index = readdirSync(dir).find((f) => f.endsWith(' - index.md')) as string
    const indexBefore = readFileSync(join(dir, index), 'utf8')
    const links = [...indexBefore.matchAll(/\[\[([^|\]]+)\|/g)].map((m) => `${m[1]}.md`)
    expect(links).toHaveLength(bundle.articles.length)
    const notesBefore = new Map(links.map((l) => [l, readFileSync(join(dir, l), 'utf8')]))

    // A smaller export of the same collection: a short note first (written), then an article
    // too long for the "disk" (its note fails half-way).
    const [, , short, last] = bundle.articles
    const long = structuredClone(bundle.articles[0]!)
    long.article.cleanHtml = long.article.cleanHtml.repeat(10)
    const next: ExportBundle = { ...bundle, articles: [short!, long, last!] }
    const outcome = await exportOnFullDisk(next, 'markdown', dir)

    expect(readFileSync(join(dir, index), 'utf8')).toBe(indexBefore)
    // Each linked note is whole: the one being rewritten when the disk filled is as it was, the
    // one rewritten before that has the same text again (same article, same collection).
    for (const link of links) {
      expect(readFileSync(join(dir, link), 'utf8'), link).toBe(notesBefore.get(link))
      expect(matter(notesBefore.get(link) as string).data.gleaner?.collection).toBe(bundle.title)
    }
    expect(temporaries(dir)).toEqual([])
    expect(outcome.ok).toBe(false)
    if (!outcome.ok) expect(outcome.error.params.reason).toBe('EFBIG')
  })
})

describe('temporary files an export killed mid-write left behind', () => {
  it('are removed by the next export into that folder; a running export’s are not', async () => {
    const dir = join(fx.dir, 'sweep')
    mkdirSync(dir)
    // A process that has ended: its pid names a temporary file nobody will finish.
    const deadPid = Number(execFileSync(process.execPath, ['-e', 'console.log(process.pid)']))
    const stale = `.gleaner-${deadPid}-0123456789ab.tmp`
    const running = `.gleaner-${process.pid}-abcdefabcdef.tmp`
    const mine = '.gleaner-notes.tmp'
    for (const name of [stale, running, mine]) writeFileSync(join(dir, name), 'partial')

    await exportBundle(bundle, 'csv', join(dir, 'brief.csv'))
    expect(existsSync(join(dir, stale))).toBe(false)
    expect(existsSync(join(dir, running))).toBe(true)
    expect(existsSync(join(dir, mine))).toBe(true)
    expect(readdirSync(dir).sort()).toEqual([running, mine, 'brief.csv'].sort())
  })
})
