// ../shared beside the checkout (as on developer machines and in CI), or GLEANER_SHARED.
import { resolve } from 'node:path'

export const SHARED = process.env.GLEANER_SHARED ?? resolve(import.meta.dirname, '../../../shared')
