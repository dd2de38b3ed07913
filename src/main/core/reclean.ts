// Re-cleaning: when the cleaner improves, rebuild articles from the original bytes kept in the
// library. Read/starred state, collections and annotations stay with the article; annotations
// are re-anchored against the new text before it is written.
import type { RecleanResult } from '../../shared/types'
import { CLEANER_VERSION } from './clean/version'
import type { SiteRuleSet } from './extract/extract-types'
import { parseArticleFile } from './ingest/parse'
import { replaceArticleContent } from './replace-text'
import type { Db } from './library/open'
import { writeTx } from './library/write-tx'

export interface RecleanOptions {
  /** Re-clean these ids; default: every article cleaned by an older cleaner version. */
  ids?: number[]
  /** Re-clean every article, whatever its version. */
  all?: boolean
  afterWrite?: (db: Db, articleIds: number[]) => void
  onProgress?: (done: number, total: number) => void
  now?: () => Date
  /** The library's site rules for web pages; the shipped ones by default. */
  siteRules?: SiteRuleSet
}

interface Row {
  id: number
  item_index: number
  source_path: string | null
  original_id: number
  clean_html: string
  bytes: Buffer
}

const BATCH = 100

export function articlesNeedingReclean(db: Db): number {
  return (
    db
      .prepare(
        'SELECT COUNT(*) AS n FROM articles WHERE deleted_at IS NULL AND cleaning_version < ?'
      )
      .get(CLEANER_VERSION) as { n: number }
  ).n
}

export function recleanArticles(db: Db, opts: RecleanOptions = {}): RecleanResult {
  const ids: number[] = opts.ids
    ? [...new Set(opts.ids)]
    : (
        db
          .prepare(
            `SELECT id FROM articles WHERE deleted_at IS NULL ${opts.all ? '' : 'AND cleaning_version < ?'} ORDER BY id`
          )
          .all(...(opts.all ? [] : [CLEANER_VERSION])) as { id: number }[]
      ).map((r) => r.id)
  const load = db.prepare<[number], Row>(
    `SELECT a.id, a.item_index, a.source_path, a.original_id, a.clean_html, o.bytes
       FROM articles a JOIN originals o ON o.id = a.original_id
      WHERE a.id = ? AND a.deleted_at IS NULL`
  )
  const result: RecleanResult = {
    total: ids.length,
    changed: 0,
    unchanged: 0,
    failed: [],
    annotated: [],
    needsReview: 0
  }
  const now = opts.now ?? (() => new Date())
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH)
    writeTx(db, () => {
      const written: number[] = []
      for (const id of chunk) {
        const row = load.get(id)
        if (!row) {
          result.failed.push({ id, reason: 'no such article' })
          continue
        }
        const outcome = parseArticleFile(
          new Uint8Array(row.bytes),
          row.source_path ?? `article-${id}`,
          { siteRules: opts.siteRules }
        )
        const parsed = outcome.ok ? outcome.articles[row.item_index] : undefined
        if (!outcome.ok || !parsed) {
          result.failed.push({
            id,
            reason: outcome.ok ? 'the original no longer yields this article' : outcome.reason
          })
          continue
        }
        if (parsed.cleanHtml === row.clean_html) result.unchanged++
        else result.changed++
        const moved = replaceArticleContent(
          db,
          id,
          {
            originalId: row.original_id,
            itemIndex: row.item_index,
            sourcePath: row.source_path,
            cleaningVersion: CLEANER_VERSION,
            parsed
          },
          now().toISOString(),
          { keepTaxonomy: true }
        )
        if (moved.total > 0) result.annotated.push(id)
        result.needsReview += moved.needsReview
        written.push(id)
      }
      if (written.length) opts.afterWrite?.(db, written)
    })
    opts.onProgress?.(Math.min(i + BATCH, ids.length), ids.length)
  }
  return result
}
