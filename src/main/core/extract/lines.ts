// Editor (责任编辑) and original-title (原标题) lines: metadata printed as body text on Chinese portals.
// They are lifted into fields and removed from the body, so the reader shows them once, as metadata.
import { boundedText, elementsIn, removeNode } from '../html/html-tree'
import type { Element } from '../html/html-tree'
import type { Removals } from './page-boilerplate'

const EDITOR =
  /^[(（[【]?\s*(?:责任编辑|責任編輯|编辑|編輯|责编|責編)\s*[:：]\s*([^()（）\]】]{1,40}?)\s*[)）\]】]?\s*(?:SF\d+)?$/
const ORIGINAL_TITLE = /^原标题\s*[:：]\s*(.{1,200})$/

export function extractSpecialLines(
  nodes: Element[],
  removals: Removals
): { editor: string | null; originalTitle: string | null } {
  let editor: string | null = null
  let originalTitle: string | null = null
  for (const root of nodes) {
    for (const el of [...elementsIn(root)]) {
      if (!el.parent || (el.name !== 'p' && el.name !== 'div' && el.name !== 'span')) continue
      const t = boundedText(el, 220)
      if (t === null || !/编|編|原标题/.test(t)) continue
      const e = EDITOR.exec(t)
      if (e && !editor) {
        editor = e[1]!.trim()
        removals.add('editor-line', t)
        removeNode(el)
        continue
      }
      const o = ORIGINAL_TITLE.exec(t)
      if (o && !originalTitle) {
        originalTitle = o[1]!.trim()
        removals.add('original-title-line', t)
        removeNode(el)
      }
    }
  }
  return { editor, originalTitle }
}
