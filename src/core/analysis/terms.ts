// TEMPORARY (replaced by the terms helper's module on merge): the contract only.
import type { EntityKind } from '../../shared/story-types'
import { segmenter, foldForWords } from './words'

export interface KeywordCandidate {
  term: string
  tf: number
  idf: number
}
export interface EntityMention {
  kind: EntityKind
  term: string
  count: number
}
export interface ArticleTermsDraft {
  keywords: KeywordCandidate[]
  entities: EntityMention[]
}
export const TERMS_VERSION = 1

const KIND: Record<string, EntityKind> = { nr: 'person', ns: 'place', nt: 'org' }

export function termsOf(title: string, text: string): ArticleTermsDraft {
  const tf = new Map<string, number>()
  const ents = new Map<string, EntityMention>()
  for (const { word, tag } of segmenter().tag(foldForWords(`${title}\n${text}`), true)) {
    if (word.length < 2 || !/[\p{L}]/u.test(word)) continue
    const kind = KIND[tag]
    if (kind) {
      const e = ents.get(word) ?? { kind, term: word, count: 0 }
      e.count++
      ents.set(word, e)
    }
    if (tag.startsWith('n') || tag === 'eng') tf.set(word, (tf.get(word) ?? 0) + 1)
  }
  const keywords = [...tf].map(([term, n]) => ({ term, tf: n, idf: 8 }))
  keywords.sort((a, b) => b.tf - a.tf)
  return { keywords: keywords.slice(0, 30), entities: [...ents.values()].slice(0, 40) }
}
