// Work a parse worker does for the single writer: the duplicate key and the search index text
// of each article. The writer is the import's bottleneck (one thread, one connection); every
// millisecond moved from it into the pool is a millisecond of throughput on a multi-core machine.
import type { ParseOutcome, ParsedArticle } from '../model/parsed-article'
import { contentKey } from '../library/content-key'
import { documentOfParsed, indexColumns } from '../search/document'

export interface WriterHints {
  contentKey: string
  /** The article's full-text index columns, as documentOfParsed + indexColumns give them. */
  searchColumns: string[]
}

/** A parsed article that may carry hints (absent when parsed in-process, e.g. in tests). */
export type HintedArticle = ParsedArticle & { writerHints?: WriterHints }

/** Adds hints to every article of a successful outcome (in place; returns it). */
export function addWriterHints(outcome: ParseOutcome): ParseOutcome {
  if (!outcome.ok) return outcome
  for (const a of outcome.articles as HintedArticle[]) {
    a.writerHints = { contentKey: contentKey(a), searchColumns: indexColumns(documentOfParsed(a)) }
  }
  return outcome
}

export function contentKeyOf(a: ParsedArticle): string {
  return (a as HintedArticle).writerHints?.contentKey ?? contentKey(a)
}

export function searchColumnsOf(a: ParsedArticle): string[] {
  return (a as HintedArticle).writerHints?.searchColumns ?? indexColumns(documentOfParsed(a))
}
