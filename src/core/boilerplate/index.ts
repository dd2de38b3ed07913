// A source's boilerplate learned from the library (see source-lines.ts for the learning, strip.ts
// for the taking out). The importer and re-clean call these on the writer's thread, inside the
// transaction that stores the article, so what is learned and what is stored never disagree.
import type { Db } from '../library/open'
import type { ParsedArticle } from '../model/parsed-article'
import { learnedLinesOf } from './source-lines'
import { sourceKeyOf } from './source-key'
import { edgeLinesOf, type EdgeLines } from './edge-lines'
export { edgeLinesOf, type EdgeLines } from './edge-lines'
import { stripLearnedLines } from './strip'

// Counts an article's edge lines (as parsed, before any were taken out) for its source.
export { learnFromArticle as learnFrom } from './source-lines'
export {
  hasPendingLines,
  listSourceLines,
  setSourceLineState,
  takePendingArticles
} from './source-lines'

/**
 * The article as the library keeps it: without its source's learned lines. Its search-index
 * hint (made by the parse worker from the whole text) is dropped when lines were taken out.
 */
export function withoutLearnedLines(
  db: Db,
  parsed: ParsedArticle,
  edges: EdgeLines = edgeLinesOf(parsed.cleanText, parsed.title)
): ParsedArticle {
  const key = sourceKeyOf(parsed)
  if (!key) return parsed
  const lines = learnedLinesOf(db, key)
  // Most articles have none of their source's lines at their edges: tell from the text's
  // paragraphs, without parsing the HTML.
  const on = new Set(lines.filter((l) => l.state === 'learned').map((l) => `${l.edge}:${l.hash}`))
  if (!on.size) return parsed
  if (!edges.lines.some((e) => on.has(`${e.edge}:${e.hash}`))) return parsed
  const stripped = stripLearnedLines(parsed, key, lines)
  if (!stripped) return parsed
  const { writerHints: _hints, ...rest } = stripped
  return rest
}
