// Replacing an article's content (re-import of a changed file, re-clean) always re-anchors its
// annotations against the new clean text, in the same transaction. It is the only way the
// importer and re-clean write new text: before, re-anchoring was a hook each caller had to
// pass, and File › Re-clean and `gleaner reclean` did not, so highlights stayed "anchored" on
// offsets that now pointed at other characters.
import type { ReanchorCounts } from '../shared/annotation-types'
import { reanchorArticle } from './annotations'
import { updateArticleContent, type ArticleWrite } from './library/articles'
import type { Db } from './library/open'
import { writeTx } from './library/write-tx'

export function replaceArticleContent(
  db: Db,
  id: number,
  write: ArticleWrite,
  now: string,
  opts: { keepTaxonomy?: boolean } = {}
): ReanchorCounts {
  return writeTx(db, () => {
    const counts = reanchorArticle(db, id, write.parsed.cleanText, write.cleaningVersion)
    updateArticleContent(db, id, write, now, opts)
    return counts
  })
}
