// `gleaner copies`, `gleaner stories` and `gleaner entities` on a real library: the seed, the
// corpus's finance feeds, a portal's syndicated copy of the seed and another outlet's report of
// the same event. Human output is an aligned table (Chinese titles take two columns a character);
// --json prints exactly what the API returns.
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import stringWidth from 'string-width'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CliCommand, CliContext } from '../../src/cli/command'
import { copiesCommand } from '../../src/cli/commands/copies'
import { entitiesCommand } from '../../src/cli/commands/entities'
import { storiesCommand } from '../../src/cli/commands/stories'
import { printable } from '../../src/cli/terminal'
import {
  COPY_CREDIT,
  COPY_SOURCE,
  DROPPED_PARAGRAPH,
  FOLLOW_UP_TITLE,
  storyLibrary,
  type StoryLibrary
} from '../helpers/story-library'

const ROOT = resolve(import.meta.dirname, '../..')
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')

let lib: StoryLibrary
let out: string[]
let err: string[]

/** Runs a command in this process against the library's service, as main.ts does. */
async function run(command: CliCommand, ...args: string[]): Promise<number> {
  out = []
  err = []
  const ctx: CliContext = {
    libraryPath: lib.libraryPath,
    service: () => lib.service,
    db: () => lib.service.db,
    out: (l) => out.push(printable(l, false)),
    err: (l) => err.push(l),
    isTTY: false
  }
  return command.run(args, ctx)
}

/** The same command as a user runs it: a new process through main.ts. */
function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(
    process.execPath,
    [TSX, join(ROOT, 'src/cli/main.ts'), ...args, '--library', lib.libraryPath],
    { encoding: 'utf8', env: { ...process.env, GLEANER_LIBRARY: '' } }
  )
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
}

/** Where (in terminal columns) `text` starts on a line: the same for a column in every row. */
function columnOf(line: string, text: string): number {
  const at = line.indexOf(text)
  expect(at, `${text} in ${line}`).toBeGreaterThanOrEqual(0)
  return stringWidth(line.slice(0, at))
}

beforeAll(async () => {
  lib = await storyLibrary('gleaner-cli-intel-')
}, 120_000)
afterAll(async () => {
  await lib?.cleanup()
})

describe('gleaner copies', () => {
  it('names the first report and each copy with its source, credit, date and similarity', async () => {
    expect(await run(copiesCommand, String(lib.copyId), '--json')).toBe(0)
    const group = JSON.parse(out.join('\n')) as Awaited<
      ReturnType<StoryLibrary['service']['getCopies']>
    >
    expect(group).toEqual(await lib.service.getCopies(lib.copyId))
    expect(group?.members.map((m) => m.id)).toEqual([lib.seedId, lib.copyId])
    const [first, copy] = group?.members ?? []
    expect(first).toMatchObject({ id: lib.seedId, first: true, source: '新浪财经' })
    expect(copy).toMatchObject({ id: lib.copyId, first: false, source: COPY_SOURCE })
    expect(copy?.outlet).toBe(COPY_CREDIT)

    expect(await run(copiesCommand, String(lib.seedId))).toBe(0)
    expect(out[0]).toMatch(
      new RegExp(`^2 articles tell the same story.*first report: ${lib.seedId}$`, 'u')
    )
    const header = out.find((l) => /^\s*id\s+date\s+source\s+credits\s+similar\s+title$/u.test(l))
    expect(header).toBeDefined()
    const firstRow = out.find((l) => l.includes('新浪财经')) ?? ''
    const copyRow = out.find((l) => l.includes(COPY_SOURCE)) ?? ''
    expect(firstRow).toMatch(/2021-07-26\s+新浪财经\s+—\s+first\s+第四届进博会/u)
    expect(copyRow).toMatch(
      new RegExp(
        `2021-07-27\\s+${COPY_SOURCE}\\s+${COPY_CREDIT}\\s+${Math.round((copy?.similarity ?? 0) * 100)}%\\s+第四届进博会`,
        'u'
      )
    )
    // The columns line up although sources and credits are Chinese.
    expect(columnOf(copyRow, '第四届')).toBe(columnOf(firstRow, '第四届'))
    expect(columnOf(header ?? '', 'title')).toBe(columnOf(firstRow, '第四届'))
  })

  it('--diff lists the paragraphs a copy changed against the first report', async () => {
    expect(await run(copiesCommand, String(lib.seedId), '--diff')).toBe(0)
    const at = out.findIndex((l) =>
      l.startsWith(`${lib.copyId} (${COPY_SOURCE}) against the first report:`)
    )
    expect(at).toBeGreaterThan(0)
    const diff = out.slice(at + 1)
    expect(diff.filter((l) => l.startsWith('- ')).some((l) => l.includes(DROPPED_PARAGRAPH))).toBe(
      true
    )
    // Unchanged paragraphs are not repeated.
    expect(diff.some((l) => l.includes('开幕倒计时100天新闻通气会'))).toBe(false)
    // Without --diff, no paragraphs.
    expect(await run(copiesCommand, String(lib.seedId))).toBe(0)
    expect(out.some((l) => l.includes(DROPPED_PARAGRAPH))).toBe(false)
  })

  it('says when an article has no copies, and when there is no such article', async () => {
    expect(await run(copiesCommand, String(lib.followUpId))).toBe(0)
    expect(out).toEqual([`Article ${lib.followUpId} has no copies.`])
    expect(await run(copiesCommand, String(lib.followUpId), '--json')).toBe(0)
    expect(out).toEqual(['null'])
    expect(await run(copiesCommand, '999999')).toBe(1)
    expect(err).toEqual(['gleaner copies: no article with id 999999'])
    await expect(run(copiesCommand, 'abc')).rejects.toThrow(/'abc' is not a valid article id/u)
  })
})

describe('gleaner stories', () => {
  it('lists the stories and shows one story’s timeline by date and outlet', async () => {
    expect(await run(storiesCommand, '--json')).toBe(0)
    const page = JSON.parse(out.join('\n')) as Awaited<
      ReturnType<StoryLibrary['service']['listStories']>
    >
    expect(page).toEqual(await lib.service.listStories({ limit: 50 }))
    const story = page.items.find((s) => s.firstArticleId === lib.seedId)
    expect(story, 'the seed, its copy and the follow-up make a story').toBeDefined()
    if (!story) return

    expect(await run(storiesCommand)).toBe(0)
    expect(out[0]).toMatch(/^\s*id\s+articles\s+outlets\s+dates\s+story$/u)
    const row = out.find((l) => l.endsWith(story.name)) ?? ''
    expect(row).toMatch(
      new RegExp(
        `^\\s*${story.id}\\s+${story.articleCount}\\s+${story.outletCount}\\s+2021-07-26 – 2021-07-28\\s+`,
        'u'
      )
    )
    expect(out.at(-1)).toBe(`1–${page.items.length} of ${page.total} stories`)

    expect(await run(storiesCommand, 'show', String(story.id), '--json')).toBe(0)
    const detail = JSON.parse(out.join('\n')) as Awaited<
      ReturnType<StoryLibrary['service']['getStory']>
    >
    expect(detail).toEqual(await lib.service.getStory(story.id))
    // The copy is folded into its first report's entry.
    const entries = detail?.timeline.map((e) => [e.articleId, e.copyCount])
    expect(entries).toContainEqual([lib.seedId, 1])
    expect(entries).toContainEqual([lib.followUpId, 0])
    expect(entries?.map(([id]) => id)).not.toContain(lib.copyId)

    expect(await run(storiesCommand, 'show', String(story.id))).toBe(0)
    expect(out[0]).toBe(story.name)
    expect(out[1]).toContain(`first report: ${lib.seedId}`)
    const seedRow = out.find((l) => l.startsWith('2021-07-26')) ?? ''
    const followRow = out.find((l) => l.startsWith('2021-07-28')) ?? ''
    expect(seedRow).toMatch(
      new RegExp(`^2021-07-26\\s+${lib.seedId}\\s+新浪财经\\s+.+\\s+1\\s+第四届进博会`, 'u')
    )
    expect(followRow).toMatch(
      new RegExp(
        `^2021-07-28\\s+${lib.followUpId}\\s+澎湃新闻\\s+.+\\s+0\\s+${FOLLOW_UP_TITLE}$`,
        'u'
      )
    )
    // Oldest first, titles in one column.
    expect(out.indexOf(seedRow)).toBeLessThan(out.indexOf(followRow))
    expect(columnOf(seedRow, '第四届')).toBe(columnOf(followRow, '进博会倒计时'))
  })

  it('--followed lists only the stories the user follows', async () => {
    const story = (await lib.service.listStories({})).items.find(
      (s) => s.firstArticleId === lib.seedId
    )
    expect(story).toBeDefined()
    expect(await run(storiesCommand, '--followed')).toBe(0)
    expect(out).toEqual(['No followed stories.'])
    await lib.service.followStory(story?.id ?? 0, true)
    try {
      expect(await run(storiesCommand, '--followed', '--json')).toBe(0)
      const page = JSON.parse(out.join('\n')) as { items: { id: number }[]; total: number }
      expect(page.items.map((s) => s.id)).toEqual([story?.id])
      expect(await run(storiesCommand, '--limit', '1')).toBe(0)
      // Followed stories come first, marked.
      expect(out[1]).toMatch(new RegExp(`^\\s*${story?.id}\\s.*\\* ${story?.name}$`, 'u'))
    } finally {
      await lib.service.followStory(story?.id ?? 0, false)
    }
  })

  it('refuses what is not a story', async () => {
    expect(await run(storiesCommand, 'show', '999999')).toBe(1)
    expect(err).toEqual(['gleaner stories: no story with id 999999'])
    await expect(run(storiesCommand, 'show')).rejects.toThrow(/not a valid story id/u)
    await expect(run(storiesCommand, 'frobnicate')).rejects.toThrow(/unknown subcommand/u)
    await expect(run(storiesCommand, '--limit', '0')).rejects.toThrow(/not a valid limit/u)
  })
})

describe('gleaner entities', () => {
  it('lists entities with article counts, by kind, as the facets do', async () => {
    expect(await run(entitiesCommand, '--json')).toBe(0)
    const all = JSON.parse(out.join('\n')) as { kind: string; term: string; count: number }[]
    expect(all).toEqual(await lib.service.termFacets(null, 50))
    expect(all.length).toBeGreaterThan(0)
    expect(all.every((t) => ['person', 'org', 'place'].includes(t.kind))).toBe(true)
    // 上海 is named by the seed, its copy and the follow-up.
    expect(all.find((t) => t.term === '上海' && t.kind === 'place')?.count).toBeGreaterThanOrEqual(
      3
    )
    // Most articles first.
    const counts = all.map((t) => t.count)
    expect(counts).toEqual([...counts].sort((a, b) => b - a))

    expect(await run(entitiesCommand, '--kind', 'place', '--limit', '3', '--json')).toBe(0)
    const places = JSON.parse(out.join('\n')) as { kind: string }[]
    expect(places.length).toBeGreaterThan(0)
    expect(places.length).toBeLessThanOrEqual(3)
    expect(places.every((t) => t.kind === 'place')).toBe(true)

    expect(await run(entitiesCommand, '--kind', 'keyword')).toBe(0)
    expect(out[0]).toMatch(/^articles\s+kind\s+term$/u)
    const keywords = await lib.service.termFacets('keyword', 50)
    expect(out.slice(1)).toHaveLength(keywords.length)
    for (const [i, k] of keywords.entries())
      expect(out[i + 1]).toMatch(new RegExp(`^\\s*${k.count}\\s+keyword\\s+`, 'u'))
    // The term column starts at the same place in every row.
    const termColumn = new Set(
      out.map((l, i) => columnOf(l, i === 0 ? 'term' : (keywords[i - 1]?.term ?? '')))
    )
    expect(termColumn.size).toBe(1)

    await expect(run(entitiesCommand, '--kind', 'people')).rejects.toThrow(
      /--kind must be one of person, org, place, keyword, not 'people'/u
    )
  })
})

describe('through the gleaner command', () => {
  it('runs the three commands by name, with their exit codes', () => {
    const copies = cli('copies', String(lib.copyId), '--json')
    expect(copies.code).toBe(0)
    expect(
      (JSON.parse(copies.out) as { members: { id: number }[] }).members.map((m) => m.id)
    ).toEqual([lib.seedId, lib.copyId])
    const stories = cli('stories')
    expect(stories.code).toBe(0)
    expect(stories.out).toMatch(/ stories\n$/u)
    const bad = cli('entities', '--kind', 'nope')
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/^gleaner entities: --kind must be one of/u)
    expect(cli('copies', '999999').code).toBe(1)
  }, 60_000)
})
