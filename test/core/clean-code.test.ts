// Source code pasted unescaped into <pre>/<code> (Java generics, XML samples) must survive cleaning
// as the author typed it, while the cleaner stays strict and idempotent.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { cleanArticleHtml } from '../../src/core/clean/clean-article'
import { escapeCodeSource } from '../../src/core/clean/code-source'
import { parseArticleFile } from '../../src/core/ingest/parse'
import { SHARED } from '../helpers/corpus'

const MEITUAN = `${SHARED}/corpus/rsshub/博客/美团技术团队/最近更新/如何优雅地记录操作日志？.md`

/** Clean twice: the second pass must change nothing. */
function cleanStable(html: string): ReturnType<typeof cleanArticleHtml> {
  const once = cleanArticleHtml(html)
  const twice = cleanArticleHtml(once.html)
  expect(twice.html).toBe(once.html)
  expect(twice.text).toBe(once.text)
  return once
}

describe('code with unescaped angle brackets in the real corpus', () => {
  const raw = readFileSync(MEITUAN, 'utf8')
  // Expected lines read straight from the source text, without an HTML parser (which is what
  // mangled them): the file's <pre> blocks hold only <code> wrappers around plain code.
  const codeLines = [...raw.matchAll(/<pre[^>]*>([\s\S]*?)<\/pre>/g)]
    .flatMap((m) => m[1]!.replace(/<\/?code[^>]*>/g, '').split('\n'))
    .map((line) =>
      line
        .replace(/&#123;/g, '{')
        .replace(/&#125;/g, '}')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&')
        .trimEnd()
    )
    .filter((line) => line.includes('<') && !line.includes('<!--'))

  const outcome = parseArticleFile(readFileSync(MEITUAN), MEITUAN)
  const text = outcome.ok ? outcome.articles[0]!.cleanText : ''
  const cleanLines = new Set(text.split('\n').map((l) => l.trimEnd()))

  it('finds the generics and XML lines in the source', () => {
    expect(outcome.ok).toBe(true)
    expect(codeLines.length).toBeGreaterThanOrEqual(30)
    expect(codeLines).toContain('    Collection<LogRecordOps> operations = new ArrayList<>();')
  })

  it('keeps every such code line verbatim in cleanText', () => {
    const missing = codeLines.filter((line) => !cleanLines.has(line))
    expect(missing).toEqual([])
  })

  it('keeps the lines the parser used to cut (generics, wildcards, diamonds)', () => {
    for (const line of [
      '    Class<?> targetClass = getTargetClass(target);',
      '    Map<String, String> functionNameAndReturnMap = new HashMap<>();',
      '        List<String> spElTemplates = getBeforeExecuteFunctionTemplate(operations);',
      '    private static final InheritableThreadLocal<Stack<Map<String, Object>>> variableMapStack = new InheritableThreadLocal<>();',
      '  public ParseFunctionFactory(List<IParseFunction> parseFunctions) {',
      '    <File>logs/business.log</File>'
    ])
      expect(cleanLines).toContain(line)
    // No closing tags invented by a parser at the end of a code block.
    expect(text).not.toMatch(/<\/(string|logrecordops|iparsefunction)/i)
  })

  it('cleans the article idempotently', () => {
    const first = outcome.ok ? outcome.articles[0]!.cleanHtml : ''
    expect(cleanArticleHtml(first).html).toBe(first)
  })
})

describe('escapeCodeSource', () => {
  it('escapes generics, wildcards and diamonds inside <pre>', () => {
    expect(
      escapeCodeSource('<pre><code>List<String> a = new ArrayList<>(); Class<?> c;</code></pre>')
    ).toBe('<pre><code>List&lt;String> a = new ArrayList&lt;>(); Class&lt;?> c;</code></pre>')
  })

  it('escapes type parameter lists that look like tags with attributes', () => {
    expect(escapeCodeSource('<pre>Map<K, V> m; Map<String, Object> n;</pre>')).toBe(
      '<pre>Map&lt;K, V> m; Map&lt;String, Object> n;</pre>'
    )
  })

  it('keeps highlighting markup, links and line breaks', () => {
    const html =
      '<pre class="x"><code class="language-java"><span class="hljs-keyword">new</span> A&lt;B&gt;()<br/><a href="https://a.test">doc</a></code></pre>'
    expect(escapeCodeSource(html)).toBe(html)
  })

  it('treats a formatting tag name with no end tag after it as a type parameter', () => {
    expect(escapeCodeSource('<pre>Pair<A, B> p; List<B> q; Map<I> r;</pre>')).toBe(
      '<pre>Pair&lt;A, B> p; List&lt;B> q; Map&lt;I> r;</pre>'
    )
    // ...and a stray end tag of one as code too.
    expect(escapeCodeSource('<pre>x</b></pre>')).toBe('<pre>x&lt;/b></pre>')
  })

  it('escapes non-formatting markup in a code sample, case and attributes as typed', () => {
    expect(escapeCodeSource('<pre><code><File>a.log</File><x y="1"/></code></pre>')).toBe(
      '<pre><code>&lt;File>a.log&lt;/File>&lt;x y="1"/></code></pre>'
    )
  })

  it('escapes markup inside inline <code> too', () => {
    expect(escapeCodeSource('<p>如果 <code><input></code> 的字号</p>')).toBe(
      '<p>如果 <code>&lt;input></code> 的字号</p>'
    )
  })

  it('leaves markup outside code, comments, and unclosed regions alone', () => {
    for (const html of [
      '<p>a<b>c</b><string>x</string></p>',
      '<!-- <pre> --><p>x</p><pre>y</pre>',
      '<script>var s = "<pre>"; if (a<b) {}</script><p>z</p>',
      '<pre>never closed <b>x',
      '<pre>a<!-- c -->b</pre>',
      '<prefix>x<y</prefix>'
    ])
      expect(escapeCodeSource(html)).toBe(html)
  })

  // Quadratic scanning takes minutes on these, which the test's timeout catches; no wall-clock
  // limit is asserted on a shared machine. What is checked is what comes out.
  it('escapes runs of unclosed comments, code regions and formatting tags whole', () => {
    expect(escapeCodeSource(`<pre>${'<!--'.repeat(100_000)}</pre>`)).toBe(
      `<pre>${'&lt;!--'.repeat(100_000)}</pre>`
    )
    // Unclosed code regions: nothing to escape, nothing lost.
    const codes = '<code>'.repeat(100_000)
    expect(escapeCodeSource(codes)).toBe(codes)
    expect(escapeCodeSource(`<pre>${'List<B> '.repeat(100_000)}</pre>`)).toBe(
      `<pre>${'List&lt;B> '.repeat(100_000)}</pre>`
    )
  })

  it('handles upper-case tags', () => {
    expect(escapeCodeSource('<PRE>List<T> x</PRE>')).toBe('<PRE>List&lt;T> x</PRE>')
  })
})

describe('cleanArticleHtml on unescaped code', () => {
  it('keeps Java code text exactly', () => {
    const r = cleanStable(
      '<p>代码：</p><pre><code class="language-java">Map<String, List<Integer>> m = new HashMap<>();\nClass<?> c = m.getClass();</code></pre>'
    )
    expect(r.text).toBe(
      '代码：\n\nMap<String, List<Integer>> m = new HashMap<>();\nClass<?> c = m.getClass();'
    )
  })

  it('shows active markup in code as text and never runs it', () => {
    const r = cleanStable(
      '<pre><code><img src=x onerror="alert(1)"><script>alert(2)</script><iframe src="https://e.test"></iframe></code></pre>'
    )
    expect(r.text).toBe(
      '<img src=x onerror="alert(1)"><script>alert(2)</script><iframe src="https://e.test"></iframe>'
    )
    expect(r.html).not.toMatch(/<(img|script|iframe)/i)
  })

  it('still removes comments inside code and reports them', () => {
    const r = cleanStable('<pre>a<!-- 正文下iframe -->b</pre>')
    expect(r.text).toBe('ab')
    expect(r.removed.map((x) => x.rule)).toContain('html-comment')
  })

  it('keeps markup outside code under the sanitiser', () => {
    const r = cleanStable('<p>x<string>y</string><script>z</script></p><pre>List<T></pre>')
    expect(r.html).toBe('<p>xy</p><pre>List&lt;T&gt;</pre>')
  })
})
