// Plain text of clean HTML: one paragraph per block, paragraphs separated by a blank line.
// Annotations anchor to this text, so it must be a deterministic function of the HTML.
import { BLOCK_TAGS, CELL_TAGS } from '../html/html-tags'
import { textOf } from '../html/html-tree'
import type { AnyNode, Element, Text } from '../html/html-tree'
import { parseHtmlFragment } from '../html/parse-html'

// Runs of these become one space; a line with none of them but single spaces is left as it is.
const SPACE_RUN = /[ \t\r\f\v\u00a0]+/g
const NEEDS_SQUEEZE = /[\t\r\f\v\u00a0]| {2}/

function normaliseLine(line: string): string {
  const squeezed = NEEDS_SQUEEZE.test(line) ? line.replace(SPACE_RUN, ' ') : line
  // trim() removes exactly what \s matches (ideographic and no-break spaces included).
  return squeezed.trim()
}

function normaliseParagraph(text: string): string {
  // Most paragraphs are one line.
  if (!text.includes('\n')) return normaliseLine(text)
  return text
    .split('\n')
    .map(normaliseLine)
    .filter((line) => line !== '')
    .join('\n')
}

const LINE_BREAKS = /[\r\n\t]/

export function htmlToText(html: string): string {
  return treeToText(parseHtmlFragment(html).children)
}

/** The text of already parsed clean HTML (what htmlToText gives for its serialisation). */
export function treeToText(nodes: AnyNode[]): string {
  const paragraphs: string[] = []
  let buffer = ''
  const flush = (): void => {
    if (buffer === '') return
    const p = normaliseParagraph(buffer)
    if (p) paragraphs.push(p)
    buffer = ''
  }
  const walk = (list: AnyNode[], inPre: boolean): void => {
    for (const node of list) {
      if (node.type === 'text') {
        const data = (node as Text).data
        buffer += inPre || !LINE_BREAKS.test(data) ? data : data.replace(/[\r\n\t]+/g, ' ')
      } else if (node.type === 'tag') {
        const el = node as Element
        if (el.name === 'br') {
          buffer += '\n'
        } else if (CELL_TAGS.has(el.name)) {
          // Cells of a row stay on one line, separated by a tab.
          if (buffer.trim() !== '') buffer += '\t'
          walk(el.children, inPre)
        } else if (BLOCK_TAGS.has(el.name)) {
          flush()
          if (el.name === 'pre') {
            paragraphs.push(textOf(el).replace(/^\n+|\s+$/g, ''))
          } else walk(el.children, inPre)
          flush()
        } else walk(el.children, inPre)
      }
    }
  }
  walk(nodes, false)
  flush()
  return paragraphs.filter((p) => p !== '').join('\n\n')
}
