import { parseCommandArgs } from '../args'
import type { CliCommand } from '../command'
import {
  collectionArticleIds,
  requireCollectionByName,
  searchQueryResolver
} from '../../core/collections'
import { ExportError, exportBundle, fill, labelsFor, loadExportBundle } from '../../core/export'
import {
  EXPORT_EXTENSIONS,
  EXPORT_FORMAT_ALIASES,
  EXPORT_FORMATS,
  EXPORT_LOCALES,
  exportFormatNamed,
  type ExportLocale
} from '../../shared/export-types'

const formatNames = [
  ...EXPORT_FORMATS,
  ...Object.keys(EXPORT_FORMAT_ALIASES).map((a) => `${a} (= ${EXPORT_FORMAT_ALIASES[a]})`)
]

const usage = `Usage: gleaner export (--collection NAME | --query SEARCH | --ids 1,2,3)
         --format ${EXPORT_FORMATS.join('|')} --out PATH [--force] [--lang en|zh]
         [--title TITLE] [--templates DIR] [--json]
Exports articles with their highlights and notes. For markdown (or md), PATH is a folder (one
file per article plus an index) or a .md file (the whole briefing in one); for the other formats
it is the file to write, ending in the format's extension (${EXPORT_FORMATS.filter(
  (f) => f !== 'markdown'
)
  .map((f) => EXPORT_EXTENSIONS[f][0])
  .join(' ')}).
An existing file, or a folder that is not empty, is never replaced unless --force. --lang sets
the language of the export's headings (en by default). --templates names a folder whose
templates override the shipped ones (markdown-article.md.mustache, markdown-index.md.mustache,
markdown-briefing.md.mustache, briefing.html.mustache, briefing.css).`

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
        force: { type: 'boolean' },
        lang: { type: 'string' },
        json: { type: 'boolean' }
      },
      usage
    )
    const sources = [values.collection, values.query, values.ids].filter((v) => v !== undefined)
    if (sources.length !== 1)
      throw new Error(`give exactly one of --collection, --query or --ids\n${usage}`)
    const format = exportFormatNamed(values.format ?? '')
    if (!format) throw new Error(`--format must be one of ${formatNames.join(', ')}\n${usage}`)
    if (!values.out) throw new Error(`--out PATH is required\n${usage}`)
    const lang = values.lang ?? 'en'
    if (!(EXPORT_LOCALES as readonly string[]).includes(lang))
      throw new Error(`--lang must be one of ${EXPORT_LOCALES.join(', ')}\n${usage}`)
    const locale = lang as ExportLocale
    const labels = labelsFor(locale)

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
      title = fill(labels.searchTitle, { query: values.query })
    } else {
      articleIds = (values.ids ?? '').split(',').map((s) => {
        const n = Number(s.trim())
        if (!Number.isInteger(n) || n <= 0) throw new Error(`'${s}' in --ids is not an article id`)
        return n
      })
      title = labels.selectionTitle
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
    let result
    try {
      result = await exportBundle(bundle, format, values.out, {
        locale,
        overwrite: values.force === true,
        ...(values.templates ? { templateDir: values.templates } : {})
      })
    } catch (e) {
      if (e instanceof ExportError && e.code === 'file-exists')
        throw new ExportError(
          'file-exists',
          `${e.params.path} already exists; nothing was written. Add --force to replace it.`,
          e.params
        )
      throw e
    }
    if (values.json) {
      ctx.out(JSON.stringify(result, null, 2))
    } else {
      ctx.out(
        `Exported ${result.articleCount} article(s) and ${result.annotationCount} annotation(s) as ${format} to ${result.files.length > 1 ? values.out + ` (${result.files.length} files)` : (result.files[0] ?? values.out)}`
      )
      if (missing > 0) ctx.err(`${missing} id(s) were skipped: no such article.`)
    }
    return 0
  }
}
