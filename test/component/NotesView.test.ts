// All notes & highlights over the real service in a child process: every annotation across the
// library, narrowed by colour, tag, collection and words, with its empty states.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  onTestFinished,
  vi
} from 'vitest'
import type { GleanerApi } from '../../src/shared/api'
import NotesView from '../../src/renderer/src/components/NotesView.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { getArticle, listArticles } from '../../src/core/library/articles'
import { childBridge } from '../helpers/childBridge'
import { CORPUS } from '../helpers/corpus'
import { IMPORT_TIMEOUT_MS, openRealLibrary, SEED, type RealLibrary } from './realLibrary'

const SEED_TITLE = '第四届进博会：提升城市软实力与服务保障进博会双促进'
const PHRASE = '国家会展中心（上海）'

let library: RealLibrary
let seed: number
let others: number[]

beforeAll(() => {
  i18n.set('en')
  library = openRealLibrary([SEED, `${CORPUS}/rsshub/新媒体/虎嗅`])
  const all = listArticles(library.db, { sort: 'date-desc' }).items
  seed = all.find((a) => a.title === SEED_TITLE)!.id
  others = all.map((a) => a.id).filter((id) => id !== seed)
}, IMPORT_TIMEOUT_MS)
afterAll(() => library.dispose())

beforeEach(() => {
  library.db.exec('DELETE FROM annotations; DELETE FROM collections;')
  // jsdom has no layout: the virtualized list only needs the observer to exist.
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

function serviceApi(): GleanerApi {
  const child = childBridge(library.path)
  onTestFinished(() => child.close())
  return child.bridge.api
}

describe('All notes & highlights', () => {
  it('filters by colour, tag, collection and words, and says when nothing matches', async () => {
    const api = serviceApi()
    const text = (id: number): string => getArticle(library.db, id)!.cleanText
    const range = (id: number, at: number): { start: number; end: number } => {
      const line = text(id)
        .split('\n')
        .find((l) => l.trim().length > at + 12)!
      const start = text(id).indexOf(line) + at
      return { start, end: start + 8 }
    }
    const at = text(seed).indexOf(PHRASE)
    await api.createAnnotation({
      articleId: seed,
      start: at,
      end: at + PHRASE.length,
      color: 'green',
      note: '场馆',
      tags: ['场馆']
    })
    await api.createAnnotation({
      articleId: others[1]!,
      ...range(others[1]!, 0),
      color: 'blue',
      tags: ['数据']
    })
    await api.createAnnotation({
      articleId: others[1]!,
      note: 'Whole-article note',
      tags: ['数据']
    })
    const c = await api.createCollection('周报', null)
    await api.addToCollection(c.id, [seed])
    const totals: number[] = []
    render(NotesView, {
      api,
      mode: 'notes',
      tags: await api.annotationTags(),
      collections: await api.listCollections(),
      onopen: () => {},
      ontotal: (n: number) => totals.push(n)
    })
    const total = (): number => totals.at(-1) ?? -1
    await waitFor(() => expect(total()).toBe(3))
    const filters = screen.getByRole('search', { name: 'Filter notes' })
    await fireEvent.click(within(filters).getByRole('button', { name: 'Only green' }))
    await waitFor(() => expect(total()).toBe(1))
    await fireEvent.click(within(filters).getByRole('button', { name: 'Only blue' }))
    await waitFor(() => expect(total()).toBe(2))
    await fireEvent.change(within(filters).getByRole('combobox', { name: 'Tag' }), {
      target: { value: '数据' }
    })
    await waitFor(() => expect(total()).toBe(1))
    await fireEvent.click(within(filters).getByRole('button', { name: 'Only blue' }))
    await waitFor(() => expect(total()).toBe(0))
    expect(screen.getByRole('status').textContent).toContain(
      'No highlights or notes match these filters.'
    )
    await fireEvent.click(within(filters).getByRole('button', { name: 'Clear filters' }))
    await waitFor(() => expect(total()).toBe(3))
    await fireEvent.change(within(filters).getByRole('combobox', { name: 'Collection' }), {
      target: { value: String(c.id) }
    })
    await waitFor(() => expect(total()).toBe(1))
    await fireEvent.click(within(filters).getByRole('button', { name: 'Clear filters' }))
    await fireEvent.input(
      within(filters).getByRole('searchbox', { name: 'Words in the quote or note' }),
      {
        target: { value: 'whole-ARTICLE' }
      }
    )
    await waitFor(() => expect(total()).toBe(1))
  })

  it('invites a first highlight when there is none', async () => {
    const api = serviceApi()
    render(NotesView, { api, mode: 'notes', tags: [], collections: [], onopen: () => {} })
    const status = await screen.findByRole('status', {}, { timeout: 10_000 })
    expect(status.textContent).toContain('No highlights or notes yet')
  })
})
