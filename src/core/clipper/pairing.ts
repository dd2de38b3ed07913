// One-time pairing codes, held in this process's memory only: the window shows one, the
// clipper's popup sends it back once, within a few minutes, and gets a token for good. Codes
// are random, short enough to type, and guessing is cut off after a handful of wrong tries
// (every pending code is then void and the user starts again from the window).
import { createHash, randomBytes, randomInt } from 'node:crypto'

/** How long a code is good for. */
export const CODE_TTL_MS = 5 * 60 * 1000
/** Wrong codes sent before every pending code is void. */
export const MAX_WRONG_CODES = 5
/** Crockford's base-32 letters: no I, L, O, U, so nothing is misread when typed. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const CODE_CHARS = 8

/** The code as the window shows it: two groups of four, e.g. 7KQ2-M9XD. */
export function newCode(): string {
  let code = ''
  for (let i = 0; i < CODE_CHARS; i++) code += ALPHABET[randomInt(ALPHABET.length)]
  return `${code.slice(0, 4)}-${code.slice(4)}`
}

/** What a person typed, as compared: upper case, without spaces and dashes, O/I/L read as 0/1. */
export function normaliseCode(typed: string): string {
  return typed
    .toUpperCase()
    .replace(/[\s-]+/gu, '')
    .replace(/O/gu, '0')
    .replace(/[IL]/gu, '1')
}

/** A client's bearer token: 256 random bits; only its hash is stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

export type CodeCheck = 'ok' | 'wrong' | 'expired' | 'locked'

/** The pending codes of one process. */
export class PairingCodes {
  private codes = new Map<string, number>()
  private wrong = 0
  private locked = false

  constructor(private readonly now: () => number) {}

  /** A fresh code (earlier ones stay good until they expire or one is used). */
  issue(): { code: string; expiresAt: number } {
    this.prune()
    const code = newCode()
    const expiresAt = this.now() + CODE_TTL_MS
    this.codes.set(normaliseCode(code), expiresAt)
    this.wrong = 0
    this.locked = false
    return { code, expiresAt }
  }

  /** Takes a typed code: a good one is used up; too many wrong ones void them all. */
  take(typed: string): CodeCheck {
    if (this.locked) return 'locked'
    const key = normaliseCode(typed)
    const expiresAt = this.codes.get(key)
    if (expiresAt !== undefined) {
      this.codes.delete(key)
      return expiresAt > this.now() ? 'ok' : 'expired'
    }
    this.wrong++
    if (this.wrong >= MAX_WRONG_CODES) {
      this.codes.clear()
      this.locked = true
    }
    return 'wrong'
  }

  clear(): void {
    this.codes.clear()
  }

  private prune(): void {
    const now = this.now()
    for (const [k, at] of this.codes) if (at <= now) this.codes.delete(k)
  }
}
