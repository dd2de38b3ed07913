// What an article's text yields for copies, stories and facets, computed where the CPU is
// spare: in the import's and re-clean's parse workers (writer-hints.ts), or on the writer's
// thread when an article was parsed there. Pure: no database.
import { bandKeysOf, shinglesOf, signatureOf } from './fingerprint'
import { analysedPart } from './words'
import { termsOf, TERMS_VERSION, type ArticleTermsDraft } from './terms'

/** Bump when fingerprints or terms change: older rows are analysed again in the background. */
export const ANALYSIS_VERSION = 1 * 100 + TERMS_VERSION

export interface ArticleAnalysisDraft {
  /** Hashed word 3-grams, sorted (to check a candidate copy). */
  shingles: Uint32Array
  /** Its MinHash signature (to weed out candidates cheaply), null when too short to judge. */
  signature: Uint32Array | null
  /** The signature's band keys (to find candidate copies). */
  keys: number[]
  terms: ArticleTermsDraft
}

export function analysisOf(title: string, cleanText: string): ArticleAnalysisDraft {
  const text = analysedPart(cleanText)
  const shingles = shinglesOf(text)
  const signature = signatureOf(shingles)
  return { shingles, signature, keys: bandKeysOf(signature), terms: termsOf(title, text) }
}
