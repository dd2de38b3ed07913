// What one article puts in the full-text index, built from plain values so that the same
// function serves the indexer (reading rows back from the library) and the import's parse
// workers (building the index text of a new article before it reaches the single writer).
import type { ParsedArticle } from '../model/parsed-article'
import { toIndexText } from './cjk'
import { FTS_COLUMNS } from './schema'

/** The searchable fields of one article, as plain text (before the CJK rewrite). */
export interface SearchDocument {
  title: string
  body: string
  author: string
  source: string
  category: string
  tag: string
  note: string
}

export interface DocumentFields {
  title: string
  originalTitle: string | null
  cleanText: string
  author: string | null
  source: string | null
  /** Each category the article is filed under, as its path from the root. */
  categoryPaths: readonly (readonly string[])[]
  tags: readonly string[]
  /** Highlighted passages and notes, in the order they are indexed. */
  notes: readonly string[]
}

export function composeSearchDocument(f: DocumentFields): SearchDocument {
  // Every level of every category, so category words match articles filed below them.
  const categoryNames = new Set<string>()
  for (const path of f.categoryPaths) for (const name of path) if (name) categoryNames.add(name)
  return {
    title:
      f.originalTitle && f.originalTitle !== f.title ? `${f.title}\n${f.originalTitle}` : f.title,
    body: f.cleanText,
    author: f.author ?? '',
    source: f.source ?? '',
    category: [...categoryNames].join('\n'),
    tag: f.tags.join('\n'),
    note: f.notes.join('\n')
  }
}

/** The document of an article as the importer will store it (tags as setArticleTags keeps them). */
export function documentOfParsed(p: ParsedArticle): SearchDocument {
  return composeSearchDocument({
    title: p.title,
    originalTitle: p.originalTitle,
    cleanText: p.cleanText,
    author: p.author,
    source: p.source,
    categoryPaths: p.categoryPath.length ? [p.categoryPath] : [],
    tags: [...new Set(p.tags.map((t) => t.trim()).filter(Boolean))],
    notes: []
  })
}

/** The values written to the FTS columns, in column order. */
export function indexColumns(doc: SearchDocument): string[] {
  return FTS_COLUMNS.map((c) => toIndexText(doc[c].normalize('NFC')))
}

/** The index columns a parse worker computed (see importer/writer-hints.ts), or computed here. */
export function searchColumnsOf(p: ParsedArticle): string[] {
  return p.writerHints?.searchColumns ?? indexColumns(documentOfParsed(p))
}
