// Work a parse worker does for the single writer: the duplicate key, the search index text, the
// boilerplate candidates and the copy fingerprint, keywords and entities of each article. The writer is the import's bottleneck (one thread, one connection); every
// millisecond moved from it into the pool is a millisecond of throughput on a multi-core machine.
// The hints ride on the article (ParsedArticle.writerHints); their readers fall back to
// computing them (contentKeyOf, searchColumnsOf) when an article was parsed in-process.
import type { ParseOutcome } from '../model/parsed-article'
import { contentKey } from '../library/content-key'
import { documentOfParsed, indexColumns } from '../search/document'
import { edgeLinesOf } from '../boilerplate/edge-lines'
import { analysisOf } from '../analysis/analyse'

/** Adds hints to every article of a successful outcome (in place; returns it). */
export function addWriterHints(
  outcome: ParseOutcome,
  opts: { analysis?: boolean } = {}
): ParseOutcome {
  if (!outcome.ok) return outcome
  for (const a of outcome.articles) {
    a.writerHints = {
      contentKey: contentKey(a),
      searchColumns: indexColumns(documentOfParsed(a)),
      edges: edgeLinesOf(a.cleanText, a.title),
      ...(opts.analysis === false ? {} : { analysis: analysisOf(a.title, a.cleanText) })
    }
  }
  return outcome
}
