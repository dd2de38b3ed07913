// What the reader calls the cleaner's rules: a word in the user's language for each kind, the
// rule's own name kept for the tooltip (and data-rule). Rules are named `kind` or `kind:detail`
// (furniture:nav, appended:section); a site rule is `site:drop selector` / `site:content …`.
import type { MessageKey } from './i18n.svelte'

const KINDS: Record<string, MessageKey> = {
  'html-comment': 'ruleComment',
  furniture: 'ruleFurniture',
  hidden: 'ruleHidden',
  'non-content': 'ruleNotText',
  script: 'ruleNotText',
  style: 'ruleNotText',
  meta: 'ruleNotText',
  form: 'ruleNotText',
  embed: 'ruleNotText',
  'media-without-source': 'ruleNotText',
  conditional: 'ruleThin',
  article: 'ruleArticleExtra',
  generic: 'ruleCommon',
  'br-run': 'ruleEmpty',
  'empty-block': 'ruleEmpty',
  appended: 'ruleAppended',
  'editor-line': 'ruleEditor',
  'original-title': 'ruleOriginalTitle',
  'app-promotion': 'rulePromotion',
  'qr-promotion': 'rulePromotion'
}

/** The label for a rule name, or a site rule's name, or the name itself (a user's own rule). */
export function ruleLabel(
  rule: string,
  t: (key: MessageKey, params?: Record<string, string>) => string
): string {
  const kind = rule.split(/[: ]/u, 1)[0] ?? rule
  const key = KINDS[kind]
  if (key) return t(key)
  // `sina:drop .x`, `wechat:content #js_content`: the site's name.
  const site = /^([^:\s]+):(?:drop|content|text)\b/u.exec(rule)?.[1]
  return site ? t('ruleSite', { site }) : rule
}
