// Loading site rules: shipped files, a user's file, and clear errors for broken files.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { extractArticle } from '../../src/core/extract/extract-article'
import { loadSiteRules, parseRulesText } from '../../src/core/extract/site-rules'

const SHIPPED = join(__dirname, '../../resources/site-rules')

function userFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-rules-'))
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

describe('loadSiteRules', () => {
  const shipped = loadSiteRules({ dir: SHIPPED })

  it('finds the shipped folder from the repository root by default', () => {
    const byDefault = loadSiteRules({})
    expect(byDefault.errors).toEqual([])
    expect(byDefault.rules.sites.map((r) => r.name)).toEqual(shipped.rules.sites.map((r) => r.name))
  })

  it('reports a YAML syntax error with the file and line, and still loads the shipped rules', () => {
    const file = userFile(
      'rules.yaml',
      'version: 1\nsites:\n  - name: mine\n    match: { hosts: [example.org]\n    content: [".x"]\n'
    )
    const { rules, errors } = loadSiteRules({ dir: SHIPPED, userFile: file })
    expect(errors).toHaveLength(1)
    expect(errors[0]!.file).toBe(file)
    expect(errors[0]!.message).toMatch(/YAML syntax error/)
    expect(errors[0]!.line).toBe(5)
    expect(rules.sites.length).toBe(shipped.rules.sites.length)
  })

  it('reports a JSON syntax error with its line', () => {
    const file = userFile('rules.json', '{\n  "sites": [\n    { "name": "mine", }\n  ]\n}\n')
    const { errors, rules } = loadSiteRules({ dir: SHIPPED, userFile: file })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ file, line: 3 })
    expect(rules.sites.length).toBe(shipped.rules.sites.length)
  })

  it('reports a bad selector, a bad pattern and an unknown key at their lines; valid rules in the same file apply', () => {
    const text = [
      'version: 1',
      'sites:',
      '  - name: good',
      '    match: { hosts: [good.example] }',
      '    content: ["#story"]',
      '  - name: badselector',
      '    match: { hosts: [a.example] }',
      '    drop: ["div[[oops"]',
      '  - name: badpattern',
      '    match: { hosts: [b.example] }',
      '    dropText: ["(unclosed"]',
      '  - name: typo',
      '    match: { hosts: [c.example] }',
      '    contnet: [".x"]',
      ''
    ].join('\n')
    const file = userFile('mine.yml', text)
    const { rules, errors } = loadSiteRules({ dir: SHIPPED, userFile: file })
    expect(
      errors.map((e) => [
        e.line,
        e.message.match(
          /invalid CSS selector|invalid regular expression|unknown key "contnet"/
        )?.[0]
      ])
    ).toEqual([
      [8, 'invalid CSS selector'],
      [11, 'invalid regular expression'],
      [14, 'unknown key "contnet"']
    ])
    expect(errors.every((e) => e.file === file)).toBe(true)
    // The user's valid rule comes first, so it wins over shipped rules.
    expect(rules.sites[0]!.name).toBe('good')
    expect(rules.sites.length).toBe(shipped.rules.sites.length + 1)
  })

  it('says so when a user file is missing, and when a rule cannot match anything', () => {
    expect(
      loadSiteRules({ dir: SHIPPED, userFile: '/nonexistent/rules.yaml' }).errors[0]
    ).toMatchObject({
      file: '/nonexistent/rules.yaml',
      message: 'user rules file not found'
    })
    const parsed = parseRulesText('sites:\n  - name: nomatch\n    content: [".a"]\n', 'x.yaml')
    expect(parsed.errors[0]!.message).toMatch(/needs at least one of hosts/)
    expect(parsed.errors[0]!.line).toBe(2)
  })

  it('applies a user rule: its content selector and drops win on its site', () => {
    const file = userFile(
      'rules.yaml',
      'sites:\n  - name: myblog\n    match: { hosts: [blog.example] }\n    content: [".entry"]\n    drop: [".promo"]\n    dropText: ["^Posted in "]\n'
    )
    const { rules } = loadSiteRules({ dir: SHIPPED, userFile: file })
    const html =
      '<html><body><div class="sidebar"><p>A long sidebar paragraph, with commas, that could look like content, to a scorer.</p></div>' +
      '<div class="entry"><p>The real post.</p><p class="promo">Buy my book</p><p>Posted in Notes</p></div></body></html>'
    const r = extractArticle(html, { url: 'https://blog.example/post/1', rules })
    expect(r.matchedRules).toEqual(['myblog'])
    expect(r.text).toBe('The real post.')
    expect(r.removed.map((x) => x.rule)).toEqual(
      expect.arrayContaining(['myblog:drop .promo', 'myblog:text ^Posted in '])
    )
  })
})
