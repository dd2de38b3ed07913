// The contract is one table (src/shared/api.ts): the GleanerApi type, the method list and the
// checks on calls from outside all come from it. These tests hold the three together and check
// that a refusal names the method and the field, across the boundary as data.
import { join } from 'node:path'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { z } from 'zod/mini'
import { API, API_METHODS, type ExportRequest, type GleanerApi } from '../../src/shared/api'
import { dispatchSettled, validateCall } from '../../src/shared/validate'
import type { SearchOptions, SearchResult } from '../../src/shared/search-types'
import type { ArticleQuery } from '../../src/shared/types'
import { createGleanerService } from '../../src/core/service'
import { tempDir } from '../helpers/corpus'

/** The refusal a call meets, as it crosses IPC or HTTP (JSON). */
function refusal(
  method: unknown,
  args: unknown
): { code: string; message: string; params: object } {
  try {
    validateCall(method as never, args)
  } catch (err) {
    return JSON.parse(JSON.stringify({ ...(err as object), message: (err as Error).message })) as {
      code: string
      message: string
      params: object
    }
  }
  throw new Error(`${String(method)} accepted ${JSON.stringify(args)}`)
}

describe('the API table', () => {
  it('types each method from its schema and its declared result', () => {
    expectTypeOf<Parameters<GleanerApi['search']>>().toEqualTypeOf<
      z.input<typeof API.search.args>
    >()
    expectTypeOf<Parameters<GleanerApi['search']>>().toEqualTypeOf<[string, SearchOptions]>()
    expectTypeOf<ReturnType<GleanerApi['search']>>().toEqualTypeOf<Promise<SearchResult>>()
    expectTypeOf<Parameters<GleanerApi['listArticles']>>().toEqualTypeOf<[ArticleQuery]>()
    expectTypeOf<GleanerApi['exportArticles']>().parameter(0).toEqualTypeOf<ExportRequest>()
    // Optional trailing arguments may be left out, and only those.
    expectTypeOf<GleanerApi['importPaths']>().toBeCallableWith(['/a.md'])
    expectTypeOf<GleanerApi['importPaths']>().toBeCallableWith(['/a.md'], { clientId: 'w1' })
    expectTypeOf<GleanerApi['createCollection']>().toBeCallableWith('简报', null)
    expectTypeOf<GleanerApi['createCollection']>().toBeCallableWith('简报', null, [1, 2])
    // @ts-expect-error the query of createCollection is not optional
    expectTypeOf<GleanerApi['createCollection']>().toBeCallableWith('简报')
    expectTypeOf<GleanerApi['libraryInfo']>().parameters.toEqualTypeOf<[]>()
  })

  it('lists exactly the methods of the table, each with a name for every argument', () => {
    expect(API_METHODS).toEqual(Object.keys(API))
    for (const method of API_METHODS) {
      const { args, names } = API[method]
      expect(names).toHaveLength(args.def.items.length)
    }
  })

  it('is what the real service implements, method for method', () => {
    const t = tempDir()
    const service = createGleanerService({ libraryPath: join(t.dir, 'l.db') })
    try {
      for (const method of API_METHODS) expect(typeof service[method], method).toBe('function')
    } finally {
      service.close()
      t.cleanup()
    }
  })

  it('refuses a method outside the table, inherited names included, with its code', () => {
    for (const name of ['dropTables', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const error = refusal(name, [])
      expect(error.code).toBe('invalid-arguments')
      expect(error.message).toBe(`unknown method '${name}'`)
    }
  })

  it('refuses arguments of the wrong shape for every method, naming it', () => {
    for (const method of API_METHODS) {
      // One argument too many; for methods with arguments, each of no accepted kind (the
      // first is named), or too few.
      const { names } = API[method]
      const tooMany = refusal(method, [...names.map(() => null), 1])
      expect(tooMany).toMatchObject({ code: 'invalid-arguments', params: { method } })
      expect(tooMany.message).toMatch(new RegExp(`^${method}: takes `, 'u'))
      if (names.length === 0) continue
      const wrong = refusal(
        method,
        names.map(() => Symbol.for('x'))
      )
      expect(wrong).toMatchObject({
        code: 'invalid-arguments',
        params: { method, field: names[0] }
      })
    }
  })
})

describe('refusals name the field', () => {
  it('gives the path into the argument, through nested objects and arrays', () => {
    expect(refusal('search', ['x', { scope: { view: 'everything' } }])).toEqual({
      name: 'InvalidArgumentsError',
      code: 'invalid-arguments',
      message:
        'search: options.scope.view must be one of all, unread, starred, annotated, recent, following',
      params: { method: 'search', field: 'options.scope.view' }
    })
    expect(refusal('importPaths', [['/a.md', 'rel/b.md']])).toMatchObject({
      message: 'importPaths: paths[1] must be an absolute path',
      params: { field: 'paths[1]' }
    })
    expect(refusal('getArticle', [])).toMatchObject({
      message: 'getArticle: id is missing',
      params: { field: 'id' }
    })
    expect(refusal('libraryInfo', [1]).message).toBe('libraryInfo: takes no arguments')
  })

  it('explains a one-of argument by the branch the value names', () => {
    const request = { format: 'html', outPath: '/tmp/x.html' }
    expect(refusal('exportArticles', [{ ...request, source: { articleIds: 'x' } }]).message).toBe(
      'exportArticles: request.source.articleIds must be an array'
    )
    expect(refusal('exportArticles', [{ ...request, source: {} }]).message).toMatch(
      /request\.source must name one of collectionId, articleIds/u
    )
    // Naming two sources is ambiguous, not the first one silently.
    expect(
      refusal('exportArticles', [{ ...request, source: { collectionId: 1, articleIds: [2] } }])
        .message
    ).toMatch(/request\.source must name one of/u)
    expect(refusal('createAnnotation', [{ articleId: 1, start: 5, end: 5 }]).message).toBe(
      'createAnnotation: annotation.end must be after start'
    )
    expect(refusal('createAnnotation', [{ articleId: 1, note: 7 }]).message).toBe(
      'createAnnotation: annotation.note must be a string'
    )
    // An export's annotation query takes every match: paging is dropped, not refused.
    expect(
      validateCall('exportArticles', [
        { ...request, source: { annotationQuery: { tag: '待核', offset: 5, limit: 10 } } }
      ])
    ).toEqual([{ ...request, source: { annotationQuery: { tag: '待核' } } }])
  })

  it('enforces every size limit', () => {
    const many = Array.from({ length: 100_001 }, (_, i) => i + 1)
    expect(refusal('deleteArticles', [many]).message).toBe(
      'deleteArticles: ids must be an array of ≤ 100000'
    )
    expect(refusal('importPaths', [Array(10_001).fill('/a.md')]).message).toBe(
      'importPaths: paths must be an array of ≤ 10000'
    )
    expect(refusal('createCollection', ['x'.repeat(201), null]).message).toBe(
      'createCollection: name must be a string of ≤ 200 characters'
    )
    expect(refusal('listArticles', [{ categoryPath: Array(65).fill('金融') }]).message).toBe(
      'listArticles: query.categoryPath must be an array of ≤ 64'
    )
    const links = Array.from({ length: 11 }, (_, i) => ({
      categoryId: i + 1,
      articleIds: Array.from({ length: 100_000 }, (_, j) => j + 1)
    }))
    expect(
      refusal('restoreCategory', [
        { categories: [{ id: 1, parentId: null, name: 'x', path: ['x'] }], links }
      ]).message
    ).toBe('restoreCategory: snapshot.links has more than 1000000 links')
  })

  it('keeps the code and the field across the boundary to the real service', async () => {
    const t = tempDir()
    const service = createGleanerService({ libraryPath: join(t.dir, 'l.db') })
    try {
      const outcome = await dispatchSettled(service, 'listAllAnnotations', [{ limit: 5000 }])
      expect(JSON.parse(JSON.stringify(outcome))).toEqual({
        ok: false,
        error: {
          code: 'invalid-arguments',
          message: 'listAllAnnotations: query.limit must be at most 1000',
          params: { method: 'listAllAnnotations', field: 'query.limit' }
        }
      })
    } finally {
      service.close()
      t.cleanup()
    }
  })
})
