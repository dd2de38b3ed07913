import { fireEvent, render, screen } from '@testing-library/svelte'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ArticleDetail } from '../../src/shared/types'
import Reader from '../../src/renderer/src/components/Reader.svelte'
import { i18n } from '../../src/renderer/src/lib/i18n.svelte'
import { remoteImagePath } from '../../src/shared/remote-image-route'
import { IMPORT_TIMEOUT_MS, openRealLibrary, type RealLibrary } from './realLibrary'

let library: RealLibrary
let seed: ArticleDetail

beforeAll(async () => {
  i18n.set('en')
  library = openRealLibrary()
  const page = await library.service.listArticles({ limit: 1 })
  seed = (await library.service.getArticle(page.items[0]!.id))!
}, IMPORT_TIMEOUT_MS)
afterAll(() => library.dispose())

const bodyOf = (container: HTMLElement): HTMLElement =>
  container.querySelector('.article-host')!.shadowRoot!.querySelector('.article-body')!

function renderReader(article: ArticleDetail, overrides: Partial<Record<string, unknown>> = {}) {
  return render(Reader, {
    article,
    loading: false,
    imagePolicy: null,
    remoteImageUrl: remoteImagePath,
    fontSize: 17,
    readingWidth: 46,
    ontogglestar: () => {},
    ontoggleread: () => {},
    onsetremoteimages: () => {},
    onfontsize: () => {},
    onreadingwidth: () => {},
    ...overrides
  })
}

describe('Reader', () => {
  it('shows the seed article header and its cleaned body in a shadow root', () => {
    const { container } = renderReader(seed)
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(
      '第四届进博会：提升城市软实力与服务保障进博会双促进'
    )
    expect(screen.getByRole('article').textContent).toContain('金融 › 新浪财经 › 新浪财经－国內')
    expect(screen.getByRole('article').textContent).toContain('新浪财经')
    const body = bodyOf(container)
    expect(body.textContent).toContain('7月26日上午')
    expect(body.textContent).not.toContain('责任编辑')
  })

  it('strips what the strict policy forbids even if the core let it through', () => {
    const hostile: ArticleDetail = {
      ...seed,
      cleanHtml:
        '<p style="position:fixed" data-x="1" onclick="alert(1)">安全段落</p>' +
        '<script>alert(1)</script><style>body{display:none}</style>' +
        '<form action="https://evil.example"><input name="q"></form>' +
        '<iframe src="https://evil.example"></iframe>' +
        '<a href="javascript:alert(1)">坏链接</a><a href="https://example.com/x">好链接</a>' +
        '<img src="x" onerror="alert(1)">'
    }
    const { container } = renderReader(hostile)
    const body = bodyOf(container)
    expect(body.textContent).toContain('安全段落')
    expect(body.querySelector('script, style, form, input, iframe')).toBeNull()
    expect(body.querySelector('[style], [data-x], [onclick], [onerror]')).toBeNull()
    const links = [...body.querySelectorAll('a')].map((a) => a.getAttribute('href'))
    expect(links).toEqual([null, 'https://example.com/x'])
    expect(body.querySelector('a[href^="https"]')?.getAttribute('rel')).toBe('noopener noreferrer')
  })

  it('blocks remote images until allowed, then fetches them through the core', async () => {
    const withImages: ArticleDetail = {
      ...seed,
      cleanHtml:
        '<p>图</p><img src="https://n.sinaimg.cn/a.png" srcset="https://n.sinaimg.cn/b.png 2x"><img src="data:image/png;base64,iVBORw0KGgo=">'
    }
    const onsetremoteimages = vi.fn()
    const blockedPolicy = { allowedBy: null, source: '新浪', stored: 0, missing: 1 }
    const { container, rerender } = renderReader(withImages, {
      onsetremoteimages,
      imagePolicy: blockedPolicy
    })
    const blocked = [...bodyOf(container).querySelectorAll('img')]
    expect(blocked[0]!.getAttribute('src')).toMatch(/^data:image\/gif/)
    expect(blocked[0]!.hasAttribute('srcset')).toBe(false)
    expect(blocked[1]!.getAttribute('src')).toMatch(/^data:image\/png/)
    expect(screen.getByRole('status').textContent).toContain('1 remote image blocked')
    await fireEvent.click(screen.getByRole('button', { name: 'Load images' }))
    expect(onsetremoteimages).toHaveBeenLastCalledWith('article', true)
    // The wider allowances are behind "Always load", for the source and the whole library.
    expect(screen.queryByRole('button', { name: 'From 新浪' })).toBeNull()
    await fireEvent.click(screen.getByRole('button', { name: /Always load/ }))
    await fireEvent.click(screen.getByRole('button', { name: 'From 新浪' }))
    expect(onsetremoteimages).toHaveBeenLastCalledWith('source', true)

    await rerender({ imagePolicy: { ...blockedPolicy, allowedBy: 'source' } })
    expect(screen.getByRole('status').textContent).toContain('every article from 新浪')
    const shown = bodyOf(container).querySelector('img')!
    expect(shown.getAttribute('src')).toBe(
      `/remote-image?article=${seed.id}&url=${encodeURIComponent('https://n.sinaimg.cn/a.png')}`
    )
    expect(shown.getAttribute('referrerpolicy')).toBe('no-referrer')
  })

  it('reads image and link URLs as the browser does: ht&#10;tps: is https', () => {
    // The browser's URL parser drops tabs, newlines and leading control characters; a check
    // on a cleaned-up copy that keeps the raw value let these load with images blocked.
    const sources = [
      'ht&#10;tps://track.example/nl.gif',
      'ht&#9;tps://track.example/tab.gif',
      'ht&#13;tps://track.example/cr.gif',
      '&#1;https://track.example/c0.gif',
      ' \thttps://track.example/ws.gif',
      '//track.example/protocol-relative.gif',
      'HTTPS://TRACK.EXAMPLE/upper.gif'
    ]
    const hostile: ArticleDetail = {
      ...seed,
      cleanHtml:
        sources.map((src) => `<img src="${src}">`).join('') +
        '<a href="java&#10;script:alert(1)">x</a><a href="ht&#10;tps://ok.example/">y</a>'
    }
    const { container } = renderReader(hostile)
    const body = bodyOf(container)
    const imgs = [...body.querySelectorAll('img')]
    // Protocol-relative has no scheme of its own: not absolute, so not shown at all.
    expect(imgs).toHaveLength(sources.length - 1)
    for (const img of imgs) {
      expect(img.getAttribute('src')).toMatch(/^data:image\/gif;base64,/u)
      expect(img.classList.contains('blocked-image')).toBe(true)
      expect(img.getAttribute('title')).toMatch(/^https:\/\/track\.example\/[a-z0-9]+\.gif$/u)
    }
    expect(screen.getByRole('status').textContent).toContain(
      `${sources.length - 1} remote images blocked`
    )
    const links = [...body.querySelectorAll('a')].map((a) => a.getAttribute('href'))
    expect(links).toEqual([null, 'https://ok.example/'])
  })

  it('hands star, read and font size changes back to the app', async () => {
    const ontogglestar = vi.fn()
    const ontoggleread = vi.fn()
    const onfontsize = vi.fn()
    const onreadingwidth = vi.fn()
    renderReader(
      { ...seed, read: true },
      { ontogglestar, ontoggleread, onfontsize, onreadingwidth }
    )
    await fireEvent.click(screen.getByRole('button', { name: /Star/ }))
    await fireEvent.click(screen.getByRole('button', { name: 'Mark unread' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Larger text' }))
    expect(ontogglestar).toHaveBeenCalledOnce()
    expect(ontoggleread).toHaveBeenCalledOnce()
    expect(onfontsize).toHaveBeenCalledWith(18)
    await fireEvent.click(screen.getByRole('button', { name: 'Wider column' }))
    expect(onreadingwidth).toHaveBeenCalledWith(50)
  })

  it('invites a selection when nothing is open, in Chinese too', () => {
    i18n.set('zh')
    render(Reader, {
      article: null,
      loading: false,
      imagePolicy: null,
      remoteImageUrl: remoteImagePath,
      fontSize: 17,
      readingWidth: 46,
      ontogglestar: () => {},
      ontoggleread: () => {},
      onsetremoteimages: () => {},
      onfontsize: () => {},
      onreadingwidth: () => {}
    })
    expect(screen.getByText('选择一篇文章开始阅读。')).toBeTruthy()
    i18n.set('en')
  })
})
