// Article bodies in their three textual forms (HTML fragment, Markdown, plain text) → HTML.
import { Marked } from 'marked'

const markdown = new Marked({ gfm: true, breaks: false, async: false })

const BLOCK_TAG =
  /<\/?(?:p|div|br|img|h[1-6]|ul|ol|li|table|tr|td|blockquote|figure|section|article|span|a|strong|em|b|i|font|pre|iframe|video|style|script)\b[^>]*>/gi

/** Whether a body (after front matter) is HTML rather than Markdown or plain text. */
export function looksLikeHtml(body: string): boolean {
  const trimmed = body.trimStart()
  const tags = body.match(BLOCK_TAG)?.length ?? 0
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

/** Plain text that is really Markdown: at least two different Markdown constructs. */
export function looksLikeMarkdown(text: string): boolean {
  return MARKDOWN_SIGNS.filter((re) => re.test(text)).length >= 2
}

export function markdownToHtml(source: string): string {
  return markdown.parse(source, { async: false })
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * Plain text → paragraphs. Blank lines separate paragraphs; when a file has no blank lines at
 * all (common for Chinese text, one paragraph per line), every line is a paragraph.
 */
export function textToHtml(text: string): string {
  const normalised = text.replace(/\r\n?/g, '\n').trim()
  const hasBlankLines = /\n[ \t\u3000]*\n/.test(normalised)
  const paragraphs = hasBlankLines ? normalised.split(/\n[ \t\u3000]*\n+/) : normalised.split('\n')
  return paragraphs
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n')
}
