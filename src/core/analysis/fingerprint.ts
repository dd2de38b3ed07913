// An article's copy fingerprint: the set of its word 3-grams (shingles, hashed), and a MinHash
// signature of that set cut into bands (locality-sensitive hashing). Two articles whose shingle
// sets overlap much share a band key with high probability, so a new article's possible copies
// are found by an index lookup on its band keys, never by comparing it with every article; the
// few candidates are then checked on their actual shingle sets (copies.ts).
//
// With BANDS bands of ROWS hashes, articles of Jaccard similarity s share a key with probability
// 1 − (1 − s^ROWS)^BANDS: 0.94 at s = 0.4, 0.99 at s = 0.5, 0.00002 at s = 0.001 (unrelated
// news). Copies as portals make them (other head and tail lines, a paragraph dropped, the lead
// trimmed) sit well above 0.4 once script, width and punctuation are folded away (words.ts).
import { wordsOf } from './words'

export const BANDS = 16
export const ROWS = 2
/** Fewer shingles than this: too short to tell a copy from a look-alike (left to exact dedupe). */
export const MIN_SHINGLES = 12
/** Shingles kept per article: a book-length text is judged on its first ones. */
const MAX_SHINGLES = 20_000
const SHINGLE_WORDS = 3

/** 32-bit FNV-1a of a string's UTF-16 units. */
function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** MurmurHash3's finaliser: a well-mixed 32-bit permutation of x ^ seed. */
function mix(x: number, seed: number): number {
  let h = (x ^ seed) >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

const SEEDS: readonly number[] = Array.from({ length: BANDS * ROWS }, (_, i) =>
  mix(i + 1, 0x9e3779b9)
)

/** The distinct hashed word 3-grams of a text (the words themselves when there are fewer). */
export function shinglesOf(text: string): Uint32Array {
  const words = wordsOf(text)
  const set = new Set<number>()
  if (words.length < SHINGLE_WORDS) for (const w of words) set.add(hashString(w))
  for (let i = 0; i + SHINGLE_WORDS <= words.length && set.size < MAX_SHINGLES; i++)
    set.add(hashString(`${words[i]} ${words[i + 1]} ${words[i + 2]}`))
  return Uint32Array.from(set).sort()
}

/**
 * The MinHash signature of a shingle set: for each of BANDS × ROWS hash functions, the least
 * hash of any shingle. Two sets' signatures agree at each place with probability equal to their
 * Jaccard similarity. Null for a set too small to judge.
 */
export function signatureOf(shingles: Uint32Array): Uint32Array | null {
  if (shingles.length < MIN_SHINGLES) return null
  const mins = new Uint32Array(SEEDS.length).fill(0xffffffff)
  for (const s of shingles)
    for (let k = 0; k < SEEDS.length; k++) {
      const h = mix(s, SEEDS[k]!)
      if (h < mins[k]!) mins[k] = h
    }
  return mins
}

/**
 * The band keys of a signature: one integer per band (band number in the top bits, so equal
 * hashes in different bands never meet), below 2^53 so JavaScript and SQLite agree on them.
 */
export function bandKeysOf(signature: Uint32Array | null): number[] {
  if (!signature) return []
  const keys: number[] = []
  for (let b = 0; b < BANDS; b++) {
    // 48 bits per band: the first row's hash and 16 bits of the second.
    const lo = signature[b * ROWS]! * 0x10000 + (signature[b * ROWS + 1]! & 0xffff)
    keys.push(b * 2 ** 48 + lo)
  }
  return keys
}

/** Jaccard similarity as two signatures estimate it (the share of places they agree). */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0
  for (let k = 0; k < a.length; k++) if (a[k] === b[k]) same++
  return same / a.length
}

/** How many values two sorted sets share. */
export function sharedCount(a: Uint32Array, b: Uint32Array): number {
  let i = 0
  let j = 0
  let n = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n++
      i++
      j++
    } else if (a[i]! < b[j]!) i++
    else j++
  }
  return n
}

/** How alike two shingle sets are: Jaccard, and containment of the smaller in the larger. */
export function overlap(a: Uint32Array, b: Uint32Array): { jaccard: number; containment: number } {
  if (!a.length || !b.length) return { jaccard: 0, containment: 0 }
  const shared = sharedCount(a, b)
  return {
    jaccard: shared / (a.length + b.length - shared),
    containment: shared / Math.min(a.length, b.length)
  }
}
