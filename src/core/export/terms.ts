// An exported article's keywords and named entities as one short line in the export's language
// ("Keywords: 进博会, 软实力 · People: 顾洪辉 · Places: 上海"): the briefing (and so the PDF),
// Markdown and Word documents all print this line; JSON and CSV carry the terms as data.
import type { ExportArticle } from '../../shared/export-types'
import { ENTITY_KINDS } from '../../shared/story-types'
import { fill, type ExportLabels } from './labels'

/** The line, or null when the article has neither keywords nor entities. */
export function termsLine(entry: ExportArticle, labels: ExportLabels): string | null {
  const entities = entry.entities ?? []
  const groups = [
    { label: labels.termKinds.keyword, terms: entry.keywords ?? [] },
    ...ENTITY_KINDS.map((kind) => ({
      label: labels.termKinds[kind],
      terms: entities.filter((e) => e.kind === kind).map((e) => e.term)
    }))
  ].filter((g) => g.terms.length > 0)
  if (groups.length === 0) return null
  return groups
    .map((g) =>
      fill(labels.termGroup, { label: g.label, terms: g.terms.join(labels.termSeparator) })
    )
    .join(' · ')
}
