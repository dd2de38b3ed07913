import { fireEvent, render, screen } from '@testing-library/svelte'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ArticleSummary } from '../../src/shared/types'
import ArticleRow from '../../src/renderer/src/components/ArticleRow.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { IMPORT_TIMEOUT_MS, openRealLibrary, type RealLibrary } from './realLibrary'

let library: RealLibrary
let summary: ArticleSummary

beforeAll(async () => {
  i18n.set('en')
  library = openRealLibrary()
  summary = (await library.service.listArticles({ limit: 1 })).items[0]!
}, IMPORT_TIMEOUT_MS)
afterAll(() => library.dispose())

describe('ArticleRow', () => {
  it('shows title, source, date, snippet and the unread dot as an option', () => {
    render(ArticleRow, {
      row: summary,
      index: 4,
      total: 10,
      selected: true,
      open: false,
      onclick: () => {},
      ontogglestar: () => {}
    })
    const option = screen.getByRole('option')
    expect(option.getAttribute('aria-selected')).toBe('true')
    expect(option.getAttribute('aria-posinset')).toBe('5')
    expect(option.getAttribute('aria-setsize')).toBe('10')
    expect(option.classList.contains('unread')).toBe(true)
    expect(option.querySelector('.title')?.textContent).toBe(summary.title)
    expect(option.querySelector('.source')?.textContent).toBe('新浪财经')
    expect(option.querySelector('time')?.getAttribute('datetime')).toBe(summary.publishedAt)
    expect(option.querySelector('.snippet')?.textContent).toContain('7月26日上午')
  })

  it('stars without also opening the row', async () => {
    const onclick = vi.fn()
    const ontogglestar = vi.fn()
    render(ArticleRow, {
      row: { ...summary, read: true },
      index: 0,
      total: 1,
      selected: false,
      open: false,
      onclick,
      ontogglestar
    })
    expect(screen.getByRole('option').classList.contains('unread')).toBe(false)
    await fireEvent.click(screen.getByRole('button', { name: 'Star' }))
    expect(ontogglestar).toHaveBeenCalledWith(expect.objectContaining({ id: summary.id }))
    expect(onclick).not.toHaveBeenCalled()
    await fireEvent.click(screen.getByRole('option'))
    expect(onclick).toHaveBeenCalledOnce()
  })

  it('shows a loading placeholder while its page is fetched', () => {
    render(ArticleRow, {
      row: undefined,
      index: 0,
      total: 1,
      selected: false,
      open: false,
      onclick: () => {},
      ontogglestar: () => {}
    })
    expect(screen.getByRole('option').getAttribute('aria-busy')).toBe('true')
    expect(screen.getByRole('option').textContent).toContain('Loading…')
  })
})
