import { parseArgs, type ParseArgsConfig } from 'node:util'

/** node:util parseArgs with errors phrased for users (unknown option → usage hint). */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  usage: string
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: true })
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${usage}`, { cause: e })
  }
}

export function parseId(text: string | undefined, what = 'article id'): number {
  const n = Number(text)
  if (!text || !Number.isInteger(n) || n <= 0)
    throw new Error(`'${text ?? ''}' is not a valid ${what}`)
  return n
}
