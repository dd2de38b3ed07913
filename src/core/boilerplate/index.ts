// A source's boilerplate learned from the library (see source-lines.ts for the learning, strip.ts
// for the taking out). The importer and re-clean call these on the writer's thread, inside the
// transaction that stores the article, so what is learned and what is stored never disagree.
import type { Db } from '../library/open'
import type { ParsedArticle } from '../model/parsed-article'
import { learnFromArticle, learnedLinesOf, type SourceLine } from './source-lines'
import { sourceKeyOf } from './source-key'
import { stripLearnedLines } from './strip'

export {
  hasPendingLines,
  LEARN_AT,
  listSourceLines,
  setSourceLineState,
  takePendingArticles
} from './source-lines'
export type { LineState, SourceLine } from './source-lines'
export { sourceKeyOf } from './source-key'
export { LEARNED_RULE, stripLearnedLines, type LearnedRemoval } from './strip'

/**
 * The article as the library keeps it: without its source's learned lines. Its search-index
 * hint (made by the parse worker from the whole text) is dropped when lines were taken out.
 */
export function withoutLearnedLines(db: Db, parsed: ParsedArticle): ParsedArticle {
  const key = sourceKeyOf(parsed)
  if (!key) return parsed
  const stripped = stripLearnedLines(parsed, key, learnedLinesOf(db, key))
  if (!stripped) return parsed
  const { writerHints: _hints, ...rest } = stripped
  return rest
}

/** Counts the article's edge lines (as parsed, before any were taken out) for its source. */
export function learnFrom(
  db: Db,
  articleId: number,
  parsed: ParsedArticle,
  opts: { changed?: boolean } = {}
): SourceLine[] {
  return learnFromArticle(db, articleId, parsed, opts)
}
