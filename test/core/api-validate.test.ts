import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { API_METHODS } from '../../src/shared/api'
import { dispatchCall, InvalidArgumentsError, validateCall } from '../../src/shared/validate'
import { createGleanerService } from '../../src/core/service'
import { tempDir } from '../helpers/corpus'
import { isSafeExternalUrl, isTrustedRendererUrl } from '../../src/host/security'

describe('API argument validation', () => {
  it('refuses unknown methods, non-array arguments and wrong types with a specific message', () => {
    expect(() => validateCall('dropTables' as never, [])).toThrow(/unknown method 'dropTables'/u)
    expect(() => validateCall('getArticle', 'x')).toThrow(/arguments must be an array/u)
    expect(() => validateCall('getArticle', ['1'])).toThrow(/positive integer/u)
    expect(() => validateCall('getArticle', [-3])).toThrow(InvalidArgumentsError)
    expect(() => validateCall('importPaths', [[]])).toThrow(/non-empty/u)
    expect(() => validateCall('importPaths', [[42]])).toThrow(/paths\[0\] must be a string/u)
    // A relative or empty path would mean the process's working folder.
    expect(() => validateCall('importPaths', [['']])).toThrow(
      /paths\[0\] must be an absolute path/u
    )
    expect(() => validateCall('importPaths', [['notes/a.md']])).toThrow(/absolute path/u)
    expect(() => validateCall('importPaths', [['./a.md']])).toThrow(InvalidArgumentsError)
    expect(validateCall('importPaths', [['/home/a.md', 'C:\\x\\b.md', '\\\\srv\\c.md']])).toEqual([
      ['/home/a.md', 'C:\\x\\b.md', '\\\\srv\\c.md']
    ])
    expect(() => validateCall('listArticles', [{ sort: 'DROP' }])).toThrow(/sort must be one of/u)
    expect(() => validateCall('listArticles', [{ evil: 1 }])).toThrow(/unknown query field 'evil'/u)
    expect(() => validateCall('setRead', [[1, 2], 'yes'])).toThrow(/true or false/u)
    expect(validateCall('listArticles', [{ categoryPath: ['金融'], limit: 10 }])).toEqual([
      { categoryPath: ['金融'], limit: 10 }
    ])
  })

  it('checks a search scope field by field, as an article query', () => {
    const scope = { categoryPath: ['金融', '银行'], view: 'unread', tag: 'AI', source: 'sina' }
    expect(
      validateCall('search', ['上海', { offset: 2000, limit: 50, sort: 'date-asc', scope }])
    ).toEqual(['上海', { offset: 2000, limit: 50, sort: 'date-asc', scope }])
    expect(validateCall('search', ['上海', { scope: { collectionId: 3 } }])).toEqual([
      '上海',
      { scope: { collectionId: 3 } }
    ])
    expect(() => validateCall('search', ['x', { scope: { sort: 'title' } }])).toThrow(
      /unknown scope field 'sort'/u
    )
    expect(() => validateCall('search', ['x', { scope: { view: 'everything' } }])).toThrow(
      /view must be one of/u
    )
    expect(() => validateCall('search', ['x', { scope: { collectionId: -1 } }])).toThrow(
      /collectionId must be a positive integer/u
    )
    expect(() => validateCall('search', ['x', { scope: { categoryPath: '金融' } }])).toThrow(
      /categoryPath must be an array/u
    )
    expect(() => validateCall('search', ['x', { scope: [] }])).toThrow(/scope must be an object/u)
  })

  it('dispatches only validated calls to the real service', async () => {
    const t = tempDir()
    const svc = createGleanerService({ libraryPath: join(t.dir, 'l.db') })
    try {
      expect(await dispatchCall(svc, 'libraryInfo', [])).toMatchObject({ articleCount: 0 })
      await expect(dispatchCall(svc, 'close', [])).rejects.toThrow(/unknown method/u)
      await expect(dispatchCall(svc, 'getArticle', [{}])).rejects.toThrow(InvalidArgumentsError)
      expect(API_METHODS.length).toBeGreaterThan(5)
    } finally {
      svc.close()
      t.cleanup()
    }
  })
})

describe('shell security decisions', () => {
  it('trusts only the renderer page itself', () => {
    const file = 'file:///app/out/renderer/index.html'
    expect(isTrustedRendererUrl(file, file)).toBe(true)
    expect(isTrustedRendererUrl('file:///app/out/renderer/index.html#x', file)).toBe(true)
    expect(isTrustedRendererUrl('file:///etc/passwd', file)).toBe(false)
    expect(isTrustedRendererUrl('https://evil.example/', file)).toBe(false)
    expect(isTrustedRendererUrl(undefined, file)).toBe(false)
    expect(isTrustedRendererUrl('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true)
    expect(isTrustedRendererUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false)
    const app = 'gleaner://app/index.html'
    expect(isTrustedRendererUrl('gleaner://app/index.html#x', app)).toBe(true)
    expect(isTrustedRendererUrl('gleaner://app/assets/a.js', app)).toBe(true)
    // Custom schemes have origin "null"; another scheme or host must not pass as ours.
    expect(isTrustedRendererUrl('evil://app/index.html', app)).toBe(false)
    expect(isTrustedRendererUrl('gleaner://other/index.html', app)).toBe(false)
    expect(isTrustedRendererUrl('data:text/html,x', app)).toBe(false)
    expect(isTrustedRendererUrl('about:blank', app)).toBe(false)
  })

  it('opens only plain http(s) and mailto links externally', () => {
    expect(isSafeExternalUrl('https://finance.sina.com.cn/a.html')).toBe(true)
    expect(isSafeExternalUrl('mailto:someone@example.com')).toBe(true)
    for (const bad of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'smb://host/share',
      'https://user:pw@host/',
      'not a url',
      'data:text/html,x'
    ])
      expect(isSafeExternalUrl(bad)).toBe(false)
  })
})

describe('annotation snapshots for undo', () => {
  it('keep the extended context selector and refuse malformed ones', () => {
    const snapshot = {
      id: 3,
      articleId: 1,
      selectors: {
        quote: { type: 'TextQuoteSelector', exact: '上海', prefix: 'a', suffix: 'b' },
        position: { type: 'TextPositionSelector', start: 4, end: 6 },
        context: { type: 'GleanerContextSelector', prefix: '前文', suffix: '后文' }
      },
      exact: '上海',
      color: 'yellow',
      note: '',
      tags: [],
      cleaningVersion: 1,
      anchorStatus: 'anchored',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z'
    }
    const [valid] = validateCall('restoreAnnotation', [snapshot])
    expect(valid.selectors?.context).toEqual({
      type: 'GleanerContextSelector',
      prefix: '前文',
      suffix: '后文'
    })
    expect(() =>
      validateCall('restoreAnnotation', [{ ...snapshot, anchorStatus: 'moved-silently' }])
    ).toThrow(/anchorStatus/u)
    expect(() => validateCall('restoreAnnotation', [{ ...snapshot, color: 'red' }])).toThrow(
      /color must be one of/u
    )
  })
})
