// Checks on calls that cross a process or network boundary (IPC from the renderer, HTTP from
// the web preview): untrusted until their arguments pass the method's schema in the API table
// (api.ts). A refusal names the method, the field and what is wrong with it.
import type { z } from 'zod/mini'
import { GleanerError, settle, type CallOutcome } from './errors'
import { API, type ApiArgs, type ApiMethod, type GleanerApi } from './api'

/**
 * A call the contract refuses. params: `method`, and `field` (the argument's name and the path
 * inside it, e.g. `options.scope.view`) when one field is to blame.
 */
export class InvalidArgumentsError extends GleanerError {
  constructor(message: string, params: Record<string, string> = {}) {
    super('invalid-arguments', message, params)
    this.name = 'InvalidArgumentsError'
  }
}

type Issue = z.core.$ZodIssue

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  tuple: 'an array',
  null: 'null'
}

/** Stands for "unknown field", whose sentence needs the path (see refusal). */
const UNKNOWN_KEYS = 'has an unknown field'

/** The English sentence for an issue no schema gave its own words to. */
function describe(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}`
    case 'too_big':
      if (issue.origin === 'string') return `must be a string of ≤ ${issue.maximum} characters`
      if (issue.origin === 'array') return `must be an array of ≤ ${issue.maximum}`
      return `must be at most ${issue.maximum}`
    case 'too_small':
      if (issue.origin === 'array') return 'must be a non-empty array'
      if (issue.origin === 'string') return 'must not be empty'
      return `must be at least ${issue.minimum}`
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`
    case 'invalid_format':
      return 'is not in the expected form'
    case 'unrecognized_keys':
      return UNKNOWN_KEYS
    default:
      return 'is not valid'
  }
}

/** `paths[0]`, `options.scope.view`: the argument's name, then the way into it. */
function fieldName(names: readonly string[], path: readonly PropertyKey[]): string {
  const [first, ...rest] = path
  let out = typeof first === 'number' ? (names[first] ?? `argument ${first + 1}`) : 'arguments'
  for (const key of rest) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`
  return out
}

/** The last named field on the path: what an "unknown … field" belongs to. */
function owner(names: readonly string[], path: readonly PropertyKey[]): string {
  for (let i = path.length - 1; i > 0; i--) if (typeof path[i] === 'string') return String(path[i])
  return typeof path[0] === 'number' ? (names[path[0]] ?? 'argument') : 'arguments'
}

/**
 * The issue to report from a union none of whose branches fit: the branch whose own keys the
 * value has (an export source naming articleIds, a new annotation with start and end) explains
 * best what is wrong; with no such branch, the union's own sentence.
 */
function unionBranch(issue: Extract<Issue, { code: 'invalid_union' }>): Issue | null {
  const fitting = issue.errors.filter((branch) =>
    branch.every(
      (i) =>
        i.code !== 'unrecognized_keys' &&
        !(i.code === 'invalid_type' && i.path.length === 1 && i.input === undefined)
    )
  )
  const [only] = fitting
  if (fitting.length !== 1 || !only?.[0]) return null
  const inner = only[0]
  return { ...inner, path: [...issue.path, ...inner.path] }
}

function refusal(method: ApiMethod, issue: Issue): InvalidArgumentsError {
  const { names } = API[method]
  if (issue.code === 'invalid_union') {
    const branch = unionBranch(issue)
    if (branch) return refusal(method, branch)
  }
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? ''
    const what = owner(names, issue.path)
    // A schema's own words (searchIds' "takes no limit or offset") beat the generic sentence.
    const message =
      issue.message === UNKNOWN_KEYS ? `unknown ${what} field '${key}'` : issue.message
    return new InvalidArgumentsError(`${method}: ${message}`, {
      method,
      field: fieldName(names, issue.path)
    })
  }
  if (issue.path.length === 0 && issue.code === 'too_big')
    return new InvalidArgumentsError(
      issue.maximum === 0
        ? `${method}: takes no arguments`
        : `${method}: takes at most ${issue.maximum} argument${issue.maximum === 1 ? '' : 's'}`,
      { method }
    )
  if (issue.path.length === 0 && issue.code === 'too_small' && Array.isArray(issue.input)) {
    const field = names[issue.input.length] ?? 'an argument'
    return new InvalidArgumentsError(`${method}: ${field} is missing`, { method, field })
  }
  const field = fieldName(names, issue.path)
  return new InvalidArgumentsError(`${method}: ${field} ${issue.message}`, { method, field })
}

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(API, name)
}

/** Checks a call's method and arguments; returns them typed, or throws InvalidArgumentsError. */
export function validateCall<M extends ApiMethod>(method: M, args: unknown): ApiArgs<M>
export function validateCall(method: unknown, args: unknown): unknown[] {
  if (!isApiMethod(method)) throw new InvalidArgumentsError(`unknown method '${String(method)}'`)
  if (!Array.isArray(args))
    throw new InvalidArgumentsError(`${method}: arguments must be an array`, { method })
  const checked = API[method].args.safeParse(args, {
    reportInput: true,
    error: (issue) => describe(issue)
  })
  if (checked.success) return checked.data
  const [first] = checked.error.issues
  throw first
    ? refusal(method, first)
    : new InvalidArgumentsError(`${method}: arguments are not valid`, { method })
}

/**
 * A validated call whose outcome, error included, is data (see errors.ts): what IPC, the web
 * preview's HTTP and the test bridge send back.
 */
export function dispatchSettled(
  api: GleanerApi,
  method: unknown,
  args: unknown
): Promise<CallOutcome> {
  return settle(() => dispatchCall(api, method, args))
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
