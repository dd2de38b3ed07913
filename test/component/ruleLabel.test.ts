// The reader's words for the cleaner's rules, in both languages: real rule names as the
// extractor and cleaner write them into the cleaning report.
import { afterEach, describe, expect, it } from 'vitest'
import { i18n, t } from '../../src/renderer/src/lib/i18n.svelte'
import { ruleLabel } from '../../src/renderer/src/lib/ruleLabel'
import { cleanArticleHtml } from '../../src/core/clean/clean-article'

afterEach(() => i18n.set('en'))

describe('rule labels in the removed-content report', () => {
  it('names each kind of rule in the user’s language, a site rule by its site, and keeps a user’s own name', () => {
    // Rule names the cleaner really writes.
    const removed = cleanArticleHtml(
      '<p>第一段正文，港务局周二表示码头维修工程还需三个月才能完成。</p><p></p><p></p><p>责任编辑：王翔</p>'
    ).removed.map((r) => r.rule)
    expect(removed).toContain('editor-line')
    i18n.set('en')
    expect(ruleLabel('editor-line', t)).toBe('editor line')
    expect(ruleLabel('furniture:nav', t)).toBe('page frame')
    expect(ruleLabel('appended:closing-notice', t)).toBe('after the article')
    expect(ruleLabel('wechat:drop .qr_code_pc', t)).toBe('site rule wechat')
    i18n.set('zh')
    expect(ruleLabel('editor-line', t)).toBe('编辑署名')
    expect(ruleLabel('non-content:script', t)).toBe('非文字')
    expect(ruleLabel('wechat:content #js_content', t)).toBe('站点规则 wechat')
    // A name Gleaner does not know (a user's own rule file) is shown as written.
    expect(ruleLabel('my-rule', t)).toBe('my-rule')
  })
})
