// What an article's text yields for copies, stories and facets, computed where the CPU is
// spare: in the import's and re-clean's parse workers (writer-hints.ts), or on the writer's
// thread when an article was parsed there. Pure: no database.
import { bandKeysOf, shinglesOf } from './fingerprint'
import { termsOf, TERMS_VERSION, type ArticleTermsDraft } from './terms'

/** Bump when fingerprints or terms change: older rows are analysed again in the background. */
export const ANALYSIS_VERSION = 1 * 100 + TERMS_VERSION

export interface ArticleAnalysisDraft {
  /** Hashed word 3-grams, sorted (to check a candidate copy). */
  shingles: Uint32Array
  /** The MinHash band keys (to find candidate copies). */
  keys: number[]
  terms: ArticleTermsDraft
}

export function analysisOf(title: string, cleanText: string): ArticleAnalysisDraft {
  const shingles = shinglesOf(cleanText)
  return { shingles, keys: bandKeysOf(shingles), terms: termsOf(title, cleanText) }
}
