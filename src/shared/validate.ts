// Argument checks for every API method. Whatever crosses a process or network boundary
// (IPC from the renderer, HTTP from the web preview) is untrusted until it passes these.
import { API_METHODS, type ApiMethod, type GleanerApi } from './api'
import type { ArticleQuery, ArticleSort } from './types'

export class InvalidArgumentsError extends Error {
  override name = 'InvalidArgumentsError'
}

const SORTS: readonly ArticleSort[] = ['date-desc', 'date-asc', 'title', 'source', 'imported-desc']
const MAX_IDS = 100_000
const MAX_PATHS = 10_000
const MAX_STRING = 4096

function fail(method: string, what: string): never {
  throw new InvalidArgumentsError(`${method}: ${what}`)
}

function id(method: string, v: unknown, what = 'id'): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0)
    fail(method, `${what} must be a positive integer`)
  return v
}

function ids(method: string, v: unknown): number[] {
  if (!Array.isArray(v) || v.length > MAX_IDS) fail(method, `ids must be an array of ≤ ${MAX_IDS}`)
  return v.map((x) => id(method, x))
}

function bool(method: string, v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') fail(method, `${what} must be true or false`)
  return v
}

function str(method: string, v: unknown, what: string, max = MAX_STRING): string {
  if (typeof v !== 'string' || v.length > max)
    fail(method, `${what} must be a string of ≤ ${max} characters`)
  return v
}

function articleQuery(method: string, v: unknown): ArticleQuery {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    fail(method, 'query must be an object')
  const q = v as Record<string, unknown>
  const known = new Set(['categoryPath', 'text', 'sort', 'offset', 'limit'])
  for (const k of Object.keys(q)) if (!known.has(k)) fail(method, `unknown query field '${k}'`)
  const out: ArticleQuery = {}
  if (q.categoryPath !== undefined) {
    if (!Array.isArray(q.categoryPath) || q.categoryPath.length > 64)
      fail(method, 'categoryPath must be an array of names')
    out.categoryPath = q.categoryPath.map((s) => str(method, s, 'category name', 512))
  }
  if (q.text !== undefined) out.text = str(method, q.text, 'text', 1000)
  if (q.sort !== undefined) {
    if (!SORTS.includes(q.sort as ArticleSort))
      fail(method, `sort must be one of ${SORTS.join(', ')}`)
    out.sort = q.sort as ArticleSort
  }
  for (const k of ['offset', 'limit'] as const) {
    const n = q[k]
    if (n === undefined) continue
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
      fail(method, `${k} must be a whole number ≥ 0`)
    out[k] = n
  }
  return out
}

type Validators = { [M in ApiMethod]: (args: unknown[]) => Parameters<GleanerApi[M]> }

const VALIDATORS: Validators = {
  libraryInfo: () => [],
  importPaths: ([paths]) => {
    if (!Array.isArray(paths) || paths.length === 0 || paths.length > MAX_PATHS)
      fail('importPaths', `paths must be a non-empty array of ≤ ${MAX_PATHS}`)
    return [paths.map((p) => str('importPaths', p, 'path'))]
  },
  cancelImport: ([runId]) => [id('cancelImport', runId, 'runId')],
  listImportRuns: ([limit]) => [id('listImportRuns', limit, 'limit')],
  getImportRun: ([runId]) => [id('getImportRun', runId, 'runId')],
  categories: () => [],
  listArticles: ([query]) => [articleQuery('listArticles', query)],
  getArticle: ([articleId]) => [id('getArticle', articleId)],
  setRead: ([list, on]) => [ids('setRead', list), bool('setRead', on, 'read')],
  setStarred: ([list, on]) => [ids('setStarred', list), bool('setStarred', on, 'starred')]
}

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (API_METHODS as readonly string[]).includes(name)
}

/** Checks a call's method and arguments; returns them typed, or throws InvalidArgumentsError. */
export function validateCall<M extends ApiMethod>(
  method: M,
  args: unknown
): Parameters<GleanerApi[M]>
export function validateCall(method: unknown, args: unknown): unknown[] {
  if (!isApiMethod(method)) throw new InvalidArgumentsError(`unknown method '${String(method)}'`)
  if (!Array.isArray(args)) throw new InvalidArgumentsError(`${method}: arguments must be an array`)
  return VALIDATORS[method](args)
}

/** Calls a validated method on an implementation: the one dispatch used by IPC and HTTP. */
export async function dispatchCall(
  api: GleanerApi,
  method: unknown,
  args: unknown
): Promise<unknown> {
  const valid = validateCall(method as ApiMethod, args)
  const fn = api[method as ApiMethod] as (...a: unknown[]) => Promise<unknown>
  return fn.apply(api, valid)
}
