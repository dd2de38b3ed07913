// Errors as data. Every error a person can see carries a stable code and the values its
// sentence needs, so the window and the CLI can say it in the user's language; `message` is
// the English sentence, for logs and for callers that do not translate. Errors cross every
// boundary (Electron IPC, the web preview's HTTP, the test bridge) as ErrorData, because IPC
// and JSON keep nothing of an Error but its message.

export type ErrorParams = Record<string, string | number>

export interface ErrorData {
  code: string
  message: string
  params: ErrorParams
}

export class GleanerError extends Error {
  readonly code: string
  readonly params: ErrorParams
  constructor(code: string, message: string, params: ErrorParams = {}) {
    super(message)
    this.name = 'GleanerError'
    this.code = code
    this.params = params
  }
}

/**
 * A kind of GleanerError whose codes are `Code`, named for logs and stack traces:
 * `export class TaxonomyError extends errorKind<TaxonomyErrorCode>('TaxonomyError') {}`.
 */
export function errorKind<Code extends string>(
  name: string
): new (
  code: Code,
  message: string,
  params?: ErrorParams
) => GleanerError & { readonly code: Code } {
  return class extends GleanerError {
    declare readonly code: Code
    constructor(code: Code, message: string, params: ErrorParams = {}) {
      super(code, message, params)
      this.name = name
    }
  }
}

/** An error of unknown kind (a bug, a driver error) keeps its message under this code. */
export const UNEXPECTED = 'unexpected'

const isParams = (v: unknown): v is ErrorParams =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every((x) => typeof x === 'string' || typeof x === 'number')

/** What crosses a boundary for any thrown value. */
export function errorData(err: unknown): ErrorData {
  // An Error, or error data already (what crossed a boundary, or was kept in state).
  if (
    err instanceof Error ||
    (typeof err === 'object' && err !== null && typeof (err as ErrorData).message === 'string')
  ) {
    const e = err as Error & { code?: unknown; params?: unknown }
    return {
      code: typeof e.code === 'string' && e.code !== '' ? e.code : UNEXPECTED,
      message: e.message,
      params: isParams(e.params) ? e.params : {}
    }
  }
  return { code: UNEXPECTED, message: String(err), params: {} }
}

/** The error again on the receiving side: an Error (stack, instanceof) that keeps the code. */
export function errorFromData(data: unknown): GleanerError {
  if (typeof data === 'object' && data !== null) {
    const d = data as Partial<ErrorData>
    if (typeof d.message === 'string') {
      return new GleanerError(
        typeof d.code === 'string' ? d.code : UNEXPECTED,
        d.message,
        isParams(d.params) ? d.params : {}
      )
    }
  }
  return new GleanerError(UNEXPECTED, String(data))
}

/** A call's outcome as it crosses a boundary: one shape for IPC, HTTP and the test bridge. */
export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: ErrorData }

/** Runs a call and turns whatever it throws into data. */
export async function settle(call: () => Promise<unknown>): Promise<CallOutcome> {
  try {
    const result = await call()
    return { ok: true, result: result ?? null }
  } catch (err) {
    return { ok: false, error: errorData(err) }
  }
}

/** The receiving side of `settle`: the result, or the error thrown again with its code. */
export function unwrapOutcome(outcome: unknown): unknown {
  if (typeof outcome === 'object' && outcome !== null && 'ok' in outcome) {
    const o = outcome as CallOutcome
    if (o.ok) return o.result
    throw errorFromData(o.error)
  }
  throw new GleanerError(UNEXPECTED, 'The answer from the library was not understood.')
}
