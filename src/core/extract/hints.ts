// Class/id/role hints shared by pre-cleaning, scoring and post-cleaning. The English patterns follow
// Readability's long-tested lists; the additions cover Chinese portals' pinyin/English markup names.

/** Containers that are almost never the article (removed before scoring unless OK_MAYBE also matches). */
export const UNLIKELY =
  /-ad-|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|newsletter|share|sharing|subscribe|promo|recommend|tuijian|xiangguan|hot-?news|qrcode|erweima|cookie|consent|modal|toolbar|signup|sign-up|paywall|outbrain|taboola|zergnet|trending|most-?popular|read-?next|more-?stories/i

export const OK_MAYBE =
  /and|article|body|column|content|main|mathjax|shadow|artibody|zhengwen|text/i

export const UNLIKELY_ROLES = new Set([
  'menu',
  'menubar',
  'complementary',
  'navigation',
  'alert',
  'alertdialog',
  'dialog',
  'banner',
  'contentinfo',
  'search'
])

const NEGATIVE =
  /-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget|byline|dateline|caption|credit|social|newsletter|subscribe|recommend|breadcrumb|copyright|qrcode|erweima|download|teaser|rail|aside/i

const POSITIVE =
  /article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|artibody|zhengwen|detail|rich_media/i

/** Readability's class weight: ±25 for each of class and id. */
export function classWeight(className: string, id: string): number {
  let w = 0
  if (className) {
    if (NEGATIVE.test(className)) w -= 25
    if (POSITIVE.test(className)) w += 25
  }
  if (id) {
    if (NEGATIVE.test(id)) w -= 25
    if (POSITIVE.test(id)) w += 25
  }
  return w
}

/** Small blocks inside the article that are metadata, not prose (bylines, datelines, captions). */
export const META_BLOCK =
  /byline|dateline|author|timestamp|posted-?on|publish|pubdate|caption|credit|share|social|tags|related|newsletter|promo|advert|sponsor|print|toolbar|breadcrumb|editor-?info|source-?info/i
