import { parseCommandArgs } from '../args'
import type { CliCommand } from '../command'
import {
  collectionArticleIds,
  requireCollectionByName,
  searchQueryResolver
} from '../../main/core/collections'
import { exportBundle, isExportFormat, loadExportBundle } from '../../main/core/export'
import { EXPORT_FORMATS } from '../../shared/export-types'

const usage = `Usage: gleaner export (--collection NAME | --query SEARCH | --ids 1,2,3)
         --format ${EXPORT_FORMATS.join('|')} --out PATH [--title TITLE] [--templates DIR] [--json]
Exports articles with their highlights and notes. For markdown, PATH is a folder (one file per
article plus an index); for the other formats it is the file to write. --templates names a folder
whose templates override the shipped ones (markdown-article.md.mustache, markdown-index.md.mustache,
briefing.html.mustache, briefing.css).`

export const exportCommand: CliCommand = {
  name: 'export',
  readsOnly: true,
  summary: 'export a collection, search or articles with annotations',
  usage,
  async run(args, ctx) {
    const { values } = parseCommandArgs(
      args,
      {
        collection: { type: 'string' },
        query: { type: 'string' },
        ids: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        title: { type: 'string' },
        templates: { type: 'string' },
        json: { type: 'boolean' }
      },
      usage
    )
    const sources = [values.collection, values.query, values.ids].filter((v) => v !== undefined)
    if (sources.length !== 1)
      throw new Error(`give exactly one of --collection, --query or --ids\n${usage}`)
    const format = values.format ?? ''
    if (!isExportFormat(format))
      throw new Error(`--format must be one of ${EXPORT_FORMATS.join(', ')}\n${usage}`)
    if (!values.out) throw new Error(`--out PATH is required\n${usage}`)

    const db = ctx.db()
    let articleIds: number[]
    let title: string
    let collectionId: number | undefined
    if (values.collection !== undefined) {
      const c = requireCollectionByName(db, values.collection)
      articleIds = collectionArticleIds(db, c.id, searchQueryResolver(db))
      title = c.name
      collectionId = c.id
    } else if (values.query !== undefined) {
      articleIds = searchQueryResolver(db)(values.query)
      title = `Search: ${values.query}`
    } else {
      articleIds = (values.ids ?? '').split(',').map((s) => {
        const n = Number(s.trim())
        if (!Number.isInteger(n) || n <= 0) throw new Error(`'${s}' in --ids is not an article id`)
        return n
      })
      title = 'Gleaner export'
    }
    const bundle = loadExportBundle(
      db,
      articleIds,
      values.title ?? title,
      collectionId === undefined ? {} : { collectionId }
    )
    const missing = articleIds.length - bundle.articles.length
    if (bundle.articles.length === 0) {
      ctx.err('Nothing to export: no articles matched.')
      return 1
    }
    const result = await exportBundle(
      bundle,
      format,
      values.out,
      values.templates ? { templateDir: values.templates } : {}
    )
    if (values.json) {
      ctx.out(JSON.stringify(result, null, 2))
    } else {
      ctx.out(
        `Exported ${result.articleCount} article(s) and ${result.annotationCount} annotation(s) as ${format} to ${format === 'markdown' ? values.out + ` (${result.files.length} files)` : (result.files[0] ?? values.out)}`
      )
      if (missing > 0) ctx.err(`${missing} id(s) were skipped: no such article.`)
    }
    return 0
  }
}
