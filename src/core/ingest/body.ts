// Article bodies in their three textual forms (HTML fragment, Markdown, plain text) → HTML.
import { Marked } from 'marked'
import type { Document } from '../html/html-tree'
import { paragraphsToFragment } from '../html/parse-html'
import { parseLimits } from '../model/parse-limits'

const markdown = new Marked({ gfm: true, breaks: false, async: false })

// Tags common in HTML bodies and rare in Markdown or plain text: how a body shows it is HTML.
// (Not a list of blocks: what a block is, html/html-tags.ts says.)
const HTML_SIGN_TAG =
  /<\/?(?:p|div|br|img|h[1-6]|ul|ol|li|table|tr|td|blockquote|figure|section|article|span|a|strong|em|b|i|font|pre|iframe|video|style|script)\b[^>]*>/gi

/** Whether a body (after front matter) is HTML rather than Markdown or plain text. */
export function looksLikeHtml(body: string): boolean {
  const trimmed = body.trimStart()
  const tags = body.match(HTML_SIGN_TAG)?.length ?? 0
  if (tags === 0) return false
  if (trimmed.startsWith('<') && !trimmed.startsWith('<http')) return true
  // Markdown may embed a few tags; HTML bodies are dense with them.
  const markdownSigns = body.match(/^(?:#{1,6}\s|[-*+]\s|\d+\.\s|>\s|```)/gm)?.length ?? 0
  return tags >= 3 && tags > markdownSigns * 2
}

const MARKDOWN_SIGNS: RegExp[] = [
  /^#{1,6}\s+\S/m, // ATX heading
  /^\S.*\n(?:=+|-+)\s*$/m, // setext heading
  /^\s{0,3}[-*+]\s+\S/m, // bullet list
  /^\s{0,3}\d+[.)]\s+\S/m, // ordered list
  /\[[^\]\n]+\]\([^)\s]+\)/, // link
  /!\[[^\]\n]*\]\([^)\s]+\)/, // image
  /^```/m, // fence
  /^>\s/m, // quote
  /(\*\*|__)\S[^\n]*?\S\1/ // strong
]

/**
 * How much of a text is looked at: Markdown shows itself in its first pages, and in a long
 * plain text (a novel) two of these signs turn up somewhere by chance, which sent a 49 MB
 * Chinese text through the Markdown parser for minutes.
 */
const MARKDOWN_PROBE_CHARS = 64 * 1024

/** Plain text that is really Markdown: at least two different Markdown constructs. */
export function looksLikeMarkdown(text: string): boolean {
  const head = text.length > MARKDOWN_PROBE_CHARS ? text.slice(0, MARKDOWN_PROBE_CHARS) : text
  return MARKDOWN_SIGNS.filter((re) => re.test(head)).length >= 2
}

export function markdownToHtml(source: string): string {
  return markdown.parse(source, { async: false })
}

/**
 * A Markdown body as HTML; or, when the Markdown parser gives up on it (its regular
 * expressions overflow the stack on some very long blocks), as plain text with a warning:
 * the text is what matters, and it must not be lost for its markup.
 */
export function markdownBody(source: string): { body: string | Document; warnings: string[] } {
  try {
    return { body: markdownToHtml(source), warnings: [] }
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? ''
    const text = textToTree(source)
    return {
      body: text.body,
      warnings: [`Markdown could not be read (${why}); imported as plain text`, ...text.warnings]
    }
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * Plain text → paragraphs of lines. Blank lines separate paragraphs; when a file has no blank
 * lines at all (common for Chinese text, one paragraph per line), every line is a paragraph.
 */
function textParagraphs(text: string): string[][] {
  // NUL is dropped and CR read as a line break, as the HTML parser does with text.
  const normalised = text.replace(/\r\n?/g, '\n').replace(/\0/g, '').trim()
  const hasBlankLines = /\n[ \t\u3000]*\n/.test(normalised)
  const paragraphs = hasBlankLines ? normalised.split(/\n[ \t\u3000]*\n+/) : normalised.split('\n')
  return paragraphs
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => p.split('\n').filter((line) => line !== ''))
}

/** Plain text → HTML paragraphs (`<br>` between the lines of one). */
export function textToHtml(text: string): string {
  return textParagraphs(text)
    .map((lines) => `<p>${lines.map(escapeHtml).join('<br>')}</p>`)
    .join('\n')
}

/** Nodes a paragraph of `lines` makes: the <p>, a text per line, a <br> between, a separator. */
function nodesOf(lines: readonly string[]): number {
  return 2 * lines.length + 1
}

/**
 * Paragraphs that fit the parse limits' node count. A text of very many short lines (917,000
 * lines in 49 MB) would make millions of nodes, gigabytes and most of a minute of cleaning; it
 * still imports, its lines run together in fewer, longer paragraphs (said in a warning). The
 * text itself is all kept (and the file's bytes are, as always).
 */
function fitParagraphs(
  paragraphs: string[][],
  nodes: number
): { paragraphs: string[][]; warnings: string[] } {
  let total = 0
  let lines = 0
  for (const p of paragraphs) {
    total += nodesOf(p)
    lines += p.length
  }
  if (total <= nodes) return { paragraphs, warnings: [] }
  // One text per paragraph (its lines joined), and as many lines per paragraph as it takes.
  const most = Math.max(1, Math.floor(nodes / 3))
  const per = Math.ceil(paragraphs.length / most)
  const fitted: string[][] = []
  for (let i = 0; i < paragraphs.length; i += per)
    fitted.push([
      paragraphs
        .slice(i, i + per)
        .map((p) => p.join('\n'))
        .join('\n')
    ])
  return {
    paragraphs: fitted,
    warnings: [
      `text has ${lines.toLocaleString('en')} lines, more than ${nodes.toLocaleString('en')} nodes allow one by one: read as ${fitted.length.toLocaleString('en')} longer paragraphs`
    ]
  }
}

/**
 * The tree the HTML parser builds from textToHtml(text), without the HTML (see html/parse-html.ts), within
 * the parse limits' node count (see fitParagraphs).
 */
export function textToTree(text: string): { body: Document; warnings: string[] } {
  const { paragraphs, warnings } = fitParagraphs(textParagraphs(text), parseLimits().nodes)
  return { body: paragraphsToFragment(paragraphs), warnings }
}
