// "4 articles · 3 outlets" / "4 篇文章 · 3 家媒体", with English singulars.
import type { StorySummary } from '../../../../shared/story-types'
import { t } from '../../lib/i18n.svelte'

export function storyCounts(story: Pick<StorySummary, 'articleCount' | 'outletCount'>): string {
  const articles =
    story.articleCount === 1 ? t('articleCountOne') : t('articleCount', { n: story.articleCount })
  const outlets =
    story.outletCount === 1 ? t('outletCountOne') : t('outletCount', { n: story.outletCount })
  return t('storyCounts', { articles, outlets })
}
